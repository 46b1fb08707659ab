/**
 * The comparison of modes as data: one row a mode, built once and drawn by the terminal
 * table, the Markdown export, the dashboard's results and the benchmark.
 */
import { getMode } from "../modes/mod.ts";
import type { ModeName } from "../run/events.ts";
import type { ModeMeasurement } from "../run/measure.ts";
import { speedupOver, type Summary } from "./stats.ts";

/** One mode's figures in a comparison. */
export interface ComparisonRow {
  readonly mode: ModeName;
  readonly lanes: number;
  /** Measured runs. */
  readonly runs: number;
  /** Wall time over the runs that finished, in ms. */
  readonly wall?: Summary;
  /** Against the baseline mode, by {@link speedupOver}'s rule; absent without one. */
  readonly speedup?: { readonly median: number; readonly low: number; readonly high: number };
  readonly parallelism: number;
  readonly coresBusy?: number;
  /** Verified tasks over every run, of `taskCount`. */
  readonly verifiedCount: number;
  readonly taskCount: number;
  /** Every run's status, each once: `done`, `done,failed`. */
  readonly statuses: string;
  /** Every run finished with every task done and verified. */
  readonly finished: boolean;
}

/** True when every run of the mode finished with every task done and verified. */
function finished(m: ModeMeasurement): boolean {
  return m.runs.every((r) => r.status === "done");
}

/** The rows of a comparison, in the order of `modes`; the registry's baseline mode is 1x. */
export function comparisonRows(modes: readonly ModeMeasurement[]): ComparisonRow[] {
  const base = modes.find((m) => getMode(m.mode).baseline);
  const baseline = base && { wall: base.wall, finished: finished(base) };
  return modes.map((m) => ({
    mode: m.mode,
    lanes: m.lanes,
    runs: m.runs.length,
    wall: m.wall,
    speedup: speedupOver(baseline, { wall: m.wall, finished: finished(m) }),
    parallelism: m.parallelism,
    ...(m.coresBusy === undefined ? {} : { coresBusy: m.coresBusy }),
    verifiedCount: m.runs.reduce((n, r) => n + r.verifiedCount, 0),
    taskCount: m.runs.reduce((n, r) => n + r.tasks.length, 0),
    statuses: [...new Set(m.runs.map((r) => r.status))].join(","),
    finished: finished(m),
  }));
}
