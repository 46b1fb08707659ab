import { childPermissions } from "../lanes/permissions.ts";
import { runLanePool } from "../lanes/lane_pool.ts";
import { startChildLane } from "../lanes/process_lane.ts";
import type { Mode } from "./types.ts";

/** A pool of child processes: separate programs, so CPU work uses every core. */
export const subprocessMode: Mode = {
  name: "subprocess",
  parallel: true,
  switching: "no switching needed: each child is a process on its own core; all cores",
  run: (tasks, ctx) =>
    runLanePool(
      tasks,
      ctx,
      (_index, callbacks) =>
        startChildLane(callbacks, childPermissions(ctx.netHosts), ctx.perLane, ctx.netHosts),
    ),
};
