import { errorMessage } from "../process/safe_text.ts";
import type { FromLaneMsg, TaskMsg, ToLaneMsg } from "./protocol.ts";
import { getWorkload } from "../workloads/registry.ts";
import { throttleProgress } from "../run/progress.ts";

/**
 * The far side of a lane, shared by the worker module and the `child` subcommand: runs the
 * tasks it is handed, at most `perLane` at once, and reports everything as messages.
 */
export function createLaneService(send: (msg: FromLaneMsg) => void, perLane = 1) {
  const queue: TaskMsg[] = [];
  let running = 0;
  const controller = new AbortController();
  let stop: Int32Array | undefined;
  const checkpoint = () => {
    if (stop && Atomics.load(stop, 0) !== 0) controller.abort();
    return undefined;
  };
  let netHosts: readonly string[] = [];

  async function runOne(msg: TaskMsg) {
    running++;
    try {
      const workload = getWorkload(msg.workload);
      const result = await workload.run(msg.input, {
        signal: controller.signal,
        progress: throttleProgress((done, total) =>
          send({ kind: "progress", id: msg.id, done, total })
        ),
        checkpoint,
        netHosts,
      });
      send({ kind: "result", id: msg.id, result });
    } catch (err) {
      send({ kind: "error", id: msg.id, message: errorMessage(err) });
    } finally {
      running--;
      pump();
    }
  }

  function pump() {
    while (running < perLane && queue.length > 0) runOne(queue.shift()!);
  }

  return {
    /** Takes a message from the parent; a task starts as soon as a slot is free. */
    accept(msg: ToLaneMsg) {
      if (msg.kind === "config") {
        perLane = Math.max(1, msg.perLane);
        netHosts = msg.netHosts ?? netHosts;
        if (msg.stop) stop = new Int32Array(msg.stop);
      } else queue.push(msg);
      pump();
    },
    /** Stops running tasks at their next checkpoint. */
    close() {
      controller.abort();
    },
  };
}
