import { render } from "ink-testing-library";
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { waitFor, waitNoDescendants, workerThreads } from "../helpers.ts";
import { Dashboard, type DashboardProps } from "../../lib/ui/app.tsx";
import { themeFor } from "../../lib/ui/theme.ts";
import { Results } from "../../lib/ui/results.tsx";
import type { RunResult } from "../../lib/run/result.ts";

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
  const press = async (key: string) => {
    app.stdin.write(key);
    await new Promise((r) => setTimeout(r, 30));
  };
  return { app, frame, until, press, quits: () => codes.length, codes };
}

/** No process below this one and no worker thread in it: what the dashboard started is gone. */
async function nothingLeft() {
  assertEquals(await waitNoDescendants(Deno.pid), [], "a child process was left");
  assert_(await waitFor(async () => await workerThreads(Deno.pid) === 0), "a worker was left");
}

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("dashboard shows the header, mode tabs, idle status and the keys", opts, async () => {
  const d = mount();
  await d.until(/idle/);
  assertMatch(d.frame(), /conc101 · cpu · 4 tasks, n=2,000\+x/);
  assertMatch(d.frame(), /\[1 sequential\] +2 async +3 workers +4 subprocess +5 cluster +lanes 1/);
  assertMatch(d.frame(), /Enter r run · a all · w workload/);
  d.app.unmount();
});

Deno.test("dashboard selects modes with 1-5, arrows and Tab", opts, async () => {
  const d = mount();
  await d.press("3");
  await d.until(/\[3 workers\]/);
  await d.press(KEYS.right);
  await d.until(/\[4 subprocess\]/);
  await d.press("\t");
  await d.until(/\[5 cluster\]/);
  await d.press("\t");
  await d.until(/\[1 sequential\]/);
  await d.press(KEYS.left);
  await d.until(/\[5 cluster\]/);
  d.app.unmount();
});

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
  const d = mount({ options: { workload: "cpu", tasks: 4, size: 2_000_000_000 } });
  await d.press(KEYS.enter);
  await d.until(/running sequential/);
  await d.press(KEYS.escape);
  await d.until(/cancelled: sequential/);
  await d.press("3");
  await d.press(KEYS.enter);
  await d.until(/running workers/);
  await d.press("2");
  await d.until(/cancelled: workers/);
  assertMatch(d.frame(), /\[2 async\]/);
  d.app.unmount();
});

Deno.test("dashboard changes lanes with + and -", opts, async () => {
  const d = mount({
    initial: { mode: "workers", workload: "cpu", tutorial: false, help: false, lanes: 2 },
  });
  await d.until(/lanes 2/);
  await d.press("+");
  await d.until(/lanes 3/);
  await d.press("-");
  await d.press("-");
  await d.until(/lanes 1/);
  d.app.unmount();
});

Deno.test("dashboard toggles the tutorial's exact tasks with t", opts, async () => {
  const d = mount({
    options: { workload: "cpu" },
    calibration: { size: 90_000_000, tasks: 20, predictedMs: 6000 },
  });
  await d.until(/20 tasks, n=90,000,000\+x \(auto: ~6\.0 s sequential predicted\)/);
  await d.press("t");
  await d.until(/20 tasks, n=5,000,000\+x \(tutorial\)/);
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
    calibrate: () => {
      calls++;
      return { size: 123_400_000, tasks: 20, predictedMs: 5900 };
    },
  });
  assertMatch(d.frame(), /calibrating the task size…/);
  await d.until(/20 tasks, n=123,400,000\+x \(auto: ~5\.9 s sequential predicted\)/);
  assertEquals(calls, 1);
  d.app.unmount();
});

Deno.test(
  "dashboard shows what the sequential run really took beside the prediction",
  opts,
  async () => {
    const d = mount({
      options: { workload: "cpu", tasks: 4 },
      calibration: { size: 2000, tasks: 4, predictedMs: 6000 },
    });
    await d.until(/4 tasks, n=2,000\+x \(auto: ~6\.0 s sequential predicted\)/);
    await d.press(KEYS.enter);
    await d.until(/\(auto: sequential took \d+ ms, ~6\.0 s sequential predicted\)/);
    d.app.unmount();
  },
);

Deno.test("dashboard says in its status line why a run cannot start", opts, async () => {
  const d = mount({
    initial: { mode: "workers", workload: "cpu", tutorial: false, help: false, lanes: 100 },
  });
  await d.press(KEYS.enter);
  await d.until(/failed: --lanes must be from 1 to 64 for workers mode/);
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
