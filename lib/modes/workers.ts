import { missingGrant, UsageError } from "../cli/errors.ts";
import { runLanePool } from "../lanes/lane_pool.ts";
import { moduleGrants } from "../workloads/module.ts";
import { startWorkerLane, TASK_WORKER_URL } from "../lanes/thread_lane.ts";
import { POOL_MAX_LANES, poolDefaultLanes } from "./pool_lanes.ts";
import type { Mode } from "./types.ts";

/** A pool of Web Workers: real threads, so CPU work uses every core. */
export const workersMode: Mode = {
  name: "workers",
  parallel: true,
  local: true,
  switching: "no switching needed: each worker is an OS thread on its own core; all cores",
  help: ["a pool of Web Workers, each an isolate on its own OS thread: all cores."],
  chunked: true,
  laneKind: "thread",
  defaultLanes: poolDefaultLanes,
  maxLanes: POOL_MAX_LANES,
  checkPermissions() {
    // A compiled binary carries its modules.
    if (Deno.build.standalone) return;
    const path = TASK_WORKER_URL.pathname;
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
      const dir = new URL("../../", import.meta.url).pathname;
      throw new UsageError(`workers mode loads ${path}: ${missingGrant(`--allow-read=${dir}`)}`);
    }
  },
  run: (tasks, ctx) =>
    runLanePool(
      tasks,
      ctx,
      (index, callbacks) =>
        startWorkerLane(index, callbacks, ctx.perLane, ctx.netHosts, moduleGrants(ctx.workload)),
    ),
};
