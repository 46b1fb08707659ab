import { LIMITS } from "../cli/limits.ts";
import type { LanePlan } from "./types.ts";

/**
 * A pool's lanes without `--lanes`: one a core for CPU work; for I/O work as many as
 * Python's `ThreadPoolExecutor` starts, `min(32, cores + 4)`, because lanes that wait on the
 * network leave their cores free (with 2 lanes, downloads ran barely faster than sequential).
 */
export function poolDefaultLanes({ cores, bound }: LanePlan): number {
  return Math.min(bound === "io" ? Math.min(32, cores + 4) : cores, POOL_MAX_LANES);
}

/** Threads and processes each cost tens of MB: a small multiple of any core count. */
export const POOL_MAX_LANES = LIMITS.poolLanes.max;
