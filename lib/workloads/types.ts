/** The plug-in contract every workload meets; modes know nothing else about the work. */
import type { TaskCost } from "../run/in_flight.ts";
import type { ModeName } from "../run/events.ts";
import type { LaneKind } from "../modes/types.ts";
import type { Calibration } from "./calibration.ts";

/** One unit of work. Plain data: it crosses to workers and child processes. */
export interface TaskSpec<I = unknown> {
  readonly id: number;
  readonly input: I;
}

/** What a running task may use: cancellation, progress, and a place to yield. */
export interface TaskContext {
  readonly signal: AbortSignal;
  /** Reports `done` of `total` units; the mode throttles what it passes on, so call it often. */
  progress(done: number, total: number): void;
  /** Called between chunks of work; main-thread modes yield to the event loop here. */
  checkpoint(): Promise<void> | void;
  /** Hosts of this run (`127.0.0.1:4507`): the only ones a download is redirected to. */
  readonly netHosts?: readonly string[];
}

/** Every option a workload may read; each workload takes the ones it knows. */
export interface WorkloadOptions {
  readonly tasks?: number;
  /** Options of workloads registered elsewhere (tests, plug-ins). */
  readonly [option: string]: unknown;
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
  /** Called before each run of these tasks (a race's shared counter goes back to 0). */
  reset?(): void;
  /** Releases what `prepare` opened; safe to call twice. */
  close(): Promise<void>;
}

/** What bounds a workload's tasks: the CPU, or waiting on I/O. Pools size themselves by it. */
export type WorkBound = "cpu" | "io";

/** A flag a workload reads, with its limits, default and help, for `--help` and checks. */
export interface WorkloadFlag {
  /** As commander spells it: `--latency <ms>`. */
  readonly flag: string;
  /** The option it sets in {@link WorkloadOptions}. */
  readonly option: string;
  /** What it does; the range and default are added from `limits` and `defaultValue`. */
  readonly help: string;
  /** Whole numbers within these bounds; absent for text. Its help shows `RANGES` for it. */
  readonly limits?: { readonly min: number; readonly max: number };
  /** Said as its default in `--help`: `100`, `auto`. */
  readonly byDefault?: string;
  /** Other options it may set (`--size auto` sets `sizeAuto`), for the wrong-workload check. */
  readonly alsoSets?: readonly string[];
  /** How the flag is named when given with another workload, if not by itself. */
  readonly shownAs?: string;
  /** Parses one value (`previous`: the values before it, for a repeatable flag). */
  parse?(value: string, previous: unknown): unknown;
}

/** A kind of work: how to list the tasks, run one, check its result, and label it. */
export interface Workload<I = unknown, R = unknown> {
  readonly name: string;
  /** Left out of `--workload`, the dashboard and help (the test suite's fault workload). */
  readonly hidden?: boolean;
  readonly bound: WorkBound;
  /** Its own flags, in the order `--help` lists them. */
  readonly flags: readonly WorkloadFlag[];
  /**
   * The option sized on this machine (`--size auto`) unless the command line set it: the
   * workload measures it for a task count, and says its value in the tutorial (`t` toggles
   * between the two) and its bounds (a re-size after a measured run stays within them).
   */
  readonly calibrated?: {
    readonly option: string;
    readonly tutorial: number;
    readonly limits: { readonly min: number; readonly max: number };
    calibrate(tasks: number): Calibration;
  };
  /**
   * True when its tasks share memory with each other (a `SharedArrayBuffer`): they cannot
   * travel as jobs to another process or machine, so cluster mode refuses the workload.
   */
  readonly sharesMemory?: boolean;
  /**
   * True when its code exists on this machine only (a user's module, a file other machines do
   * not have): cluster mode refuses it too.
   */
  readonly localOnly?: boolean;
  /** Its `--tasks` default, said after the range: `20`, `160 or one per URL`. */
  readonly tasksHelp?: string;
  /** The options from the parsed flags (commander's names); by default each flag's value. */
  readOptions?(parsed: Readonly<Record<string, unknown>>): WorkloadOptions;
  /** How many tasks `prepare` will make, known before it runs. */
  taskCount(options: WorkloadOptions): number;
  /** The task list's labels and description without starting anything, for the dashboard. */
  preview?(options: WorkloadOptions): { readonly summary: string; readonly labels: string[] };
  /**
   * Fails (with `MissingGrant` of `lib/cli/grants.ts`, so a terminal can ask) when a resource the user named
   * in `options` is not granted, before anything starts: the io workload's `--url` hosts.
   */
  checkGrants?(options: WorkloadOptions): void;
  /** Builds the task list (and starts anything it needs, such as a local server). */
  prepare(options: WorkloadOptions): Promise<Prepared<I>>;
  /** Runs one task. Results must be structured-clone and JSON safe (bigints as strings). */
  run(input: I, ctx: TaskContext): Promise<R>;
  /** True when the result is known to be right (CPU: closed form; I/O: byte count). */
  verify(input: I, result: R): boolean;
  /** A short label for bars and tables: `n=5000000`, `/page/3`. */
  describe(input: I): string;
  /**
   * Figures of a whole run beyond its tasks' results (a race's expected, actual and lost
   * updates), from every task as the run has seen it so far: while tasks still run (the
   * dashboard asks at every redraw), and once more when the run ends.
   */
  aggregate?(tasks: readonly TaskOutcome<I, R>[], run: RunShape): Aggregate;
}

/** One task as {@link Workload.aggregate} sees it. */
export interface TaskOutcome<I = unknown, R = unknown> {
  readonly input: I;
  /** Absent until the task has ended well. */
  readonly result?: R;
  /** Units done so far, from its progress reports. */
  readonly done: number;
  /** False while the task waits or runs. */
  readonly finished: boolean;
}

/** What a run's aggregate may depend on besides its tasks: its mode, as data. */
export interface RunShape {
  readonly mode: ModeName;
  readonly lanes: number;
  /** Where the mode's lanes run: the main thread, threads sharing memory, or processes. */
  readonly laneKind: LaneKind;
  /** True for the baseline mode: one task at a time. */
  readonly baseline: boolean;
}

/** One labelled figure of a run. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  /** The same figure as a percentage (of what, the workload's note says). */
  readonly percent?: number;
  /** Shown in one-line summaries too (the dashboard's results table). */
  readonly headline?: boolean;
}

/** A run's figures beyond its tasks' results, and a sentence on what they mean. */
export interface Aggregate {
  readonly figures: readonly Figure[];
  readonly note?: string;
}

/** Thrown by tasks that stop because their signal aborted. */
export class TaskAborted extends Error {
  constructor() {
    super("task cancelled");
    this.name = "TaskAborted";
  }
}
