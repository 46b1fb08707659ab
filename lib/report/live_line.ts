import { countTasks, type RunState } from "../run/state.ts";
import { formatMs } from "./format.ts";

const REDRAW_MS = 100;

/** A one-line live status on stderr for `run` and `compare` when stderr is a terminal. */
export function createLiveLine(prefix: string): {
  onState: (current: () => RunState) => void;
  clear: () => void;
} {
  const encoder = new TextEncoder();
  let last = 0;
  const onState = (current: () => RunState) => {
    const now = performance.now();
    if (now - last < REDRAW_MS) return;
    last = now;
    const state = current();
    const c = countTasks(state);
    const text = `${prefix} ${state.mode}: ${
      c.done + c.failed
    }/${state.tasks.length} done, ${c.running} running, ${formatMs(state.nowMs)}`;
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${text}`));
  };
  return {
    onState,
    /** Clears the line so the summary starts clean. */
    clear: () => void Deno.stderr.writeSync(encoder.encode("\r\x1b[2K")),
  };
}
