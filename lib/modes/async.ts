import { forEachLimited } from "../process/concurrency.ts";
import { createYielder, runOnMain } from "./main_thread.ts";
import type { Mode } from "./types.ts";

/**
 * Cooperative tasks on the event loop: all start at once (or `lanes` at a time) and take turns
 * at their checkpoints. One thread, so CPU work takes as long as sequential; waits overlap.
 */
export const asyncMode: Mode = {
  name: "async",
  parallel: false,
  local: true,
  switching: "the tasks decide: each gives up the thread at its await points; 1 core",
  help: [
    "all tasks take turns on the main thread, switching only where they await;",
    "waits overlap, computation does not: one core.",
  ],
  laneKind: "main",
  // Main-thread slots cost almost nothing: one a task, unless limited.
  defaultLanes: ({ tasks }) => Math.max(1, tasks),
  lanesFor: (asked, { tasks }) => Math.max(1, Math.min(asked, tasks)),
  async run(tasks, ctx) {
    const slots = Math.min(ctx.lanes, Math.max(1, tasks.length));
    const free = Array.from({ length: slots }, (_, i) => slots - 1 - i);
    for (let lane = 0; lane < slots; lane++) {
      ctx.emit({ type: "lane-up", lane, label: `main:${lane + 1}` });
    }
    const checkpoint = createYielder();
    await forEachLimited(tasks, slots, async (task) => {
      const lane = free.pop()!;
      try {
        await runOnMain(task, lane, ctx, checkpoint);
      } finally {
        free.push(lane);
      }
    });
  },
};
