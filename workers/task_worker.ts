/// <reference lib="deno.worker" />
// One lane of the workers mode: a Web Worker (its own isolate and thread) that runs tasks.
import { createLaneService } from "../lib/lanes/lane_service.ts";
import { dropPermissions } from "../lib/lanes/permissions.ts";
import type { ToLaneMsg } from "../lib/lanes/protocol.ts";

// The creator already narrowed this worker's grant to its hosts (and a user module's grants);
// give back the rest anyway, so no later change there can widen what a task may do. Done at
// the config message, which comes before any task and says whether a module's grants stay.
let dropped = false;

// Deno.exit() in a worker ends the worker alone and tells the parent nothing: say so first,
// so the pool ends the task with a reason and replaces the lane.
const exit = Deno.exit;
(Deno as { exit: (code?: number) => never }).exit = (code?: number) => {
  self.postMessage({ kind: "fatal", message: `a task called Deno.exit(${code ?? ""})` });
  return exit(code);
};

const service = createLaneService((msg) => self.postMessage(msg));
self.onmessage = (event: MessageEvent<ToLaneMsg>) => {
  const msg = event.data;
  if (!dropped) {
    dropped = true;
    dropPermissions(true, msg.kind === "config" && msg.keepModule === true);
  }
  service.accept(msg);
};
self.postMessage({ kind: "ready", timeOrigin: performance.timeOrigin });

// An error outside any task would otherwise be printed over the dashboard by the runtime:
// report it as data and close, and the pool replaces this worker.
self.addEventListener("error", (event) => {
  event.preventDefault();
  self.postMessage({ kind: "fatal", message: `worker crashed: ${event.message}` });
  self.close();
});
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  self.postMessage({ kind: "fatal", message: `worker crashed: ${String(event.reason)}` });
  self.close();
});
