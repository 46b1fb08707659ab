import { missingGrant, UsageError } from "../cli/errors.ts";
import { childPermissions } from "../lanes/permissions.ts";
import { moduleGrants } from "../workloads/module.ts";
import { runLanePool } from "../lanes/lane_pool.ts";
import { startChildLane } from "../lanes/process_lane.ts";
import { POOL_MAX_LANES, poolDefaultLanes } from "./pool_lanes.ts";
import type { Mode } from "./types.ts";

/** A pool of child processes: separate programs, so CPU work uses every core. */
export const subprocessMode: Mode = {
  name: "subprocess",
  parallel: true,
  local: true,
  switching: "no switching needed: each child is a process on its own core; all cores",
  help: ["a pool of child processes of this program: all cores, more start-up."],
  chunked: true,
  laneKind: "process",
  defaultLanes: poolDefaultLanes,
  maxLanes: POOL_MAX_LANES,
  checkPermissions(netHosts) {
    // A compiled binary carries its modules; it still needs leave to start itself again.
    const command = Deno.execPath();
    if (Deno.permissions.querySync({ name: "run", command }).state !== "granted") {
      throw new UsageError(
        Deno.build.standalone
          ? `subprocess mode starts this binary again (${command}), but it may start only ` +
            `conc101 on the PATH or the file it was built as: put it on the PATH as conc101`
          : `subprocess mode starts this program again: ${missingGrant(`--allow-run=${command}`)}`,
      );
    }
    // A child's grant must fit on its command line.
    childPermissions(netHosts);
  },
  run: (tasks, ctx) => {
    // Worked out once a run: every lane, and each one that replaces a lost one, gets the same.
    const grants = moduleGrants(ctx.workload);
    let permissions: string[] | undefined;
    return runLanePool(
      tasks,
      ctx,
      (_index, callbacks) =>
        startChildLane(
          callbacks,
          permissions ??= childPermissions(ctx.netHosts, grants),
          ctx.perLane,
          ctx.netHosts,
          grants !== undefined,
        ),
    );
  },
};
