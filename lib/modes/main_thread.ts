import { setImmediate } from "node:timers";
import { errorMessage } from "../protocol.ts";
import { anySignal } from "../pool.ts";
import { throttleProgress } from "../progress.ts";
import type { TaskSpec } from "../workloads/types.ts";
import type { ModeContext } from "./types.ts";

/** Longest stretch of work between yields, so timers and the dashboard keep running. */
export const SLICE_MS = 10;

/**
 * How often every main-thread task pauses together on one timer. While `setImmediate`
 * callbacks keep coming the event loop never idles, and signals, key presses and other I/O
 * wait (measured: seconds for Ctrl-C with several async tasks); a shared timer lets it poll.
 */
export const POLL_MS = 100;

/**
 * A checkpoint shared by every task on the main thread: it yields a macrotask once `sliceMs`
 * have passed since the last yield. `setImmediate` lets timers run at almost no cost, where
 * `setTimeout(0)` costs ~2 ms a yield and a resolved promise never lets timers run; every
 * {@link POLL_MS} all tasks wait on one timer instead, so the loop can poll for I/O.
 */
export function createYielder(sliceMs = SLICE_MS): () => Promise<void> | undefined {
  let last = performance.now();
  let lastPoll = last;
  let polling: Promise<void> | undefined;
  return () => {
    if (polling) return polling;
    const now = performance.now();
    if (now - lastPoll >= POLL_MS) {
      polling = new Promise((resolve) =>
        setTimeout(() => {
          polling = undefined;
          last = lastPoll = performance.now();
          resolve();
        }, 0)
      );
      return polling;
    }
    if (now - last < sliceMs) return undefined;
    return new Promise((resolve) =>
      setImmediate(() => {
        last = performance.now();
        resolve();
      })
    );
  };
}

/** Runs one task on the main thread and reports its start, progress and end on `lane`. */
export async function runOnMain(
  task: TaskSpec,
  lane: number,
  ctx: ModeContext,
  checkpoint: () => Promise<void> | undefined,
): Promise<void> {
  if (ctx.signal.aborted) return;
  const signal = ctx.taskTimeoutMs > 0
    ? anySignal(ctx.signal, AbortSignal.timeout(ctx.taskTimeoutMs))
    : ctx.signal;
  ctx.emit({ type: "task-start", id: task.id, lane });
  try {
    const result = await ctx.workload.run(task.input, {
      signal,
      progress: throttleProgress((done, total) =>
        ctx.emit({ type: "task-progress", id: task.id, done, total })
      ),
      checkpoint,
    });
    ctx.emit({
      type: "task-end",
      id: task.id,
      result,
      summary: ctx.workload.summarize(result),
      verified: ctx.workload.verify(task.input, result),
    });
  } catch (err) {
    // A task stopped by the run's own cancel is not an error: the run ends as cancelled.
    if (ctx.signal.aborted) return;
    const error = signal.aborted ? `timed out after ${ctx.taskTimeoutMs} ms` : errorMessage(err);
    ctx.emit({ type: "task-end", id: task.id, error, verified: false });
  }
}
