import { EXIT } from "../errors.ts";
import { createLiveLine } from "../report/live_line.ts";
import { runSummary } from "../report/text.ts";
import type { ModeName } from "../run/events.ts";
import { toRunResult } from "../run/result.ts";
import {
  checkModePermissions,
  lanesFor,
  resolveSettings,
  type SharedOptions,
} from "../settings.ts";
import { cancelOnSignals } from "../signals.ts";
import { writeExport, writeTrace } from "../export.ts";
import { summarizeRuns } from "../measure.ts";
import { checkOutputs } from "./compare.ts";
import { executeMode } from "./execute.ts";

/** Options of `run`. */
export interface RunCommandOptions extends SharedOptions {
  readonly mode: ModeName;
  readonly json?: boolean;
  readonly export?: string;
  readonly trace?: string;
}

/** `conc101 run`: one mode, live progress on a terminal, then a summary or JSON. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const settings = resolveSettings(options);
  checkOutputs(options);
  const prepared = await settings.workload.prepare(settings.workloadOptions);
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  try {
    // Validate lanes before anything starts, so a bad value starts nothing.
    lanesFor(options.mode, settings.lanes, prepared.tasks.length);
    checkModePermissions(options.mode);
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
    if (options.export) {
      writeExport(options.export, {
        workload: settings.workload.name,
        summary: prepared.summary,
        runs: [result],
        modes: [summarizeRuns(result.mode, [result])],
      });
    }
    if (options.trace) writeTrace(options.trace, [result]);
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
