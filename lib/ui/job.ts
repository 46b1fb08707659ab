/**
 * The dashboard's job as a reducer: the hook turns what the runner reports (started, prepared,
 * a run's state, a run done, a failure, the end) into messages, and this pure fold keeps what
 * the view needs. No clock reads here: a message carries the time it was sent.
 */
import type { RunResult } from "../run/result.ts";
import type { RunState } from "../run/state.ts";

/** What the dashboard knows of its current (or last) job. */
export interface JobState {
  /** The latest run's state. */
  readonly state?: RunState;
  /** Clock time at which the current run started, for its elapsed time while it runs. */
  readonly originMs: number;
  readonly running: boolean;
  /** Latest finished run of each mode on the task list `resultsKey`. */
  readonly results: readonly RunResult[];
  readonly resultsKey: string;
  /** Why the last job stopped short (a server that could not start, say). */
  readonly error?: string;
  /** The task list's description, from the workload once prepared. */
  readonly summary?: string;
  /** The runs of the latest lanes sweep on the task list `resultsKey`, as they finished. */
  readonly sweepRuns: readonly RunResult[];
  /** What the current (or last) job was: modes in turn, or a lanes sweep. */
  readonly lastJob: "modes" | "sweep";
}

/** The messages a job sends, in the order they come. */
export type JobMsg =
  /** A job on task list `key` starts: results of another list are dropped. */
  | { readonly type: "job-started"; readonly key: string; readonly sweep?: boolean }
  /** Its tasks are prepared; the runs begin. */
  | { readonly type: "job-prepared"; readonly summary: string }
  /** A run's state after one of its events; `atMs` is the clock when it came. */
  | { readonly type: "run-state"; readonly state: RunState; readonly atMs: number }
  /**
   * A run finished (done, failed or cancelled): it replaces that mode's earlier result, or in
   * a sweep joins the sweep's runs.
   */
  | { readonly type: "run-done"; readonly run: RunResult }
  /** The job could not go on (preparing failed, or the runner threw). */
  | { readonly type: "job-failed"; readonly error: string }
  /** The job is over, however it ended. */
  | { readonly type: "job-ended" };

/** No job yet. */
export const NO_JOB: JobState = {
  originMs: 0,
  running: false,
  results: [],
  resultsKey: "",
  sweepRuns: [],
  lastJob: "modes",
};

/** Folds one message into the job. Pure: no clock, no I/O, no mutation. */
export function reduceJob(job: JobState, msg: JobMsg): JobState {
  switch (msg.type) {
    case "job-started":
      return {
        ...job,
        error: undefined,
        lastJob: msg.sweep ? "sweep" : "modes",
        ...(job.resultsKey === msg.key ? {} : { results: [], sweepRuns: [], resultsKey: msg.key }),
        // A new sweep starts its chart afresh; runs of modes leave the last sweep's.
        ...(msg.sweep ? { sweepRuns: [] } : {}),
      };
    case "job-prepared":
      return { ...job, summary: msg.summary, running: true };
    case "run-state": {
      const begins = job.state?.status !== "running" && msg.state.status === "running";
      return { ...job, state: msg.state, originMs: begins ? msg.atMs : job.originMs };
    }
    case "run-done":
      return job.lastJob === "sweep"
        ? { ...job, sweepRuns: [...job.sweepRuns, msg.run] }
        : { ...job, results: [...job.results.filter((r) => r.mode !== msg.run.mode), msg.run] };
    case "job-failed":
      return { ...job, error: msg.error };
    case "job-ended":
      return { ...job, running: false };
  }
}

/** Ms since the current run started while it runs; its wall time once it has ended. */
export function elapsedMs(job: JobState, nowMs: number): number {
  return job.running ? nowMs - job.originMs : (job.state?.endMs ?? 0);
}
