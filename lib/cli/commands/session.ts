import { UsageError } from "../errors.ts";
import {
  checkDistinct,
  checkWritable,
  type ExportData,
  exportFormat,
  writeExport,
  writeTrace,
} from "../../report/export.ts";
import type { Calibration } from "../../workloads/calibration.ts";
import type { ModeName } from "../../run/events.ts";
import { errorMessage, safeText } from "../../process/safe_text.ts";
import {
  checkModes,
  expectedTasks,
  resolveSettings,
  type Settings,
  type SharedOptions,
  withModuleLoaded,
} from "../settings.ts";
import { cancelOnSignals } from "../../process/signals.ts";
import { getMode } from "../../modes/mod.ts";
import type { Prepared } from "../../workloads/types.ts";

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
  /** What `--size auto` chose (cpu without a size), to check against the sequential run. */
  readonly calibration?: Calibration;
}

/**
 * Settings with `--size auto` resolved: a workload that calibrates an option the command line
 * left unset gets it sized for ~6 s sequential here, for the task list it will run.
 */
function autoSize(
  settings: Settings,
  options: SharedOptions,
): { settings: Settings; calibration?: Calibration } {
  const tuned = settings.workload.calibrated;
  if (!tuned || settings.workloadOptions[tuned.option] !== undefined) return { settings };
  const calibration = tuned.calibrate(expectedTasks(options));
  return {
    settings: {
      ...settings,
      workloadOptions: { ...settings.workloadOptions, [tuned.option]: calibration.size },
    },
    calibration,
  };
}

/**
 * What each mode needs beyond permissions (cluster: Redis answers, or redis-server is there);
 * `--redis` without a mode that reads it is a mistake.
 */
async function checkReady(modes: readonly ModeName[], settings: Settings): Promise<void> {
  const ready = modes.map(getMode).filter((m) => m.checkReady);
  if (settings.redis !== undefined && ready.length === 0) {
    throw new UsageError("--redis applies to cluster mode only (--mode cluster, or compare)");
  }
  for (const mode of ready) {
    await mode.checkReady!({
      redis: settings.redis,
      lanes: settings.lanes,
      workload: settings.workload.name,
    });
  }
}

/** Checks `--export` and `--trace` paths before anything runs. */
function checkOutputs(options: OutputOptions): void {
  if (options.export !== undefined) {
    exportFormat(options.export);
    checkWritable(options.export, "--export");
  }
  if (options.trace !== undefined) {
    if (!/\.json$/i.test(options.trace)) {
      throw new UsageError(`--trace ${safeText(options.trace)}: the file must end in .json`);
    }
    checkWritable(options.trace, "--trace");
  }
  if (options.export !== undefined && options.trace !== undefined) {
    checkDistinct(options.export, options.trace);
  }
}

/** Says on stderr that a mode itself failed: the run's tasks say the rest. */
export function printModeFailure(mode: ModeName, why: string): void {
  console.error(`conc101: ${mode} mode failed: ${why}`);
}

/** Prints each distinct note (lanes lowered to fit) once, as one line on stderr. */
export function noteOnce(): (note: string) => void {
  const seen = new Set<string>();
  return (note) => {
    if (seen.has(note)) return;
    seen.add(note);
    console.error(`conc101: ${note}`);
  };
}

/**
 * Writes the export and the trace that were asked for, after the results are printed: a
 * file that cannot be written is one line on stderr, and the results are already out.
 * Returns false when one could not be written.
 */
export function writeOutputs(options: OutputOptions, data: ExportData): boolean {
  let ok = true;
  const attempt = (flag: string, path: string | undefined, write: (path: string) => void) => {
    if (path === undefined) return;
    try {
      write(path);
    } catch (err) {
      ok = false;
      console.error(`conc101: ${flag} ${safeText(path)}: not written: ${errorMessage(err)}`);
    }
  };
  attempt("--export", options.export, (path) => writeExport(path, data));
  attempt("--trace", options.trace, (path) => writeTrace(path, data.runs));
  return ok;
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
  options = await withModuleLoaded(options);
  const resolved = resolveSettings(options);
  resolved.workload.checkGrants?.(resolved.workloadOptions);
  checkOutputs(options);
  // Every check before anything starts: preparing the io workload starts its server.
  checkModes(modes, resolved, expectedTasks(options));
  await checkReady(modes, resolved);
  const { settings, calibration } = autoSize(resolved, options);
  const prepared = await settings.workload.prepare(settings.workloadOptions);
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  try {
    // Again with the hosts the tasks need: a child's grant must fit on its command line.
    checkModes(modes, settings, prepared.tasks.length, prepared.netHosts);
    return await body({ settings, prepared, signal: controller.signal, calibration });
  } finally {
    stopListening();
    await prepared.close();
  }
}
