import type { ClusterContext } from "../cluster/queue_run.ts";
import type { ModeEvent, ModeName } from "../run/events.ts";
import type { TaskSpec, WorkBound, Workload } from "../workloads/types.ts";

/** Everything a mode needs besides the task list. */
export interface ModeContext {
  readonly workload: Workload;
  /** Main-thread slots (async), workers or child processes. */
  readonly lanes: number;
  /** Tasks one worker or child runs at once (I/O work); 1 for CPU work. */
  readonly perLane: number;
  /** Pools: tasks sent to a lane in one message (`--chunk`); absent: chosen as they run. */
  readonly chunk?: number;
  /** Ends a task (and the lane running it) that runs longer than this; 0 for never. */
  readonly taskTimeoutMs: number;
  /** Hosts a worker may reach (`127.0.0.1:4507`); empty for none. */
  readonly netHosts: readonly string[];
  readonly signal: AbortSignal;
  /** `--redis`, for a mode that reads it. */
  readonly redis?: string;
  /** `--lanes` as given; undefined when the mode chose `lanes` itself. */
  readonly lanesAsked?: number;
  /** Cluster mode's settings given whole (tests); otherwise it builds them from the above. */
  readonly cluster?: ClusterContext;
  /** The runner's clock, in ms: what a mode's own times (`at`) are given on. */
  now(): number;
  emit(event: ModeEvent): void;
}

/** Where a mode's lanes run: slots of the main thread, OS threads, or processes. */
export type LaneKind = "main" | "thread" | "process";

/** What a mode's default lane count depends on. */
export interface LanePlan {
  readonly tasks: number;
  readonly cores: number;
  /** What bounds the workload's tasks: the CPU, or waiting on I/O. */
  readonly bound: WorkBound;
}

/**
 * One way of running tasks, with its own policy: lanes, limits, permissions and help. The
 * registry lists it; keys, tabs, help, `--modes` and compare follow from there.
 */
export interface Mode {
  readonly name: ModeName;
  /** True only when tasks really run at the same time on different cores. */
  readonly parallel: boolean;
  /** True for the mode every speedup is measured against. */
  readonly baseline?: boolean;
  /**
   * True when it needs nothing but this machine: `compare` and the dashboard's `a` run the
   * local modes unless asked for more (cluster needs Redis).
   */
  readonly local: boolean;
  /** Who decides when to switch between tasks, in a sentence. */
  readonly switching: string;
  /** The help panel's lines for this mode, the first beside its name. */
  readonly help: readonly string[];
  readonly laneKind: LaneKind;
  /** True when it sends its lanes tasks in chunks (`--chunk`), as a pool does. */
  readonly chunked?: boolean;
  /** Lanes without `--lanes`. */
  defaultLanes(plan: LanePlan): number;
  /** Lanes it would use when `asked` for some: by default exactly those. */
  lanesFor?(asked: number, plan: LanePlan): number;
  /** Most lanes it may start, each costing tens of MB; absent when lanes cost nothing. */
  readonly maxLanes?: number;
  /** Fails with the flag to add when a permission it needs is missing. */
  checkPermissions?(netHosts: readonly string[]): void;
  /**
   * Checks what it needs beyond permissions before anything starts (cluster: Redis answers,
   * or redis-server is installed), given `--redis`, the lanes asked for and the workload.
   */
  checkReady?(
    ready: { readonly redis?: string; readonly lanes?: number; readonly workload: string },
  ): Promise<void>;
  run(tasks: readonly TaskSpec[], ctx: ModeContext): Promise<void>;
}
