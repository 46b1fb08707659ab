import { calibrationNote } from "../../workloads/calibration.ts";
import { isBaseline } from "../../modes/mod.ts";
import { EXIT } from "../errors.ts";
import { measureModes } from "../../run/measure.ts";
import { createLiveLine } from "../../report/live_line.ts";
import { runSummary } from "../../report/text.ts";
import type { ModeName } from "../../run/events.ts";
import type { SharedOptions } from "../settings.ts";
import {
  noteOnce,
  type OutputOptions,
  printModeFailure,
  withSession,
  writeOutputs,
} from "./session.ts";

/** Options of `run`. */
export interface RunCommandOptions extends SharedOptions, OutputOptions {
  readonly mode: ModeName;
  readonly json?: boolean;
}

/** `conc101 run`: one mode, live progress on a terminal, then a summary or JSON. */
export function runCommand(options: RunCommandOptions): Promise<number> {
  return withSession(
    options,
    [options.mode],
    async ({ settings, prepared, signal, calibration }) => {
      const live = !options.json && Deno.stderr.isTerminal()
        ? createLiveLine("conc101")
        : undefined;
      // A cancelled run is still reported: keep it rather than drop it as compare does.
      const modes = await measureModes([options.mode], settings, prepared, {
        runs: 1,
        warmup: 0,
        signal,
        keepCancelled: true,
        onState: live?.onState,
        onNote: noteOnce(),
        onModeFailed: printModeFailure,
      });
      live?.clear();
      const result = modes[0].runs[0];
      // Results first: a file that cannot be written must not cost the run's output.
      const sequential = isBaseline(result.mode) && result.status === "done"
        ? result.wallMs
        : undefined;
      const summary = calibration
        ? `${prepared.summary} (${calibrationNote(calibration, sequential)})`
        : prepared.summary;
      console.log(
        options.json
          ? JSON.stringify(result, null, 2)
          : `${calibration ? `${settings.workload.name} workload: ${summary}\n` : ""}${
            runSummary(result)
          }`,
      );
      const written = writeOutputs(options, {
        workload: settings.workload.name,
        summary,
        runs: [result],
        modes,
      });
      return result.status === "cancelled"
        ? EXIT.cancelled
        : result.status === "done" && written
        ? EXIT.ok
        : EXIT.failed;
    },
  );
}
