import { createYielder, runOnMain } from "./main_thread.ts";
import type { Mode } from "./types.ts";

/** One task after another on the main thread: the baseline every speedup is measured against. */
export const sequentialMode: Mode = {
  name: "sequential",
  parallel: false,
  local: true,
  baseline: true,
  switching: "no switching: each task runs to the end before the next starts; 1 core",
  help: ["one task after another on the main thread: the baseline."],
  laneKind: "main",
  defaultLanes: () => 1,
  lanesFor: () => 1,
  async run(tasks, ctx) {
    ctx.emit({ type: "lane-up", lane: 0, label: "main" });
    const checkpoint = createYielder();
    for (const task of tasks) {
      if (ctx.signal.aborted) return;
      await runOnMain(task, 0, ctx, checkpoint);
    }
  },
};
