import { errorMessage } from "../process/safe_text.ts";
import type { FromLaneMsg, TaskReport, ToLaneMsg } from "./protocol.ts";
import type { TaskSpec } from "../workloads/types.ts";
import { moduleUrl } from "../workloads/module.ts";
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

/**
 * What one dispatch should hold with `--chunk auto`, in ms of work: a message costs a worker
 * tens of µs and a child more, so a chunk of 2 ms of tiny tasks keeps that under a few %.
 */
export const CHUNK_TARGET_MS = 2;

/**
 * Tasks in one dispatch with `--chunk auto`: one until tasks have been timed, then as many as
 * take about {@link CHUNK_TARGET_MS}, but at most Python's `Pool.map` chunksize,
 * `ceil(tasks / (4 × lanes))`, so every lane gets several chunks and none finishes far
 * behind the others.
 */
export function autoChunk(meanTaskMs: number | undefined, tasks: number, lanes: number): number {
  const most = Math.max(1, Math.ceil(tasks / (4 * Math.max(1, lanes))));
  if (meanTaskMs === undefined) return 1;
  const fit = meanTaskMs <= 0 ? most : Math.floor(CHUNK_TARGET_MS / meanTaskMs);
  return Math.max(1, Math.min(most, fit));
}

interface InFlight {
  readonly task: TaskSpec;
  readonly chunk: number;
  /** When its chunk was sent, on the runner's clock. */
  readonly sentAt: number;
  /** When it started on its lane, on the runner's clock; undefined until reported. */
  startAt?: number;
  /** Its start on the lane's own clock, to time it there. */
  laneStart?: number;
  timer?: ReturnType<typeof setTimeout>;
}

interface Lane {
  handle: LaneHandle;
  ready: boolean;
  dead: boolean;
  /** Add to a time on the lane's clock to get the runner's; undefined: use arrival times. */
  offset?: number;
  inFlight: Map<number, InFlight>;
}

/**
 * Hands tasks out in chunks (`Pool.map`'s chunksize; `ctx.chunk`, or {@link autoChunk}) to
 * whichever lane is free, replaces a lane that dies or overruns `taskTimeoutMs`, and stops
 * every lane at the end, on abort, or on error. The pool owns termination; lanes only report.
 * Each task's start and end are the lane's own measurements, mapped onto the runner's clock
 * and kept between its chunk's dispatch and the report's arrival.
 */
export function runLanePool(
  tasks: readonly TaskSpec[],
  ctx: ModeContext,
  startLane: LaneFactory,
): Promise<void> {
  const queue = [...tasks];
  let head = 0;
  const lanes: Lane[] = [];
  let chunks = 0;
  let timedCount = 0;
  let timedMs = 0;
  const chunkSize = () =>
    ctx.chunk ??
      autoChunk(timedCount > 0 ? timedMs / timedCount : undefined, tasks.length, ctx.lanes);
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
    const left = queue.slice(head);
    queue.length = head = 0;
    for (const task of left) {
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
    if (head < queue.length && startFailures < MAX_START_FAILURES) spawn(index);
  };

  const dispatch = (index: number) => {
    const lane = lanes[index];
    if (!lane.ready || lane.dead || ctx.signal.aborted || head >= queue.length) return;
    const size = chunkSize();
    const room = ctx.perLane * size - lane.inFlight.size;
    // A lane takes a whole chunk at a time (or what is left): a message per task is what
    // chunking saves.
    if (room < Math.min(size, queue.length - head)) return;
    const sent = queue.slice(head, head + Math.min(room, size * ctx.perLane));
    head += sent.length;
    const chunk = chunks++;
    const sentAt = ctx.now();
    for (const task of sent) {
      const timer = ctx.taskTimeoutMs > 0
        ? setTimeout(
          () => failLane(index, `timed out after ${ctx.taskTimeoutMs} ms`, task.id),
          ctx.taskTimeoutMs,
        )
        : undefined;
      lane.inFlight.set(task.id, { task, chunk, sentAt, timer });
    }
    lane.handle.send({
      kind: "tasks",
      workload: ctx.workload.name,
      module: moduleUrl(ctx.workload),
      tasks: sent.map((t) => ({ id: t.id, input: t.input })),
    });
  };

  /** A time the lane reported, on the runner's clock, between `from` and `now`. */
  const mapped = (lane: Lane, at: number | undefined, from: number, now: number) => {
    if (at === undefined || lane.offset === undefined) return now;
    return Math.min(now, Math.max(from, at + lane.offset));
  };

  const started = (index: number, lane: Lane, entry: InFlight, now: number, at?: number) => {
    if (entry.startAt !== undefined) return;
    entry.startAt = mapped(lane, at, entry.sentAt, now);
    entry.laneStart = at;
    ctx.emit({
      type: "task-start",
      id: entry.task.id,
      lane: index,
      chunk: entry.chunk,
      at: entry.startAt,
    });
  };

  /** One report of a message that arrived at `now` (one clock read a message, not a report). */
  const onReport = (index: number, lane: Lane, msg: TaskReport, now: number) => {
    const entry = lane.inFlight.get(msg.id);
    if (!entry) return;
    if (msg.kind === "start") return started(index, lane, entry, now, msg.at);
    // A lane that reports no start (an older one, a test's fake) started it when sent.
    started(index, lane, entry, now, undefined);
    if (msg.kind === "progress") {
      const at = mapped(lane, msg.at, entry.startAt!, now);
      ctx.emit({ type: "task-progress", id: msg.id, done: msg.done, total: msg.total, at });
      return;
    }
    endTask(lane, msg.id);
    const at = mapped(lane, msg.at, entry.startAt!, now);
    if (msg.at !== undefined && entry.laneStart !== undefined) {
      timedCount++;
      timedMs += msg.at - entry.laneStart;
    }
    if (msg.kind === "result") {
      ctx.emit({
        type: "task-end",
        id: msg.id,
        result: msg.result,
        verified: ctx.workload.verify(entry.task.input, msg.result),
        at,
      });
    } else {
      ctx.emit({ type: "task-end", id: msg.id, error: msg.message, verified: false, at });
    }
  };

  const onMessage = (index: number, msg: FromLaneMsg) => {
    const lane = lanes[index];
    if (lane.dead) return;
    if (msg.kind === "fatal") return failLane(index, msg.message);
    if (msg.kind === "ready") {
      lane.ready = true;
      startFailures = 0;
      if (msg.timeOrigin !== undefined) {
        // Both clocks count from their own origin; the runner's may be injected.
        lane.offset = msg.timeOrigin - performance.timeOrigin + (ctx.now() - performance.now());
      }
      ctx.emit({ type: "lane-up", lane: index, label: lane.handle.label });
      return dispatch(index);
    }
    const now = ctx.now();
    if (msg.kind === "batch") {
      for (const report of msg.reports) {
        onReport(index, lane, report, now);
        if (lane.dead) return;
      }
    } else onReport(index, lane, msg, now);
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
