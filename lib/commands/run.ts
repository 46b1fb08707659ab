import { EXIT } from "../errors.ts";
import { createLiveLine } from "../report/live_line.ts";
import { runSummary } from "../report/text.ts";
import type { ModeName } from "../run/events.ts";
import { toRunResult } from "../run/result.ts";
import { lanesFor, resolveSettings, type SharedOptions } from "../settings.ts";
import { cancelOnSignals } from "../signals.ts";
import { executeMode } from "./execute.ts";

/** Options of `run`. */
export interface RunCommandOptions extends SharedOptions {
  readonly mode: ModeName;
  readonly json?: boolean;
}

/** `conc101 run`: one mode, live progress on a terminal, then a summary or JSON. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const settings = resolveSettings(options);
  const prepared = await settings.workload.prepare(settings.workloadOptions);
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  try {
    // Validate lanes before anything starts, so a bad value starts nothing.
    lanesFor(options.mode, settings.lanes, prepared.tasks.length);
    const live = !options.json && Deno.stderr.isTerminal() ? createLiveLine("conc101") : undefined;
    const state = await executeMode(
      options.mode,
      settings,
      prepared,
      controller.signal,
      live?.onEvent,
    );
    live?.clear();
    const result = toRunResult(state);
    console.log(options.json ? JSON.stringify(result, null, 2) : runSummary(result));
    return state.status === "done"
      ? EXIT.ok
      : state.status === "cancelled"
      ? EXIT.cancelled
      : EXIT.failed;
  } finally {
    stopListening();
    await prepared.close();
  }
}
