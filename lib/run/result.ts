import { redactDeep } from "../process/safe_text.ts";
import type { Aggregate } from "../workloads/types.ts";
import { aggregateRun } from "./aggregate.ts";
import type { ModeName, RunStatus } from "./events.ts";
import { parallelism, type RunState, startupMs, wallMs } from "./state.ts";

/** One task of a finished run, as exported. Times are ms since the run started. */
export interface TaskResult {
  readonly id: number;
  readonly input: unknown;
  /** Bar label, e.g. `n=5000000`. */
  readonly label: string;
  /** The workload's result (CPU: the exact sum as a decimal string); absent on error. */
  readonly result?: unknown;
  readonly verified: boolean;
  /** Lane number, and its label (`main`, `worker #2`, `pid 4711`). */
  readonly lane?: number;
  readonly laneLabel?: string;
  readonly startMs?: number;
  readonly endMs?: number;
  /** Pools: the dispatch (tasks sent to a lane in one message) it travelled in, from 0. */
  readonly chunk?: number;
  /** Why the task failed or was not run. */
  readonly error?: string;
}

/** One run, the shape every reporter and exporter reads. */
export interface RunResult {
  readonly mode: ModeName;
  readonly workload: string;
  readonly lanes: number;
  readonly status: RunStatus;
  /** Run start to run end, pool start-up included, in ms. */
  readonly wallMs: number;
  /** Run start until every lane was ready, in ms (pool start-up on its own). */
  readonly startupMs?: number;
  /** Sum of task times over wall time: how many tasks were under way at once, on average. */
  readonly parallelism: number;
  /** Cores busy on average over the run, machine-wide, from the OS (absent without it). */
  readonly coresBusy?: number;
  /** Pools: `--chunk`, tasks a dispatch, or `auto` (chosen as tasks are timed). */
  readonly chunk?: number | "auto";
  /** Pools: messages that carried tasks to lanes, and the most tasks one carried. */
  readonly dispatches?: number;
  readonly largestChunk?: number;
  /** Tasks verified (each task's own `verified` is a boolean). */
  readonly verifiedCount: number;
  /** The workload's figures of the whole run (a race's expected, actual, lost), if any. */
  readonly aggregate?: Aggregate;
  readonly tasks: readonly TaskResult[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** How many dispatches carried the run's tasks, and the most tasks one carried. */
function chunking(state: RunState): { dispatches: number; largestChunk: number } {
  const sizes = new Map<number, number>();
  for (const t of state.tasks) {
    if (t.chunk !== undefined) sizes.set(t.chunk, (sizes.get(t.chunk) ?? 0) + 1);
  }
  return { dispatches: sizes.size, largestChunk: Math.max(0, ...sizes.values()) };
}

/** The exported form of a run's final state (after `run-end`). */
export function toRunResult(state: RunState): RunResult {
  if (state.status === "running") throw new Error("a run is reported once it has ended");
  const labels = new Map(state.laneStates.map((l) => [l.lane, l.label]));
  const startup = startupMs(state);
  const aggregate = aggregateRun(state);
  return {
    mode: state.mode,
    workload: state.workload,
    lanes: state.lanes,
    status: state.status,
    wallMs: round(wallMs(state)),
    ...(startup === undefined ? {} : { startupMs: round(startup) }),
    parallelism: round(parallelism(state)),
    ...(state.coresBusy === undefined ? {} : { coresBusy: round(state.coresBusy) }),
    ...(state.chunk === undefined ? {} : { chunk: state.chunk, ...chunking(state) }),
    verifiedCount: state.tasks.filter((t) => t.verified).length,
    ...(aggregate === undefined ? {} : { aggregate }),
    tasks: state.tasks.map((t) => ({
      id: t.id,
      // Stored and printed: no password from a URL may reach a file.
      input: redactDeep(t.input),
      label: t.label,
      ...(t.result === undefined ? {} : { result: redactDeep(t.result) }),
      verified: t.verified,
      ...(t.lane === undefined ? {} : { lane: t.lane, laneLabel: labels.get(t.lane) }),
      ...(t.startMs === undefined ? {} : { startMs: round(t.startMs) }),
      ...(t.endMs === undefined ? {} : { endMs: round(t.endMs) }),
      ...(t.chunk === undefined ? {} : { chunk: t.chunk }),
      ...(t.error !== undefined
        ? { error: t.error }
        : t.status === "cancelled"
        ? { error: "cancelled" }
        : {}),
    })),
  };
}
