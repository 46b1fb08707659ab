import { type CoreTimes, sampleCores } from "./cpu_usage.ts";
import { capInFlight } from "./in_flight.ts";
import type { ModeName, RunEvent } from "./events.ts";
import { runWorkload } from "./runner.ts";
import type { RunState } from "./state.ts";
import { lanesFor, type Settings } from "../cli/settings.ts";
import type { Prepared } from "../workloads/types.ts";

/** What one run needs besides its mode, settings and tasks. */
export interface ExecuteOptions {
  readonly signal: AbortSignal;
  /** Milliseconds from any origin; injected so tests get exact times. */
  readonly clock?: () => number;
  /** Per-core CPU times; by default the OS's, when `--allow-sys=cpus` is granted. */
  readonly sampleCpu?: () => readonly CoreTimes[];
  /** Called after each event; `current()` folds the events so far into the run's state. */
  onEvent?(event: RunEvent, current: () => RunState): void;
  /** Called when fewer lanes than asked had to do (descriptors, memory). */
  onNote?(note: string): void;
}

/**
 * Runs a prepared task list in one mode with the shared settings, with no more tasks in
 * flight than descriptors and memory allow.
 */
export function executeMode(
  mode: ModeName,
  settings: Settings,
  prepared: Prepared,
  options: ExecuteOptions,
): Promise<RunState> {
  const capped = capInFlight(
    mode,
    lanesFor(mode, settings.lanes, settings.workload, prepared.tasks.length),
    settings.perLane,
    prepared.tasks.length,
    prepared.cost,
  );
  if (capped.note) options.onNote?.(capped.note);
  prepared.reset?.();
  return runWorkload({
    mode,
    workload: settings.workload,
    tasks: prepared.tasks,
    lanes: capped.lanes,
    perLane: capped.perLane,
    chunk: settings.chunk,
    taskTimeoutMs: settings.taskTimeoutMs,
    netHosts: prepared.netHosts,
    signal: options.signal,
    redis: settings.redis,
    lanesAsked: settings.lanes,
    clock: options.clock,
    onEvent: options.onEvent,
    sampleCpu: options.sampleCpu ?? (cpuReadable() ? sampleCores : undefined),
  });
}

/** True when the OS's per-core counters may be read (`--allow-sys=cpus`). */
function cpuReadable(): boolean {
  return Deno.permissions.querySync({ name: "sys", kind: "cpus" }).state === "granted";
}
