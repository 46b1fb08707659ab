import { safeText } from "../process/safe_text.ts";
import type { ModeName, RunEvent, RunStatus } from "./events.ts";

export type TaskStatus = "pending" | "running" | "done" | "failed" | "cancelled";

/** One task as the run has seen it so far. Times are ms since the run started. */
export interface TaskState {
  readonly id: number;
  readonly label: string;
  readonly input: unknown;
  readonly status: TaskStatus;
  readonly lane?: number;
  readonly startMs?: number;
  readonly endMs?: number;
  /** Units done of `total`; both 0 until the first progress report. */
  readonly done: number;
  readonly total: number;
  readonly result?: unknown;
  readonly error?: string;
  readonly verified: boolean;
}

/** One lane: the main thread (or a slot of it), a worker, or a child process. */
export interface LaneState {
  readonly lane: number;
  readonly label: string;
  /** When this lane first became ready, ms since the run started. */
  readonly upMs: number;
}

/** Everything known about one run; built only by {@link reduceRun}. */
export interface RunState {
  readonly mode: ModeName;
  readonly workload: string;
  readonly lanes: number;
  readonly status: "running" | RunStatus;
  /** Task `id` sits at index `id`: workloads number their tasks from 0. */
  readonly tasks: readonly TaskState[];
  readonly laneStates: readonly LaneState[];
  /** Time of the latest event, ms since the run started. */
  readonly nowMs: number;
  readonly endMs?: number;
  /** Cores busy on average over the run (machine-wide), when measured. */
  readonly coresBusy?: number;
  /** Why the mode itself failed, when it did (a pool that could not start, a lost Redis). */
  readonly failure?: string;
}

/** The state right after `run-start`. */
function initialRunState(event: Extract<RunEvent, { type: "run-start" }>): RunState {
  return {
    mode: event.mode,
    workload: event.workload,
    lanes: event.lanes,
    status: "running",
    tasks: event.tasks.map((t) => ({
      id: t.id,
      label: t.label,
      input: t.input,
      status: "pending",
      done: 0,
      total: 0,
      verified: false,
    })),
    laneStates: [],
    nowMs: event.t,
  };
}

function updateTask(state: RunState, id: number, change: Partial<TaskState>): readonly TaskState[] {
  const tasks = state.tasks.slice();
  tasks[id] = { ...tasks[id], ...change };
  return tasks;
}

/** Folds one event into the run state. Pure: no clock, no I/O, no mutation. */
export function reduceRun(state: RunState | undefined, event: RunEvent): RunState {
  if (event.type === "run-start") return initialRunState(event);
  if (!state) throw new Error(`event "${event.type}" before run-start`);
  const at = { ...state, nowMs: Math.max(state.nowMs, event.t) };
  switch (event.type) {
    case "lane-up": {
      const known = state.laneStates.find((l) => l.lane === event.lane);
      const lane: LaneState = {
        lane: event.lane,
        label: event.label,
        upMs: known?.upMs ?? event.t,
      };
      const laneStates = known
        ? state.laneStates.map((l) => (l.lane === event.lane ? lane : l))
        : [...state.laneStates, lane];
      return { ...at, laneStates };
    }
    case "task-start":
      return {
        ...at,
        tasks: updateTask(state, event.id, {
          status: "running",
          lane: event.lane,
          startMs: event.t,
        }),
      };
    case "task-progress":
      return {
        ...at,
        tasks: updateTask(state, event.id, { done: event.done, total: event.total }),
      };
    case "task-end": {
      const task = state.tasks[event.id];
      const change: Partial<TaskState> = event.error === undefined
        ? {
          status: "done",
          endMs: event.t,
          result: event.result,
          verified: event.verified,
          done: task.total || 1,
          total: task.total || 1,
        }
        : { status: "failed", endMs: event.t, error: safeText(event.error), verified: false };
      return { ...at, tasks: updateTask(state, event.id, change) };
    }
    case "mode-failed":
      return { ...at, failure: safeText(event.error) };
    case "run-end": {
      const tasks = state.tasks.map((t) =>
        t.status === "running" || t.status === "pending"
          ? {
            ...t,
            status: "cancelled" as const,
            endMs: t.status === "running" ? event.t : undefined,
          }
          : t
      );
      return { ...at, status: event.status, endMs: event.t, tasks, coresBusy: event.coresBusy };
    }
  }
}

/** Wall time: from run start to its end, or to the latest event while it runs. */
export function wallMs(state: RunState): number {
  return state.endMs ?? state.nowMs;
}

/** How long a task ran (to its end, or to now while it runs); 0 before it starts. */
export function taskMs(task: TaskState, nowMs: number): number {
  if (task.startMs === undefined) return 0;
  return (task.endMs ?? nowMs) - task.startMs;
}

/** The sum of every task's time over the wall time: 1 for one lane, up to the core count. */
export function parallelism(state: RunState): number {
  const wall = wallMs(state);
  if (wall <= 0) return 0;
  const busy = state.tasks.reduce((sum, t) => sum + taskMs(t, state.nowMs), 0);
  return busy / wall;
}

/** How long the lanes took to come up: the last first `lane-up`, or undefined before any. */
export function startupMs(state: RunState): number | undefined {
  if (state.laneStates.length === 0) return undefined;
  return Math.max(...state.laneStates.map((l) => l.upMs));
}

/** Tasks per status. */
export function countTasks(state: RunState): Record<TaskStatus, number> & { verified: number } {
  const counts = { pending: 0, running: 0, done: 0, failed: 0, cancelled: 0, verified: 0 };
  for (const t of state.tasks) {
    counts[t.status]++;
    if (t.verified) counts.verified++;
  }
  return counts;
}
