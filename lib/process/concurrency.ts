/**
 * Concurrency helpers. The design names `@std/async` (pool, delay, abortable); JSR cannot be
 * reached here, so web-standard `AbortSignal` and the sleep below stand in.
 */

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * `work`, or its signal's reason once `signal` aborts first (`@std/async`'s `abortable`). The
 * listener goes when `work` settles: a lane's signal outlives thousands of tasks.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  let fail = () => {};
  const stopped = new Promise<never>((_, reject) => {
    fail = () => reject(signal.reason ?? new Error("task cancelled"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  return Promise.race([work, stopped]).finally(() => signal.removeEventListener("abort", fail));
}
