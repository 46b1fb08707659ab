/**
 * The one protocol spoken across the worker and child-process boundary.
 * Every message carries its task id; the far side reports failures as data.
 */

/** Parent to lane: run these tasks, in order (one dispatch: a chunk of `--chunk` tasks). */
export interface TasksMsg {
  readonly kind: "tasks";
  readonly workload: string;
  /** A user's module (`file:` URL) the lane imports for this workload. */
  readonly module?: string;
  readonly tasks: readonly { readonly id: number; readonly input: unknown }[];
}

/** Lane to parent: loaded and waiting for tasks. */
export interface ReadyMsg {
  readonly kind: "ready";
  /**
   * The lane's `performance.timeOrigin`: its clock's zero in ms since the epoch, so the
   * parent can map the times the lane measures (`at`) onto its own clock.
   */
  readonly timeOrigin?: number;
}

/** Lane to parent: task `id` started at `at` (ms on the lane's `performance.now()`). */
export interface StartMsg {
  readonly kind: "start";
  readonly id: number;
  readonly at: number;
}

/** Lane to parent: `done` of `total` units of task `id`. */
export interface ProgressMsg {
  readonly kind: "progress";
  readonly id: number;
  readonly done: number;
  readonly total: number;
  readonly at?: number;
}

/** Lane to parent: task `id` finished with `result` at `at` (the lane's clock). */
export interface ResultMsg {
  readonly kind: "result";
  readonly id: number;
  readonly result: unknown;
  readonly at?: number;
}

/** Lane to parent: task `id` failed with `message` at `at` (the lane's clock). */
export interface ErrorMsg {
  readonly kind: "error";
  readonly id: number;
  readonly message: string;
  readonly at?: number;
}

/** What a lane reports about one task. */
export type TaskReport = StartMsg | ProgressMsg | ResultMsg | ErrorMsg;

/**
 * Lane to parent: several reports in one message. A message costs a lane more than a tiny
 * task does (a structured clone, or a JSON line to write and parse), so reports travel
 * together, and every report carries the time it happened.
 */
export interface BatchMsg {
  readonly kind: "batch";
  readonly reports: readonly TaskReport[];
}

/** Parent to lane, before any task: how many tasks it may run at once. */
export interface ConfigMsg {
  readonly kind: "config";
  readonly perLane: number;
  /** Hosts of the run: a download follows redirects to these only. */
  readonly netHosts?: readonly string[];
  /**
   * Workers only: shared memory the parent sets to stop the lane's tasks at their next
   * checkpoint. `terminate()` does not interrupt a worker's running code in Deno 2.9; it
   * waits until the worker's event loop runs again.
   */
  readonly stop?: SharedArrayBuffer;
  /** Workers only: the tasks come from a user's module; keep the grants it was given. */
  readonly keepModule?: boolean;
}

/** Lane to parent: an error escaped every task; the lane is closing. */
export interface FatalMsg {
  readonly kind: "fatal";
  readonly message: string;
}

export type ToLaneMsg = TasksMsg | ConfigMsg;
export type FromLaneMsg = ReadyMsg | TaskReport | BatchMsg | FatalMsg;

const REPORT_KINDS = new Set(["start", "progress", "result", "error"]);

function isReport(value: unknown): boolean {
  const msg = value as { kind?: unknown; id?: unknown } | null;
  return REPORT_KINDS.has(msg?.kind as string) && typeof msg?.id === "number";
}

/** Parses one line from a child; anything that is not one of our messages is an error. */
export function parseFromLane(line: string): FromLaneMsg {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`child sent a line that is not JSON: ${JSON.stringify(line.slice(0, 60))}`);
  }
  const msg = value as Partial<FromLaneMsg> | null;
  const kind = msg?.kind;
  const reports = (msg as { reports?: unknown })?.reports;
  const ok = kind === "ready" ||
    (kind === "fatal" && typeof (msg as { message?: unknown }).message === "string") ||
    (kind === "batch" && Array.isArray(reports) && reports.every(isReport)) ||
    isReport(msg);
  if (!ok) throw new Error(`child sent an unknown message: ${JSON.stringify(line.slice(0, 60))}`);
  return msg as FromLaneMsg;
}
