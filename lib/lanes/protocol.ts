/**
 * The one protocol spoken across the worker and child-process boundary.
 * Every message carries its task id; the far side reports failures as data.
 */

/** Parent to lane: run this task. */
export interface TaskMsg {
  readonly kind: "task";
  readonly id: number;
  readonly workload: string;
  readonly input: unknown;
}

/** Lane to parent: loaded and waiting for tasks. */
export interface ReadyMsg {
  readonly kind: "ready";
}

/** Lane to parent: `done` of `total` units of task `id`. */
export interface ProgressMsg {
  readonly kind: "progress";
  readonly id: number;
  readonly done: number;
  readonly total: number;
}

/** Lane to parent: task `id` finished with `result`. */
export interface ResultMsg {
  readonly kind: "result";
  readonly id: number;
  readonly result: unknown;
}

/** Lane to parent: task `id` failed with `message`. */
export interface ErrorMsg {
  readonly kind: "error";
  readonly id: number;
  readonly message: string;
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
}

/** Lane to parent: an error escaped every task; the lane is closing. */
export interface FatalMsg {
  readonly kind: "fatal";
  readonly message: string;
}

export type ToLaneMsg = TaskMsg | ConfigMsg;
export type FromLaneMsg = ReadyMsg | ProgressMsg | ResultMsg | ErrorMsg | FatalMsg;

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
  const ok = kind === "ready" ||
    (kind === "fatal" && typeof (msg as { message?: unknown }).message === "string") ||
    ((kind === "progress" || kind === "result" || kind === "error") &&
      typeof (msg as { id?: unknown }).id === "number");
  if (!ok) throw new Error(`child sent an unknown message: ${JSON.stringify(line.slice(0, 60))}`);
  return msg as FromLaneMsg;
}
