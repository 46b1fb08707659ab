import { LIMITS } from "../../cli/limits.ts";
import { InvalidFlagValue } from "../flags.ts";
import { calibrate } from "./calibrate.ts";
import { TARGET_SEQUENTIAL_MS } from "../calibration.ts";
import { closedForm, sumSquaresRange } from "./sum_squares.ts";
import { PROGRESS_INTERVAL_MS } from "../../run/progress.ts";
import {
  TaskAborted,
  type TaskContext,
  type TaskSpec,
  type Workload,
  type WorkloadFlag,
  type WorkloadOptions,
} from "../types.ts";

/** The tutorial's task count and base size: `n = 5_000_000 + x` for `x` in 0..19. */
export const TUTORIAL_TASKS = 20;
const TUTORIAL_SIZE = 5_000_000;

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

/** `20 tasks, n=5,000,000+x`. */
function summaryOf(tasks: readonly TaskSpec<CpuInput>[]): string {
  const first = tasks[0]?.input.n ?? 0;
  return `${tasks.length} tasks, n=${first.toLocaleString("en-US")}+x`;
}

/** `--size`: a whole number in range, `auto` (calibrated here) or `tutorial` / `t`. */
function sizeArg(value: string): number | "auto" | "tutorial" {
  const word = value.trim();
  if (word === "auto") return "auto";
  if (word === "tutorial" || word === "t") return "tutorial";
  const n = /^\d+$/.test(word) ? Number(word) : NaN;
  if (!Number.isSafeInteger(n) || n < LIMITS.size.min || n > LIMITS.size.max) {
    throw new InvalidFlagValue(
      `--size must be a whole number from ${LIMITS.size.min} to ${
        LIMITS.size.max.toLocaleString("en-US")
      }, auto or tutorial, got "${value}"`,
    );
  }
  return n;
}

const SIZE_FLAG: WorkloadFlag = {
  flag: "-s, --size <n>",
  option: "size",
  help: `base n, task x sums squares below n+x; auto: sized for a ~${
    TARGET_SEQUENTIAL_MS / 1000
  } s sequential run here; tutorial or t: ${TUTORIAL_SIZE.toLocaleString("en-US")}`,
  byDefault: "auto",
  alsoSets: ["sizeAuto"],
  parse: (value) => sizeArg(value),
};

/** The tutorial's CPU-bound job; results are exact decimal strings. */
export const cpuWorkload: Workload<CpuInput, string> = {
  name: "cpu",
  bound: "cpu",
  flags: [SIZE_FLAG],
  // `--size auto` leaves the size to the calibration; `tutorial` is the tutorial's own.
  readOptions(parsed) {
    const size = parsed.size as number | "auto" | "tutorial" | undefined;
    return {
      size: size === "tutorial" ? TUTORIAL_SIZE : size === "auto" ? undefined : size,
      sizeAuto: size === "auto" ? true : undefined,
    };
  },
  calibrated: {
    option: "size",
    tutorial: TUTORIAL_SIZE,
    limits: { min: 1, max: LIMITS.size.max },
    calibrate: (tasks) => calibrate(tasks),
  },
  tasksHelp: `${TUTORIAL_TASKS}`,
  taskCount: (options) => options.tasks ?? TUTORIAL_TASKS,
  preview(options) {
    const tasks = cpuTasks(options);
    return { summary: summaryOf(tasks), labels: tasks.map((t) => cpuWorkload.describe(t.input)) };
  },
  prepare(options) {
    const tasks = cpuTasks(options);
    return Promise.resolve({
      tasks,
      netHosts: [],
      summary: summaryOf(tasks),
      close: () => Promise.resolve(),
    });
  },
  run,
  verify: (input, result) => result === closedForm(input.n).toString(),
  describe: (input) => `n=${input.n}`,
};
