/**
 * Soak: all four modes, 50 times each in one process. Memory settles and every resource
 * (file descriptors, child processes, workers) is given back.
 */
import { assert_, assertEquals } from "./assert.ts";
import { waitFor, waitNoDescendants, workerThreads } from "./helpers.ts";
import { trackedCount } from "../lib/process/cleanup.ts";
import { defaultModeNames } from "../lib/modes/mod.ts";

import { runWorkload } from "../lib/run/runner.ts";
import { cpuTasks, cpuWorkload } from "../lib/workloads/cpu/workload.ts";
import type { Workload } from "../lib/workloads/types.ts";

async function openFds(): Promise<number> {
  // Deno asks for --allow-all to read /proc directly; a shell may.
  const out = await new Deno.Command("sh", {
    args: ["-c", `ls /proc/${Deno.pid}/fd | wc -l`],
    stdout: "piped",
  })
    .output();
  return Number(new TextDecoder().decode(out.stdout).trim());
}

Deno.test({
  name: "soak: 50 rounds of all four modes keep memory within 20 % and give every resource back",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const tasks = cpuTasks({ tasks: 4, size: 20_000 });
    const threadsBefore = await workerThreads(Deno.pid);
    let fdsBefore = 0;
    let rssAfterFifth = 0;
    for (let round = 1; round <= 50; round++) {
      for (const mode of defaultModeNames()) {
        const state = await runWorkload({
          mode,
          workload: cpuWorkload as Workload,
          tasks,
          lanes: 2,
        });
        assertEquals(state.status, "done");
      }
      // The first round opens a few handles the runtime keeps for good (its child-process
      // watcher, the worker thread pool); the count that matters is the one after it.
      if (round === 1) fdsBefore = await openFds();
      if (round === 5) rssAfterFifth = Deno.memoryUsage().rss;
    }
    const rssAfterLast = Deno.memoryUsage().rss;
    assert_(
      rssAfterLast <= rssAfterFifth * 1.2,
      `resident memory grew from ${rssAfterFifth} to ${rssAfterLast} bytes`,
    );
    assertEquals(trackedCount(), 0);
    assertEquals(await waitNoDescendants(Deno.pid), []);
    // Worker threads do not show in the process tree; count this process's threads instead.
    const threadsAfter = await waitFor(async () => await workerThreads(Deno.pid) <= threadsBefore);
    assert_(
      threadsAfter,
      `worker threads went from ${threadsBefore} to ${await workerThreads(Deno.pid)}`,
    );
    // Closed pipes and worker channels can take a moment to be released.
    let fds = await openFds();
    for (let i = 0; i < 20 && fds > fdsBefore; i++) {
      await new Promise((r) => setTimeout(r, 50));
      fds = await openFds();
    }
    assert_(fds <= fdsBefore, `open file descriptors went from ${fdsBefore} to ${fds}`);
  },
});
