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
    for (let lane = 0; lane < slots; lane++) {
      ctx.emit({ type: "lane-up", lane, label: `main:${lane + 1}` });
    }
    const checkpoint = createYielder();
    // Each slot takes the next task when its last one ends: a slot is a loop, not a promise
    // per task, so 10,000 tasks cost 10,000 small frames and nothing more.
    let next = 0;
    const slot = async (lane: number) => {
      while (next < tasks.length && !ctx.signal.aborted) {
        await runOnMain(tasks[next++], lane, ctx, checkpoint);
      }
    };
    // Every slot starts in one wave of microtasks, as p-limit started tasks: each task runs
    // up to its first await before any goes on (a race's `await` variant counts on it).
    const running = Array.from(
      { length: slots },
      (_, lane) => Promise.resolve().then(() => slot(lane)),
    );
    await Promise.all(running);
  },
};
