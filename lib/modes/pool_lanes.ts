import { LIMITS } from "../cli/limits.ts";
import type { LanePlan } from "./types.ts";

/**
 * A pool's lanes without `--lanes`: one a core for CPU work; for I/O work as many as
 * Python's `ThreadPoolExecutor` starts, `min(32, cores + 4)`, because lanes that wait on the
 * network leave their cores free (with 2 lanes, downloads ran barely faster than sequential).
 */
export function poolDefaultLanes({ cores, bound }: LanePlan): number {
  return Math.min(bound === "io" ? Math.min(IO_POOL_MAX, cores + 4) : cores, POOL_MAX_LANES);
}

/** Most lanes a pool starts by default for I/O work, as `ThreadPoolExecutor` does. */
export const IO_POOL_MAX = 32;

/** Threads and processes each cost tens of MB: a small multiple of any core count. */
export const POOL_MAX_LANES = LIMITS.poolLanes.max;
