/** Progress is passed on at most this often per task; a task's end fills its bar. */
export const PROGRESS_INTERVAL_MS = 50;

/**
 * Wraps a progress sink so it passes at most one report per {@link PROGRESS_INTERVAL_MS}: a
 * message every few thousand iterations would cost more than the work. The last report is
 * not forced through: the task's end fills its bar.
 */
export function throttleProgress(
  send: (done: number, total: number) => void,
  intervalMs = PROGRESS_INTERVAL_MS,
): (done: number, total: number) => void {
  // Counted from the task's start: a task shorter than the interval reports nothing.
  let last = performance.now();
  return (done, total) => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    send(done, total);
  };
}
