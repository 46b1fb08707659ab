import { errorMessage } from "../process/safe_text.ts";
import { createLaneService } from "./lane_service.ts";
import { dropPermissions } from "./permissions.ts";
import { readLines } from "../process/lines.ts";
import type { FromLaneMsg, ToLaneMsg } from "./protocol.ts";

let isChild = false;

/** True inside a `child` process; such a process never starts children of its own. */
export function runningAsChild(): boolean {
  return isChild;
}

const encoder = new TextEncoder();

function writeLine(msg: FromLaneMsg) {
  const bytes = encoder.encode(JSON.stringify(msg) + "\n");
  // Synchronous writes keep lines whole and in order without a write queue.
  for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
}

/**
 * The hidden `child` subcommand: one lane of subprocess mode. Reads tasks as JSON lines on
 * stdin, writes progress, results and errors as JSON lines on stdout, exits when stdin closes.
 */
export async function runChild(
  perLane: number,
  keepNet: boolean,
  keepModule = false,
): Promise<void> {
  isChild = true;
  dropPermissions(keepNet, keepModule);
  const service = createLaneService(writeLine, perLane);
  writeLine({ kind: "ready", timeOrigin: performance.timeOrigin });
  for await (const line of readLines(Deno.stdin.readable)) {
    if (line.trim() === "") continue;
    let msg: ToLaneMsg;
    try {
      msg = JSON.parse(line);
    } catch (err) {
      console.error(`child: ignoring a line that is not JSON: ${errorMessage(err)}`);
      continue;
    }
    service.accept(msg);
  }
  service.close();
}
