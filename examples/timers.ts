/**
 * Pure waiting, for teaching: each task sleeps in steps and computes nothing. Async mode
 * runs all of them at once on one thread; the pools are limited by their lanes.
 */
import { defineWorkload } from "../workload.ts";

const STEP_MS = 20;

export default defineWorkload({
  name: "timers",
  kind: "io",
  // --size: milliseconds a task waits (default 400); --tasks: tasks (default 40).
  tasks: ({ tasks = 40, size = 400 }) => Array.from({ length: tasks }, () => size),
  async run(ms: number, ctx) {
    const started = performance.now();
    for (let waited = 0; waited < ms; waited += STEP_MS) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, Math.min(STEP_MS, ms - waited));
        ctx.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new Error("cancelled"));
        }, { once: true });
      });
      ctx.progress(Math.min(ms, waited + STEP_MS), ms);
    }
    return Math.round(performance.now() - started);
  },
  // Timers never fire early: a task that came back sooner did not wait.
  verify: (ms: number, waitedMs: number) => waitedMs >= ms,
  describe: (ms: number) => `wait ${ms} ms`,
});
