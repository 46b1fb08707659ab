/** The plug-in contract every workload meets; modes know nothing else about the work. */
import type { TaskCost } from "../run/in_flight.ts";

/** One unit of work. Plain data: it crosses to workers and child processes. */
export interface TaskSpec<I = unknown> {
  readonly id: number;
  readonly input: I;
}

/** What a running task may use: cancellation, progress, and a place to yield. */
export interface TaskContext {
  readonly signal: AbortSignal;
  /** Reports `done` of `total` units; callers throttle, so call it often. */
  progress(done: number, total: number): void;
  /** Called between chunks of work; main-thread modes yield to the event loop here. */
  checkpoint(): Promise<void> | void;
  /** Hosts of this run (`127.0.0.1:4507`): the only ones a download is redirected to. */
  readonly netHosts?: readonly string[];
}

/** Every option a workload may read; each workload takes the ones it knows. */
export interface WorkloadOptions {
  readonly tasks?: number;
  readonly size?: number;
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  readonly pageKb?: number;
  readonly urls?: readonly string[];
  readonly timeoutMs?: number;
}

/** A task list ready to run, with whatever it holds open (a server) and what children need. */
export interface Prepared<I = unknown> {
  readonly tasks: readonly TaskSpec<I>[];
  /** Hosts (`127.0.0.1:4507`) a worker or child must reach to run these tasks. */
  readonly netHosts: readonly string[];
  /** A short description of the parameters, for headers and reports. */
  readonly summary: string;
  /** What one task in flight holds open (downloads); absent when it holds nothing. */
  readonly cost?: TaskCost;
  /** Releases what `prepare` opened; safe to call twice. */
  close(): Promise<void>;
}

/** A kind of work: how to list the tasks, run one, check its result, and label it. */
export interface Workload<I = unknown, R = unknown> {
  readonly name: string;
  /** Builds the task list (and starts anything it needs, such as a local server). */
  prepare(options: WorkloadOptions): Promise<Prepared<I>>;
  /** Runs one task. Results must be structured-clone and JSON safe (bigints as strings). */
  run(input: I, ctx: TaskContext): Promise<R>;
  /** True when the result is known to be right (CPU: closed form; I/O: byte count). */
  verify(input: I, result: R): boolean;
  /** A short label for bars and tables: `n=5000000`, `127.0.0.1/page/3`. */
  describe(input: I): string;
  /** What a task's result looks like in one short line. */
  summarize(result: R): string;
}

/** Thrown by tasks that stop because their signal aborted. */
export class TaskAborted extends Error {
  constructor() {
    super("task cancelled");
    this.name = "TaskAborted";
  }
}
