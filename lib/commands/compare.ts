import { EXIT, UsageError } from "../errors.ts";
import { checkWritable, exportFormat, writeExport, writeTrace } from "../export.ts";
import { measureModes } from "../measure.ts";
import { MODE_NAMES } from "../modes/mod.ts";
import { createLiveLine } from "../report/live_line.ts";
import { compareTable } from "../report/text.ts";
import type { ModeName } from "../run/events.ts";
import type { RunResult } from "../run/result.ts";
import {
  checkModePermissions,
  lanesFor,
  resolveSettings,
  type SharedOptions,
} from "../settings.ts";
import { cancelOnSignals } from "../signals.ts";

/** Options of `compare`. */
export interface CompareCommandOptions extends SharedOptions {
  readonly modes: readonly ModeName[];
  readonly runs?: number;
  readonly warmup?: number;
  readonly json?: boolean;
  readonly export?: string;
  readonly trace?: string;
}

/** Parses `--modes sequential,workers`; every name must be a mode, none twice. */
export function parseModes(value: string): ModeName[] {
  const names = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = names.find((n) => !(MODE_NAMES as readonly string[]).includes(n));
  if (bad !== undefined || names.length === 0) {
    throw new UsageError(
      `--modes must be a comma-separated list of ${MODE_NAMES.join(", ")}, got "${value}"`,
    );
  }
  return [...new Set(names)] as ModeName[];
}

/** Checks `--export` and `--trace` paths before anything runs. */
export function checkOutputs(options: { export?: string; trace?: string }): void {
  if (options.export !== undefined) {
    exportFormat(options.export);
    checkWritable(options.export, "--export");
  }
  if (options.trace !== undefined) {
    if (!/\.json$/i.test(options.trace)) {
      throw new UsageError(`--trace ${options.trace}: the file must end in .json`);
    }
    checkWritable(options.trace, "--trace");
  }
}

/**
 * `conc101 compare`: the same tasks in each mode, `--runs` times each, then a table with
 * medians and spread. Interrupted, it still prints and exports the runs that finished.
 */
export async function compareCommand(options: CompareCommandOptions): Promise<number> {
  const settings = resolveSettings(options);
  checkOutputs(options);
  const prepared = await settings.workload.prepare(settings.workloadOptions);
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  try {
    for (const mode of options.modes) {
      lanesFor(mode, settings.lanes, prepared.tasks.length);
      checkModePermissions(mode);
    }
    const live = !options.json && Deno.stderr.isTerminal() ? createLiveLine("conc101") : undefined;
    const modes = await measureModes(options.modes, settings, prepared, {
      runs: options.runs ?? 1,
      warmup: options.warmup ?? 0,
      signal: controller.signal,
      onState: (s) => live?.onState(s),
    });
    live?.clear();
    const runs: RunResult[] = modes.flatMap((m) => m.runs);
    const data = { workload: settings.workload.name, summary: prepared.summary, runs, modes };
    if (options.export) writeExport(options.export, data);
    if (options.trace) writeTrace(options.trace, runs);
    console.log(
      options.json
        ? JSON.stringify(data, null, 2)
        : `${settings.workload.name} workload: ${prepared.summary}\n\n${compareTable(modes)}`,
    );
    if (controller.signal.aborted) return EXIT.cancelled;
    return runs.every((r) => r.status === "done") ? EXIT.ok : EXIT.failed;
  } finally {
    stopListening();
    await prepared.close();
  }
}
