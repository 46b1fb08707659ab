import { exitNow } from "./cleanup.ts";
import { EXIT } from "../cli/errors.ts";

const SIGNALS: Deno.Signal[] = ["SIGINT", "SIGTERM"];

/**
 * While a run goes on, Ctrl-C and SIGTERM cancel it (the run then cleans up and the command
 * prints what finished); a second signal exits at once. Returns the function that stops
 * listening.
 */
export function cancelOnSignals(controller: AbortController): () => void {
  const handler = () => {
    if (controller.signal.aborted) exitNow(EXIT.cancelled);
    controller.abort(new Error("interrupted"));
  };
  for (const signal of SIGNALS) Deno.addSignalListener(signal, handler);
  return () => {
    for (const signal of SIGNALS) Deno.removeSignalListener(signal, handler);
  };
}
