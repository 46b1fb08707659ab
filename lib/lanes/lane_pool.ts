import { errorMessage } from "../process/safe_text.ts";
import type { FromLaneMsg, ToLaneMsg } from "./protocol.ts";
import type { TaskSpec } from "../workloads/types.ts";
import type { ModeContext } from "../modes/types.ts";

/** One worker or child process as the pool sees it. */
export interface LaneHandle {
  /** `worker #2`, `pid 4711`. */
  readonly label: string;
  send(msg: ToLaneMsg): void;
  /** Ends the lane and resolves when it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

/** Callbacks a lane reports through; `onExit` fires once, for any end the pool did not ask. */
export interface LaneCallbacks {
  onMessage(msg: FromLaneMsg): void;
  onExit(reason: string): void;
}

/** Lanes in a row that may die before becoming ready before the pool gives up on the queue. */
export const MAX_START_FAILURES = 3;

/** Starts lane `index`. */
export type LaneFactory = (index: number, callbacks: LaneCallbacks) => LaneHandle;

interface Lane {
  handle: LaneHandle;
  ready: boolean;
  dead: boolean;
  inFlight: Map<number, { task: TaskSpec; timer?: ReturnType<typeof setTimeout> }>;
}

/**
 * Hands tasks out one at a time to whichever lane is free (like `Pool.map` with chunksize 1),
 * replaces a lane that dies or overruns `taskTimeoutMs`, and stops every lane at the end,
 * on abort, or on error. The pool owns termination; lanes only report.
 */
export function runLanePool(
  tasks: readonly TaskSpec[],
  ctx: ModeContext,
  startLane: LaneFactory,
): Promise<void> {
  const queue = [...tasks];
  const lanes: Lane[] = [];
  const stopping: Promise<void>[] = [];
  let remaining = tasks.length;
  let startFailures = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const endTask = (lane: Lane, id: number) => {
    const entry = lane.inFlight.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    lane.inFlight.delete(id);
    remaining--;
    return entry.task;
  };

  const failQueue = (reason: string) => {
    for (const task of queue.splice(0)) {
      remaining--;
      ctx.emit({ type: "task-end", id: task.id, error: reason, verified: false });
    }
  };

  /** Ends lane `index` and the tasks on it; `culprit` is the task that caused it, if one did. */
  const failLane = (index: number, reason: string, culprit?: number) => {
    const lane = lanes[index];
    if (!lane || lane.dead) return;
    lane.dead = true;
    stopping.push(lane.handle.stop());
    for (const id of [...lane.inFlight.keys()]) {
      endTask(lane, id);
      const error = culprit === undefined || culprit === id
        ? reason
        : `its ${lane.handle.label} was ended: task ${culprit} ${reason}`;
      if (!ctx.signal.aborted) ctx.emit({ type: "task-end", id, error, verified: false });
    }
    if (!lane.ready) startFailures++;
    // Lanes that die before they are ready would die again: stop replacing them.
    if (startFailures >= MAX_START_FAILURES && lanes.every((l) => l.dead)) {
      failQueue(`lanes keep failing before they start: ${reason}`);
    }
    if (remaining === 0 || ctx.signal.aborted) return finish();
    if (queue.length > 0 && startFailures < MAX_START_FAILURES) spawn(index);
  };

  const dispatch = (index: number) => {
    const lane = lanes[index];
    while (
      lane.ready && !lane.dead && !ctx.signal.aborted && queue.length > 0 &&
      lane.inFlight.size < ctx.perLane
    ) {
      const task = queue.shift()!;
      const timer = ctx.taskTimeoutMs > 0
        ? setTimeout(
          () => failLane(index, `timed out after ${ctx.taskTimeoutMs} ms`, task.id),
          ctx.taskTimeoutMs,
        )
        : undefined;
      lane.inFlight.set(task.id, { task, timer });
      ctx.emit({ type: "task-start", id: task.id, lane: index });
      lane.handle.send({
        kind: "task",
        id: task.id,
        workload: ctx.workload.name,
        input: task.input,
      });
    }
  };

  const onMessage = (index: number, msg: FromLaneMsg) => {
    const lane = lanes[index];
    if (lane.dead) return;
    if (msg.kind === "fatal") return failLane(index, msg.message);
    if (msg.kind === "ready") {
      lane.ready = true;
      startFailures = 0;
      ctx.emit({ type: "lane-up", lane: index, label: lane.handle.label });
      return dispatch(index);
    }
    if (!lane.inFlight.has(msg.id)) return;
    if (msg.kind === "progress") {
      ctx.emit({ type: "task-progress", id: msg.id, done: msg.done, total: msg.total });
      return;
    }
    const task = endTask(lane, msg.id)!;
    if (msg.kind === "result") {
      ctx.emit({
        type: "task-end",
        id: msg.id,
        result: msg.result,
        verified: ctx.workload.verify(task.input, msg.result),
      });
    } else {
      ctx.emit({ type: "task-end", id: msg.id, error: msg.message, verified: false });
    }
    if (remaining === 0) return finish();
    dispatch(index);
  };

  const spawn = (index: number) => {
    const lane: Lane = { handle: undefined!, ready: false, dead: false, inFlight: new Map() };
    lanes[index] = lane;
    try {
      lane.handle = startLane(index, {
        onMessage: (msg) => lanes[index] === lane && onMessage(index, msg),
        onExit: (reason) => lanes[index] === lane && failLane(index, reason),
      });
    } catch (err) {
      // A lane that cannot start is not replaced; once no lane is left, the queue fails.
      lane.dead = true;
      if (lanes.some((l) => !l.dead)) return;
      failQueue(`could not start a lane: ${errorMessage(err)}`);
      finish();
    }
  };

  const onAbort = () => finish();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  if (remaining === 0 || ctx.signal.aborted) finish();
  else {
    const count = Math.min(ctx.lanes, Math.ceil(tasks.length / ctx.perLane));
    for (let i = 0; i < count; i++) spawn(i);
  }

  return finished.finally(async () => {
    ctx.signal.removeEventListener("abort", onAbort);
    for (const lane of lanes) {
      for (const entry of lane.inFlight.values()) clearTimeout(entry.timer);
      if (!lane.dead && lane.handle) {
        lane.dead = true;
        stopping.push(lane.handle.stop());
      }
    }
    await Promise.all(stopping);
  });
}
