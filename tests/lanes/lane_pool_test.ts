/** The pool on fake lanes: exact behaviour, no threads or processes. */
import { assert_, assertEquals } from "../assert.ts";
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
    now: () => performance.now(),
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
        if (msg.kind !== "tasks") return;
        for (const { id } of msg.tasks) {
          sent.push([index, id]);
          setTimeout(() => cb.onMessage({ kind: "result", id, result: "ok" }), 5 * (index + 1));
        }
      },
      stop: () => Promise.resolve(),
    };
  });
  // Lane 0 answers first, so it takes the third task.
  assertEquals(sent, [[0, 0], [1, 1], [0, 2]]);
  assertEquals(ends(events).sort(), [[0, "ok"], [1, "ok"], [2, "ok"]]);
});

Deno.test("runLanePool() sends --chunk tasks a message and keeps lane times inside dispatch and arrival", async () => {
  // The pool reads the clock just before it sends: the last reading is the dispatch time.
  let lastNow = 0;
  const { ctx, events } = context({ chunk: 2, now: () => (lastNow = performance.now()) });
  const sent: number[][] = [];
  const windows: [number, number][] = [];
  await runLanePool(tasks, ctx, (_index, cb) => {
    // This lane's clock starts a second after ours: its times map back by that second.
    queueMicrotask(() =>
      cb.onMessage({ kind: "ready", timeOrigin: performance.timeOrigin + 1000 })
    );
    return {
      label: "fake",
      send(msg) {
        if (msg.kind !== "tasks") return;
        const ids = msg.tasks.map((t) => t.id);
        sent.push(ids);
        const sentAt = lastNow;
        setTimeout(() => {
          const lane = performance.now() - 1000;
          // The first start claims a time before the dispatch, the last end one after now.
          const reports = ids.flatMap((id, i) => [
            { kind: "start" as const, id, at: i === 0 ? -1e9 : lane - 2 },
            {
              kind: "result" as const,
              id,
              result: "ok",
              at: i === ids.length - 1 ? 1e9 : lane - 1,
            },
          ]);
          cb.onMessage({ kind: "batch", reports });
          // The pool handled the batch inside onMessage: now is after every arrival time.
          windows.push([sentAt, performance.now()]);
        }, 5);
      },
      stop: () => Promise.resolve(),
    };
  });
  assertEquals(sent, [[0, 1], [2]]);
  assertEquals(ends(events), [[0, "ok"], [1, "ok"], [2, "ok"]]);
  const starts = events.filter((e) => e.type === "task-start");
  assertEquals(starts.map((e) => e.type === "task-start" && [e.id, e.chunk]), [[0, 0], [1, 0], [
    2,
    1,
  ]]);
  for (const e of events) {
    if (e.type !== "task-start" && e.type !== "task-end") continue;
    const chunk = e.id < 2 ? 0 : 1;
    const [from, to] = windows[chunk];
    assert_(
      e.at! >= from && e.at! <= to + 1,
      `${e.type} ${e.id} at ${e.at} outside ${from}..${to}`,
    );
  }
});
