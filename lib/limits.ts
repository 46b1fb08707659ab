/** Bounds on every numeric flag, chosen so a typo cannot fork-bomb the machine or fill memory. */
export const LIMITS = {
  tasks: { min: 1, max: 10_000 },
  size: { min: 0, max: 2_000_000_000 },
  /** Threads and processes: each costs tens of MB, so a small multiple of any core count. */
  poolLanes: { min: 1, max: 64 },
  /** Main-thread slots cost almost nothing; one per task at most. */
  asyncLanes: { min: 1, max: 10_000 },
  perLane: { min: 1, max: 256 },
  taskTimeoutMs: { min: 0, max: 3_600_000 },
  latencyMs: { min: 0, max: 60_000 },
  jitterMs: { min: 0, max: 60_000 },
  pageKb: { min: 1, max: 65_536 },
  timeoutMs: { min: 1, max: 3_600_000 },
  port: { min: 0, max: 65_535 },
  runs: { min: 1, max: 100 },
  warmup: { min: 0, max: 100 },
  /** URLs from --url and --urls together. */
  urls: 10_000,
  /** Bytes of a --urls file: 10,000 URLs of 1.6 KB on average; more is not a URL list. */
  urlsFileBytes: 16 * 1024 * 1024,
} as const;
