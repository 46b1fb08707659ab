import { render } from "ink-testing-library";
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { waitFor, waitNoDescendants, workerThreads } from "../helpers.ts";
import { Dashboard, type DashboardProps } from "../../lib/ui/app.tsx";
import { themeFor } from "../../lib/ui/theme.ts";
import { Results } from "../../lib/ui/results.tsx";
import type { RunResult } from "../../lib/run/result.ts";
import { registerBrokenMode } from "../helpers.ts";
import { FakeClock, registerTimed, stillCpu } from "./fake_run.ts";

const KEYS = { enter: "\r", escape: "\u001B", right: "\u001B[C", left: "\u001B[D" };

function mount(overrides: Partial<DashboardProps> = {}) {
  const codes: number[] = [];
  const app = render(
    <Dashboard
      initial={{ mode: "sequential", workload: "cpu", tutorial: false, help: false }}
      options={{ workload: "cpu", tasks: 4, size: 2000 }}
      theme={themeFor(false)}
      terminalSize={{ columns: 100, rows: 30 }}
      onQuit={(code) => codes.push(code)}
      {...overrides}
    />,
  );
  const frame = () => app.lastFrame() ?? "";
  const until = async (pattern: RegExp, ms = 5000) => {
    const ok = await waitFor(() => pattern.test(frame()), ms);
    assert_(ok, `frame never matched ${pattern}:\n${frame()}`);
  };
  // No sleep after a key: keys of one read are handled in order, and tests wait for frames.
  const press = (key: string) => {
    app.stdin.write(key);
    return Promise.resolve();
  };
  /** Line `i` of the latest frame. */
  const line = (i: number) => frame().split("\n")[i];
  return { app, frame, line, until, press, quits: () => codes.length, codes };
}

/**
 * A dashboard on the fake clock, still CPU counters and the `timed` workload: every figure
 * on screen is known in advance, so frames are asserted whole. Keys are written and the
 * frame awaited, with no sleep.
 */
async function withTimed(
  test: (t: ReturnType<typeof mountTimed>) => Promise<void>,
  overrides: Partial<DashboardProps> = {},
  size = 100,
) {
  const t = mountTimed(overrides, size);
  try {
    await test(t);
  } finally {
    t.close();
  }
}

function mountTimed(overrides: Partial<DashboardProps>, size: number) {
  const clock = new FakeClock();
  const removeTimed = registerTimed(clock);
  let d;
  try {
    d = mount({
      initial: { mode: "sequential", workload: "timed", tutorial: false, help: false },
      options: { workload: "timed", size },
      terminalSize: { columns: 100, rows: 22 },
      clock: clock.read,
      sampleCpu: stillCpu,
      ...overrides,
    });
  } catch (err) {
    removeTimed();
    throw err;
  }
  /** Writes `key` and waits for a frame whose `line` reads `expected`. */
  const key = async (key: string, line: number, expected: string) => {
    d.app.stdin.write(key);
    await settle(line, expected);
  };
  const settle = async (line: number, expected: string) => {
    await waitFor(() => d.line(line) === expected);
    assertEquals(d.line(line), expected, `line ${line} of:\n${d.frame()}`);
  };
  const close = () => {
    d.app.unmount();
    removeTimed();
  };
  return { ...d, clock, key, settle, close };
}

/** The lines every timed frame ends with: the CPU meter, results, the mode's line, keys. */
const CPU = "cpu  0                0%  1                0%";
const SEQUENTIAL =
  "sequential: no switching: each task runs to the end before the next starts; 1 core";
const KEYS_LINE =
  "1-5 mode · ←/→ Tab prev/next · Enter r run · a all · w workload · t tutorial · +/- lanes · s sweep …";
const TABS = "[1 sequential]  2 async   3 workers   4 subprocess   5 cluster   lanes 1";
const blank = (n: number) => Array<string>(n).fill("");

/** No process below this one and no worker thread in it: what the dashboard started is gone. */
async function nothingLeft() {
  assertEquals(await waitNoDescendants(Deno.pid), [], "a child process was left");
  assert_(await waitFor(async () => await workerThreads(Deno.pid) === 0), "a worker was left");
}

const opts = { sanitizeOps: false, sanitizeResources: false };

/** A bar of a task not started, of fewer than 10: its label, an empty bar, 0 %. */
const pendingBar = (id: number, label: string, barWidth: number) =>
  `#${id} ${label} ${" ".repeat(barWidth)}   0%`;

/** A bar of a task done on the main thread in `ms`, of fewer than 10. */
const doneBar = (id: number, label: string, ms: string, barWidth: number) =>
  `#${id} ${label} ${"█".repeat(barWidth)} 100% ${ms.padStart(8)} main`;

Deno.test(
  "dashboard shows the header, mode tabs, idle status, the pending task list and the keys",
  opts,
  async () => {
    const d = mount();
    await d.until(/idle/);
    assertEquals(d.frame().split("\n").slice(0, 8), [
      "conc101 · cpu · 4 tasks, n=2,000+x",
      TABS,
      "idle",
      "no run yet: press Enter to run the selected mode, a for all five",
      pendingBar(0, "n=2000", 62),
      pendingBar(1, "n=2001", 62),
      pendingBar(2, "n=2002", 62),
      pendingBar(3, "n=2003", 62),
    ]);
    assertEquals(d.frame().split("\n").at(-1), KEYS_LINE);
    d.app.unmount();
  },
);

Deno.test(
  "dashboard shows how a pool sends its tasks: --chunk, then what a run did",
  opts,
  async () => {
    const d = mount({ options: { workload: "cpu", tasks: 40, size: 1000, chunk: 5 } });
    await d.until(/idle/);
    assert_(!/chunk/.test(d.frame()), d.frame());
    await d.press("3");
    await d.until(/\[3 workers\] .* lanes \d+ · chunk 5/);
    await d.press(KEYS.enter);
    await d.until(/done: workers/);
    assertMatch(d.frame(), /workers +\d+ +[\d.]+ m?s .* 40\/40 +5$/m);
    d.app.unmount();
    const auto = mount({ options: { workload: "cpu", tasks: 40, size: 1000 } });
    await auto.press("4");
    await auto.until(/\[4 subprocess\] .* lanes \d+ · chunk auto$/m);
    await auto.press(KEYS.enter);
    await auto.until(/done: subprocess/);
    assertMatch(auto.frame(), /lanes \d+ · chunk auto ≤\d+$/m);
    assertMatch(auto.frame(), /subprocess +\d+ +[\d.]+ m?s .* 40\/40 +auto ≤\d+$/m);
    auto.app.unmount();
    await nothingLeft();
  },
);

Deno.test("dashboard selects modes with 1-5, arrows and Tab", opts, async () => {
  await withTimed(async (t) => {
    const tabs = (selected: number) =>
      ["sequential", "async", "workers", "subprocess", "cluster"].map((m, i) =>
        i + 1 === selected ? `[${i + 1} ${m}]` : ` ${i + 1} ${m} `
      ).join(" ") + `  lanes ${selected === 2 ? 3 : selected === 1 ? 1 : 2}` +
      // The pools say how they send tasks.
      (selected === 3 || selected === 4 ? " · chunk auto" : "");
    await t.key("3", 1, tabs(3));
    await t.key(KEYS.right, 1, tabs(4));
    await t.key("\t", 1, tabs(5));
    await t.key("\t", 1, tabs(1));
    await t.key(KEYS.left, 1, tabs(5));
    await t.key("\u001B[Z", 1, tabs(4));
  });
});

Deno.test(
  "dashboard runs a mode and draws its bars, timeline and results exactly, on a fake clock",
  opts,
  async () => {
    await withTimed(async (t) => {
      const idle = [
        "conc101 · timed · 3 timed tasks, the first 100 ms",
        TABS,
        "idle",
        "no run yet: press Enter to run the selected mode, a for all five",
        pendingBar(0, "100 ms", 62),
        pendingBar(1, "200 ms", 62),
        pendingBar(2, "300 ms", 62),
        ...blank(11),
        CPU,
        SEQUENTIAL,
        KEYS_LINE,
      ].join("\n");
      assert_(await waitFor(() => t.frame() === idle), `idle frame:\n${t.frame()}`);
      await t.key(KEYS.enter, 2, "done: sequential in 600 ms · 3 verified");
      // 87 cells for 600 ms: task 0 covers cells 0-14, task 1 14-43, task 2 43-86; a task
      // draws over the cell it shares with the one before.
      const timeline = "█".repeat(14) + "▓".repeat(29) + "█".repeat(44);
      assertEquals(
        t.frame(),
        [
          "conc101 · timed · 3 timed tasks, the first 100 ms",
          TABS,
          "done: sequential in 600 ms · 3 verified",
          doneBar(0, "100 ms", "100 ms", 62),
          doneBar(1, "200 ms", "200 ms", 62),
          doneBar(2, "300 ms", "300 ms", 62),
          ...blank(8),
          "timeline  0 … 600 ms  (one row per lane; each block is a task)",
          `main        ${timeline}`,
          CPU,
          "mode       lanes      wall  speedup  parallel  cores  verified",
          "sequential     1    600 ms    1.00x      1.00   0.00       3/3",
          SEQUENTIAL,
          KEYS_LINE,
        ].join("\n"),
      );
    });
  },
);

Deno.test(
  "dashboard shows a mode that crashed as its run's failure, in the status line",
  opts,
  async () => {
    const removeMode = registerBrokenMode("the pool could not start");
    try {
      await withTimed(async (t) => {
        await t.key(
          "6",
          1,
          TABS.replace("[1 sequential]", " 1 sequential ").replace(
            "5 cluster   lanes 1",
            "5 cluster  [6 broken]  lanes 1",
          ),
        );
        await t.key(KEYS.enter, 2, "failed: broken mode failed: the pool could not start");
      });
    } finally {
      removeMode();
    }
  },
);

Deno.test(
  "dashboard runs workers mode and shows verified bars, lanes and results",
  opts,
  async () => {
    const d = mount();
    await d.press("3");
    await d.press(KEYS.enter);
    await d.until(/done: workers in .* · 4 verified/);
    const f = d.frame();
    assertMatch(f, /#0 +n=2000 +█+ 100% .* worker #\d/);
    assertMatch(f, /timeline/);
    assertMatch(f, /workers +\d+ +[\d.]+ m?s +- +\d\.\d\d +(\d\.\d\d|-) +4\/4/);
    await nothingLeft();
    d.app.unmount();
  },
);

Deno.test(
  "dashboard runs all four modes with a and fills the results with speedups",
  opts,
  async () => {
    const d = mount();
    await d.press("a");
    await d.until(/subprocess +\d+ +[\d.]+ m?s +\d+\.\d\dx\*? /, 15_000);
    const f = d.frame();
    for (const mode of ["sequential", "async", "workers", "subprocess"]) {
      assertMatch(
        f,
        new RegExp(
          `${mode} +\\d+ +[\\d.]+ m?s +\\d+\\.\\d\\dx\\*? +\\d+\\.\\d\\d +(\\d\\.\\d\\d|-) +4/4`,
        ),
      );
    }
    assertMatch(f, /sequential +1 +[\d.]+ m?s +1\.00x/);
    // Then the advice, below the results, within the terminal's 30 rows.
    await d.until(/^advice: .+$/m);
    const lines = d.frame().split("\n");
    assert_(lines.length <= 30, `${lines.length} lines`);
    const at = lines.findIndex((l) => l.startsWith("advice: "));
    assert_(at > lines.findIndex((l) => l.startsWith("subprocess ")), d.frame());
    assertMatch(lines[at + 1], /^ {2}- .*\d/);
    d.app.unmount();
  },
);

Deno.test(
  "dashboard sweeps lanes with s and draws speedup against lanes, then the advice",
  opts,
  async () => {
    const d = mount();
    await d.press("s");
    await d.until(/^speedup against lanes$/m, 30_000);
    await d.until(/^advice: .+$/m);
    const lines = d.frame().split("\n");
    assert_(lines.length <= 30, `${lines.length} lines`);
    assertMatch(d.frame(), /· ideal min\(lanes, \d+ cores\) +a async +w workers +s subprocess/);
    assertMatch(d.frame(), /^ +1 +2 +4 /m);
    await nothingLeft();
    // Any other run puts the task bars back.
    await d.press("r");
    await d.until(/done: sequential/);
    assert_(!/speedup against lanes/.test(d.frame()), d.frame());
    d.app.unmount();
  },
);

Deno.test("dashboard toggles the help panel with ?", opts, async () => {
  const d = mount();
  await d.press("?");
  await d.until(/a pool of Web Workers/);
  assertMatch(d.frame(), /Esc c +cancel the run/);
  await d.press("?");
  await d.until(/no run yet/);
  d.app.unmount();
});

Deno.test("dashboard shows one line when the terminal is too small", opts, async () => {
  const d = mount({ terminalSize: { columns: 59, rows: 30 } });
  await d.until(/terminal too small \(need 60x16\)/);
  assertEquals(d.frame().trim(), "terminal too small (need 60x16)");
  d.app.unmount();
});

Deno.test("dashboard cancels a run with Esc and when the mode changes", opts, async () => {
  // Size 0: each task waits until it is cancelled; the test moves the clock.
  await withTimed(
    async (t) => {
      await t.key(KEYS.enter, 2, "running sequential · 0 ms · 0/3 tasks");
      t.clock.nowMs = 1234;
      await t.settle(2, "running sequential · 1.23 s · 0/3 tasks");
      assertEquals(t.line(3), `#0 0 ms ${" ".repeat(64)}   0%   1.23 s main`);
      await t.key(KEYS.escape, 2, "cancelled: sequential after 1.23 s · 0/3 tasks");
      await t.key(KEYS.enter, 2, "running sequential · 0 ms · 0/3 tasks");
      t.clock.nowMs = 2000;
      await t.key("2", 2, "cancelled: sequential after 766 ms · 0/3 tasks");
      assertEquals(
        t.line(1),
        TABS.replace("[1 sequential]", " 1 sequential ")
          .replace(" 2 async ", "[2 async]").replace("lanes 1", "lanes 3"),
      );
    },
    {},
    0,
  );
});

Deno.test("dashboard changes lanes with + and -", opts, async () => {
  const d = mount({
    initial: { mode: "workers", workload: "cpu", tutorial: false, help: false, lanes: 2 },
  });
  const tabs = (lanes: number) =>
    ` 1 sequential   2 async  [3 workers]  4 subprocess   5 cluster   lanes ${lanes} · chunk auto`;
  await d.until(/lanes 2/);
  assertEquals(d.line(1), tabs(2));
  await d.press("+");
  await d.until(/lanes 3/);
  assertEquals(d.line(1), tabs(3));
  await d.press("-");
  await d.press("-");
  await d.until(/lanes 1/);
  assertEquals(d.line(1), tabs(1));
  d.app.unmount();
});

Deno.test("dashboard toggles the tutorial's exact tasks with t", opts, async () => {
  const d = mount({
    options: { workload: "cpu" },
    calibration: { size: 90_000_000, tasks: 20, targetMs: 6000, predictedMs: 6000 },
  });
  await d.until(/20 tasks, n=90,000,000\+x \(auto: ~6\.0 s sequential predicted\)/);
  assertEquals(
    d.line(0),
    "conc101 · cpu · 20 tasks, n=90,000,000+x (auto: ~6.0 s sequential predicted)",
  );
  await d.press("t");
  await d.until(/20 tasks, n=5,000,000\+x \(tutorial\)/);
  assertEquals(d.line(0), "conc101 · cpu · 20 tasks, n=5,000,000+x (tutorial)");
  d.app.unmount();
});

Deno.test("dashboard quits with q after stopping the run", opts, async () => {
  const d = mount({ options: { workload: "cpu", tasks: 4, size: 2_000_000_000 } });
  await d.press("3");
  await d.press(KEYS.enter);
  await d.until(/running workers/);
  // The run's workers are threads of this process: seen now, so their absence later counts.
  assert_(await waitFor(async () => await workerThreads(Deno.pid) > 0), "no worker was seen");
  await d.press("q");
  assert_(await waitFor(() => d.quits() === 1));
  assertEquals(d.codes, [0]);
  await nothingLeft();
  d.app.unmount();
});

Deno.test("dashboard quits with code 130 on Ctrl-C mid-run", opts, async () => {
  const d = mount({ options: { workload: "cpu", tasks: 4, size: 2_000_000_000 } });
  await d.press(KEYS.enter);
  await d.until(/running sequential/);
  await d.press("\x03");
  assert_(await waitFor(() => d.quits() === 1));
  assertEquals(d.codes, [130]);
  d.app.unmount();
});

for (const chunk of ["3\r", "3r"]) {
  Deno.test(
    `dashboard handles every key of one read, in order (${JSON.stringify(chunk)})`,
    opts,
    async () => {
      const d = mount();
      await d.until(/idle/);
      await d.press(chunk);
      await d.until(/done: workers in .* · 4 verified/);
      d.app.unmount();
    },
  );
}

Deno.test("dashboard calibrates the task size after its first frame", opts, async () => {
  let calls = 0;
  const d = mount({
    options: { workload: "cpu" },
    calibrate: (workload, tasks) => {
      calls++;
      assertEquals([workload.name, tasks], ["cpu", 20]);
      return { size: 123_400_000, tasks, targetMs: 6000, predictedMs: 5900 };
    },
  });
  assertEquals(d.line(0), "conc101 · cpu · calibrating the task size…");
  await d.until(/20 tasks, n=123,400,000\+x \(auto: ~5\.9 s sequential predicted\)/);
  assertEquals(
    d.line(0),
    "conc101 · cpu · 20 tasks, n=123,400,000+x (auto: ~5.9 s sequential predicted)",
  );
  assertEquals(calls, 1);
  d.app.unmount();
});

Deno.test(
  "dashboard shows what the sequential run really took beside the prediction, and keeps the size when it was right",
  opts,
  async () => {
    // 1,000 + 2,000 + 3,000 ms: the target to the millisecond.
    await withTimed(async (t) => {
      const head = "conc101 · timed · 3 timed tasks, the first 1000 ms";
      await t.settle(0, `${head} (auto: ~6.0 s sequential predicted)`);
      await t.key(KEYS.enter, 2, "done: sequential in 6.00 s · 3 verified");
      assertEquals(t.line(0), `${head} (auto: sequential took 6.0 s, ~6.0 s sequential predicted)`);
      // Runs end at once here: the clock shows that the second one has run.
      t.app.stdin.write("r");
      assert_(await waitFor(() => t.clock.nowMs === 12_000), "no second run");
      await t.settle(2, "done: sequential in 6.00 s · 3 verified");
      assertEquals(t.line(0), `${head} (auto: sequential took 6.0 s, ~6.0 s sequential predicted)`);
    }, {
      options: { workload: "timed" },
      calibration: { size: 1000, tasks: 3, targetMs: 6000, predictedMs: 6000 },
      terminalSize: { columns: 160, rows: 22 },
    });
  },
);

Deno.test(
  "dashboard re-sizes a calibrated task list the first sequential run measured off by more than 25 %",
  opts,
  async () => {
    // Calibrated at 400: 400 + 800 + 1,200 ms is 2.4 s against a 6 s target.
    await withTimed(async (t) => {
      await t.settle(
        0,
        "conc101 · timed · 3 timed tasks, the first 400 ms (auto: ~6.0 s sequential predicted)",
      );
      await t.key(KEYS.enter, 2, "done: sequential in 2.40 s · 3 verified");
      assertEquals(
        t.line(0),
        "conc101 · timed · 3 timed tasks, the first 400 ms (auto: sequential took 2.4 s, ~6.0 s was " +
          "the target: the next run is re-sized to 1,000 (~6.0 s))",
      );
      // The next run has the new size: 1,000 + 2,000 + 3,000 ms.
      t.app.stdin.write("r");
      assert_(await waitFor(() => t.clock.nowMs === 2400 + 6000), "no second run");
      await t.settle(2, "done: sequential in 6.00 s · 3 verified");
      assertEquals(
        t.line(0),
        "conc101 · timed · 3 timed tasks, the first 1000 ms (auto: sequential took 6.0 s, ~6.0 s " +
          "sequential predicted, re-sized from 400, where sequential took 2.4 s)",
      );
    }, {
      options: { workload: "timed" },
      calibration: { size: 400, tasks: 3, targetMs: 6000, predictedMs: 6000 },
      terminalSize: { columns: 160, rows: 22 },
    });
  },
);

Deno.test("dashboard says in its status line why a run cannot start", opts, async () => {
  const d = mount({
    initial: { mode: "workers", workload: "cpu", tutorial: false, help: false, lanes: 100 },
  });
  await d.press(KEYS.enter);
  await d.until(/failed: --lanes must be from 1 to 64 for workers mode/);
  assertEquals(
    d.line(2),
    "failed: --lanes must be from 1 to 64 for workers mode (it starts one thread each), got 100",
  );
  d.app.unmount();
});

Deno.test("dashboard marks a speedup above the core count as measurement noise", opts, () => {
  const run = (mode: string, wallMs: number): RunResult => ({
    mode,
    workload: "cpu",
    lanes: 1,
    status: "done",
    wallMs,
    parallelism: 1,
    verifiedCount: 1,
    tasks: [{ id: 0, input: {}, label: "n=1", verified: true }],
  });
  const { lastFrame, unmount } = render(
    <Results
      results={[run("sequential", 900), run("workers", 100)]}
      mode="workers"
      cores={2}
      theme={themeFor(false)}
    />,
  );
  assertMatch(lastFrame() ?? "", /workers +1 +100 ms +9\.00x\* /);
  assertMatch(lastFrame() ?? "", /\* above 2 cores: measurement noise/);
  unmount();
});

Deno.test("the results keep every column aligned at 10,000 tasks", () => {
  const run = (mode: string, wallMs: number, verifiedCount: number): RunResult => ({
    mode,
    workload: "cpu",
    lanes: mode === "async" ? 10_000 : 2,
    status: "done",
    wallMs,
    parallelism: 1.111,
    coresBusy: 1.25,
    verifiedCount,
    tasks: Array.from(
      { length: 10_000 },
      (_, id) => ({ id, input: {}, label: "n", verified: true }),
    ),
  });
  const { lastFrame, unmount } = render(
    <Results
      results={[run("sequential", 1234.5, 10_000), run("async", 99, 10_000), run("workers", 5, 9)]}
      mode="workers"
      cores={64}
      theme={themeFor(false)}
    />,
  );
  const lines = (lastFrame() ?? "").split("\n").slice(0, 4);
  // Each column ends at the same place on every line, and cells never touch.
  const ends = (line: string) =>
    [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => m.index! + m[0].length);
  for (const line of lines) assertEquals(ends(line).slice(1), ends(lines[0]).slice(1), line);
  assertMatch(lines[1], / 1\.11 +1\.25 +10000\/10000$/);
  unmount();
});

Deno.test(
  "dashboard over 10,000 tasks stays within the terminal in every mode, results aligned",
  opts,
  async () => {
    const size = { columns: 80, rows: 16 };
    for (const [key, mode] of [["1", "sequential"], ["2", "async"], ["3", "workers"]]) {
      const d = mount({
        options: { workload: "cpu", tasks: 10_000, size: 1000 },
        terminalSize: size,
      });
      await d.press(key);
      await d.press(KEYS.enter);
      const heights: number[] = [];
      const sampler = setInterval(() => heights.push(d.frame().split("\n").length), 5);
      await d.until(new RegExp(`done: ${mode}`), 30_000);
      clearInterval(sampler);
      heights.push(d.frame().split("\n").length);
      assert_(Math.max(...heights) <= size.rows, `${mode}: ${Math.max(...heights)} lines`);
      const f = d.frame();
      assertMatch(f, new RegExp(`${mode} .* 10000/10000`));
      // Ids as wide as the largest, apart from their labels.
      assertMatch(f, /^#\d{4} n=\d+ /m);
      d.app.unmount();
    }
    await nothingLeft();
  },
);
