/**
 * Bring your own workload: the types of a conc101 workload module and `defineWorkload`.
 *
 * A module's default export is a {@link WorkloadModule}; conc101 runs its tasks one after
 * another, as async tasks, in Web Workers and in child processes:
 *
 * @example
 * ```ts
 * import { defineWorkload } from "./workload.ts";
 *
 * export default defineWorkload({
 *   name: "squares",
 *   tasks: ({ tasks = 8 }) => Array.from({ length: tasks }, (_, i) => 1_000_000 + i),
 *   async run(n: number, ctx) {
 *     let sum = 0;
 *     for (let i = 0; i < n; i++) {
 *       sum += i * i;
 *       if (i % 100_000 === 0) await ctx.checkpoint();
 *     }
 *     return sum;
 *   },
 * });
 * ```
 *
 * Module-level state exists once per isolate: once on the main thread (which calls `tasks`),
 * once in each worker and once in each child process, as with Python's multiprocessing.
 *
 * This file imports nothing, so a module outside the project can import it by path and a
 * worker or child needs read access to this one file only.
 */

/**
 * A value that survives `JSON.stringify` and `JSON.parse` unchanged: what inputs and results
 * must be (checked at run time, naming the task that broke the rule).
 */
export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { readonly [key: string]: Json };

/** What `tasks` gets: `--tasks` and `--size` when given, undefined otherwise. */
export interface TaskOptions {
  readonly tasks?: number;
  readonly size?: number;
}

/** What one running task may use. */
export interface WorkloadContext {
  /** Aborts when the run is cancelled or the task overruns `--task-timeout`. */
  readonly signal: AbortSignal;
  /** Reports `done` of `total` units (the task's bar); calls are throttled, so call often. */
  progress(done: number, total: number): void;
  /**
   * Await it between chunks of work: this is where `async` mode switches to another task
   * and where a cancelled task stops. Cheap where nothing needs to happen.
   */
  checkpoint(): Promise<void> | void;
}

/**
 * What the module's tasks need besides computing: granted to every worker and child, and
 * asked of the user at start. `read` and `write` are paths (relative to the module's
 * folder), `net` is `host` or `host:port`, `env` is variable names.
 */
export interface WorkloadPermissions {
  readonly read?: readonly string[];
  readonly write?: readonly string[];
  readonly net?: readonly string[];
  readonly env?: readonly string[];
}

/**
 * The default export of a workload module. `I` (a task's input) and `R` (its result) must
 * survive JSON: they cross to workers, child processes and exports.
 */
export interface WorkloadModule<I = Json, R = Json> {
  /** Shown in headers and reports. */
  readonly name: string;
  /** The task inputs, called once on the main thread (at most 10,000). */
  tasks(options: TaskOptions): readonly I[] | Promise<readonly I[]>;
  /** Runs one task, in whichever thread or process the mode chose. */
  run(input: I, ctx: WorkloadContext): Promise<R>;
  /** True when `result` is right for `input`; without it a task that ends is verified. */
  verify?(input: I, result: R): boolean;
  /** A short label for the task's bar: `n=1000000`. */
  describe?(input: I): string;
  /** What bounds the tasks: picks defaults such as the pool size (`cpu` when absent). */
  readonly kind?: "cpu" | "io";
  readonly permissions?: WorkloadPermissions;
}

/** Returns `workload` as given; it exists so that an editor checks the module's shape. */
export function defineWorkload<I, R>(
  workload: WorkloadModule<I, R>,
): WorkloadModule<I, R> {
  return workload;
}
