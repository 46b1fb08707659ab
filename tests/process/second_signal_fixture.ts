/**
 * Run by signals_test.ts in a process of its own: a run whose cleanup after the first Ctrl-C
 * never ends, so only the second signal can end the process.
 */
import { cancelOnSignals } from "../../lib/process/signals.ts";

const controller = new AbortController();
cancelOnSignals(controller);
controller.signal.addEventListener("abort", () => console.log("cancelling"));
console.log("ready");
// Cleanup that never finishes, and keeps the event loop alive.
setInterval(() => {}, 1000);
