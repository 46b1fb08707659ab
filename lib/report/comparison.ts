/**
 * The comparison of modes as data: one row a mode, built once and drawn by the terminal
 * table, the Markdown export, the dashboard's results and the benchmark.
 */
import { getMode } from "../modes/mod.ts";
import type { ModeName } from "../run/events.ts";
import type { ModeMeasurement } from "../run/measure.ts";
import { median, speedupOver, type Summary } from "./stats.ts";

/** One of the workload's own figures (a race's lost updates) over a mode's runs. */
export interface FigureRow {
  readonly name: string;
  /** Its value in each run that reported it. */
  readonly values: readonly number[];
  /** Its percentage in each run, where the workload gives one. */
  readonly percents: readonly number[];
  /** Shown in one-line summaries too (the dashboard's results). */
  readonly headline: boolean;
}

/** One mode's figures in a comparison. */
export interface ComparisonRow {
  readonly mode: ModeName;
  readonly lanes: number;
  /**
   * Pools: how tasks travelled, as a cell: `--chunk` (`50`), or `auto` with the most tasks
   * one dispatch carried (`auto ≤250`); absent for modes that dispatch nothing.
   */
  readonly chunk?: string;
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
  /** The workload's figures of its runs (`Workload.aggregate`), in the order it gives them. */
  readonly figures: readonly FigureRow[];
  /** What they mean in this mode, from its last run. */
  readonly figuresNote?: string;
}

/** The figure names of a comparison, each once, in the order the runs give them. */
export function figureNames(rows: readonly ComparisonRow[]): string[] {
  return [...new Set(rows.flatMap((r) => r.figures.map((f) => f.name)))];
}

/**
 * A figure as a cell: the value (and percentage) of one run; over several, the median and
 * range of its percentage, or of its value when it has none.
 */
export function figureCell(f: FigureRow | undefined): string {
  if (!f || f.values.length === 0) return "-";
  const n = (x: number) => x.toLocaleString("en-US");
  const pct = (x: number) => `${x.toFixed(2)} %`;
  if (f.values.length === 1) {
    return `${n(f.values[0])}${f.percents.length > 0 ? ` (${pct(f.percents[0])})` : ""}`;
  }
  const range = (xs: readonly number[], show: (x: number) => string) => {
    const [low, high] = [Math.min(...xs), Math.max(...xs)];
    return low === high ? show(low) : `${show(median(xs))} (${show(low)}–${show(high)})`;
  };
  return f.percents.length > 0 ? range(f.percents, pct) : range(f.values, n);
}

function figureRows(m: ModeMeasurement): FigureRow[] {
  const all = m.runs.flatMap((r) => r.aggregate?.figures ?? []);
  return [...new Set(all.map((f) => f.name))].map((name) => {
    const found = all.filter((f) => f.name === name);
    return {
      name,
      values: found.map((f) => f.value),
      percents: found.flatMap((f) => (f.percent === undefined ? [] : [f.percent])),
      headline: found.some((f) => f.headline === true),
    };
  });
}

/** True when every run of the mode finished with every task done and verified. */
function finished(m: ModeMeasurement): boolean {
  return m.runs.every((r) => r.status === "done");
}

/** How a mode's runs sent their tasks, as a cell; undefined for modes that do not chunk. */
export function chunkCell(m: ModeMeasurement): string | undefined {
  const setting = m.runs.at(-1)?.chunk;
  if (setting === undefined) return undefined;
  if (setting !== "auto") return String(setting);
  const largest = Math.max(0, ...m.runs.map((r) => r.largestChunk ?? 0));
  return largest > 0 ? `auto ≤${largest}` : "auto";
}

/** The rows of a comparison, in the order of `modes`; the registry's baseline mode is 1x. */
export function comparisonRows(modes: readonly ModeMeasurement[]): ComparisonRow[] {
  const base = modes.find((m) => getMode(m.mode).baseline);
  const baseline = base && { wall: base.wall, finished: finished(base) };
  return modes.map((m) => {
    const chunk = chunkCell(m);
    return {
      mode: m.mode,
      lanes: m.lanes,
      ...(chunk === undefined ? {} : { chunk }),
      runs: m.runs.length,
      wall: m.wall,
      speedup: speedupOver(baseline, { wall: m.wall, finished: finished(m) }),
      parallelism: m.parallelism,
      ...(m.coresBusy === undefined ? {} : { coresBusy: m.coresBusy }),
      verifiedCount: m.runs.reduce((n, r) => n + r.verifiedCount, 0),
      taskCount: m.runs.reduce((n, r) => n + r.tasks.length, 0),
      statuses: [...new Set(m.runs.map((r) => r.status))].join(","),
      finished: finished(m),
      figures: figureRows(m),
      ...(m.runs.at(-1)?.aggregate?.note ? { figuresNote: m.runs.at(-1)!.aggregate!.note } : {}),
    };
  });
}
