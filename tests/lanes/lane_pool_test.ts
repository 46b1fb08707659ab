/** The pool on fake lanes: exact behaviour, no threads or processes. */
import { assertEquals } from "../assert.ts";
import { type LaneCallbacks, MAX_START_FAILURES, runLanePool } from "../../lib/lanes/lane_pool.ts";
import type { ModeContext } from "../../lib/modes/types.ts";
import type { ModeEvent } from "../../lib/run/events.ts";
import type { ToLaneMsg } from "../../lib/lanes/protocol.ts";
import { faultWorkload } from "../../lib/workloads/fault.ts";
import type { TaskSpec, Workload } from "../../lib/workloads/types.ts";

function context(overrides: Partial<ModeContext> = {}): { ctx: ModeContext; events: ModeEvent[] } {
  const events: ModeEvent[] = [];
  const ctx: ModeContext = {
    workload: faultWorkload as Workload,
    lanes: 1,
    perLane: 1,
    taskTimeoutMs: 0,
    netHosts: [],
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
    ...overrides,
  };
  return { ctx, events };
}

const tasks: TaskSpec[] = [0, 1, 2].map((id) => ({ id, input: { kind: "ok", ms: 0 } }));
const ends = (events: ModeEvent[]) =>
  events.filter((e) => e.type === "task-end").map((e) =>
    e.type === "task-end" && [e.id, e.error ?? "ok"]
  );

Deno.test("runLanePool() stops replacing lanes that die before they are ready", async () => {
  const { ctx, events } = context();
  let started = 0;
  await runLanePool(tasks, ctx, (_i, cb: LaneCallbacks) => {
    started++;
    queueMicrotask(() => cb.onExit("exited with code 1: cannot load"));
    return { label: "fake", send() {}, stop: () => Promise.resolve() };
  });
  assertEquals(started, MAX_START_FAILURES);
  assertEquals(ends(events), [
    [0, "lanes keep failing before they start: exited with code 1: cannot load"],
    [1, "lanes keep failing before they start: exited with code 1: cannot load"],
    [2, "lanes keep failing before they start: exited with code 1: cannot load"],
  ]);
});

Deno.test("runLanePool() blames a timeout on its task and says why the others on its lane ended", async () => {
  const { ctx, events } = context({ perLane: 2, taskTimeoutMs: 30 });
  let lanesStarted = 0;
  await runLanePool(tasks.slice(0, 2), ctx, (_i, cb) => {
    lanesStarted++;
    queueMicrotask(() => cb.onMessage({ kind: "ready" }));
    // Task 0 never answers; task 1 would, but only after the timeout.
    return {
      label: `fake #${lanesStarted}`,
      send(_msg: ToLaneMsg) {},
      stop: () => Promise.resolve(),
    };
  });
  assertEquals(ends(events).sort(), [
    [0, "timed out after 30 ms"],
    [1, "its fake #1 was ended: task 0 timed out after 30 ms"],
  ]);
});

Deno.test("runLanePool() hands tasks out one at a time as lanes become free", async () => {
  const { ctx, events } = context({ lanes: 2 });
  const sent: [number, number][] = [];
  await runLanePool(tasks, ctx, (index, cb) => {
    queueMicrotask(() => cb.onMessage({ kind: "ready" }));
    return {
      label: `fake #${index + 1}`,
      send(msg) {
        if (msg.kind !== "task") return;
        sent.push([index, msg.id]);
        setTimeout(
          () => cb.onMessage({ kind: "result", id: msg.id, result: "ok" }),
          5 * (index + 1),
        );
      },
      stop: () => Promise.resolve(),
    };
  });
  // Lane 0 answers first, so it takes the third task.
  assertEquals(sent, [[0, 0], [1, 1], [0, 2]]);
  assertEquals(ends(events).sort(), [[0, "ok"], [1, "ok"], [2, "ok"]]);
});
