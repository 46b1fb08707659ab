import { UsageError } from "../errors.ts";
import {
  checkWritable,
  type ExportData,
  exportFormat,
  writeExport,
  writeTrace,
} from "../export.ts";
import type { ModeName } from "../run/events.ts";
import {
  checkModes,
  expectedTasks,
  resolveSettings,
  type Settings,
  type SharedOptions,
} from "../settings.ts";
import { cancelOnSignals } from "../signals.ts";
import type { Prepared } from "../workloads/types.ts";

/** Where `run` and `compare` write their results besides stdout. */
export interface OutputOptions {
  readonly export?: string;
  readonly trace?: string;
}

/** What a command body gets: validated settings, the prepared tasks, the run's signal. */
export interface Session {
  readonly settings: Settings;
  readonly prepared: Prepared;
  readonly signal: AbortSignal;
}

/** Checks `--export` and `--trace` paths before anything runs. */
function checkOutputs(options: OutputOptions): void {
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

/** Writes the export and the trace that were asked for. */
export function writeOutputs(options: OutputOptions, data: ExportData): void {
  if (options.export) writeExport(options.export, data);
  if (options.trace) writeTrace(options.trace, data.runs);
}

/**
 * The frame `run` and `compare` share: every check that can fail before the work starts,
 * then the workload prepared once for all `modes`, Ctrl-C and SIGTERM cancelling, and the
 * workload's resources released however the body ends.
 */
export async function withSession<T>(
  options: SharedOptions & OutputOptions,
  modes: readonly ModeName[],
  body: (session: Session) => Promise<T>,
): Promise<T> {
  const settings = resolveSettings(options);
  checkOutputs(options);
  // Every check before anything starts: preparing the io workload starts its server.
  checkModes(modes, settings.lanes, expectedTasks(options));
  const prepared = await settings.workload.prepare(settings.workloadOptions);
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  try {
    return await body({ settings, prepared, signal: controller.signal });
  } finally {
    stopListening();
    await prepared.close();
  }
}
