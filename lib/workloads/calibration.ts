/**
 * Sizing a task list on this machine (`--size auto`), for any workload that declares a
 * calibrated option: the prediction, the check against the first measured sequential run,
 * and the words the header and the summaries show.
 */

/** Time a sequential run of a calibrated task list should take on this machine. */
export const TARGET_SEQUENTIAL_MS = 6000;

/**
 * How far the first measured sequential run may stray from the target before the task list
 * is re-sized: within a quarter the sizing did its job (runs on a shared machine vary by
 * about a tenth); beyond, the kernel timing misjudged this machine.
 */
const RECHECK_TOLERANCE = 0.25;

/** What `--size auto` chose, and how long the sequential run should take with it. */
export interface Calibration {
  /** The calibrated option's value (cpu: the base `n`). */
  readonly size: number;
  readonly tasks: number;
  /** The sequential time of the whole list this size was chosen for. */
  readonly targetMs: number;
  /** The predicted sequential time of the whole list at this size. */
  readonly predictedMs: number;
  /** True once checked against a measured sequential run: that happens once. */
  readonly checked?: boolean;
  /** Set when that check re-sized the list: the size before, and what its run took. */
  readonly resizedFrom?: { readonly size: number; readonly measuredMs: number };
}

/** `~6.0 s`, `~850 ms`: a predicted time, rounded as loosely as it is known. */
function formatPredicted(ms: number): string {
  return ms >= 1000 ? `~${(ms / 1000).toFixed(1)} s` : `~${Math.round(ms)} ms`;
}

/** `5.8 s`, `850 ms`: a measured time. */
function formatTook(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Three significant digits: a size that reads as chosen, not as measured. */
export function roundSize(n: number): number {
  if (n < 1) return Math.round(n);
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 2);
  return Math.round(n / unit) * unit;
}

/**
 * The calibration checked against the first sequential run measured on its task list. Within
 * {@link RECHECK_TOLERANCE} of the target it stands; beyond, the size is scaled by target over
 * measured (a task's time grows with its size) and clamped to `limits`, and the prediction is
 * the measured time scaled the same way. Pure: the figures come in, a calibration goes out.
 */
export function recheckCalibration(
  calibration: Calibration,
  measuredMs: number,
  limits: { readonly min: number; readonly max: number },
  tolerance = RECHECK_TOLERANCE,
): Calibration {
  if (calibration.checked) return calibration;
  const off = Math.abs(measuredMs - calibration.targetMs) / calibration.targetMs;
  if (!(measuredMs > 0) || off <= tolerance) return { ...calibration, checked: true };
  const scaled = roundSize(calibration.size * calibration.targetMs / measuredMs);
  const size = Math.max(limits.min, Math.min(limits.max, scaled));
  if (size === calibration.size) return { ...calibration, checked: true };
  return {
    size,
    tasks: calibration.tasks,
    targetMs: calibration.targetMs,
    predictedMs: measuredMs * size / calibration.size,
    checked: true,
    resizedFrom: { size: calibration.size, measuredMs },
  };
}

/**
 * The calibration in words, with the real figure once a sequential run on its task list has
 * measured it (`sequentialMs`): what the header and the compare summary show.
 */
export function calibrationNote(calibration: Calibration, sequentialMs?: number): string {
  const predicted = `${formatPredicted(calibration.predictedMs)} sequential predicted`;
  const from = calibration.resizedFrom;
  const resized = from
    ? `re-sized from ${from.size.toLocaleString("en-US")}, where sequential took ${
      formatTook(from.measuredMs)
    }`
    : undefined;
  const took = sequentialMs === undefined
    ? undefined
    : `sequential took ${formatTook(sequentialMs)}`;
  return `auto: ${[took, predicted, resized].filter((p) => p !== undefined).join(", ")}`;
}

/**
 * The header's note while a measured run awaits its re-size: the real figure, and the size
 * the next runs will have.
 */
export function pendingResizeNote(checked: Calibration): string {
  const from = checked.resizedFrom!;
  return `auto: sequential took ${formatTook(from.measuredMs)}, ${
    formatPredicted(checked.targetMs)
  } was the target: the next run is re-sized to ${checked.size.toLocaleString("en-US")} (${
    formatPredicted(checked.predictedMs)
  })`;
}
