import { checkCluster, checkTravels } from "../cluster/check.ts";
import { POOL_MAX_LANES } from "./pool_lanes.ts";
import type { Mode } from "./types.ts";

/**
 * Tasks as jobs on a BullMQ queue in Redis, run by `conc101 worker` processes on this machine
 * or any other: what one outgrows multiprocessing for, at the cost of a network hop and
 * serialisation per task. Without `--redis`, a private redis-server and `--lanes` local
 * workers make it run out of the box.
 */
export const clusterMode: Mode = {
  name: "cluster",
  parallel: true,
  switching: "no switching needed: each worker is a process, here or on another machine; " +
    "a queue in Redis hands out the tasks",
  help: ["a queue in Redis and conc101 workers on any machine: a hop per task."],
  // Needs Redis: compare and `a` leave it out unless asked (--redis, --mode cluster, key).
  local: false,
  laneKind: "process",
  // Local workers: one a core, within the pool limit.
  defaultLanes: ({ cores }) => Math.min(cores, POOL_MAX_LANES),
  maxLanes: POOL_MAX_LANES,
  // Without --redis it starts its own workers here; with it, only those --lanes asks for.
  checkReady: ({ redis, lanes, workload }) => {
    checkTravels(workload); // race: its tasks share one counter in memory, jobs share nothing
    return checkCluster(redis, redis === undefined ? 1 : lanes ?? 0);
  },
  async run(tasks, ctx) {
    // Loaded on demand: no other mode pays for BullMQ.
    const { runOnQueue } = await import("../cluster/queue_run.ts");
    await runOnQueue(
      tasks,
      ctx,
      ctx.cluster ?? {
        redis: ctx.redis,
        // With a Redis of their own, workers run elsewhere unless --lanes asks for some here.
        localWorkers: ctx.redis === undefined ? ctx.lanes : ctx.lanesAsked ?? 0,
      },
    );
  },
};
