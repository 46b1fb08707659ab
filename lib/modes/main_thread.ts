import { errorMessage } from "../process/safe_text.ts";
import { setImmediate } from "node:timers";
import { throttleProgress } from "../run/progress.ts";
import type { TaskSpec } from "../workloads/types.ts";
import type { ModeContext } from "./types.ts";

/** Longest stretch of work between yields, so timers and the dashboard keep running. */
export const SLICE_MS = 10;

/**
 * How often the event loop is let go idle. Deno's loop looks for I/O (signals, key presses,
 * child output) only when nothing is due: no immediate queued, no timer expired. While tasks
 * keep yielding through `setImmediate` it never idles, and Ctrl-C waited 13 s with 20 async
 * tasks; a timer that had expired by the time the macrotask ended did not help.
 */
export const POLL_MS = 100;

/**
 * The checkpoint shared by every task on the main thread. A task that has had the thread for
 * `sliceMs` waits in one queue; one macrotask at a time hands the thread to waiting tasks in
 * turn until the slice is used, so a macrotask lasts about a slice however many tasks there
 * are, and a woken task checks its signal before doing more work. The next turn comes through
 * `setImmediate` (`setTimeout(0)` costs ~2 ms a yield and a resolved promise never lets timers
 * run), and every {@link POLL_MS} through a timer, when nothing else is queued: then the loop
 * idles and polls for I/O.
 */
export function createYielder(sliceMs = SLICE_MS): () => Promise<void> | undefined {
  let waiting: (() => void)[] = [];
  let sliceStart = performance.now();
  let lastPoll = sliceStart;
  let scheduled = false;
  const schedule = () => {
    scheduled = true;
    const now = performance.now();
    if (now - lastPoll < POLL_MS) return void setImmediate(turn);
    lastPoll = now;
    setTimeout(turn, 0);
  };
  const turn = async () => {
    sliceStart = performance.now();
    let next = 0;
    while (next < waiting.length && performance.now() - sliceStart < sliceMs) {
      waiting[next++]();
      // The woken task runs up to its next wait before this loop goes on.
      await undefined;
    }
    waiting = waiting.slice(next);
    scheduled = false;
    if (waiting.length > 0) schedule();
  };
  return () => {
    if (performance.now() - sliceStart < sliceMs) return undefined;
    return new Promise((resolve) => {
      waiting.push(resolve);
      if (!scheduled) schedule();
    });
  };
}

/** Runs one task on the main thread and reports its start, progress and end on `lane`. */
export async function runOnMain(
  task: TaskSpec,
  lane: number,
  ctx: ModeContext,
  checkpoint: () => Promise<void> | undefined,
): Promise<void> {
  // Tasks that start together would each run a first step before anyone yields.
  const pause = checkpoint();
  if (pause) await pause;
  if (ctx.signal.aborted) return;
  const signal = ctx.taskTimeoutMs > 0
    ? AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.taskTimeoutMs)])
    : ctx.signal;
  ctx.emit({ type: "task-start", id: task.id, lane });
  try {
    const result = await ctx.workload.run(task.input, {
      signal,
      progress: throttleProgress((done, total) =>
        ctx.emit({ type: "task-progress", id: task.id, done, total })
      ),
      checkpoint,
      netHosts: ctx.netHosts,
    });
    ctx.emit({
      type: "task-end",
      id: task.id,
      result,
      verified: ctx.workload.verify(task.input, result),
    });
  } catch (err) {
    // A task stopped by the run's own cancel is not an error: the run ends as cancelled.
    if (ctx.signal.aborted) return;
    const error = signal.aborted ? `timed out after ${ctx.taskTimeoutMs} ms` : errorMessage(err);
    ctx.emit({ type: "task-end", id: task.id, error, verified: false });
  }
}
