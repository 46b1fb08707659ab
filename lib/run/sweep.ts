/** A lanes sweep: the modes that have lanes, measured at each lane count of a list. */
import { UsageError } from "../cli/errors.ts";
import { LIMITS } from "../cli/limits.ts";
import { getMode, hasLanes, plannedLanes } from "../modes/mod.ts";
import type { LanePlan } from "../modes/types.ts";
import type { ModeName } from "./events.ts";
import type { MeasureTarget } from "./measure.ts";

const n = (x: number) => x.toLocaleString("en-US");

/** The one message for every bad `--lanes-sweep` value. */
function badSweep(value: string): UsageError {
  const { min, max } = LIMITS.asyncLanes;
  return new UsageError(
    `--lanes-sweep must be lane counts from ${n(min)} to ${n(max)}, as a list (1,2,4,8) ` +
      `or a range (1..16), at most ${LIMITS.sweepPoints.max} counts, got "${value}"`,
  );
}

/**
 * Parses `1,2,4,8`, `1..16` or both mixed (`1..4,8`) into ascending distinct lane counts,
 * within the async limit and at most {@link LIMITS.sweepPoints} of them.
 */
export function parseLanesSweep(value: string): number[] {
  const counts = new Set<number>();
  const items = value.split(",").map((s) => s.trim());
  const whole = (s: string) => {
    const x = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(x) || x < LIMITS.asyncLanes.min || x > LIMITS.asyncLanes.max) {
      throw badSweep(value);
    }
    return x;
  };
  for (const item of items) {
    const range = item.match(/^(\d+)\s*\.\.\s*(\d+)$/);
    if (range) {
      const [from, to] = [whole(range[1]), whole(range[2])];
      // Checked before expanding: `1..10000` must not build a list of ten thousand.
      if (to < from || to - from + 1 > LIMITS.sweepPoints.max) throw badSweep(value);
      for (let x = from; x <= to; x++) counts.add(x);
    } else counts.add(whole(item));
  }
  if (counts.size < LIMITS.sweepPoints.min || counts.size > LIMITS.sweepPoints.max) {
    throw badSweep(value);
  }
  return [...counts].sort((a, b) => a - b);
}

/**
 * What a sweep measures, in the order of `modes`: a mode whose lanes follow what is asked
 * once at each count (the same lanes twice only once: async never runs more slots than
 * tasks), any other mode (the baseline) once at its own lanes. Every count must be within
 * each swept mode's limit, checked before anything starts.
 */
export function sweepTargets(
  modes: readonly ModeName[],
  counts: readonly number[],
  plan: LanePlan,
): MeasureTarget[] {
  const swept = modes.filter((m) => hasLanes(getMode(m), plan));
  if (swept.length === 0) {
    throw new UsageError(
      `--lanes-sweep needs a mode whose lanes can vary among --modes (${modes.join(", ")} ` +
        `run with one lane each)`,
    );
  }
  const top = Math.max(...counts);
  for (const name of swept) {
    const mode = getMode(name);
    if (mode.maxLanes !== undefined && top > mode.maxLanes) {
      throw new UsageError(
        `--lanes-sweep goes up to ${n(top)}, above ${name} mode's limit of ${mode.maxLanes} ` +
          `(it starts one ${mode.laneKind} each)`,
      );
    }
  }
  return modes.flatMap((name): MeasureTarget[] => {
    const mode = getMode(name);
    if (!swept.includes(name)) return [name];
    const lanes = [...new Set(counts.map((c) => plannedLanes(mode, c, plan)))];
    return lanes.map((l) => ({ mode: name, lanes: l }));
  });
}
