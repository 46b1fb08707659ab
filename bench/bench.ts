/**
 * `deno task bench [--quick]`: one command, one process, one Markdown report (also written to
 * bench/results.md with the raw JSON beside it; --quick writes to bench/.quick/ instead).
 * Every ratio is measured in this run, on this machine.
 */
import { printModeFailure } from "../lib/cli/commands/session.ts";
import { cpus } from "node:os";
import { measureKernel, sizeFor } from "../lib/workloads/cpu/calibrate.ts";
import { sumSquaresRange } from "../lib/workloads/cpu/sum_squares.ts";
import { STEP } from "../lib/workloads/cpu/workload.ts";
import { killAll } from "../lib/process/cleanup.ts";
import { measureModes, type ModeMeasurement } from "../lib/run/measure.ts";
import { defaultModeNames } from "../lib/modes/mod.ts";
import { clusterSection } from "./cluster.ts";
import { startChildLane } from "../lib/lanes/process_lane.ts";
import { programPermissions } from "../lib/lanes/permissions.ts";
import { startWorkerLane } from "../lib/lanes/thread_lane.ts";
import { comparisonRows } from "../lib/report/comparison.ts";
import { formatMs, formatRatio } from "../lib/report/format.ts";
import type { ModeName } from "../lib/run/events.ts";
import type { RunResult } from "../lib/run/result.ts";
import {
  coreCount,
  resolveSettings,
  type SharedOptions,
  withModuleLoaded,
} from "../lib/cli/settings.ts";
import { median } from "../lib/report/stats.ts";
import { VERSION } from "../lib/cli/version.ts";
import { frameCostMs } from "./frame_cost.tsx";
import { RACE_SIZE, UPDATES } from "../lib/workloads/race/workload.ts";
import { cpuTasks, cpuWorkload } from "../lib/workloads/cpu/workload.ts";
import { runWorkload } from "../lib/run/runner.ts";
import { toRunResult } from "../lib/run/result.ts";
import type { Workload } from "../lib/workloads/types.ts";

const quick = Deno.args.includes("--quick");
// `--only cpu,io` runs the sections named (cpu, tutorial, io, costs, cluster, race, scale, module).
const onlyAt = Deno.args.indexOf("--only");
const only = onlyAt >= 0 ? Deno.args[onlyAt + 1]?.split(",") ?? [] : undefined;
const want = (section: string) => only === undefined || only.includes(section);
const outDir =
  new URL(quick || Deno.args.includes("--only") ? "./.quick/" : "./", import.meta.url).pathname;
const ROOT = new URL("../", import.meta.url).pathname;
const MAIN = `${ROOT}main.ts`;
const CONFIG = `${ROOT}deno.json`;
const cores = coreCount();
const signal = new AbortController().signal;

const lines: string[] = [];
const raw: Record<string, unknown> = {};
const say = (line = "") => {
  lines.push(line);
  console.log(line);
};
/** A target met or missed; in quick mode nothing is judged, since the sizes are too small. */
const check = (ok: boolean, text: string) =>
  say(quick ? `- · ${text} (quick: not judged)` : `- ${ok ? "✓" : "✗"} ${text}`);

/** Waits until `ready` holds, looking every `everyMs`; fails the benchmark after `ms`. */
async function waitUntil(
  what: string,
  ready: () => Promise<boolean>,
  ms: number,
  everyMs = 100,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await ready())) {
    if (performance.now() > deadline) {
      throw new Error(`bench: ${what} did not happen within ${formatMs(ms)}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// Peak resident memory of this process, sampled through the whole run.
let peakRss = Deno.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, Deno.memoryUsage().rss)), 50);

async function command(cmd: string, args: string[], env?: Record<string, string>) {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", env }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

async function has(tool: string): Promise<boolean> {
  try {
    return (await command("sh", ["-c", `command -v ${tool}`])).code === 0;
  } catch {
    return false;
  }
}

const cliArgs = (args: string[]) => [
  "run",
  "--quiet",
  `--config=${CONFIG}`,
  ...programPermissions(ROOT, Deno.execPath()),
  MAIN,
  ...args,
];

function table(ms: readonly ModeMeasurement[], ideal?: (m: ModeMeasurement) => string): string[] {
  const rows = [
    `| mode | lanes | runs | median | min | max | stdev | speedup (range) | parallelism | cores busy | verified |${
      ideal ? " ideal |" : ""
    }`,
    `|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|${ideal ? "--:|" : ""}`,
  ];
  const compared = comparisonRows(ms);
  ms.forEach((m, i) => {
    const w = m.wall!;
    const speedup = compared[i].speedup;
    const sp = speedup
      ? `${formatRatio(speedup.median)} (${speedup.low.toFixed(2)}–${speedup.high.toFixed(2)})`
      : "-";
    rows.push(
      `| ${m.mode} | ${m.lanes} | ${w.runs} | ${formatMs(w.medianMs)} | ${formatMs(w.minMs)} | ${
        formatMs(w.maxMs)
      } | ${formatMs(w.stdevMs)} | ${sp} | ${m.parallelism.toFixed(2)} | ${
        m.coresBusy === undefined ? "-" : m.coresBusy.toFixed(2)
      } | ${m.allVerified ? "all" : "NO"} |${ideal ? ` ${ideal(m)} |` : ""}`,
    );
  });
  return rows;
}

async function measure(
  options: SharedOptions,
  runs: number,
  warmup = 0,
  onRun?: (run: RunResult, warmup: boolean) => void,
) {
  const settings = resolveSettings(options);
  const prepared = await settings.workload.prepare(settings.workloadOptions);
  try {
    return await measureModes(defaultModeNames(), settings, prepared, {
      runs,
      warmup,
      signal,
      onRun,
      onModeFailed: printModeFailure,
    });
  } finally {
    await prepared.close();
  }
}

const get = (ms: readonly ModeMeasurement[], mode: ModeName) =>
  ms.find((m) => m.mode === mode)!.wall!.medianMs;

// --- machine -------------------------------------------------------------------------------
const model = cpus()[0]?.model ?? "unknown";
say(
  `# conc101 benchmark${
    quick ? " (quick: small sizes, one run each; figures not meaningful)" : ""
  }`,
);
say();
say(`- machine: ${cores} cores, ${model}`);
say(`- runtime: Deno ${Deno.version.deno}, V8 ${Deno.version.v8}; conc101 ${VERSION}`);
say(`- date: ${new Date().toISOString().slice(0, 10)}`);
say();
raw.machine = { cores, model, deno: Deno.version.deno, quick };

// --- 1. attainable speedup and the CPU workload ----------------------------------------------
const speed = measureKernel(quick ? 60 : 300);
const cpuSize = quick ? 400_000 : sizeFor(speed, 5000);
const cpuRuns = quick ? 1 : 3;

/** Rounds of the attainable-speedup measurement. */
const attainableRounds = quick ? 1 : 5;

/**
 * The same loop alone, then in `cores` independent processes at once: what this machine can
 * give right now. Rounds each pair alone with together, and the median of the rounds' ratios
 * counts, since the second core of a shared machine comes and goes.
 */
async function attainable(): Promise<{ alone: number; together: number; speedup: number }> {
  const args = cliArgs([
    "run",
    "--mode",
    "sequential",
    "--tasks",
    "4",
    "--size",
    String(cpuSize),
    "--json",
  ]);
  const wall = async () =>
    JSON.parse((await command(Deno.execPath(), args)).stdout).wallMs as number;
  const alone: number[] = [];
  const together: number[] = [];
  for (let i = 0; i < attainableRounds; i++) {
    alone.push(await wall());
    together.push(Math.max(...await Promise.all(Array.from({ length: cores }, wall))));
  }
  return {
    alone: median(alone),
    together: median(together),
    speedup: median(alone.map((a, i) => (cores * a) / together[i])),
  };
}

if (want("cpu")) {
  say(`## 1. CPU workload: 20 tasks, n = ${cpuSize.toLocaleString("en-US")} + x`);
  say();
  const machine = await attainable();
  say(
    `Attainable speedup on this machine right now: ${formatRatio(machine.speedup)} ` +
      `(the same loop alone ${formatMs(machine.alone)}; in ${cores} processes at once ${
        formatMs(machine.together)
      }; ${
        attainableRounds === 1
          ? "one round"
          : `medians of ${attainableRounds} rounds, the speedup from each round's pair`
      }). Ideal: ${cores}x.`,
  );
  say();
  const cpu = await measure({ workload: "cpu", size: cpuSize }, cpuRuns);
  for (
    const row of table(
      cpu,
      (m) => (m.mode === "workers" || m.mode === "subprocess" ? `${cores}x` : "1x"),
    )
  ) say(row);
  say();
  const seqCpu = get(cpu, "sequential");
  for (const mode of ["workers", "subprocess"] as const) {
    const sp = seqCpu / get(cpu, mode);
    check(
      sp >= 0.95 * machine.speedup,
      `${mode}: ${formatRatio(sp)} = ${(sp / machine.speedup).toFixed(2)} of the attainable ${
        formatRatio(machine.speedup)
      } (target ≥ 0.95)`,
    );
  }
  const asyncRatio = get(cpu, "async") / seqCpu;
  check(
    Math.abs(asyncRatio - 1) <= 0.1,
    `async takes ${asyncRatio.toFixed(3)}x the sequential time (target within 10 %)`,
  );
  // The same tasks in a plain loop in this process: what the main-thread modes' checkpoints,
  // events and idle polls cost on top of the work.
  const bare: number[] = [];
  for (let i = 0; i < cpuRuns; i++) bare.push(bareLoopMs(20, cpuSize));
  const harness = seqCpu / median(bare) - 1;
  check(
    harness <= 0.03,
    `sequential mode costs ${(harness * 100).toFixed(1)} % over a plain loop over the same tasks (${
      formatMs(median(bare))
    }; target ≤ 3 %)`,
  );
  check(seqCpu >= 4000, `sequential lasts ${formatMs(seqCpu)} (target ≥ 4 s)`);
  say();
  raw.cpu = { size: cpuSize, attainable: machine, modes: cpu, bareLoopMs: bare };
}

// --- 2. the tutorial's exact tasks, and the tutorial's Python programs ------------------------
if (want("tutorial")) {
  say("## 2. The tutorial's tasks: 20 tasks, n = 5,000,000 + x");
  say();
  const tutorial = await measure({ workload: "cpu" }, quick ? 1 : 5, quick ? 0 : 1);
  for (const row of table(tutorial)) say(row);
  say();
  const PY_SEQ = `import time

def cpu_bound(number):
    return sum(i * i for i in range(number))

def find_sums(numbers):
    for number in numbers:
        cpu_bound(number)

if __name__ == "__main__":
    numbers = [${quick ? "50_000" : "5_000_000"} + x for x in range(20)]
    start = time.time()
    find_sums(numbers)
    print(f"Duration {time.time() - start} seconds")
`;
  const PY_POOL = PY_SEQ.replace("import time", "import multiprocessing\nimport time").replace(
    "    for number in numbers:\n        cpu_bound(number)",
    "    with multiprocessing.Pool() as pool:\n        pool.map(cpu_bound, numbers)",
  );
  if (await has("python3")) {
    const work = `${outDir}.work`;
    await Deno.mkdir(work, { recursive: true });
    await Deno.writeTextFile(`${work}/cpu_sequential.py`, PY_SEQ);
    await Deno.writeTextFile(`${work}/cpu_pool.py`, PY_POOL);
    const py = async (file: string) => {
      const out = await command("python3", [`${work}/${file}`]);
      const m = out.stdout.match(/Duration ([\d.]+) seconds/);
      if (!m) throw new Error(`python3 ${file} printed no duration: ${out.stderr.trim()}`);
      return Number(m[1]) * 1000;
    };
    const pySeq = await py("cpu_sequential.py");
    const pyPool = await py("cpu_pool.py");
    const denoSeq = get(tutorial, "sequential");
    say("| program | wall | vs Python sequential |");
    say("|---|--:|--:|");
    say(`| Python sequential (the tutorial's) | ${formatMs(pySeq)} | 1.00x |`);
    say(`| Python multiprocessing.Pool | ${formatMs(pyPool)} | ${formatRatio(pySeq / pyPool)} |`);
    for (const m of tutorial) {
      say(
        `| Deno ${m.mode} (median) | ${formatMs(m.wall!.medianMs)} | ${
          formatRatio(pySeq / m.wall!.medianMs)
        } |`,
      );
    }
    say();
    if (quick) say("(quick: Python ran n = 50,000 + x, so these ratios mean nothing)");
    else {
      check(
        pySeq / denoSeq >= 20,
        `Deno sequential is ${
          formatRatio(pySeq / denoSeq)
        } faster than the tutorial's Python sequential (target ≥ 20x)`,
      );
    }
    raw.python = { sequentialMs: pySeq, poolMs: pyPool };
  } else {
    say("python3 is not on the PATH: the Python comparison is skipped.");
  }
  say();
  raw.tutorial = tutorial;
}

// --- 3. the I/O workload ---------------------------------------------------------------------
const latency = quick ? 20 : 100;
const ioTasks = quick ? 40 : 160;
if (want("io")) {
  say(`## 3. I/O workload: ${ioTasks} downloads of 16 KB, ${latency} ± 10 ms, local server`);
  say();
  let coldAsyncMs = NaN;
  const ioModes = await measure(
    { workload: "io", tasks: ioTasks, latencyMs: latency },
    quick ? 1 : 3,
    1,
    (run, warmup) => {
      if (warmup && run.mode === "async") coldAsyncMs = run.wallMs;
    },
  );
  const idealFor = (m: ModeMeasurement) => {
    const inFlight = m.mode === "sequential" ? 1 : m.lanes;
    return latency * Math.ceil(ioTasks / inFlight);
  };
  for (const row of table(ioModes, (m) => formatMs(idealFor(m)))) say(row);
  say();
  const ioSeq = ioModes.find((m) => m.mode === "sequential")!;
  const ioAsync = ioModes.find((m) => m.mode === "async")!;
  check(
    ioAsync.wall!.medianMs <= 1.5 * idealFor(ioAsync),
    `async: ${formatMs(ioAsync.wall!.medianMs)} = ${
      (ioAsync.wall!.medianMs / idealFor(ioAsync)).toFixed(2)
    }x its ideal (target ≤ 1.5x; the cold warm-up run, which opens the connections: ${
      formatMs(coldAsyncMs)
    })`,
  );
  check(
    ioSeq.wall!.medianMs <= 1.2 * idealFor(ioSeq),
    `sequential: ${
      (ioSeq.wall!.medianMs / idealFor(ioSeq)).toFixed(2)
    }x tasks × latency (target ≤ 1.2x)`,
  );
  check(
    ioSeq.wall!.medianMs / ioAsync.wall!.medianMs >= 20,
    `async is ${
      formatRatio(ioSeq.wall!.medianMs / ioAsync.wall!.medianMs)
    } faster than sequential (target ≥ 20x)`,
  );
  say("(each mode gets one unmeasured warm-up run first; the measured runs reuse its connections)");
  say();
  raw.io = { tasks: ioTasks, latencyMs: latency, modes: ioModes };
}

// --- 4. costs ----------------------------------------------------------------------------------
if (want("costs")) {
  say("## 4. Costs");
  say();

  const samples = quick ? 2 : 5;
  const workerMs: number[] = [];
  const childMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    workerMs.push(
      await laneStartMs((ready) =>
        startWorkerLane(
          0,
          { onMessage: (m) => m.kind === "ready" && ready(), onExit: () => {} },
          1,
          [],
        )
      ),
    );
    childMs.push(
      await laneStartMs((ready) =>
        startChildLane({ onMessage: (m) => m.kind === "ready" && ready(), onExit: () => {} }, [], 1)
      ),
    );
  }
  say("| cost | median | samples |");
  say("|---|--:|--:|");
  say(`| worker start to first message | ${formatMs(median(workerMs))} | ${samples} |`);
  say(`| child process spawn to first message | ${formatMs(median(childMs))} | ${samples} |`);
  // A frame of the whole dashboard, rendered in this process: what each redraw takes from
  // the main thread (at most 10 a second).
  const frames = await frameCostMs(quick ? 5 : 50, quick ? 200_000 : 2_000_000);
  say(
    `| dashboard frame: render and layout of the whole view, 20 tasks and results | ${
      formatMs(frames.medianMs)
    } | ${frames.samplesMs.length} |`,
  );
  raw.costs = { workerStartMs: workerMs, childStartMs: childMs, frameMs: frames.samplesMs };

  say();

  const stopSize = quick ? 50_000_000 : cpuSize;
  const stopSamples = quick ? 1 : 5;
  say(
    `Stop latency: SIGINT to exit, a run of 20 tasks of n = ${
      stopSize.toLocaleString("en-US")
    } + x under way:`,
  );
  say();
  say("| mode | median | min | max | samples |");
  say("|---|--:|--:|--:|--:|");
  const stops: Record<string, number[]> = {};
  for (const mode of defaultModeNames()) {
    const ms: number[] = [];
    for (let i = 0; i < stopSamples; i++) ms.push(await stopLatencyMs(mode, stopSize));
    stops[mode] = ms;
    say(
      `| ${mode} | ${formatMs(median(ms))} | ${formatMs(Math.min(...ms))} | ${
        formatMs(Math.max(...ms))
      } | ${ms.length} |`,
    );
  }
  say();
  for (const mode of defaultModeNames()) {
    check(
      median(stops[mode]) <= 150,
      `${mode} stops ${formatMs(median(stops[mode]))} after SIGINT (median; target ≤ 150 ms)`,
    );
  }
  say();
  raw.stopLatencyMs = stops;

  if (await has("tmux")) {
    const dash = await dashboardCosts();
    say(
      `Dashboard: the same runs (20 tasks, n = ${
        dash.size.toLocaleString("en-US")
      } + x) under the dashboard, driven in tmux, and headless, alternating, each side warmed ` +
        "by one unmeasured run:",
    );
    sayOverheads(dash.overheads);
    check(
      dash.firstFrameMs <= 500,
      `first frame after ${formatMs(dash.firstFrameMs)} (Deno cache warm; target ≤ 500 ms)`,
    );
    for (const o of dash.overheads) {
      check(
        o.pairedRatio - 1 <= 0.05,
        `${o.mode} under the dashboard: ${
          ((o.pairedRatio - 1) * 100).toFixed(1)
        } % overhead (target ≤ 5 %)`,
      );
    }
    raw.dashboard = dash;
  } else {
    throw new Error(
      "bench: tmux is not installed; the dashboard's costs need it (apt-get install tmux)",
    );
  }
  say();
}

/** Wall time of `tasks` CPU tasks (n = size + x) summed in a plain loop, no harness. */
function bareLoopMs(tasks: number, size: number): number {
  const t0 = performance.now();
  let check = 0n;
  for (let x = 0; x < tasks; x++) {
    // In the task's own steps, so only the harness differs.
    for (let start = 0; start < size + x; start += STEP) {
      check += sumSquaresRange(start, Math.min(size + x, start + STEP));
    }
  }
  const ms = performance.now() - t0;
  if (check < 0n) throw new Error("unreachable: keeps the loop from being optimised away");
  return ms;
}

/** Time from starting a lane to its first message. */
async function laneStartMs(
  start: (ready: () => void) => { stop(): Promise<void> },
): Promise<number> {
  const t0 = performance.now();
  let ready!: () => void;
  const up = new Promise<void>((r) => (ready = r));
  const lane = start(ready);
  await up;
  const ms = performance.now() - t0;
  await lane.stop();
  return ms;
}
/** One mode's runs under the dashboard against the same runs headless. */
interface Overhead {
  readonly mode: ModeName;
  readonly dashboardMs: number;
  readonly headlessMs: number;
  /** Median of dashboard / headless over pairs run back to back. */
  readonly pairedRatio: number;
  readonly dashboard: number[];
  readonly headless: number[];
}

/**
 * Drives the real dashboard in tmux: its first frame, then each mode's runs against the same
 * runs headless. In sequential and async mode the frames share the thread with the work.
 */
/** The dashboard-against-headless table, one row a mode. */
function sayOverheads(overheads: readonly Overhead[]) {
  say();
  say("| mode | dashboard | headless | overhead (median of paired ratios) | pairs |");
  say("|---|--:|--:|--:|--:|");
  for (const o of overheads) {
    say(
      `| ${o.mode} | ${formatMs(o.dashboardMs)} | ${formatMs(o.headlessMs)} | ${
        ((o.pairedRatio - 1) * 100).toFixed(1)
      } % | ${o.dashboard.length} |`,
    );
  }
  say();
}

async function dashboardCosts(
  size = quick ? 2_000_000 : sizeFor(speed, 5000),
  tasks?: number,
) {
  const socket = `conc101-bench-${Deno.pid}`;
  const tmux = (...a: string[]) => command("tmux", ["-L", socket, ...a]);
  const screen = async () => (await tmux("capture-pane", "-p", "-t", "b")).stdout;
  const taskArgs = tasks === undefined ? [] : ["--tasks", String(tasks)];
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const cmd = [
    Deno.execPath(),
    ...cliArgs(["tui", "--mode", "workers", "--size", String(size), ...taskArgs]),
  ].map(quote).join(" ");
  try {
    const t0 = performance.now();
    await tmux(
      "new-session",
      "-d",
      "-s",
      "b",
      "-x",
      "110",
      "-y",
      "32",
      `env -u CI NODE_ENV=production ${cmd}; echo EXITED; sleep 30`,
    );
    // Each look is a tmux process; looking too often would slow the start it measures.
    await waitUntil(
      "the dashboard's first frame",
      async () => /conc101/.test(await screen()),
      10_000,
      20,
    );
    const firstFrameMs = performance.now() - t0;
    // Runs of 10,000 tiny tasks last about 0.1 s, where a shared machine's jitter is a large
    // share: more pairs for them.
    const runs = quick ? 1 : tasks === undefined ? 5 : 11;
    const overheads: Overhead[] = [];
    for (const [index, mode] of defaultModeNames().entries()) {
      // Colour hides the tab brackets; the run's "done: <mode>" line shows the switch took.
      await tmux("send-keys", "-t", "b", String(index + 1));
      const dashboard: number[] = [];
      const headless: number[] = [];
      // Both sides warm: headless is a compare with one unmeasured run first, and the
      // dashboard runs the mode once before its measured runs. A cold process against a warm
      // one measured the JIT, not the dashboard (it came out up to 47 % faster).
      const headlessArgs = cliArgs([
        "compare",
        "--modes",
        mode,
        "--warmup",
        "1",
        "--size",
        String(size),
        ...taskArgs,
        "--json",
      ]);
      const done = new RegExp(`done: ${mode} in ([\\d.]+) (m?s)`);
      const runOnDashboard = async (expectMs: number) => {
        await tmux("send-keys", "-t", "b", "c");
        await tmux("send-keys", "-t", "b", "Enter");
        // Polling the screen costs CPU the run would feel: wait most of the headless time first.
        await new Promise((r) => setTimeout(r, expectMs * 0.85));
        let shown = "";
        await waitUntil(
          `the dashboard's ${mode} run`,
          async () => done.test(shown = await screen()),
          10 * expectMs + 30_000,
        );
        const [, value, unit] = shown.match(done)!;
        return Number(value) * (unit === "s" ? 1000 : 1);
      };
      for (let i = 0; i < runs; i++) {
        // Headless in a process of its own, like the dashboard; alternated, so drift in the
        // machine's speed hits both sides alike.
        const out = await command(Deno.execPath(), headlessArgs, { NODE_ENV: "production" });
        headless.push(JSON.parse(out.stdout).runs[0].wallMs);
        if (i === 0) await runOnDashboard(headless[0]);
        dashboard.push(await runOnDashboard(headless[i]));
      }
      overheads.push({
        mode,
        dashboardMs: median(dashboard),
        headlessMs: median(headless),
        // Runs alternate, so each pair saw the same machine; the median pair ratio shrugs off
        // drift that a ratio of medians would keep.
        pairedRatio: median(dashboard.map((d, i) => d / headless[i])),
        dashboard,
        headless,
      });
    }
    await tmux("send-keys", "-t", "b", "q");
    await waitUntil("the dashboard's exit", async () => /EXITED/.test(await screen()), 5000);
    return { firstFrameMs, size, overheads };
  } finally {
    await tmux("kill-server");
  }
}

/**
 * From SIGINT to exit for a run under way at `size`, in a process of its own: what a user
 * waits after Ctrl-C.
 */
async function stopLatencyMs(mode: ModeName, size: number): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgs(["run", "--mode", mode, "--size", String(size), "--json"]),
    stdout: "null",
    stderr: "null",
    env: { NODE_ENV: "production" },
  }).spawn();
  try {
    await new Promise((r) => setTimeout(r, quick ? 400 : 1500));
    const t0 = performance.now();
    child.kill("SIGINT");
    const exited = await Promise.race([
      child.status.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
    ]);
    if (!exited) throw new Error(`bench: ${mode} did not stop within 10 s of SIGINT`);
    return performance.now() - t0;
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
  }
}

// --- 5. memory -------------------------------------------------------------------------------
clearInterval(rssTimer);
peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
say("## 5. Memory");
say();
say(
  `Peak resident memory of the main process during this benchmark: ${
    (peakRss / 2 ** 20).toFixed(0)
  } MiB.`,
);
raw.peakRssBytes = peakRss;

// --- 6. cluster (bench/cluster.ts) -------------------------------------------------------------
if (want("cluster")) {
  say();
  const cluster = await clusterSection({ quick, cpuSize, signal });
  for (const line of cluster.lines) say(line);
  raw.cluster = cluster.raw;
}

// --- 7. races --------------------------------------------------------------------------------
if (want("race")) {
  say();
  say("## 7. Races: the tutorial's x = x + 1");
  say();
  const raceTasks = 4;
  const raceSize = quick ? 20_000 : RACE_SIZE / 4;
  const raceRuns = quick ? 1 : 5;
  const increments = raceTasks * raceSize;
  say(
    `${raceTasks} tasks × ${raceSize.toLocaleString("en-US")} increments on one counter, ${
      raceRuns === 1 ? "one run" : `${raceRuns} runs`
    } of each variant in each mode. Lost: the share of increments missing from the counter ` +
      "(what happened, not a promise: the scheduler decides). Time per increment: wall time " +
      "after the lanes were ready, over every increment of the run.",
  );
  say();
  say("| update | mode | lanes | lost % median | lost % min … max | ns per increment (median) |");
  say("|---|---|--:|--:|--:|--:|");
  const rows: {
    update: string;
    mode: ModeName;
    lanes: number;
    lostPercent: number[];
    nsPerIncrement: number;
  }[] = [];
  for (const update of UPDATES) {
    const ms = await measure(
      { workload: "race", tasks: raceTasks, size: raceSize, update },
      raceRuns,
    );
    for (const m of ms) {
      const lostPercent = m.runs.map((r) =>
        r.aggregate?.figures.find((f) => f.name === "lost")?.percent ?? NaN
      );
      const nsPerIncrement = median(
        m.runs.map((r) => ((r.wallMs - (r.startupMs ?? 0)) * 1e6) / increments),
      );
      rows.push({ update, mode: m.mode, lanes: m.lanes, lostPercent, nsPerIncrement });
      say(
        `| ${update} | ${m.mode} | ${m.lanes} | ${median(lostPercent).toFixed(2)} | ${
          Math.min(...lostPercent).toFixed(2)
        } … ${Math.max(...lostPercent).toFixed(2)} | ${nsPerIncrement.toFixed(1)} |`,
      );
    }
  }
  say();
  say("The price of correctness, atomic against plain (time per increment):");
  say();
  for (const mode of defaultModeNames()) {
    const plain = rows.find((r) => r.update === "plain" && r.mode === mode)!;
    const atomic = rows.find((r) => r.update === "atomic" && r.mode === mode)!;
    say(
      `- ${mode}: plain ${plain.nsPerIncrement.toFixed(1)} ns, atomic ${
        atomic.nsPerIncrement.toFixed(1)
      } ns (${formatRatio(atomic.nsPerIncrement / plain.nsPerIncrement)})`,
    );
  }
  raw.race = { tasks: raceTasks, size: raceSize, runs: raceRuns, rows };
}

// --- 8. scale: per-task cost, peers, memory, the dashboard at 10,000 tasks -------------------
if (want("scale")) {
  say();
  say("## 8. Scale: the cost per task as tasks grow");
  say();
  const counts = quick ? [20, 100] : [100, 1_000, 10_000];
  const most = counts[counts.length - 1];
  const scaleSize = 1000;
  const scaleRuns = quick ? 1 : 3;
  say(
    `CPU tasks of n = ${scaleSize.toLocaleString("en-US")} + x (a few µs of work each), ${
      scaleRuns === 1 ? "one run" : `median of ${scaleRuns} runs`
    } of each mode at each count, each count in a \`compare\` of its own. µs per task: wall time over tasks; after start-up: wall ` +
      "time less the lanes' start-up, over tasks. Flat from left to right means the cost " +
      "grows linearly.",
  );
  say();
  const perTask: Record<string, Record<number, { wall: number; afterStartup: number }>> = {};
  const lanesUsed: Record<string, number> = {};
  const chunks: Record<string, string> = {};
  // Each count in a `compare` of its own, as a user runs it: inside this process, which keeps
  // every earlier section's results, the collector made 10,000 main-thread tasks look 3x dearer.
  interface ScaleRun {
    mode: string;
    lanes: number;
    wallMs: number;
    startupMs?: number;
    chunk?: string;
    dispatches?: number;
    largestChunk?: number;
    verifiedCount: number;
  }
  for (const count of counts) {
    const out = await command(
      Deno.execPath(),
      cliArgs([
        "compare",
        "--tasks",
        String(count),
        "--size",
        String(scaleSize),
        "--runs",
        String(scaleRuns),
        "--json",
      ]),
      { NODE_ENV: "production" },
    );
    if (out.code !== 0) throw new Error(`bench: compare over ${count} tasks: ${out.stderr}`);
    const report: { runs: ScaleRun[]; modes: { mode: string; runIndexes: number[] }[] } = JSON
      .parse(out.stdout);
    for (const { mode, runIndexes } of report.modes) {
      const runs = runIndexes.map((i) => report.runs[i]);
      if (runs.some((r) => r.verifiedCount !== count)) {
        throw new Error(`bench: ${mode} over ${count} tasks left tasks unverified`);
      }
      const wall = median(runs.map((r) => r.wallMs));
      const after = median(runs.map((r) => r.wallMs - (r.startupMs ?? 0)));
      (perTask[mode] ??= {})[count] = {
        wall: (wall * 1000) / count,
        afterStartup: (after * 1000) / count,
      };
      lanesUsed[mode] = runs[0].lanes;
      const last = runs[runs.length - 1];
      if (last.dispatches !== undefined && count === most) {
        chunks[mode] =
          `${last.chunk}: ${last.dispatches} dispatches, up to ${last.largestChunk} tasks each`;
      }
    }
  }
  say(
    `| mode | lanes | ${
      counts.map((c) => `µs/task at ${c.toLocaleString("en-US")}`).join(" | ")
    } | after start-up at ${most.toLocaleString("en-US")} |`,
  );
  say(`|---|--:|${counts.map(() => "--:|").join("")}--:|`);
  for (const [mode, byCount] of Object.entries(perTask)) {
    say(
      `| ${mode} | ${lanesUsed[mode]} | ${
        counts.map((c) => byCount[c].wall.toFixed(1)).join(" | ")
      } | ${byCount[most].afterStartup.toFixed(1)} |`,
    );
  }
  say();
  for (const [mode, text] of Object.entries(chunks)) {
    say(`- ${mode}, chunking at ${most.toLocaleString("en-US")} tasks (\`--chunk\`): ${text}`);
  }
  say();

  // The work alone, the workload's own run and verify in a plain loop on the same tasks, in
  // rounds with a sequential and an async run: each round's difference is one sample, so a
  // shared machine's drift falls on both sides of it. In a clean process (bench/harness.ts).
  const harnessRounds = quick ? 1 : 5;
  const harnessOut = await command(Deno.execPath(), [
    "run",
    "--quiet",
    `--config=${CONFIG}`,
    ...programPermissions(ROOT, Deno.execPath()),
    `${ROOT}bench/harness.ts`,
    String(most),
    String(scaleSize),
    String(harnessRounds),
  ], { NODE_ENV: "production" });
  if (harnessOut.code !== 0) throw new Error(`bench: harness.ts failed: ${harnessOut.stderr}`);
  const harnessRun: { bareMs: number[]; wallMs: Record<string, number[]> } = JSON.parse(
    harnessOut.stdout,
  );
  const bareMs = harnessRun.bareMs;
  const harnessUs: Record<string, number[]> = {};
  for (const [mode, walls] of Object.entries(harnessRun.wallMs)) {
    harnessUs[mode] = walls.map((wall, r) => ((wall - bareMs[r]) * 1000) / most);
  }
  const bare = median(bareMs);
  say(
    `The work alone (the workload's run and verify in a plain loop, ${
      most.toLocaleString("en-US")
    } tasks): ${formatMs(bare)}, ${((bare * 1000) / most).toFixed(1)} µs a task (median of ${
      harnessRounds === 1 ? "one round" : `${harnessRounds} rounds`
    }, in a process of its own started as the cli task starts the program). Harness cost per ` +
      "task: a run's wall time less the plain loop of its round, over tasks (median, and " +
      "range over rounds):",
  );
  say();
  const range = (xs: number[]) =>
    `${median(xs).toFixed(1)} µs a task (${Math.min(...xs).toFixed(1)} … ${
      Math.max(...xs).toFixed(1)
    })`;
  check(
    median(harnessUs.sequential) <= 5,
    `sequential: ${range(harnessUs.sequential)} (target ≤ 5 µs)`,
  );
  check(median(harnessUs.async) <= 10, `async: ${range(harnessUs.async)} (target ≤ 10 µs)`);
  say();

  // Peers: the pools a JavaScript user would pick, on the same tasks and lanes.
  const peers: Record<string, { wallMs: number[]; verified: number; lanes: number }> = {};
  const peerOf: Record<string, { peer: string; mode: ModeName; title: string }> = {
    piscina: { peer: "piscina", mode: "workers", title: "piscina 4.9.4 (threads)" },
    "tinypool-child": {
      peer: "tinypool-child",
      mode: "subprocess",
      title: "tinypool 1.1.1, child_process runtime",
    },
  };
  for (const { peer, mode } of Object.values(peerOf)) {
    const lanes = lanesUsed[mode];
    const out = await command(Deno.execPath(), [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${CONFIG}`,
      `--allow-read=${ROOT}`,
      "--allow-sys=cpus",
      "--ignore-env",
      ...(peer === "tinypool-child" ? [`--allow-run=${Deno.execPath()}`] : []),
      `${ROOT}bench/peers/run.ts`,
      peer,
      String(most),
      String(scaleSize),
      String(lanes),
      String(scaleRuns),
    ]);
    if (out.code !== 0) throw new Error(`bench: ${peer} failed: ${out.stderr.trim()}`);
    const result = JSON.parse(out.stdout);
    peers[peer] = { wallMs: result.wallMs, verified: result.verified, lanes };
  }
  say(
    `Against the pools JavaScript users pick instead, both under Deno ${Deno.version.deno} ` +
      `(through \`npm:\`), on the same ${most.toLocaleString("en-US")} tasks and lanes, ` +
      "start-up included on both sides; both send one task a message:",
  );
  say();
  say("| pool | lanes | wall (median) | µs per task | verified | conc101 mode | µs per task |");
  say("|---|--:|--:|--:|--:|---|--:|");
  for (const [peer, p] of Object.entries(peers)) {
    const { mode, title } = peerOf[peer];
    const peerUs = (median(p.wallMs) * 1000) / most;
    say(
      `| ${title} | ${p.lanes} | ${formatMs(median(p.wallMs))} | ${
        peerUs.toFixed(1)
      } | ${p.verified}/${most} | ${mode} | ${perTask[mode][most].wall.toFixed(1)} |`,
    );
  }
  say();
  for (const [peer, p] of Object.entries(peers)) {
    const { mode, title } = peerOf[peer];
    const peerUs = (median(p.wallMs) * 1000) / most;
    const ours = perTask[mode][most].wall;
    check(
      ours <= peerUs && p.verified === most,
      `${mode}: ${ours.toFixed(1)} µs a task against ${title}'s ${peerUs.toFixed(1)} (${
        formatRatio(peerUs / ours)
      } as fast; target: at most the peer's)`,
    );
  }
  say();

  // Memory: a compare of every local mode in a process of its own, its peak sampled by the OS.
  const peakKb = await peakRssKb(
    cliArgs(["compare", "--tasks", String(most), "--size", String(scaleSize), "--json"]),
  );
  // What a finished run keeps: its state and its result, measured on the heap after a GC.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("bench: run with --v8-flags=--expose-gc (deno task bench does)");
  // Always 10,000 tasks: at quick sizes the heap's own noise is larger than a small run.
  const keptCount = 10_000;
  const keep = async () => {
    const state = await runWorkload({
      mode: "sequential",
      workload: cpuWorkload as Workload,
      tasks: cpuTasks({ tasks: keptCount, size: scaleSize }),
      lanes: 1,
    });
    return { state, result: toRunResult(state) };
  };
  // Two runs kept, the heap measured after each: the second difference is one kept run, with
  // code and caches warmed by the first.
  const heapAfterGc = () => {
    gc();
    return Deno.memoryUsage().heapUsed;
  };
  const first = await keep();
  const withOne = heapAfterGc();
  const second = await keep();
  const keptBytes = (heapAfterGc() - withOne) / keptCount;
  const keptTasks = first.result.tasks.length + second.result.tasks.length;
  say(
    `Memory: \`compare --tasks ${most} --size ${scaleSize} --json\` (every local mode) peaked ` +
      `at ${(peakKb / 1024).toFixed(0)} MiB resident (VmHWM, sampled every 50 ms). A finished ` +
      `run keeps ${keptBytes.toFixed(0)} bytes a task (its state and its result, on the heap ` +
      `after a GC, the second of two runs kept; ${keptTasks} tasks in all).`,
  );
  say();
  check(peakKb / 1024 <= 150, `peak ${(peakKb / 1024).toFixed(0)} MiB (target ≤ 150 MiB)`);
  say();

  raw.scale = {
    size: scaleSize,
    runs: scaleRuns,
    counts,
    perTaskUs: perTask,
    lanes: lanesUsed,
    bareMs,
    harnessUs,
    peers,
    peakRssKb: peakKb,
    keptBytesPerTask: keptBytes,
  };

  if (await has("tmux")) {
    const dash = await dashboardCosts(scaleSize, most);
    say(
      `The dashboard over ${most.toLocaleString("en-US")} tasks (n = ${scaleSize} + x), driven ` +
        "in tmux, against the same runs headless, alternating, each side warmed by one " +
        "unmeasured run:",
    );
    sayOverheads(dash.overheads);
    for (const o of dash.overheads) {
      check(
        o.pairedRatio - 1 <= 0.1,
        `${o.mode} under the dashboard at ${most.toLocaleString("en-US")} tasks: ${
          ((o.pairedRatio - 1) * 100).toFixed(1)
        } % overhead (target ≤ 10 %)`,
      );
    }
    (raw.scale as Record<string, unknown>).dashboard = dash;
  } else {
    throw new Error(
      "bench: tmux is not installed; the scale section needs it (apt-get install tmux)",
    );
  }
}

/** Peak resident memory of `deno <args>`, in KiB: its VmHWM, read until it exits. */
async function peakRssKb(args: string[]): Promise<number> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const script = `${[Deno.execPath(), ...args].map(quote).join(" ")} >/dev/null & p=$!; ` +
    `peak=0; while kill -0 $p 2>/dev/null; do ` +
    `r=$(sed -n 's/^VmHWM:[^0-9]*\\([0-9]*\\).*/\\1/p' /proc/$p/status 2>/dev/null); ` +
    `[ -n "$r" ] && peak=$r; sleep 0.05; done; wait $p; echo $peak`;
  const out = await command("sh", ["-c", script], { NODE_ENV: "production" });
  if (out.code !== 0) throw new Error(`bench: compare failed: ${out.stderr.trim()}`);
  const kb = Number(out.stdout.trim());
  if (!(kb > 0)) throw new Error("bench: could not read the compare's peak memory from /proc");
  return kb;
}

// --- 9. your own workload ---------------------------------------------------------------------
if (want("module")) {
  say();
  const primeTasks = 12;
  const primeSize = quick ? 20_000 : 400_000;
  const primeRuns = quick ? 1 : 3;
  say(`## 9. Your own workload: examples/primes.ts in all four modes`);
  say();
  say(
    `${primeTasks} ranges of ${
      primeSize.toLocaleString("en-US")
    } numbers, primes counted by trial division, loaded as a user's module (--workload), ${
      primeRuns === 1 ? "one run" : `${primeRuns} runs`
    } of each mode:`,
  );
  say();
  const options = await withModuleLoaded({
    workload: `${ROOT}examples/primes.ts`,
    tasks: primeTasks,
    size: primeSize,
  });
  const primes = await measure(options, primeRuns);
  for (const row of table(primes)) say(row);
  raw.module = { example: "primes", tasks: primeTasks, size: primeSize, modes: primes };
}

await Deno.mkdir(outDir, { recursive: true });
await Deno.writeTextFile(`${outDir}results.md`, lines.join("\n") + "\n");
await Deno.writeTextFile(`${outDir}results.json`, JSON.stringify(raw, null, 2) + "\n");
console.log(`\nwritten: ${outDir}results.md and results.json`);
killAll();
