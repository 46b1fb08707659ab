/**
 * Concurrency helpers. The design names `@std/async` (pool, delay, abortable); JSR cannot be
 * reached here, so `p-limit` and web-standard `AbortSignal` stand in, behind this module only.
 */
import pLimit from "p-limit";

/** Runs `fn` over `items` with at most `limit` calls in flight; resolves when all settle. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const limiter = pLimit(limit);
  await Promise.all(items.map((item) => limiter(() => fn(item))));
}

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
