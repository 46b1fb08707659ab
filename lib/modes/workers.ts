import { runLanePool } from "../lanes/lane_pool.ts";
import { startWorkerLane } from "../lanes/thread_lane.ts";
import type { Mode } from "./types.ts";

/** A pool of Web Workers: real threads, so CPU work uses every core. */
export const workersMode: Mode = {
  name: "workers",
  parallel: true,
  switching: "no switching needed: each worker is an OS thread on its own core; all cores",
  run: (tasks, ctx) =>
    runLanePool(
      tasks,
      ctx,
      (index, callbacks) => startWorkerLane(index, callbacks, ctx.perLane, ctx.netHosts),
    ),
};
