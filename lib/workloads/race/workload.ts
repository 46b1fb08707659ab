/**
 * The tutorial's `x = x + 1`: every task adds 1 to one shared counter, `count` times, in the
 * way `--update` names. Web Workers on a `SharedArrayBuffer` are real threads on shared memory,
 * so a read-modify-write can be cut in two by another thread; cooperative tasks are cut only
 * where they `await`; processes share nothing at all.
 */
import { UsageError } from "../../cli/errors.ts";
import { PROGRESS_INTERVAL_MS } from "../../run/progress.ts";
import {
  type Aggregate,
  type Figure,
  type RunShape,
  TaskAborted,
  type TaskContext,
  type TaskOutcome,
  type TaskSpec,
  type Workload,
  type WorkloadFlag,
  type WorkloadOptions,
} from "../types.ts";
import { InvalidFlagValue } from "../flags.ts";

/** How a task adds 1; the names are part of the command line. */
export const UPDATES = ["plain", "loadstore", "atomic", "await"] as const;
export type Update = typeof UPDATES[number];

/** `loadstore` is the faithful `x = x + 1`: each access atomic, the update not. */
const DEFAULT_UPDATE: Update = "loadstore";
const RACE_TASKS = 4;
/**
 * Increments per task. Fixed rather than calibrated: `await`, the slowest variant, took about
 * 1 s a task for this many on our 2-core build machine (one microtask a step); `loadstore`
 * under contention about 0.5 s; `plain` and `atomic` much less.
 */
export const RACE_SIZE = 8_000_000;

/** The counter is an `Int32Array`: every task together may add at most this much. */
const RACE_MAX_TOTAL = 2 ** 31 - 1;

/** Increments between checks of the signal, progress and (for all but `await`) checkpoint. */
const CHUNK = 1 << 16;

/** One task: add 1 to the counter `count` times, the `update` way. */
export interface RaceInput {
  /**
   * The run's shared counter. Workers receive the same memory (structured clone shares a
   * `SharedArrayBuffer`); a child process receives JSON, in which it is `{}`, and counts on
   * a counter of its own.
   */
  readonly counter: SharedArrayBuffer | Record<string, never>;
  readonly update: Update;
  readonly count: number;
}

/** What a task did. */
export interface RaceResult {
  /** Increments this task made. */
  readonly added: number;
  /** `shared`: the run's counter; `own`: one of its own (a child process shares nothing). */
  readonly counter: "shared" | "own";
  /** The counter this task used, read when it finished. */
  readonly value: number;
}

// One loop a variant, so each stays monomorphic and as tight as the language allows.
function addPlain(c: Int32Array, times: number): void {
  for (let i = 0; i < times; i++) c[0] = c[0] + 1;
}
function addLoadStore(c: Int32Array, times: number): void {
  for (let i = 0; i < times; i++) Atomics.store(c, 0, Atomics.load(c, 0) + 1);
}
function addAtomic(c: Int32Array, times: number): void {
  for (let i = 0; i < times; i++) Atomics.add(c, 0, 1);
}
/**
 * Read, give up the thread at the task's checkpoint, write: the cooperative `x = x + 1`. One
 * flat loop with exactly one `await` a step, so that tasks stay in step with each other and
 * the loss is what {@link predictAwait} says.
 */
async function runAwait(c: Int32Array, n: number, ctx: TaskContext): Promise<void> {
  let lastReport = performance.now();
  for (let i = 0; i < n; i++) {
    if ((i & (CHUNK - 1)) === 0 && i > 0) {
      if (ctx.signal.aborted) throw new TaskAborted();
      const now = performance.now();
      if (now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        ctx.progress(i, n);
      }
    }
    const x = c[0];
    await ctx.checkpoint();
    c[0] = x + 1;
  }
}

async function run(input: RaceInput, ctx: TaskContext): Promise<RaceResult> {
  const shared = input.counter instanceof SharedArrayBuffer;
  const c = new Int32Array(
    input.counter instanceof SharedArrayBuffer ? input.counter : new SharedArrayBuffer(4),
  );
  const n = input.count;
  if (input.update === "await") {
    if (ctx.signal.aborted) throw new TaskAborted();
    await runAwait(c, n, ctx);
    ctx.progress(n, n);
    return { added: n, counter: shared ? "shared" : "own", value: Atomics.load(c, 0) };
  }
  let lastReport = performance.now();
  for (let start = 0; start < n; start += CHUNK) {
    if (ctx.signal.aborted) throw new TaskAborted();
    const times = Math.min(CHUNK, n - start);
    switch (input.update) {
      case "plain":
        addPlain(c, times);
        break;
      case "loadstore":
        addLoadStore(c, times);
        break;
      case "atomic":
        addAtomic(c, times);
        break;
      default:
        throw new Error(`unknown update "${input.update}" (allowed: ${UPDATES.join(", ")})`);
    }
    const now = performance.now();
    if (now - lastReport >= PROGRESS_INTERVAL_MS) {
      lastReport = now;
      ctx.progress(start + times, n);
    }
    const pause = ctx.checkpoint();
    if (pause) await pause;
  }
  ctx.progress(n, n);
  return { added: n, counter: shared ? "shared" : "own", value: Atomics.load(c, 0) };
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * What the interleaving predicts for `await` in async mode with every task under way at once:
 * each task reads, awaits, writes, in turn, so in each round every task reads the same value
 * and they all write it back plus one. A round adds 1, and rounds go on while any task has
 * increments left: the counter ends at the largest task's count. With fewer slots than tasks
 * the hand-over from a finished task to the next shifts the rounds, and no exact count is
 * predicted.
 */
export function predictAwait(counts: readonly number[], lanes: number): number | undefined {
  if (counts.length === 0) return 0;
  return lanes >= counts.length ? Math.max(...counts) : undefined;
}

/** Tasks take turns on the main thread, switching only where they await (async mode). */
const turnsOnMainThread = (run: RunShape) => run.laneKind === "main" && !run.baseline;

/** Who switches and what is shared, by where the mode's lanes run. */
function modeNote(run: RunShape, update: Update, predicted?: number): string {
  const says = (text: string) => `${run.mode}: ${text}`;
  if (run.laneKind === "main" && run.baseline) {
    return says("one task at a time, nothing interleaves: every update lands");
  }
  if (turnsOnMainThread(run)) {
    if (update !== "await") {
      return says(
        "tasks switch only where they await, and this x = x + 1 has no await: every update lands",
      );
    }
    return says(
      predicted === undefined
        ? "each task reads, awaits, writes, so tasks overwrite each other's updates; " +
          "with fewer slots than tasks no exact count is predicted"
        : `each task reads, awaits, writes; with all tasks under way a round of turns ` +
          `adds 1: predicted ${count(predicted)}`,
    );
  }
  if (run.laneKind === "thread") {
    return says(
      "threads on one shared counter, switched and run at once by the OS; " +
        "plain and loadstore can lose updates (how many is the scheduler's choice), atomic never",
    );
  }
  return says(
    "processes share no memory: each child counted on its own counter and " +
      "sent its count as a message; the sum is exact",
  );
}

/** Expected, actual and lost updates of a run, and (async with `await`) the prediction. */
function raceAggregate(
  tasks: readonly TaskOutcome<RaceInput, RaceResult>[],
  run: RunShape,
): Aggregate {
  const first = tasks[0]?.input;
  const update = first?.update ?? DEFAULT_UPDATE;
  const running = tasks.some((t) => !t.finished);
  // While tasks run: the target. After: the increments made (a cancelled task's progress).
  const expected = tasks.reduce(
    (sum, t) => sum + (running ? t.input.count : t.result?.added ?? t.done),
    0,
  );
  const ownCounters = run.laneKind === "process" ||
    tasks.some((t) => t.result?.counter === "own");
  const actual = ownCounters || !(first?.counter instanceof SharedArrayBuffer)
    ? tasks.reduce((sum, t) => sum + (t.result?.value ?? t.done), 0)
    : Atomics.load(new Int32Array(first.counter), 0);
  const predicted = turnsOnMainThread(run) && update === "await"
    ? predictAwait(tasks.map((t) => t.input.count), run.lanes)
    : undefined;
  const figures: Figure[] = [
    { name: "expected", value: expected },
    { name: "actual", value: actual },
  ];
  const unfinished = !running && tasks.some((t) => t.result === undefined);
  if (!running) {
    // A task that did not finish counts what its progress reported, which may lag the counter.
    const lost = unfinished ? Math.max(0, expected - actual) : expected - actual;
    figures.push({
      name: "lost",
      value: lost,
      percent: expected > 0 ? Math.round((lost / expected) * 1e5) / 1e3 : 0,
      headline: true,
    });
  }
  if (predicted !== undefined) figures.push({ name: "predicted", value: predicted });
  const note = modeNote(run, update, predicted);
  return {
    figures,
    note: unfinished ? `${note} (not every task finished: lost is approximate)` : note,
  };
}

const FLAGS: readonly WorkloadFlag[] = [
  {
    // The same flag as cpu's: cpu's parser reads it (auto and tutorial too: refused in prepare).
    flag: "-s, --size <n>",
    option: "size",
    help: "increments per task",
    byDefault: count(RACE_SIZE),
  },
  {
    flag: "--update <how>",
    option: "update",
    help: `how a task adds 1 to the shared counter: ${UPDATES.join(", ")}`,
    byDefault: DEFAULT_UPDATE,
    parse(value) {
      if (!(UPDATES as readonly string[]).includes(value)) {
        throw new InvalidFlagValue(`--update must be one of ${UPDATES.join(", ")}, got "${value}"`);
      }
      return value;
    },
  },
];

/** `4 tasks × 8,000,000 increments, update loadstore, one shared counter`. */
function summaryOf(tasks: number, size: number, update: string): string {
  return `${tasks} tasks × ${count(size)} increments, update ${update}, one shared counter`;
}

/** The race workload: one shared counter (made here, once for every run), `tasks` adders. */
export const raceWorkload: Workload<RaceInput, RaceResult> = {
  name: "race",
  bound: "cpu",
  // One counter in shared memory: a job that travels would count on a copy.
  sharesMemory: true,
  flags: FLAGS,
  // cpu's parser reads `--size` for both: a word (auto, tutorial) is kept aside and refused.
  readOptions: (parsed) => ({
    size: typeof parsed.size === "number" ? parsed.size : undefined,
    raceSizeWord: typeof parsed.size === "string" ? parsed.size : undefined,
    update: parsed.update,
  }),
  tasksHelp: `${RACE_TASKS}`,
  taskCount: (options) => options.tasks ?? RACE_TASKS,
  preview(options) {
    const tasks = options.tasks ?? RACE_TASKS;
    const size = typeof options.size === "number" ? options.size : RACE_SIZE;
    const update = String(options.update ?? DEFAULT_UPDATE) as Update;
    return {
      summary: summaryOf(tasks, size, update),
      labels: Array.from({ length: tasks }, () => describe({ update, count: size })),
    };
  },
  prepare(options: WorkloadOptions) {
    const tasks = options.tasks ?? RACE_TASKS;
    if (options.raceSizeWord !== undefined) {
      throw new UsageError(
        `--size must be a whole number of increments with --workload race, got "${
          String(options.raceSizeWord)
        }"`,
      );
    }
    const size = options.size ?? RACE_SIZE;
    const update = (options.update ?? DEFAULT_UPDATE) as Update;
    if (!UPDATES.includes(update)) {
      throw new UsageError(`--update must be one of ${UPDATES.join(", ")}, got "${update}"`);
    }
    if (tasks * size > RACE_MAX_TOTAL) {
      throw new UsageError(
        `--tasks ${count(tasks)} × --size ${count(size)} is ${
          count(tasks * size)
        } increments; the race's counter is a 32-bit integer (allowed: at most ${
          count(RACE_MAX_TOTAL)
        } in all)`,
      );
    }
    const counter = new SharedArrayBuffer(4);
    const specs: TaskSpec<RaceInput>[] = Array.from(
      { length: tasks },
      (_, id) => ({ id, input: { counter, update, count: size } }),
    );
    return Promise.resolve({
      tasks: specs,
      netHosts: [],
      summary: summaryOf(tasks, size, update),
      reset: () => Atomics.store(new Int32Array(counter), 0, 0),
      close: () => Promise.resolve(),
    });
  },
  run,
  // Each task did its own share; whether the sum survived is the run's figure, not a task's.
  verify: (input, result) => result.added === input.count,
  describe,
  aggregate: raceAggregate,
};

function describe(input: Pick<RaceInput, "update" | "count">): string {
  return `+1 × ${count(input.count)} (${input.update})`;
}
