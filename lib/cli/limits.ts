/** Bounds on every numeric flag, chosen so a typo cannot fork-bomb the machine or fill memory. */
export const LIMITS = {
  tasks: { min: 1, max: 10_000 },
  size: { min: 0, max: 2_000_000_000 },
  /** Threads and processes: each costs tens of MB, so a small multiple of any core count. */
  poolLanes: { min: 1, max: 64 },
  /** Main-thread slots cost almost nothing; one per task at most. */
  asyncLanes: { min: 1, max: 10_000 },
  perLane: { min: 1, max: 256 },
  /** Tasks sent to a worker or child in one message: at most every task. */
  chunk: { min: 1, max: 10_000 },
  taskTimeoutMs: { min: 0, max: 3_600_000 },
  latencyMs: { min: 0, max: 60_000 },
  jitterMs: { min: 0, max: 60_000 },
  pageKb: { min: 1, max: 65_536 },
  timeoutMs: { min: 1, max: 3_600_000 },
  port: { min: 0, max: 65_535 },
  runs: { min: 1, max: 100 },
  warmup: { min: 0, max: 100 },
  /** Lane counts in one `--lanes-sweep`: each costs `--runs` runs of every mode with lanes. */
  sweepPoints: { min: 1, max: 16 },
  /** URLs from --url and --urls together. */
  urls: 10_000,
  /** Bytes of a --urls file: 10,000 URLs of 1.6 KB on average; more is not a URL list. */
  urlsFileBytes: 16 * 1024 * 1024,
} as const;

/** `1-10,000`: a bound as the help and the README write it. */
export function formatRange(limit: { readonly min: number; readonly max: number }): string {
  return `${limit.min.toLocaleString("en-US")}-${limit.max.toLocaleString("en-US")}`;
}

/**
 * The range of each numeric flag as `--help` shows it; the README's flag table must say the
 * same (tests/readme_test.ts), so both come from {@link LIMITS} alone.
 */
export const RANGES: Readonly<Record<string, string>> = {
  "--lanes": `${formatRange(LIMITS.poolLanes)} (pools), ${formatRange(LIMITS.asyncLanes)} (async)`,
  "--tasks": formatRange(LIMITS.tasks),
  "--size": `${formatRange(LIMITS.size)}, auto, tutorial`,
  "--latency": formatRange(LIMITS.latencyMs),
  "--jitter": formatRange(LIMITS.jitterMs),
  "--page-kb": formatRange(LIMITS.pageKb),
  "--timeout": formatRange(LIMITS.timeoutMs),
  "--per-lane": formatRange(LIMITS.perLane),
  "--chunk": `${formatRange(LIMITS.chunk)}, auto`,
  "--task-timeout": formatRange(LIMITS.taskTimeoutMs),
  "--runs": formatRange(LIMITS.runs),
  "--warmup": formatRange(LIMITS.warmup),
  "--lanes-sweep": `${formatRange(LIMITS.asyncLanes)}, at most ${LIMITS.sweepPoints.max} counts`,
  "--port": formatRange(LIMITS.port),
};

/**
 * A flag's help: what it does, then its range from {@link RANGES} (or `range`, for a flag
 * of a workload registered elsewhere) and its default.
 */
export function withRange(
  flag: string,
  text: string,
  byDefault?: string,
  range: string | undefined = RANGES[flag],
): string {
  const parts = [range, byDefault === undefined ? undefined : `default ${byDefault}`]
    .filter((p) => p !== undefined);
  return parts.length > 0 ? `${text} (${parts.join("; ")})` : text;
}
