/** Key 5 runs cluster mode in the real dashboard, with live bars; quitting leaves nothing. */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { descendants, type Proc, waitFor, waitGone, watchTree } from "../helpers.ts";
import { E2E, TmuxDashboard } from "./tmux_driver.ts";

Deno.test({
  name: "e2e: key 5 runs cluster in the dashboard with live bars, then q leaves nothing running",
  ...E2E,
  async fn() {
    const d = new TmuxDashboard();
    try {
      await d.start(["--tasks", "6", "--size", "300000000", "--lanes", "2"]);
      await d.until(/idle/);
      const dash = await d.dashboard();
      const watch = watchTree(dash.pid);
      await d.press("5");
      await d.until(/\[5 cluster\]/);
      await d.press("Enter");
      await d.until(/running cluster/);
      // A bar part way, on a worker lane (host:pid): the bars move while the workers run.
      const live = await d.until(/\b([1-9]|[1-9]\d)%[^\n]*:\d+/, 30_000);
      assertMatch(live, /running cluster/);
      const done = await d.until(/done: cluster in .* · 6 verified/, 60_000);
      assertMatch(done, /cluster +\d+ +[\d.]+ m?s .* 6\/6/);
      await d.press("q");
      await d.until(/EXITED:0\s+icanon/);
      const started = await watch.stop();
      assert_(started.some((p) => /redis-server/.test(p.args)), "no redis-server was started");
      assertEquals(started.filter((p) => /main\.ts worker/.test(p.args)).length, 2);
      assertEquals(await waitGone(started), [], "a process was left");
    } finally {
      await d.close();
    }
  },
});

Deno.test({
  name: "e2e: Ctrl-C mid-run in cluster mode exits 130 and stops redis-server and the workers",
  ...E2E,
  async fn() {
    const d = new TmuxDashboard();
    try {
      await d.start(["--mode", "cluster", "--tasks", "6", "--size", "2000000000", "--lanes", "2"]);
      await d.until(/idle/);
      const dash = await d.dashboard();
      const watch = watchTree(dash.pid);
      await d.press("Enter");
      let seen: Proc[] = [];
      await waitFor(async () => {
        seen = await descendants(dash.pid);
        return seen.filter((p) => /main\.ts worker/.test(p.args)).length === 2;
      }, 30_000);
      await d.until(/running cluster[^]*:\d+/, 30_000);
      await d.keys("C-c");
      await d.until(/EXITED:130\s+icanon/, 10_000);
      const started = await watch.stop();
      assert_(started.some((p) => /redis-server/.test(p.args)), "no redis-server was started");
      assertEquals(await waitGone(started), [], "a process was left");
    } finally {
      await d.close();
    }
  },
});
