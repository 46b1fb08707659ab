import { UsageError } from "./errors.ts";
import { checkedLanes, getMode, plannedLanes } from "../modes/mod.ts";
import type { LanePlan } from "../modes/types.ts";
import type { ModeName } from "../run/events.ts";
import { getWorkload, registerWorkload, workloadNames, workloads } from "../workloads/registry.ts";
import { isModuleSpec, loadModuleWorkload } from "../workloads/module.ts";
import { typeCheckModule } from "../workloads/type_check.ts";
import { safeText } from "../process/safe_text.ts";
import type { Workload, WorkloadOptions } from "../workloads/types.ts";

/** The options `run`, `compare` and the dashboard share, as parsed from the command line. */
export interface SharedOptions extends WorkloadOptions {
  readonly workload: string;
  readonly lanes?: number;
  readonly perLane?: number;
  /** `--chunk`: tasks a dispatch for pools, or `auto`. */
  readonly chunk?: number | "auto";
  /** `--task-timeout`, in ms; 0 or undefined for never. */
  readonly taskTimeoutMs?: number;
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
  /** Pools: tasks a dispatch; undefined: chosen as they run (`--chunk auto`). */
  readonly chunk?: number;
  readonly taskTimeoutMs: number;
  /** Cluster mode: the Redis URL; undefined for a private redis-server. */
  readonly redis?: string;
}

/** The first flag given that belongs to another workload than `workload`, and its owner. */
function misplacedFlag(
  workload: Workload,
  options: WorkloadOptions,
): { flag: string; owner: string } | undefined {
  const own = new Set(workload.flags.map((f) => f.option));
  for (const other of workloads()) {
    for (const f of other.flags) {
      if (own.has(f.option)) continue;
      const set = [f.option, ...(f.alsoSets ?? [])].some((o) => options[o] !== undefined);
      if (!set) continue;
      // Every workload that takes the flag: `--size applies to --workload cpu or race only`.
      const owners = workloads().filter((w) => w.flags.some((g) => g.flag === f.flag));
      return {
        flag: f.shownAs ?? f.flag.split(" ").find((p) => p.startsWith("--"))!,
        owner: owners.map((w) => w.name).join(" or "),
      };
    }
  }
  return undefined;
}

/**
 * Options with a user's module (`--workload ./mine.ts`) loaded, checked and registered under
 * its name, so that everything after (and the dashboard's `w`) finds it like a built-in.
 */
export async function withModuleLoaded<T extends SharedOptions>(options: T): Promise<T> {
  if (!isModuleSpec(options.workload)) return options;
  const workload = await loadModuleWorkload(options.workload, options, typeCheckModule);
  if (workloads().some((w) => w.name === workload.name)) {
    throw new UsageError(
      `--workload ${safeText(options.workload)}: its name "${
        safeText(workload.name)
      }" is taken by a built-in workload (taken: ${workloadNames().join(", ")})`,
    );
  }
  registerWorkload(workload as Workload);
  return { ...options, workload: workload.name };
}

/** Checks what the flag parsers cannot check alone and picks the workload. */
export function resolveSettings(options: SharedOptions): Settings {
  if (!workloadNames().includes(options.workload)) {
    throw new UsageError(
      `--workload must be one of ${workloadNames().join(", ")}, got "${options.workload}"`,
    );
  }
  const workload = getWorkload(options.workload);
  const misplaced = misplacedFlag(workload, options);
  if (misplaced) {
    throw new UsageError(`${misplaced.flag} applies to --workload ${misplaced.owner} only`);
  }
  const {
    workload: _w,
    lanes,
    perLane,
    chunk,
    taskTimeoutMs,
    sizeAuto: _a,
    redis,
    ...workloadOptions
  } = options;
  // A task's timeout counts from its dispatch, so a task may not wait behind others for it.
  if (taskTimeoutMs && typeof chunk === "number" && chunk > 1) {
    throw new UsageError(
      `--chunk must be 1 or auto with --task-timeout (a task's time counts from when it is sent), got ${chunk}`,
    );
  }
  return {
    workload,
    workloadOptions,
    lanes,
    perLane: perLane ?? 1,
    // With a timeout, auto is one task a dispatch.
    chunk: taskTimeoutMs ? 1 : chunk === "auto" ? undefined : chunk,
    taskTimeoutMs: taskTimeoutMs ?? 0,
    redis,
  };
}

/** Tasks a job will have before its workload is prepared. */
export function expectedTasks(options: SharedOptions): number {
  return getWorkload(options.workload).taskCount(options);
}

/** The core count, as the runtime reports it. */
export function coreCount(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/** What a mode's lanes depend on, for `workload` with `tasks` tasks on this machine. */
export function lanePlan(workload: Workload, tasks: number): LanePlan {
  return { tasks, cores: coreCount(), bound: workload.bound };
}

/** The lanes `mode` would use, unchecked: what the dashboard shows before a run. */
export function lanesShown(
  mode: ModeName,
  asked: number | undefined,
  workload: Workload,
  tasks: number,
): number {
  return plannedLanes(getMode(mode), asked, lanePlan(workload, tasks));
}

/** The lanes `mode` runs with, within its limit (a typo cannot start a thousand processes). */
export function lanesFor(
  mode: ModeName,
  asked: number | undefined,
  workload: Workload,
  tasks: number,
): number {
  return checkedLanes(getMode(mode), asked, lanePlan(workload, tasks));
}

/** Everything that must hold before `modes` run: lanes within bounds, permissions granted. */
export function checkModes(
  modes: readonly ModeName[],
  settings: Pick<Settings, "lanes" | "workload">,
  taskCount: number,
  netHosts: readonly string[] = [],
): void {
  for (const name of modes) {
    lanesFor(name, settings.lanes, settings.workload, taskCount);
    getMode(name).checkPermissions?.(netHosts);
  }
}
