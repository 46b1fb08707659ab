import { closedForm, sumSquaresRange } from "./sum_squares.ts";
import { PROGRESS_INTERVAL_MS } from "../../run/progress.ts";
import {
  TaskAborted,
  type TaskContext,
  type TaskSpec,
  type Workload,
  type WorkloadOptions,
} from "../types.ts";

/** The tutorial's task count and base size: `n = 5_000_000 + x` for `x` in 0..19. */
export const TUTORIAL_TASKS = 20;
export const TUTORIAL_SIZE = 5_000_000;

/** A CPU task's input: sum the squares of `0 <= i < n`. */
export interface CpuInput {
  readonly n: number;
}

/**
 * Iterations between checks of the clock, the signal and the checkpoint: about 2 ms of work,
 * small enough for 10 ms yields and 50 ms progress, large enough that the kernel's own loop
 * stays hot and the async wrapper around it costs nothing.
 */
export const STEP = 1 << 20;

/** The tutorial's task list, or a scaled one: `n = size + x` for `x` in `0..tasks-1`. */
export function cpuTasks(options: WorkloadOptions = {}): TaskSpec<CpuInput>[] {
  const tasks = options.tasks ?? TUTORIAL_TASKS;
  const size = options.size ?? TUTORIAL_SIZE;
  return Array.from({ length: tasks }, (_, x) => ({ id: x, input: { n: size + x } }));
}

async function run(input: CpuInput, ctx: TaskContext): Promise<string> {
  const { n } = input;
  let total = 0n;
  let lastReport = performance.now();
  for (let start = 0; start < n; start += STEP) {
    // Checked before the step: after a cancel, each waiting task must end without ~2 ms of
    // work, or a thousand of them delay the stop by seconds.
    if (ctx.signal.aborted) throw new TaskAborted();
    const end = Math.min(n, start + STEP);
    total += sumSquaresRange(start, end);
    // One clock read per step keeps progress nearly free.
    const now = performance.now();
    if (now - lastReport >= PROGRESS_INTERVAL_MS) {
      lastReport = now;
      ctx.progress(end, n);
    }
    const pause = ctx.checkpoint();
    if (pause) await pause;
  }
  ctx.progress(n, n);
  return total.toString();
}

/** The tutorial's CPU-bound job; results are exact decimal strings. */
export const cpuWorkload: Workload<CpuInput, string> = {
  name: "cpu",
  prepare(options) {
    const tasks = cpuTasks(options);
    const first = tasks[0]?.input.n ?? 0;
    return Promise.resolve({
      tasks,
      netHosts: [],
      summary: `${tasks.length} tasks, n=${first.toLocaleString("en-US")}+x`,
      close: () => Promise.resolve(),
    });
  },
  run,
  verify: (input, result) => result === closedForm(input.n).toString(),
  describe: (input) => `n=${input.n}`,
  summarize: (result) =>
    result.length > 14 ? `${result.slice(0, 6)}…(${result.length} digits)` : result,
};
