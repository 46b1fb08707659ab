/** Everything cluster mode checks before anything starts: each failure is one line, exit 2. */
import { errorMessage } from "../process/safe_text.ts";
import { missingGrant, UsageError } from "../cli/errors.ts";
import type { ModeName } from "../run/events.ts";
import { checkNetPermission } from "../workloads/io/urls.ts";
import { parseRedisUrl } from "./redis_url.ts";

/** Workloads whose tasks can travel: plain data in, plain data out, nothing shared. */
export const TRAVELLING_WORKLOADS = ["cpu", "io", "fault"];

/** A workload whose tasks cannot travel as jobs (race: they share memory) is refused. */
export function checkTravels(workload: string): void {
  if (!TRAVELLING_WORKLOADS.includes(workload)) {
    throw new UsageError(
      `cluster mode cannot run --workload ${workload}: its tasks cannot travel as jobs ` +
        `(allowed: ${TRAVELLING_WORKLOADS.filter((w) => w !== "fault").join(", ")})`,
    );
  }
}
import { checkRedisServer } from "./redis_server.ts";

/** Fails unless this program may start itself again (the local workers). */
function checkRunSelf(): void {
  if (Deno.build.standalone) return;
  const command = Deno.execPath();
  if (Deno.permissions.querySync({ name: "run", command }).state !== "granted") {
    throw new UsageError(
      `cluster mode starts local workers (this program again): ${
        missingGrant(`--allow-run=${command}`)
      }`,
    );
  }
}

/**
 * With `redis`, Redis must answer (and be granted); without it, redis-server must be
 * installed and allowed to run. `localWorkers`: the workers this run will start here.
 */
export async function checkCluster(
  modes: readonly ModeName[],
  redis: string | undefined,
  localWorkers: number,
): Promise<void> {
  if (!modes.includes("cluster")) {
    if (redis !== undefined) {
      throw new UsageError("--redis applies to cluster mode only (--mode cluster, or compare)");
    }
    return;
  }
  if (localWorkers > 0) checkRunSelf();
  if (redis === undefined) return await checkRedisServer();
  const target = parseRedisUrl(redis);
  checkNetPermission([target.hostPort]);
  // Loaded on demand: no other mode pays for ioredis.
  const { pingRedis } = await import("./jobs.ts");
  try {
    await pingRedis(target.url);
  } catch (err) {
    throw new UsageError(`cannot reach Redis at ${target.shown}: ${errorMessage(err)}`);
  }
}
