/**
 * Drives the real dashboard in tmux, as a person would: keys in, screen out. A missing tmux
 * fails these tests unless CONC101_NO_TMUX=1 (see `tmux_driver.ts`); `.ci/run` installs it.
 */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import {
  childLanes,
  stillRunning,
  waitFor,
  waitGone,
  watchTree,
  workerThreads,
} from "../helpers.ts";
import { E2E, TmuxDashboard } from "./tmux_driver.ts";

// A fresh tmux server for each test: reusing one that is still shutting down races.
let d = new TmuxDashboard();
const tmux = (...args: string[]) => d.tmux(...args);
const screen = () => d.screen();
const press = (key: string) => d.press(key);
const dashboard = () => d.dashboard();
const until = (pattern: RegExp, ms?: number) => d.until(pattern, ms);

function startDashboard(extra: string[]): Promise<void> {
  d = new TmuxDashboard();
  return d.start(extra);
}

/** Tests that drive tmux; every one cleans up its own tmux server. */
const e2e = E2E;

Deno.test({
  name: "e2e: the dashboard in tmux switches modes, runs workers, shows results and quits clean",
  ...e2e,
  async fn() {
    try {
      await startDashboard(["--tasks", "6", "--size", "3000000"]);
      await until(/idle/);
      const dash = await dashboard();
      await press("2");
      await until(/\[2 async\]/);
      await press("3");
      await until(/\[3 workers\]/);
      await press("Enter");
      const done = await until(/done: workers in .* · 6 verified/);
      assertMatch(done, /workers +\d+ +[\d.]+ m?s .* 6\/6/);
      assertMatch(done, /worker #\d/);
      // Workers are threads of the dashboard's process: they end with the run.
      assert_(await waitFor(async () => await workerThreads(dash.pid) === 0), "a worker was left");
      const watch = watchTree(dash.pid);
      await press("q");
      const after = await until(/EXITED:0/);
      // Raw mode is off again (icanon, not -icanon) and the cursor is visible.
      await until(/EXITED:0\s+icanon/);
      assertMatch((await tmux("display", "-p", "-t", "e2e", "#{cursor_flag}")).trim(), /^1$/);
      assert_(!/conc101 ·/.test(after.split("EXITED")[1] ?? ""), after);
      assertEquals(await waitGone(await watch.stop()), [], "a process was left");
    } finally {
      await tmux("kill-server");
    }
  },
});

const STOPS: [string, "C-c" | "SIGTERM" | "q"][] = [
  ["sequential", "C-c"],
  ["async", "SIGTERM"],
  ["workers", "C-c"],
  ["subprocess", "SIGTERM"],
  ["workers", "SIGTERM"],
  ["subprocess", "C-c"],
  ["sequential", "q"],
  ["async", "q"],
  ["workers", "q"],
  ["subprocess", "q"],
];

for (const [mode, stop] of STOPS) {
  Deno.test({
    name: `e2e: ${
      stop === "C-c" ? "Ctrl-C" : stop
    } mid-run in ${mode} mode ends every worker and child and restores the terminal`,
    ...e2e,
    async fn() {
      try {
        await startDashboard([
          "--mode",
          mode,
          "--tasks",
          "4",
          "--size",
          "2000000000",
          "--lanes",
          "2",
        ]);
        await until(/idle/);
        const dash = await dashboard();
        await press("Enter");
        await until(new RegExp(`running ${mode}`));
        if (mode === "subprocess") {
          assert_(await waitFor(async () => (await childLanes(dash.pid)).length === 2, 5000));
        }
        if (mode === "workers") {
          assert_(await waitFor(async () => await workerThreads(dash.pid) === 2, 5000));
        }
        await new Promise((r) => setTimeout(r, 300));
        // Everything that appears below the dashboard from now on must end with it.
        const watch = watchTree(dash.pid);
        const t0 = performance.now();
        if (stop === "SIGTERM") {
          await new Deno.Command("kill", { args: ["-TERM", String(dash.pid)] }).output();
        } else {
          await tmux("send-keys", "-t", "e2e", stop);
        }
        // Interrupted, not quit: 130 as for the headless commands; q is a plain quit.
        await until(new RegExp(`EXITED:${stop === "q" ? 0 : 130}\\s+icanon`), 5000);
        assert_(performance.now() - t0 < 2500, `took ${performance.now() - t0} ms`);
        assertMatch((await tmux("display", "-p", "-t", "e2e", "#{cursor_flag}")).trim(), /^1$/);
        assertEquals(await waitGone(await watch.stop(), 2000), [], "a child was left");
        assertEquals(await stillRunning([dash]), []);
      } finally {
        await tmux("kill-server");
      }
    },
  });
}

Deno.test({
  name: "e2e: the dashboard follows a resize and says when the terminal is too small",
  ...e2e,
  async fn() {
    try {
      await startDashboard(["--tasks", "4", "--size", "1000"]);
      await until(/idle/);
      await tmux("resize-window", "-t", "e2e", "-x", "50", "-y", "20");
      await until(/terminal too small \(need 60x16\)/);
      await tmux("resize-window", "-t", "e2e", "-x", "100", "-y", "30");
      await until(/idle/);
      await press("q");
      await until(/EXITED:0/);
    } finally {
      await tmux("kill-server");
    }
  },
});

Deno.test({
  name:
    "e2e: w switches to the I/O workload, whose run shows byte bars labelled by path, the host in the header",
  ...e2e,
  async fn() {
    try {
      await startDashboard(["--tasks", "6", "--size", "1000"]);
      await until(/idle/);
      const dash = await dashboard();
      await press("w");
      const pending = await until(/conc101 · io · 6 downloads of 16 KB, 100±10 ms, local server/);
      // The task list before any run: pending bars, labelled by path.
      for (let id = 0; id < 6; id++) assertMatch(pending, new RegExp(`#${id} +/page/${id} +0%`));
      await press("3");
      await press("Enter");
      const done = await until(/done: workers in .* · 6 verified/);
      assertMatch(
        done,
        /conc101 · io · 6 downloads of 16 KB, 100±10 ms, local server · 127\.0\.0\.1:\d+/,
      );
      for (let id = 0; id < 6; id++) {
        assertMatch(done, new RegExp(`#${id} +/page/${id} +█+ 100% .* worker #\\d`));
      }
      assertMatch(done, /workers +\d+ +[\d.]+ m?s .* 6\/6/);
      // The run's workers and the local server's worker are gone once the run is done.
      assert_(await waitFor(async () => await workerThreads(dash.pid) === 0), "a worker was left");
      await press("q");
      await until(/EXITED:0/);
    } finally {
      await tmux("kill-server");
    }
  },
});

Deno.test({
  name: "e2e: t and w during a run cancel it and end its workers and children",
  ...e2e,
  async fn() {
    try {
      // No --size: the calibrated tasks (~6 s sequential) run long enough to be interrupted.
      await startDashboard(["--mode", "workers", "--lanes", "2"]);
      await until(/auto: ~[\d.]+ s sequential predicted/);
      const dash = await dashboard();
      await press("Enter");
      await until(/running workers/);
      assert_(await waitFor(async () => await workerThreads(dash.pid) === 2, 5000));
      await press("t");
      await until(/20 tasks, n=5,000,000\+x \(tutorial\)/);
      assert_(
        await waitFor(async () => await workerThreads(dash.pid) === 0, 1000),
        "workers ran on",
      );
      assert_(!/running/.test(await screen()), await screen());

      await press("t");
      assert_(await waitFor(async () => !/\(tutorial\)/.test(await screen())), await screen());
      await press("4");
      await press("Enter");
      await until(/running subprocess/);
      assert_(await waitFor(async () => (await childLanes(dash.pid)).length === 2, 5000));
      const watch = watchTree(dash.pid);
      await press("w");
      await until(/conc101 · io ·/);
      assertEquals(await waitGone(await watch.stop(), 2000), [], "a child was left");
      assert_(!/running/.test(await screen()), await screen());
      await press("q");
      await until(/EXITED:0/);
    } finally {
      await tmux("kill-server");
    }
  },
});

for (const stop of ["Escape", "q"]) {
  Deno.test({
    name: `e2e: ${
      stop === "q" ? "q" : "Esc"
    } part-way through a, all modes, skips the modes left and leaves nothing running`,
    ...e2e,
    async fn() {
      try {
        // Sizes that keep the workers, the third mode, busy for a second or more.
        await startDashboard(["--tasks", "4", "--size", "400000000", "--lanes", "2"]);
        await until(/idle/);
        const dash = await dashboard();
        // Everything the dashboard starts from here on is noted, to be checked at the end.
        const watch = watchTree(dash.pid);
        await press("a");
        await until(/running workers/, 60_000);
        assert_(await waitFor(async () => await workerThreads(dash.pid) === 2, 5000));
        await press(stop);
        if (stop === "q") {
          await until(/EXITED:0/, 5000);
        } else {
          await until(/cancelled: workers/, 5000);
          assert_(await waitFor(async () => await workerThreads(dash.pid) === 0, 1000));
          // Subprocess, the mode after workers, never starts.
          await new Promise((r) => setTimeout(r, 1500));
          const after = await screen();
          assert_(!/running subprocess|subprocess +\d+ +[\d.]+ m?s/.test(after), after);
          assertMatch(after, /sequential +\d+ +[\d.]+ m?s .* 4\/4/);
          assertMatch(after, /async +\d+ +[\d.]+ m?s .* 4\/4/);
        }
        const seen = await watch.stop();
        assertEquals(seen.filter((p) => /\bchild\b/.test(p.args)), [], "subprocess mode started");
        assertEquals(await waitGone(seen), []);
        if (stop === "Escape") {
          await press("q");
          await until(/EXITED:0/);
        }
      } finally {
        await tmux("kill-server");
      }
    },
  });
}

Deno.test({
  name: "e2e: results are cleared when the task list changes",
  ...e2e,
  async fn() {
    try {
      await startDashboard(["--tasks", "4", "--size", "1000"]);
      await until(/idle/);
      // A key seen on screen first: input is being read before the run is asked for.
      await press("2");
      await until(/\[2 async\]/);
      await press("1");
      await until(/\[1 sequential\]/);
      await press("Enter");
      await until(/sequential +1 +[\d.]+ m?s .* 4\/4/);
      // The I/O workload is another task list: the CPU results are not its results.
      await press("w");
      await until(/conc101 · io/);
      await until(/no run yet/);
      assert_(!/sequential +\d+ +[\d.]+ m?s/.test(await screen()), await screen());
      await press("2");
      await press("Enter");
      await until(/async +\d+ +[\d.]+ m?s .* 4\/4/);
      // Back on the CPU tasks (past race: `w` cycles cpu, io, race), the sequential run was of
      // a list since replaced.
      await press("w");
      await until(/conc101 · race/);
      await press("w");
      await until(/conc101 · cpu/);
      await until(/no run yet/);
      const back = await screen();
      assert_(!/(sequential|async) +\d+ +[\d.]+ m?s/.test(back), back);
      await press("q");
      await until(/EXITED:0/);
    } finally {
      await tmux("kill-server");
    }
  },
});

Deno.test({
  name: "e2e: a resize during a run never makes the frame taller than the terminal",
  ...e2e,
  async fn() {
    try {
      await startDashboard([
        "--mode",
        "workers",
        "--tasks",
        "40",
        "--size",
        "2000000000",
        "--lanes",
        "2",
      ]);
      await until(/idle/);
      await press("Enter");
      await until(/running workers/);
      // A frame taller than the pane would push the header off the top line. (tmux's history
      // is no measure: shrinking reflows the old frame's lines into it.)
      let looks = 0;
      for (const [x, y] of [["70", "18"], ["110", "40"], ["62", "16"], ["100", "24"]]) {
        await tmux("resize-window", "-t", "e2e", "-x", x, "-y", y);
        // The first frame drawn at the new size: header on top, keys at the bottom.
        await until(/^conc101 · cpu[^]*\n1-5 mode[^\n]*\n*$/, 5000);
        const end = Date.now() + 1000;
        while (Date.now() < end) {
          const lines = (await screen()).split("\n");
          assertEquals(lines.length <= Number(y) + 1, true);
          assertMatch(lines[0], /^conc101 · cpu/, `at ${x}x${y}:\n${lines.join("\n")}`);
          if (/running workers/.test(lines.join("\n"))) looks++;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      assert_(looks > 0, "the run was never seen after a resize");
      await press("q");
      await until(/EXITED:0/);
    } finally {
      await tmux("kill-server");
    }
  },
});

Deno.test({
  name: "e2e: w reaches the race workload; the dashboard shows the counter and the lost updates",
  ...e2e,
  async fn() {
    try {
      await startDashboard([
        "--workload",
        "race",
        "--size",
        "1000000",
        "--update",
        "await",
        "--mode",
        "async",
      ]);
      await until(/idle/);
      // `w` cycles through the built-ins, leaving race's flags behind and finding them again.
      for (const next of ["cpu", "io", "race"]) {
        await press("w");
        await until(new RegExp(`conc101 · ${next} ·`));
      }
      await press("Enter");
      // While it runs: the counter (actual) ticks beside the expected total.
      await until(/running async[\s\S]*expected 4,000,000 · actual [\d,]+/);
      const done = await until(/done: async/);
      // Four tasks under way at once: each round of turns adds 1, as the line predicts.
      assertMatch(done, /expected 4,000,000 · actual 1,000,000 · lost 3,000,000 \(75\.00 %\)/);
      assertMatch(done, /async +4 .* 4\/4 +lost 3,000,000 \(75\.00 %\)/);
      assertMatch(done, /a round of turns adds 1: predicted 1,000,000/);
      await press("1");
      await press("Enter");
      const exact = await until(/done: sequential/);
      assertMatch(exact, /sequential +1 .* 4\/4 +lost 0 \(0\.00 %\)/);
      await press("q");
      await until(/EXITED:0/);
    } finally {
      await tmux("kill-server");
    }
  },
});
