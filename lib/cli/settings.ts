import { UsageError } from "./errors.ts";
import { LIMITS } from "./limits.ts";
import { childPermissions, grantHint } from "../lanes/permissions.ts";
import type { ModeName } from "../run/events.ts";
import { TUTORIAL_TASKS } from "../workloads/cpu/workload.ts";
import { DEFAULT_DOWNLOADS } from "../workloads/io/workload.ts";
import { getWorkload, WORKLOAD_NAMES } from "../workloads/registry.ts";
import type { Workload, WorkloadOptions } from "../workloads/types.ts";

/** The options `run`, `compare` and the dashboard share, as parsed from the command line. */
export interface SharedOptions extends WorkloadOptions {
  readonly workload: string;
  readonly lanes?: number;
  readonly perLane?: number;
  readonly taskTimeout?: number;
  /** `--size auto` given in so many words (no size at all means the same for cpu). */
  readonly sizeAuto?: boolean;
  /** Cluster mode: the Redis URL; undefined for a private redis-server. */
  readonly redis?: string;
}

/** Validated settings for one or more runs of the same workload. */
export interface Settings {
  readonly workload: Workload;
  readonly workloadOptions: WorkloadOptions;
  /** Lanes asked for with `--lanes`; undefined means each mode's default. */
  readonly lanes?: number;
  readonly perLane: number;
  readonly taskTimeoutMs: number;
  /** Cluster mode: the Redis URL; undefined for a private redis-server. */
  readonly redis?: string;
}

/** Checks what the flag parsers cannot check alone and picks the workload. */
export function resolveSettings(options: SharedOptions): Settings {
  if (!WORKLOAD_NAMES.includes(options.workload)) {
    throw new UsageError(
      `--workload must be one of ${WORKLOAD_NAMES.join(", ")}, got "${options.workload}"`,
    );
  }
  const { workload: _w, lanes, perLane, taskTimeout, sizeAuto, redis, ...workloadOptions } =
    options;
  const ioOnly: [string, unknown][] = [
    ["--latency", options.latencyMs],
    ["--jitter", options.jitterMs],
    ["--page-kb", options.pageKb],
    ["--url/--urls", options.urls],
    ["--timeout", options.timeoutMs],
    ["--per-lane", options.perLane],
  ];
  const misplaced = options.workload === "io"
    ? (options.size !== undefined || sizeAuto ? ["--size"] : [])
    : ioOnly.filter(([, v]) => v !== undefined).map(([flag]) => flag);
  if (misplaced.length > 0) {
    const other = options.workload === "io" ? "cpu" : "io";
    throw new UsageError(`${misplaced[0]} applies to --workload ${other} only`);
  }
  return {
    workload: getWorkload(options.workload),
    workloadOptions,
    lanes,
    perLane: perLane ?? 1,
    taskTimeoutMs: taskTimeout ?? 0,
    redis,
  };
}

/** Tasks a job will have before its workload is prepared. */
export function expectedTasks(options: SharedOptions): number {
  if (options.tasks !== undefined) return options.tasks;
  if (options.workload === "cpu") return TUTORIAL_TASKS;
  return options.urls?.length ?? DEFAULT_DOWNLOADS;
}

/** The core count, as the runtime reports it. */
export function coreCount(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/** The lanes `mode` would use, unchecked: what the dashboard shows before a run. */
export function lanesAsked(mode: ModeName, asked: number | undefined, taskCount: number): number {
  if (mode === "sequential") return 1;
  if (mode === "async") return Math.max(1, Math.min(asked ?? taskCount, taskCount));
  return asked ?? defaultPoolLanes();
}

/** Workers or children when `--lanes` is not given: one per core, within the limit. */
export function defaultPoolLanes(): number {
  return Math.min(coreCount(), LIMITS.poolLanes.max);
}

/**
 * Lanes for `mode`: sequential always 1; async one slot per task unless limited; workers and
 * subprocess one per core (at most the limit) unless `--lanes` says otherwise, capped so a typo cannot start
 * thousands of threads or processes.
 */
export function lanesFor(mode: ModeName, asked: number | undefined, taskCount: number): number {
  const lanes = lanesAsked(mode, asked, taskCount);
  const { min, max } = LIMITS.poolLanes;
  if ((mode === "workers" || mode === "subprocess" || mode === "cluster") && lanes > max) {
    throw new UsageError(
      `--lanes must be from ${min} to ${max} for ${mode} mode (it starts one ${
        mode === "workers" ? "thread" : "process"
      } each), got ${lanes}`,
    );
  }
  return lanes;
}

/**
 * Fails with the flag to add when `mode` lacks a permission it needs: workers load their
 * module from disk (read), subprocess starts this program again (run).
 */
export function checkModePermissions(mode: ModeName): void {
  // A compiled binary carries its modules; it still needs leave to start itself again.
  if (mode === "workers" && !Deno.build.standalone) {
    const path = new URL("../../workers/task_worker.ts", import.meta.url).pathname;
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
      const dir = new URL("../../", import.meta.url).pathname;
      throw new UsageError(`workers mode loads ${path}: ${grantHint(`--allow-read=${dir}`)}`);
    }
  }
  if (mode === "subprocess") {
    const command = Deno.execPath();
    if (Deno.permissions.querySync({ name: "run", command }).state !== "granted") {
      throw new UsageError(
        Deno.build.standalone
          ? `subprocess mode starts this binary again (${command}), but it may start only ` +
            `conc101 on the PATH or the file it was built as: put it on the PATH as conc101`
          : `subprocess mode starts this program again: run deno with --allow-run=${command}`,
      );
    }
  }
}

/** Everything that must hold before `modes` run: lanes within bounds, permissions granted. */
export function checkModes(
  modes: readonly ModeName[],
  asked: number | undefined,
  taskCount: number,
  netHosts: readonly string[] = [],
): void {
  for (const mode of modes) {
    lanesFor(mode, asked, taskCount);
    checkModePermissions(mode);
    // A child's grant must fit on its command line.
    if (mode === "subprocess") childPermissions(netHosts);
  }
}
