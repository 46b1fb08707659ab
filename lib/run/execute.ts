import { sampleCores } from "./cpu_usage.ts";
import { capInFlight } from "./in_flight.ts";
import type { ModeName, RunEvent } from "./events.ts";
import { runWorkload } from "./runner.ts";
import type { RunState } from "./state.ts";
import { lanesFor, type Settings } from "../cli/settings.ts";
import type { Prepared } from "../workloads/types.ts";

/**
 * Runs a prepared task list in one mode with the shared settings, with no more tasks in
 * flight than descriptors and memory allow; `onNote` hears when that lowered the lanes.
 */
export function executeMode(
  mode: ModeName,
  settings: Settings,
  prepared: Prepared,
  signal: AbortSignal,
  onEvent?: (event: RunEvent, state: RunState) => void,
  onNote?: (note: string) => void,
): Promise<RunState> {
  const capped = capInFlight(
    mode,
    lanesFor(mode, settings.lanes, settings.workload, prepared.tasks.length),
    settings.perLane,
    prepared.tasks.length,
    prepared.cost,
  );
  if (capped.note) onNote?.(capped.note);
  prepared.reset?.();
  return runWorkload({
    mode,
    workload: settings.workload,
    tasks: prepared.tasks,
    lanes: capped.lanes,
    perLane: capped.perLane,
    taskTimeoutMs: settings.taskTimeoutMs,
    netHosts: prepared.netHosts,
    signal,
    cluster: mode === "cluster"
      ? {
        redis: settings.redis,
        // With a Redis of their own, workers run elsewhere unless --lanes asks for some here.
        localWorkers: settings.redis === undefined ? capped.lanes : settings.lanes ?? 0,
      }
      : undefined,
    onEvent,
    sampleCpu: cpuReadable() ? sampleCores : undefined,
  });
}

/** True when the OS's per-core counters may be read (`--allow-sys=cpus`). */
function cpuReadable(): boolean {
  return Deno.permissions.querySync({ name: "sys", kind: "cpus" }).state === "granted";
}
