import { executeMode, type ExecuteOptions } from "./execute.ts";
import type { ModeName } from "./events.ts";
import { type RunResult, toRunResult } from "./result.ts";
import type { RunState } from "./state.ts";
import type { Settings } from "../cli/settings.ts";
import { median, summarize, type Summary } from "../report/stats.ts";
import type { Prepared } from "../workloads/types.ts";

/** Repeated runs of one mode on one task list. */
export interface ModeMeasurement {
  readonly mode: ModeName;
  readonly lanes: number;
  /** The measured runs, warm-up runs left out. */
  readonly runs: readonly RunResult[];
  /** Wall time over the runs that finished, in ms; undefined when none did. */
  readonly wall?: Summary;
  /** Median parallelism (sum of task times over wall time). */
  readonly parallelism: number;
  /** Median cores busy, machine-wide, when the OS's counters could be read. */
  readonly coresBusy?: number;
  /** True when every task of every run was verified. */
  readonly allVerified: boolean;
}

/** A mode to measure, at its own lanes or at `lanes` (a point of a lanes sweep). */
export type MeasureTarget = ModeName | { readonly mode: ModeName; readonly lanes: number };

/** How many runs, and what to call after each. */
export interface MeasureOptions extends Pick<ExecuteOptions, "clock" | "sampleCpu" | "onNote"> {
  readonly runs: number;
  readonly warmup: number;
  readonly signal: AbortSignal;
  /** Keep a run that was cancelled (compare drops it: its time means nothing). */
  readonly keepCancelled?: boolean;
  /** Called with each measured run as it finishes (warm-ups too, with `warmup` true). */
  onRun?(run: RunResult, warmup: boolean): void;
  /** Called after each event with a function that folds the run's state so far. */
  onState?(current: () => RunState): void;
  /** Called when a mode itself failed (not one of its tasks), with why. */
  onModeFailed?(mode: ModeName, why: string): void;
}

/**
 * Runs each target `warmup + runs` times on the same prepared task list and summarises the
 * measured runs. The runs go in rounds, each target once a round, so drift in the machine's
 * speed (a shared machine's second core comes and goes) falls on every mode alike. Stops
 * early when the signal aborts, keeping what finished.
 */
export async function measureModes(
  targets: readonly MeasureTarget[],
  settings: Settings,
  prepared: Prepared,
  options: MeasureOptions,
): Promise<ModeMeasurement[]> {
  const measured = targets.map(() => [] as RunResult[]);
  rounds: for (let i = 0; i < options.warmup + options.runs; i++) {
    const warmup = i < options.warmup;
    for (const [t, target] of targets.entries()) {
      if (options.signal.aborted) break rounds;
      const mode = typeof target === "string" ? target : target.mode;
      const at = typeof target === "string" ? settings : { ...settings, lanes: target.lanes };
      const state = await executeMode(mode, at, prepared, {
        signal: options.signal,
        clock: options.clock,
        sampleCpu: options.sampleCpu,
        onEvent: (_e, current) => options.onState?.(current),
        onNote: options.onNote,
      });
      if (state.failure !== undefined) options.onModeFailed?.(mode, state.failure);
      const result = toRunResult(state);
      if (state.status === "cancelled") {
        if (options.keepCancelled && !warmup) measured[t].push(result);
        break rounds;
      }
      options.onRun?.(result, warmup);
      if (!warmup) measured[t].push(result);
    }
  }
  return targets.flatMap((target, t) =>
    measured[t].length > 0
      ? [summarizeRuns(typeof target === "string" ? target : target.mode, measured[t])]
      : []
  );
}

/** The summary of finished runs of one mode. */
export function summarizeRuns(mode: ModeName, runs: readonly RunResult[]): ModeMeasurement {
  const finished = runs.filter((r) => r.status === "done" || r.status === "failed");
  const cores = runs.flatMap((r) => (r.coresBusy === undefined ? [] : [r.coresBusy]));
  return {
    mode,
    lanes: runs[0].lanes,
    runs,
    wall: finished.length > 0 ? summarize(finished.map((r) => r.wallMs)) : undefined,
    parallelism: median(runs.map((r) => r.parallelism)),
    ...(cores.length > 0 ? { coresBusy: median(cores) } : {}),
    allVerified: runs.every((r) => r.verifiedCount === r.tasks.length),
  };
}
