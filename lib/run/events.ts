/** The typed event stream every run produces; the only thing views and reporters read. */

/** A mode's name, as the registry (`lib/modes/mod.ts`) knows it: `sequential`, `workers`. */
export type ModeName = string;

/** How a run ended. */
export type RunStatus = "done" | "cancelled" | "failed";

/** A task as announced at run start. */
export interface TaskInfo {
  readonly id: number;
  readonly label: string;
  readonly input: unknown;
}

/** The run begins: `t` is 0 by definition. */
export interface RunStartEvent {
  readonly type: "run-start";
  readonly t: number;
  readonly mode: ModeName;
  readonly workload: string;
  readonly lanes: number;
  /** Modes that chunk (pools): tasks a dispatch, or `auto` (see `autoChunk`). */
  readonly chunk?: number | "auto";
  readonly tasks: readonly TaskInfo[];
}

/** A lane (main thread slot, worker, or child process) is ready to take tasks. */
export interface LaneUpEvent {
  readonly type: "lane-up";
  readonly t: number;
  readonly lane: number;
  readonly label: string;
}

/** Task `id` started on `lane`. */
export interface TaskStartEvent {
  readonly type: "task-start";
  readonly t: number;
  readonly id: number;
  readonly lane: number;
  /** Pools: the dispatch (tasks sent to a lane in one message) it travelled in, from 0. */
  readonly chunk?: number;
}

/** Task `id` has done `done` of `total` units. */
export interface TaskProgressEvent {
  readonly type: "task-progress";
  readonly t: number;
  readonly id: number;
  readonly done: number;
  readonly total: number;
}

/** Task `id` ended, with a result or an error. */
export interface TaskEndEvent {
  readonly type: "task-end";
  readonly t: number;
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
  readonly verified: boolean;
}

/** The mode itself failed (not one of its tasks): why, in one line. */
export interface ModeFailedEvent {
  readonly type: "mode-failed";
  readonly t: number;
  readonly error: string;
}

/** The run ended. */
export interface RunEndEvent {
  readonly type: "run-end";
  readonly t: number;
  readonly status: RunStatus;
  /** Cores busy on average over the run, from the OS's counters, when they could be read. */
  readonly coresBusy?: number;
}

export type RunEvent =
  | RunStartEvent
  | LaneUpEvent
  | TaskStartEvent
  | TaskProgressEvent
  | TaskEndEvent
  | ModeFailedEvent
  | RunEndEvent;

/**
 * When a mode saw something happen, on the runner's clock ({@link ModeContext.now}): lanes
 * measure their tasks' start and end on the far side and report them in batches, so the
 * arrival of a message is not when its tasks ran. Absent: the runner stamps the arrival.
 */
interface At {
  readonly at?: number;
}

/** An event as a mode emits it: the runner stamps the time, or maps the mode's own. */
export type ModeEvent =
  | Omit<LaneUpEvent, "t">
  | (Omit<TaskStartEvent, "t"> & At)
  | (Omit<TaskProgressEvent, "t"> & At)
  | (Omit<TaskEndEvent, "t"> & At);
