import { LIMITS } from "../cli/limits.ts";
import { modeNames } from "../modes/mod.ts";
import { workloadNames } from "../workloads/registry.ts";
import type { ModeName } from "../run/events.ts";
import type { Action } from "./keys.ts";

/** What the user has chosen on the dashboard (not the run: that lives in the run state). */
export interface UiState {
  readonly mode: ModeName;
  readonly workload: string;
  /** CPU: run the tutorial's exact tasks instead of the calibrated ones. */
  readonly tutorial: boolean;
  /** Lanes asked for; undefined means each mode's default. */
  readonly lanes?: number;
  readonly help: boolean;
}

/**
 * Folds a UI-only action into the choices; run control actions leave them unchanged.
 * `shownLanes` are the lanes the selected mode would use now, where `+`/`-` start from.
 */
export function reduceUi(state: UiState, action: Action, shownLanes: number): UiState {
  const names = modeNames();
  const modeAt = (i: number) => names[(i + names.length) % names.length];
  const current = names.indexOf(state.mode);
  switch (action.type) {
    case "select-mode":
      return { ...state, mode: names[action.index] ?? state.mode };
    case "next-mode":
      return { ...state, mode: modeAt(current + 1) };
    case "prev-mode":
      return { ...state, mode: modeAt(current - 1) };
    case "toggle-workload": {
      const offered = workloadNames();
      const i = offered.indexOf(state.workload);
      return { ...state, workload: offered[(i + 1) % offered.length] };
    }
    case "toggle-tutorial":
      return { ...state, tutorial: !state.tutorial };
    case "lanes": {
      const lanes = Math.max(
        LIMITS.poolLanes.min,
        Math.min(LIMITS.poolLanes.max, (state.lanes ?? shownLanes) + action.delta),
      );
      return { ...state, lanes };
    }
    case "help":
      return { ...state, help: !state.help };
    default:
      return state;
  }
}
