import type { ModeName } from "../run/events.ts";
import { asyncMode } from "./async.ts";
import { clusterMode } from "./cluster.ts";
import { sequentialMode } from "./sequential.ts";
import { subprocessMode } from "./subprocess.ts";
import type { Mode } from "./types.ts";
import { workersMode } from "./workers.ts";

/** The modes, in the order the dashboard and tables show them. */
export const MODES: readonly Mode[] = [
  sequentialMode,
  asyncMode,
  workersMode,
  subprocessMode,
  clusterMode,
];

/** The mode names, in order. */
export const MODE_NAMES: readonly ModeName[] = MODES.map((m) => m.name);

/** The modes that need nothing but this machine: what `compare` and `a` run by default. */
export const DEFAULT_MODE_NAMES: readonly ModeName[] = MODE_NAMES.filter((m) => m !== "cluster");

/** The mode called `name`. */
export function getMode(name: ModeName): Mode {
  return MODES.find((m) => m.name === name)!;
}
