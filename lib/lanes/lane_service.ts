import { errorMessage } from "../process/safe_text.ts";
import type { FromLaneMsg, TaskReport, TasksMsg, ToLaneMsg } from "./protocol.ts";
import { getWorkload } from "../workloads/registry.ts";
import { laneModuleWorkload } from "../workloads/module.ts";
import { throttleProgress } from "../run/progress.ts";

/**
 * Longest a report waits for others to travel with it, in ms: well under a frame of the
 * dashboard (100 ms), and long enough that thousands of tiny tasks cost a few messages.
 */
export const BATCH_MS = 25;

interface QueuedTask {
  readonly id: number;
  readonly input: unknown;
  readonly workload: string;
  readonly module?: string;
}

/**
 * The far side of a lane, shared by the worker module and the `child` subcommand: runs the
 * tasks it is handed, in order, at most `perLane` at once, measures each one's start and end
 * on its own clock, and sends its reports in batches (see {@link BATCH_MS}).
 */
export function createLaneService(send: (msg: FromLaneMsg) => void, perLane = 1) {
  const queue: QueuedTask[] = [];
  let head = 0;
  let running = 0;
  const controller = new AbortController();
  let stop: Int32Array | undefined;
  const checkpoint = () => {
    if (stop && Atomics.load(stop, 0) !== 0) controller.abort();
    return undefined;
  };
  let netHosts: readonly string[] = [];
  let outbox: TaskReport[] = [];
  let lastSent = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (outbox.length === 0) return;
    send(outbox.length === 1 ? outbox[0] : { kind: "batch", reports: outbox });
    outbox = [];
    lastSent = performance.now();
  };

  const report = (msg: TaskReport, now: number) => {
    outbox.push(msg);
    if (now - lastSent >= BATCH_MS) return flush();
    // A backstop for reports of tasks that wait on I/O; CPU tasks reach the flush below.
    timer ??= setTimeout(flush, BATCH_MS);
  };

  async function runOne(task: QueuedTask) {
    running++;
    const start = performance.now();
    report({ kind: "start", id: task.id, at: start }, start);
    try {
      const workload = task.module
        ? await laneModuleWorkload(task.module)
        : getWorkload(task.workload);
      const result = await workload.run(task.input, {
        signal: controller.signal,
        progress: throttleProgress((done, total) => {
          const at = performance.now();
          report({ kind: "progress", id: task.id, done, total, at }, at);
        }),
        checkpoint,
        netHosts,
      });
      const at = performance.now();
      report({ kind: "result", id: task.id, result, at }, at);
    } catch (err) {
      const at = performance.now();
      report({ kind: "error", id: task.id, message: errorMessage(err), at }, at);
    } finally {
      running--;
      pump();
      // Nothing left to run: the parent is waiting for these reports to send more.
      if (running === 0) flush();
    }
  }

  function pump() {
    while (running < perLane && head < queue.length) {
      const task = queue[head++];
      runOne(task);
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
  }

  const enqueue = (msg: TasksMsg) => {
    for (const task of msg.tasks) {
      queue.push({ id: task.id, input: task.input, workload: msg.workload, module: msg.module });
    }
  };

  return {
    /** Takes a message from the parent; a task starts as soon as a slot is free. */
    accept(msg: ToLaneMsg) {
      if (msg.kind === "config") {
        perLane = Math.max(1, msg.perLane);
        netHosts = msg.netHosts ?? netHosts;
        if (msg.stop) stop = new Int32Array(msg.stop);
      } else enqueue(msg);
      pump();
    },
    /** Stops running tasks at their next checkpoint. */
    close() {
      controller.abort();
      flush();
    },
  };
}
