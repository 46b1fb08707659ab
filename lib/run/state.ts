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
  /** The dispatch (tasks sent to a lane in one message) it travelled in; pools only. */
  readonly chunk?: number;
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
  /** Modes that chunk (pools): `--chunk`, or `auto`. */
  readonly chunk?: number | "auto";
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
    ...(event.chunk === undefined ? {} : { chunk: event.chunk }),
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

/** Folds one event into the run state. Pure: no clock, no I/O, no mutation. */
export function reduceRun(state: RunState | undefined, event: RunEvent): RunState {
  return reduceRunAll(state, [event]);
}

/**
 * Folds several events at once. The task and lane lists are copied once a batch rather than
 * once an event: copying a 10,000-entry list for each of 30,000 events made a run of 10,000
 * tasks quadratic. Pure: the given state is left as it was.
 */
export function reduceRunAll(state: RunState | undefined, events: readonly RunEvent[]): RunState {
  let tasks: TaskState[] | undefined;
  let lanes: LaneState[] | undefined;
  let laneIndex: Map<number, number> | undefined;
  let nowMs = state?.nowMs ?? 0;
  let ended: Partial<RunState> = {};
  let failure: Partial<RunState> = {};
  for (const event of events) {
    if (event.type === "run-start") {
      state = initialRunState(event);
      tasks = lanes = laneIndex = undefined;
      nowMs = event.t;
      ended = failure = {};
      continue;
    }
    if (!state) throw new Error(`event "${event.type}" before run-start`);
    nowMs = Math.max(nowMs, event.t);
    switch (event.type) {
      case "lane-up": {
        if (!lanes || !laneIndex) {
          lanes = state.laneStates.slice();
          laneIndex = new Map(lanes.map((l, i) => [l.lane, i]));
        }
        const at = laneIndex.get(event.lane);
        const lane: LaneState = {
          lane: event.lane,
          label: event.label,
          upMs: at === undefined ? event.t : lanes[at].upMs,
        };
        if (at === undefined) {
          laneIndex.set(event.lane, lanes.length);
          lanes.push(lane);
        } else lanes[at] = lane;
        break;
      }
      case "task-start":
        tasks ??= state.tasks.slice();
        tasks[event.id] = {
          ...tasks[event.id],
          status: "running",
          lane: event.lane,
          startMs: event.t,
          ...(event.chunk === undefined ? {} : { chunk: event.chunk }),
        };
        break;
      case "task-progress":
        tasks ??= state.tasks.slice();
        tasks[event.id] = { ...tasks[event.id], done: event.done, total: event.total };
        break;
      case "task-end": {
        tasks ??= state.tasks.slice();
        const task = tasks[event.id];
        tasks[event.id] = event.error === undefined
          ? {
            ...task,
            status: "done",
            endMs: event.t,
            result: event.result,
            verified: event.verified,
            done: task.total || 1,
            total: task.total || 1,
          }
          : {
            ...task,
            status: "failed",
            endMs: event.t,
            error: safeText(event.error),
            verified: false,
          };
        break;
      }
      case "mode-failed":
        failure = { failure: safeText(event.error) };
        break;
      case "run-end": {
        tasks ??= state.tasks.slice();
        for (let i = 0; i < tasks.length; i++) {
          const t = tasks[i];
          if (t.status !== "running" && t.status !== "pending") continue;
          tasks[i] = {
            ...t,
            status: "cancelled",
            endMs: t.status === "running" ? event.t : undefined,
          };
        }
        ended = { status: event.status, endMs: event.t, coresBusy: event.coresBusy };
        break;
      }
    }
  }
  if (!state) throw new Error("no run-start to fold from");
  return {
    ...state,
    ...failure,
    ...ended,
    nowMs,
    ...(tasks ? { tasks } : {}),
    ...(lanes ? { laneStates: lanes } : {}),
  };
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
