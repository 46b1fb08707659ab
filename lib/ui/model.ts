import { LIMITS } from "../cli/limits.ts";
import { MODE_NAMES } from "../modes/mod.ts";
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

/** Workloads the `w` key cycles through. */
export const DASHBOARD_WORKLOADS = ["cpu", "io"] as const;

/** Folds a UI-only action into the choices; run control actions leave them unchanged. */
export function reduceUi(state: UiState, action: Action, defaultLanes: number): UiState {
  const modeAt = (i: number) => MODE_NAMES[(i + MODE_NAMES.length) % MODE_NAMES.length];
  const current = MODE_NAMES.indexOf(state.mode);
  switch (action.type) {
    case "select-mode":
      return { ...state, mode: MODE_NAMES[action.index] ?? state.mode };
    case "next-mode":
      return { ...state, mode: modeAt(current + 1) };
    case "prev-mode":
      return { ...state, mode: modeAt(current - 1) };
    case "toggle-workload": {
      const i = DASHBOARD_WORKLOADS.indexOf(state.workload as "cpu");
      return { ...state, workload: DASHBOARD_WORKLOADS[(i + 1) % DASHBOARD_WORKLOADS.length] };
    }
    case "toggle-tutorial":
      return { ...state, tutorial: !state.tutorial };
    case "lanes": {
      const lanes = Math.max(
        LIMITS.poolLanes.min,
        Math.min(LIMITS.poolLanes.max, (state.lanes ?? defaultLanes) + action.delta),
      );
      return { ...state, lanes };
    }
    case "help":
      return { ...state, help: !state.help };
    default:
      return state;
  }
}
