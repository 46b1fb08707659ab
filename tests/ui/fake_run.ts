/**
 * What the dashboard tests inject so that frames are exact: a clock the test moves, CPU
 * counters that never change, and a workload whose tasks move that clock by their declared
 * durations instead of taking time (as hyperfine's mock executor does).
 */
import type { CoreTimes } from "../../lib/run/cpu_usage.ts";
import { registerWorkload } from "../../lib/workloads/registry.ts";
import { TaskAborted, type TaskSpec, type Workload } from "../../lib/workloads/types.ts";

/** A clock that stands still until the test or a task moves it. */
export class FakeClock {
  nowMs = 0;
  readonly read = () => this.nowMs;
}

/** Two cores whose counters never move: each 0 % busy, 0.00 cores busy in every run. */
export const stillCpu = (): CoreTimes[] => [
  { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
  { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
];

/** A timed task's input: the ms it moves the clock by; 0 waits until it is cancelled. */
export interface TimedInput {
  readonly ms: number;
}

/**
 * Registers `timed`: task x of `--size S` takes (x + 1) × S ms of `clock`, so three tasks of
 * size 100 take 100, 200 and 300 ms, 600 ms in all. Calibrated like cpu: `calibrate` sizes
 * the list for `targetMs`. Returns the function that removes it again.
 */
export function registerTimed(clock: FakeClock, targetMs = 6000): () => void {
  const tasksOf = (size: number, count: number): TaskSpec<TimedInput>[] =>
    Array.from({ length: count }, (_, x) => ({ id: x, input: { ms: (x + 1) * size } }));
  const units = (count: number) => (count * (count + 1)) / 2;
  const summaryOf = (tasks: readonly TaskSpec<TimedInput>[]) =>
    `${tasks.length} timed tasks, the first ${tasks[0]?.input.ms ?? 0} ms`;
  const timed: Workload<TimedInput, number> = {
    name: "timed",
    bound: "cpu",
    flags: [{ flag: "-s, --size <n>", option: "size", help: "ms of the first task" }],
    calibrated: {
      option: "size",
      tutorial: 1,
      limits: { min: 1, max: 10_000 },
      calibrate: (tasks) => ({
        size: Math.round(targetMs / units(tasks)),
        tasks,
        targetMs,
        predictedMs: targetMs,
      }),
    },
    taskCount: (options) => options.tasks ?? 3,
    preview(options) {
      const tasks = tasksOf(options.size ?? 100, options.tasks ?? 3);
      return {
        summary: summaryOf(tasks),
        labels: tasks.map((t) => timed.describe(t.input)),
      };
    },
    prepare(options) {
      const tasks = tasksOf(options.size ?? 100, options.tasks ?? 3);
      return Promise.resolve({
        tasks,
        netHosts: [],
        summary: summaryOf(tasks),
        close: () => Promise.resolve(),
      });
    },
    async run(input, ctx) {
      if (input.ms === 0) {
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        throw new TaskAborted();
      }
      clock.nowMs += input.ms;
      return await Promise.resolve(input.ms);
    },
    verify: (input, result) => result === input.ms,
    describe: (input) => `${input.ms} ms`,
  };
  return registerWorkload(timed as Workload);
}
