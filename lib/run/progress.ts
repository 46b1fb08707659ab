/** Progress is passed on at most this often per task (and always when a task completes). */
export const PROGRESS_INTERVAL_MS = 50;

/**
 * Wraps a progress sink so it passes at most one report per {@link PROGRESS_INTERVAL_MS},
 * plus the final one: a message every few thousand iterations would cost more than the work.
 */
export function throttleProgress(
  send: (done: number, total: number) => void,
  intervalMs = PROGRESS_INTERVAL_MS,
): (done: number, total: number) => void {
  let last = -Infinity;
  return (done, total) => {
    const now = performance.now();
    if ((total === 0 || done < total) && now - last < intervalMs) return;
    last = now;
    send(done, total);
  };
}
