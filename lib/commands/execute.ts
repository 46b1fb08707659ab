import { sampleCores } from "../cpu_usage.ts";
import type { ModeName, RunEvent } from "../run/events.ts";
import { runWorkload } from "../run/runner.ts";
import type { RunState } from "../run/state.ts";
import { lanesFor, type Settings } from "../settings.ts";
import type { Prepared } from "../workloads/types.ts";

/** Runs a prepared task list in one mode with the shared settings. */
export function executeMode(
  mode: ModeName,
  settings: Settings,
  prepared: Prepared,
  signal: AbortSignal,
  onEvent?: (event: RunEvent, state: RunState) => void,
): Promise<RunState> {
  return runWorkload({
    mode,
    workload: settings.workload,
    tasks: prepared.tasks,
    lanes: lanesFor(mode, settings.lanes, prepared.tasks.length),
    perLane: settings.perLane,
    taskTimeoutMs: settings.taskTimeoutMs,
    netHosts: prepared.netHosts,
    signal,
    onEvent,
    sampleCpu: cpuReadable() ? sampleCores : undefined,
  });
}

/** True when the OS's per-core counters may be read (`--allow-sys=cpus`). */
function cpuReadable(): boolean {
  return Deno.permissions.querySync({ name: "sys", kind: "cpus" }).state === "granted";
}
