import { calibrationNote } from "../../workloads/calibration.ts";
import { EXIT, UsageError } from "../errors.ts";
import { reportJsonParts } from "../../report/export.ts";
import { measureModes, type MeasureTarget } from "../../run/measure.ts";
import { sweepTargets } from "../../run/sweep.ts";
import { adviceLines, advise, evidenceOf } from "../../report/advice.ts";
import { comparisonRows } from "../../report/comparison.ts";
import { sweepOf, sweepText } from "../../report/sweep.ts";
import { isBaseline, modeNames } from "../../modes/mod.ts";
import { createLiveLine } from "../../report/live_line.ts";
import { compareTable } from "../../report/text.ts";
import type { ModeName } from "../../run/events.ts";
import type { RunResult } from "../../run/result.ts";
import {
  coreCount,
  expectedTasks,
  lanePlan,
  resolveSettings,
  type SharedOptions,
} from "../settings.ts";
import {
  noteOnce,
  type OutputOptions,
  printModeFailure,
  withSession,
  writeOutputs,
} from "./session.ts";

/** Options of `compare`. */
export interface CompareCommandOptions extends SharedOptions, OutputOptions {
  readonly modes: readonly ModeName[];
  readonly runs?: number;
  readonly warmup?: number;
  readonly json?: boolean;
  /** `--lanes-sweep`: lane counts at which to measure every mode that has lanes. */
  readonly lanesSweep?: readonly number[];
}

/** The terminal's width for the sweep's chart; 80 columns when stdout is not a terminal. */
function chartWidth(): number {
  return Deno.stdout.isTerminal() ? Math.max(40, Deno.consoleSize().columns) : 80;
}

/**
 * What `compare` measures: each mode at its own lanes, or with `--lanes-sweep` each mode
 * that has lanes at every count (checked now, before anything starts).
 */
function targetsOf(options: CompareCommandOptions): MeasureTarget[] {
  if (options.lanesSweep === undefined) return [...options.modes];
  if (options.lanes !== undefined) {
    throw new UsageError(
      "--lanes and --lanes-sweep cannot be given together (the sweep sets the lanes)",
    );
  }
  const workload = resolveSettings(options).workload;
  return sweepTargets(
    options.modes,
    options.lanesSweep,
    lanePlan(workload, expectedTasks(options)),
  );
}

/** Parses `--modes sequential,workers`; every name must be a mode, none twice. */
export function parseModes(value: string): ModeName[] {
  const names = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = names.find((n) => !modeNames().includes(n));
  if (bad !== undefined || names.length === 0) {
    throw new UsageError(
      `--modes must be a comma-separated list of ${modeNames().join(", ")}, got "${value}"`,
    );
  }
  return [...new Set(names)] as ModeName[];
}

/**
 * `conc101 compare`: the same tasks in each mode, `--runs` times each, then a table with
 * medians and spread. Interrupted, it still prints and exports the runs that finished.
 */
export function compareCommand(options: CompareCommandOptions): Promise<number> {
  const targets = targetsOf(options);
  return withSession(
    options,
    options.modes,
    async ({ settings, prepared, signal, calibration }) => {
      const live = !options.json && Deno.stderr.isTerminal()
        ? createLiveLine("conc101")
        : undefined;
      const modes = await measureModes(targets, settings, prepared, {
        runs: options.runs ?? 1,
        warmup: options.warmup ?? 0,
        signal,
        onState: live?.onState,
        onNote: noteOnce(),
        onModeFailed: printModeFailure,
      });
      live?.clear();
      const runs: RunResult[] = modes.flatMap((m) => m.runs);
      // The calibration's prediction beside what the sequential run really took.
      const sequential = modes.find((m) => isBaseline(m.mode))?.wall?.medianMs;
      const summary = calibration
        ? `${prepared.summary} (${calibrationNote(calibration, sequential)})`
        : prepared.summary;
      const cores = coreCount();
      const swept = [
        ...new Set(targets.flatMap((t) => (typeof t === "string" ? [] : [t.mode]))),
      ];
      const sweep = options.lanesSweep
        ? sweepOf(comparisonRows(modes), swept, options.lanesSweep, cores)
        : undefined;
      const advice = advise(evidenceOf(modes, cores, { sweep, cancelled: signal.aborted }));
      const data = { workload: settings.workload.name, summary, runs, modes, sweep, advice };
      // Results first: a file that cannot be written must not cost the run's output.
      if (options.json) writeParts(reportJsonParts(data));
      else {
        console.log([
          `${settings.workload.name} workload: ${summary}`,
          compareTable(modes),
          ...(sweep ? [sweepText(sweep, chartWidth())] : []),
          adviceLines(advice).join("\n"),
        ].join("\n\n"));
      }

      const written = writeOutputs(options, data);
      if (signal.aborted) return EXIT.cancelled;
      return runs.every((r) => r.status === "done") && written ? EXIT.ok : EXIT.failed;
    },
  );
}

/** Writes text to stdout as it is made, 64 KB at a time rather than a write a part. */
function writeParts(parts: Iterable<string>): void {
  const encoder = new TextEncoder();
  const write = (text: string) => {
    const bytes = encoder.encode(text);
    for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
  };
  let pending: string[] = [];
  let size = 0;
  for (const part of parts) {
    pending.push(part);
    size += part.length;
    if (size < 65_536) continue;
    write(pending.join(""));
    pending = [];
    size = 0;
  }
  write(pending.join(""));
}
