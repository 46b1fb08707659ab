import { UsageError } from "../cli/errors.ts";
import type { ModeName } from "../run/events.ts";
import { asyncMode } from "./async.ts";
import { clusterMode } from "./cluster.ts";
import { sequentialMode } from "./sequential.ts";
import { subprocessMode } from "./subprocess.ts";
import type { LanePlan, Mode } from "./types.ts";
import { workersMode } from "./workers.ts";

/** Every mode, in the order the dashboard and tables show them. */
const registered: Mode[] = [
  sequentialMode,
  asyncMode,
  workersMode,
  subprocessMode,
  clusterMode,
];

/** The modes, in order: keys, tabs, help, `--modes` and compare all read this list. */
export function modes(): readonly Mode[] {
  return registered;
}

/** The mode names, in order. */
export function modeNames(): ModeName[] {
  return registered.map((m) => m.name);
}

/** Adds a mode after the others; returns the function that removes it again (tests). */
export function registerMode(mode: Mode): () => void {
  if (registered.some((m) => m.name === mode.name)) {
    throw new Error(`a mode called "${mode.name}" is registered already`);
  }
  registered.push(mode);
  return () => void registered.splice(registered.indexOf(mode), 1);
}

/** The modes that need nothing but this machine: what `compare` and `a` run by default. */
export function defaultModeNames(): ModeName[] {
  return registered.filter((m) => m.local).map((m) => m.name);
}

/** The mode called `name`. */
export function getMode(name: ModeName): Mode {
  const found = registered.find((m) => m.name === name);
  if (!found) throw new Error(`unknown mode "${name}" (allowed: ${modeNames().join(", ")})`);
  return found;
}

/** True for the mode every speedup and the calibration's check are measured against. */
export function isBaseline(name: ModeName): boolean {
  return registered.some((m) => m.name === name && m.baseline === true);
}

/** The lanes `mode` would use, before its limit is checked: what the dashboard shows. */
export function plannedLanes(mode: Mode, asked: number | undefined, plan: LanePlan): number {
  if (asked === undefined) return mode.defaultLanes(plan);
  return mode.lanesFor ? mode.lanesFor(asked, plan) : asked;
}

/**
 * The lanes `mode` uses: {@link plannedLanes}, within the mode's limit, so a typo cannot
 * start thousands of threads or processes.
 */
export function checkedLanes(mode: Mode, asked: number | undefined, plan: LanePlan): number {
  const lanes = plannedLanes(mode, asked, plan);
  if (mode.maxLanes !== undefined && lanes > mode.maxLanes) {
    throw new UsageError(
      `--lanes must be from 1 to ${mode.maxLanes} for ${mode.name} mode (it starts one ${mode.laneKind} each), got ${lanes}`,
    );
  }
  return lanes;
}

/**
 * True when `mode`'s lanes follow what is asked (pools, async's tasks in flight), so a lanes
 * sweep has something to vary; false for a mode with one lane whatever is asked.
 */
export function hasLanes(mode: Mode, plan: LanePlan): boolean {
  return plannedLanes(mode, 2, plan) !== plannedLanes(mode, 1, plan);
}
