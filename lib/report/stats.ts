/** Statistics over repeated measurements; pure functions on plain numbers. */

/** Summary of a sample of wall times, in ms. */
export interface Summary {
  readonly runs: number;
  readonly minMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** Sample standard deviation (n - 1); 0 for a single run. */
  readonly stdevMs: number;
}

/** The median of a non-empty sample. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("median of an empty sample");
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The arithmetic mean of a non-empty sample. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("mean of an empty sample");
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The sample standard deviation; 0 below two values. */
export function stdev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Min, median, max, mean and standard deviation of a non-empty sample. */
export function summarize(xs: readonly number[]): Summary {
  return {
    runs: xs.length,
    minMs: Math.min(...xs),
    medianMs: median(xs),
    maxMs: Math.max(...xs),
    meanMs: mean(xs),
    stdevMs: stdev(xs),
  };
}

/**
 * Speedup of `candidate` over `baseline` from medians, with its range: from the fastest
 * baseline over the slowest candidate to the slowest baseline over the fastest candidate.
 */
export function speedupRange(
  baseline: Summary,
  candidate: Summary,
): { median: number; low: number; high: number } {
  return {
    median: baseline.medianMs / candidate.medianMs,
    low: baseline.minMs / candidate.maxMs,
    high: baseline.maxMs / candidate.minMs,
  };
}

/** Wall times of one mode's runs, and whether every one of them finished with every task done. */
export interface Timed {
  readonly wall?: Summary;
  readonly finished: boolean;
}

/**
 * The one speedup rule, for every table, export and view: the baseline's wall time over the
 * candidate's, from the same task list, and only when both finished (a failed run's time
 * says nothing about the work). Undefined when there is no finished baseline or candidate.
 */
export function speedupOver(
  baseline: Timed | undefined,
  candidate: Timed,
): { median: number; low: number; high: number } | undefined {
  if (!baseline?.finished || !baseline.wall || !candidate.finished || !candidate.wall) {
    return undefined;
  }
  return speedupRange(baseline.wall, candidate.wall);
}
