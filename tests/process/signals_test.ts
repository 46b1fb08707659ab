/**
 * SIGINT and SIGTERM sent to the headless program mid-run, in every mode: it stops within
 * 2 s, prints what finished, exits 130, and leaves no child process behind.
 */
import { assert_, assertEquals } from "../assert.ts";
import {
  childLanes,
  descendants,
  longRun,
  mainCommand,
  waitFor,
  waitGone,
  workerThreads,
} from "../helpers.ts";
import { defaultModeNames } from "../../lib/modes/mod.ts";

const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];

defaultModeNames().forEach((mode, i) => {
  const signal = signals[i % 2];
  const other = signals[(i + 1) % 2];
  for (const sig of [signal, other]) {
    Deno.test(`${sig} mid-run in ${mode} mode: exit 130 within 2 s, results printed, no child left`, async () => {
      const child = mainCommand(longRun(mode)).spawn();
      // Wait until the run is under way: its children or worker threads up, else a short while.
      if (mode === "subprocess") {
        assert_(await waitFor(async () => (await childLanes(child.pid)).length >= 2, 10_000));
      } else if (mode === "workers") {
        assert_(await waitFor(async () => await workerThreads(child.pid) >= 2, 10_000));
      } else {
        await new Promise((r) => setTimeout(r, 700));
      }
      // Once the program exits its orphans would leave its tree: note them now.
      const started = await descendants(child.pid);
      const t0 = performance.now();
      child.kill(sig);
      const out = await child.output();
      const took = performance.now() - t0;
      assert_(took < 2000, `took ${took} ms`);
      assertEquals(out.code, 130, new TextDecoder().decode(out.stderr));
      const result = JSON.parse(new TextDecoder().decode(out.stdout));
      assertEquals(result.status, "cancelled");
      assertEquals(result.tasks.length, 6);
      assertEquals(await waitGone(started, 2000), [], "a child was left");
    });
  }
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`a second ${signal} exits at once with 130 while the first is still cleaning up`, async () => {
    const fixture = new URL("./second_signal_fixture.ts", import.meta.url).pathname;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-read=.", fixture],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    const untilSeen = async (text: string) => {
      while (!seen.includes(text)) {
        const { value, done } = await lines.read();
        if (done) break;
        seen += value;
      }
      assert_(seen.includes(text), `never printed ${text}: ${seen}`);
    };
    await untilSeen("ready");
    child.kill(signal);
    await untilSeen("cancelling");
    // The first signal only cancels: the process is still there.
    const early = await Promise.race([
      child.status.then(() => "exited"),
      new Promise((r) => setTimeout(() => r("running"), 300)),
    ]);
    assertEquals(early, "running");
    const t0 = performance.now();
    child.kill(signal);
    const status = await child.status;
    assertEquals(status.code, 130);
    assert_(performance.now() - t0 < 1000, `took ${performance.now() - t0} ms`);
    lines.releaseLock();
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel();
  });
}
