/** Everything cluster mode checks before anything starts: each failure is one line, exit 2. */
import { errorMessage } from "../process/safe_text.ts";
import { missingGrant, UsageError } from "../cli/errors.ts";
import { allWorkloads, workloadNames } from "../workloads/registry.ts";
import { checkNetPermission } from "../workloads/io/urls.ts";
import { parseRedisUrl } from "./redis_url.ts";

/**
 * True when `workload` is registered and its tasks can travel as jobs: plain data in, plain
 * data out, no memory shared between tasks.
 */
export function travels(workload: string): boolean {
  const found = allWorkloads().find((w) => w.name === workload);
  return found !== undefined && !found.sharesMemory && !found.localOnly;
}

/** A workload whose tasks cannot travel as jobs (they share memory) is refused. */
export function checkTravels(workload: string): void {
  if (!travels(workload)) {
    throw new UsageError(
      `cluster mode cannot run --workload ${workload}: its tasks cannot travel as jobs ` +
        `(allowed: ${workloadNames().filter(travels).join(", ")})`,
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
  redis: string | undefined,
  localWorkers: number,
): Promise<void> {
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
