import { track } from "../process/cleanup.ts";
import { workerPermissions } from "./permissions.ts";
import type { LaneGrants } from "../workloads/module.ts";
import type { FromLaneMsg } from "./protocol.ts";
import type { LaneCallbacks, LaneHandle } from "./lane_pool.ts";

/** The worker module; a static URL so `deno compile` can embed it. */
export const TASK_WORKER_URL = new URL("../../workers/task_worker.ts", import.meta.url);

/** Starts one Web Worker lane: its own isolate on its own OS thread. */
export function startWorkerLane(
  index: number,
  callbacks: LaneCallbacks,
  perLane: number,
  net: readonly string[],
  grants?: LaneGrants,
): LaneHandle {
  const worker = new Worker(TASK_WORKER_URL, {
    type: "module",
    name: `conc101 worker #${index + 1}`,
    deno: { permissions: workerPermissions(net, grants) },
  } as WorkerOptions);
  const untrack = track(() => worker.terminate());
  let gone = false;
  worker.onmessage = (event: MessageEvent<FromLaneMsg>) => callbacks.onMessage(event.data);
  worker.onerror = (event) => {
    // Handled here: an uncaught error in a worker must not take the whole program down.
    event.preventDefault();
    if (gone) return;
    gone = true;
    worker.terminate();
    untrack();
    callbacks.onExit(`worker crashed: ${event.message}`);
  };
  worker.onmessageerror = () => {
    // Once, like a crash: the pool then stops this lane, and a later error says nothing new.
    if (gone) return;
    gone = true;
    callbacks.onExit("worker sent a message that could not be read");
  };
  const stop = new Int32Array(new SharedArrayBuffer(4));
  worker.postMessage({
    kind: "config",
    perLane,
    netHosts: net,
    stop: stop.buffer,
    keepModule: grants !== undefined,
  });
  return {
    label: `worker #${index + 1}`,
    send: (msg) => worker.postMessage(msg),
    stop() {
      gone = true;
      // Running tasks end at their next checkpoint; terminate() acts once they have.
      Atomics.store(stop, 0, 1);
      worker.terminate();
      untrack();
      return Promise.resolve();
    },
  };
}
