import { getWorkload } from "../workloads/registry.ts";
import { getMode } from "../modes/mod.ts";
import type { Aggregate } from "../workloads/types.ts";
import type { RunState } from "./state.ts";

/**
 * The run's figures beyond its tasks (a race's expected, actual and lost updates), as its
 * workload sums them; undefined for workloads that report none. Asked while the run goes on
 * (the dashboard's live line) and once at its end (the result).
 */
export function aggregateRun(state: RunState): Aggregate | undefined {
  let aggregate;
  let mode;
  try {
    aggregate = getWorkload(state.workload).aggregate;
    mode = getMode(state.mode);
  } catch {
    return undefined; // A workload or mode made by a test, not in the registry.
  }
  return aggregate?.(
    state.tasks.map((t) => ({
      input: t.input,
      ...(t.result === undefined ? {} : { result: t.result }),
      done: t.done,
      finished: t.status !== "pending" && t.status !== "running",
    })),
    { mode: state.mode, lanes: state.lanes, laneKind: mode.laneKind, baseline: !!mode.baseline },
  );
}
