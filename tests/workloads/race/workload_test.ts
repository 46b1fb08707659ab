/** The race workload in every mode: exact where nothing is shared or nothing interleaves. */
import { assert_, assertEquals, assertMatch } from "../../assert.ts";
import { runMain } from "../../helpers.ts";
import { resolveSettings } from "../../../lib/cli/settings.ts";
import { defaultModeNames } from "../../../lib/modes/mod.ts";
import { measureModes } from "../../../lib/run/measure.ts";
import type { RunResult } from "../../../lib/run/result.ts";
import type { ModeName } from "../../../lib/run/events.ts";
import { predictAwait, type Update, UPDATES } from "../../../lib/workloads/race/workload.ts";

const TASKS = 4;
const SIZE = 200_000;

async function runRace(update: Update, modes: readonly ModeName[], runs = 1, size = SIZE) {
  const settings = resolveSettings({ workload: "race", tasks: TASKS, size, update, lanes: 2 });
  const prepared = await settings.workload.prepare(settings.workloadOptions);
  try {
    const measured = await measureModes(modes, { ...settings }, prepared, {
      runs,
      warmup: 0,
      signal: new AbortController().signal,
    });
    return measured.flatMap((m) => m.runs);
  } finally {
    await prepared.close();
  }
}

function figure(run: RunResult, name: string): number {
  const found = run.aggregate?.figures.find((f) => f.name === name);
  assert_(found !== undefined, `${run.mode}: no ${name} in ${JSON.stringify(run.aggregate)}`);
  return found.value;
}

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "race: atomic is exact in every mode, twice over one prepared counter",
  ...opts,
  async fn() {
    const runs = await runRace("atomic", defaultModeNames(), 2);
    assertEquals(runs.length, 8);
    for (const run of runs) {
      assertEquals(run.status, "done", run.mode);
      assertEquals(figure(run, "expected"), TASKS * SIZE, run.mode);
      assertEquals(figure(run, "actual"), TASKS * SIZE, run.mode);
      assertEquals(figure(run, "lost"), 0, run.mode);
    }
  },
});

for (const update of UPDATES) {
  Deno.test({
    name: `race: sequential and subprocess are exact with ${update}`,
    ...opts,
    async fn() {
      const runs = await runRace(update, ["sequential", "subprocess"]);
      for (const run of runs) {
        assertEquals(figure(run, "actual"), TASKS * SIZE, `${run.mode} ${update}`);
        assertEquals(figure(run, "lost"), 0, `${run.mode} ${update}`);
      }
      const subprocess = runs.find((r) => r.mode === "subprocess")!;
      assertMatch(subprocess.aggregate!.note!, /share no memory.*sent its count as a message/);
    },
  });
}

Deno.test({
  name: "race: async with await loses exactly what the interleaving predicts, on every run",
  ...opts,
  async fn() {
    // All four tasks under way at once (async's default lanes is one per task).
    const settings = resolveSettings({
      workload: "race",
      tasks: TASKS,
      size: SIZE,
      update: "await",
    });
    const prepared = await settings.workload.prepare(settings.workloadOptions);
    try {
      const [m] = await measureModes(["async"], settings, prepared, {
        runs: 3,
        warmup: 0,
        signal: new AbortController().signal,
      });
      assertEquals(m.runs.length, 3);
      for (const run of m.runs) {
        assertEquals(run.lanes, TASKS);
        assertEquals(figure(run, "predicted"), SIZE);
        assertEquals(figure(run, "actual"), SIZE);
        assertEquals(figure(run, "lost"), (TASKS - 1) * SIZE);
      }
    } finally {
      await prepared.close();
    }
  },
});

Deno.test("race: the prediction is the largest count with every task at once, else none", () => {
  assertEquals(predictAwait([5, 9, 2], 3), 9);
  assertEquals(predictAwait([5, 9, 2], 2), undefined);
  assertEquals(predictAwait([], 1), 0);
});

for (const update of ["plain", "loadstore"] as const) {
  Deno.test({
    name:
      `race: workers with ${update} lose between none and fewer than all (the scheduler's choice)`,
    ...opts,
    async fn() {
      const [run] = await runRace(update, ["workers"], 1, 2_000_000);
      const expected = figure(run, "expected");
      const lost = figure(run, "lost");
      assertEquals(expected, TASKS * 2_000_000);
      assert_(lost >= 0 && lost < expected, `lost ${lost} of ${expected}`);
      assertEquals(figure(run, "actual") + lost, expected);
    },
  });
}

Deno.test({
  name: "race: run --json and the text summary carry expected, actual and lost",
  ...opts,
  async fn() {
    const json = await runMain([
      "run",
      "--mode",
      "async",
      "--workload",
      "race",
      "--update",
      "await",
      "--size",
      "1000",
      "--json",
    ]);
    assertEquals(json.code, 0, json.stderr);
    const run = JSON.parse(json.stdout) as RunResult;
    assertEquals(figure(run, "lost"), 3000);
    const text = await runMain([
      "run",
      "--mode",
      "sequential",
      "--workload",
      "race",
      "--size",
      "1000",
    ]);
    assertEquals(text.code, 0, text.stderr);
    assertMatch(text.stdout, /expected 4,000 · actual 4,000 · lost 0 \(0\.00 %\)/);
  },
});

Deno.test({
  name: "race: bad --update, --update with another workload and an overflowing size are one line",
  ...opts,
  async fn() {
    const cases: [string[], RegExp][] = [
      [["--update", "fast"], /--update must be one of plain, loadstore, atomic, await, got "fast"/],
      [["--workload", "cpu", "--update", "plain"], /--update applies to --workload race only/],
      [["--latency", "5"], /--latency applies to --workload io only/],
      [["--size", "auto"], /--size must be a whole number of increments with --workload race/],
      [["--tasks", "3", "--size", "1000000000"], /32-bit integer \(allowed: at most 2,147,483,647/],
    ];
    for (const [args, message] of cases) {
      const workload = args.includes("--workload") ? [] : ["--workload", "race"];
      const out = await runMain(["run", "--mode", "sequential", ...workload, ...args]);
      assertEquals(out.code, 2, args.join(" "));
      assertMatch(out.stderr, message);
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assertEquals(out.stdout, "");
    }
  },
});

Deno.test({
  name: "race: cluster mode refuses it in one line before anything starts",
  ...opts,
  async fn() {
    const out = await runMain(["run", "--mode", "cluster", "--workload", "race", "--size", "10"]);
    assertEquals(out.code, 2);
    assertMatch(out.stderr, /cluster mode cannot run --workload race/);
    assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
    assertEquals(out.stdout, "");
  },
});
