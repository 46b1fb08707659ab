import { errorMessage } from "../process/safe_text.ts";
import { childCommand, thisProgram } from "./child_command.ts";
import { spawnTracked, terminate } from "../process/cleanup.ts";
import { runningAsChild } from "./child_entry.ts";
import { readLines } from "../process/lines.ts";
import { parseFromLane, type ToLaneMsg } from "./protocol.ts";
import type { LaneCallbacks, LaneHandle } from "./lane_pool.ts";

/** Time a child gets to exit after SIGTERM before it is killed. */
const KILL_GRACE_MS = 300;

/** Keeps the tail of a child's stderr for error messages. */
const STDERR_KEEP = 2048;

/** Starts one child process lane: this program again, with the hidden `child` subcommand. */
export function startChildLane(
  callbacks: LaneCallbacks,
  permissions: readonly string[],
  perLane: number,
  netHosts: readonly string[] = [],
  keepModule = false,
): LaneHandle {
  if (runningAsChild()) throw new Error("a child process may not start children of its own");
  const { command, args } = childCommand(thisProgram(permissions, perLane, keepModule));
  const { child, untrack } = spawnTracked(command, args, "piped");
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  let stopping = false;
  let exited = false;
  let stderrTail = "";

  const fail = (reason: string) => {
    if (stopping || exited) return;
    stopping = true;
    callbacks.onExit(reason);
  };

  (async () => {
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderrTail = (stderrTail + text).slice(-STDERR_KEEP);
    }
  })().catch(() => {});

  (async () => {
    for await (const line of readLines(child.stdout)) {
      if (line.trim() === "") continue;
      try {
        callbacks.onMessage(parseFromLane(line));
      } catch (err) {
        return fail(errorMessage(err));
      }
    }
  })().catch((err) => fail(`reading from child failed: ${errorMessage(err)}`));

  const status = child.status.then((s) => {
    exited = true;
    untrack();
    if (stopping) return;
    stopping = true;
    const how = s.signal ? `was killed by ${s.signal}` : `exited with code ${s.code}`;
    const last = stderrTail.trim().split("\n").pop();
    callbacks.onExit(`child process ${child.pid} ${how}${last ? `: ${last}` : ""}`);
  });

  const send = (msg: ToLaneMsg) => {
    writer.write(encoder.encode(JSON.stringify(msg) + "\n")).catch((err) =>
      fail(`writing to child failed: ${errorMessage(err)}`)
    );
  };
  // Before any task: the run's hosts, which bound the redirects a download follows.
  send({ kind: "config", perLane, netHosts });

  return {
    label: `pid ${child.pid}`,
    send,
    async stop() {
      stopping = true;
      if (!exited) writer.close().catch(() => {});
      await terminate(child, status, KILL_GRACE_MS);
    },
  };
}
