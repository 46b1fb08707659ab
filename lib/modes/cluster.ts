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
  async run(tasks, ctx) {
    // Loaded on demand: no other mode pays for BullMQ.
    const { runOnQueue } = await import("../cluster/queue_run.ts");
    await runOnQueue(tasks, ctx, ctx.cluster ?? { localWorkers: ctx.lanes });
  },
};
