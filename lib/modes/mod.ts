import type { ModeName } from "../run/events.ts";
import { asyncMode } from "./async.ts";
import { sequentialMode } from "./sequential.ts";
import { subprocessMode } from "./subprocess.ts";
import type { Mode } from "./types.ts";
import { workersMode } from "./workers.ts";

/** The four modes, in the order the dashboard and tables show them. */
export const MODES: readonly Mode[] = [sequentialMode, asyncMode, workersMode, subprocessMode];

/** The mode names, in order. */
export const MODE_NAMES: readonly ModeName[] = MODES.map((m) => m.name);

/** The mode called `name`. */
export function getMode(name: ModeName): Mode {
  return MODES.find((m) => m.name === name)!;
}
