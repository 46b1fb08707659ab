import type { ClusterContext } from "../cluster/queue_run.ts";
import type { ModeEvent, ModeName } from "../run/events.ts";
import type { TaskSpec, Workload } from "../workloads/types.ts";

/** Everything a mode needs besides the task list. */
export interface ModeContext {
  readonly workload: Workload;
  /** Main-thread slots (async), workers or child processes. */
  readonly lanes: number;
  /** Tasks one worker or child runs at once (I/O work); 1 for CPU work. */
  readonly perLane: number;
  /** Ends a task (and the lane running it) that runs longer than this; 0 for never. */
  readonly taskTimeoutMs: number;
  /** Hosts a worker may reach (`127.0.0.1:4507`); empty for none. */
  readonly netHosts: readonly string[];
  readonly signal: AbortSignal;
  /** Cluster mode only: which Redis, and how many workers to start here. */
  readonly cluster?: ClusterContext;
  emit(event: ModeEvent): void;
}

/** One way of running tasks. `run` resolves once every task has ended or the signal aborted. */
export interface Mode {
  readonly name: ModeName;
  /** True only when tasks really run at the same time on different cores. */
  readonly parallel: boolean;
  /** Who decides when to switch between tasks, in a sentence. */
  readonly switching: string;
  run(tasks: readonly TaskSpec[], ctx: ModeContext): Promise<void>;
}
