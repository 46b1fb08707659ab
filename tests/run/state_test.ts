import { assertEquals } from "../assert.ts";
import type { RunEvent } from "../../lib/run/events.ts";
import {
  countTasks,
  parallelism,
  reduceRun,
  reduceRunAll,
  type RunState,
  startupMs,
  wallMs,
} from "../../lib/run/state.ts";

const start: RunEvent = {
  type: "run-start",
  t: 0,
  mode: "workers",
  workload: "cpu",
  lanes: 2,
  tasks: [
    { id: 0, label: "n=10", input: { n: 10 } },
    { id: 1, label: "n=11", input: { n: 11 } },
    { id: 2, label: "n=12", input: { n: 12 } },
  ],
};

function fold(events: RunEvent[]): RunState {
  return events.reduce<RunState | undefined>(reduceRun, undefined)!;
}

const twoLanes: RunEvent[] = [
  start,
  { type: "lane-up", t: 5, lane: 0, label: "worker #1" },
  { type: "lane-up", t: 10, lane: 1, label: "worker #2" },
  { type: "task-start", t: 10, id: 0, lane: 0 },
  { type: "task-start", t: 10, id: 1, lane: 1 },
  { type: "task-progress", t: 30, id: 0, done: 5, total: 10 },
  { type: "task-end", t: 50, id: 0, result: "285", verified: true },
  { type: "task-start", t: 50, id: 2, lane: 0 },
  { type: "task-end", t: 60, id: 1, error: "worker crashed: boom", verified: false },
  { type: "task-end", t: 90, id: 2, result: "506", verified: true },
  { type: "run-end", t: 100, status: "failed" },
];

Deno.test("reduceRun() starts every task as pending", () => {
  const state = fold([start]);
  assertEquals(state.status, "running");
  assertEquals(state.tasks.map((t) => t.status), ["pending", "pending", "pending"]);
});

Deno.test("reduceRun() marks a task running on task-start and records its lane", () => {
  const state = fold(twoLanes.slice(0, 5));
  assertEquals(state.tasks[0].status, "running");
  assertEquals(state.tasks[0].lane, 0);
  assertEquals(state.tasks[1].lane, 1);
  assertEquals(state.tasks[0].startMs, 10);
});

Deno.test("reduceRun() records progress on task-progress", () => {
  const state = fold(twoLanes.slice(0, 6));
  assertEquals([state.tasks[0].done, state.tasks[0].total], [5, 10]);
  assertEquals(state.nowMs, 30);
});

Deno.test("reduceRun() marks a task done on task-end with a result", () => {
  const state = fold(twoLanes.slice(0, 7));
  assertEquals(state.tasks[0].status, "done");
  assertEquals(state.tasks[0].verified, true);
  assertEquals(state.tasks[0].result, "285");
  assertEquals([state.tasks[0].done, state.tasks[0].total], [10, 10]);
});

Deno.test("reduceRun() marks a task failed on task-end with an error", () => {
  const state = fold(twoLanes.slice(0, 9));
  assertEquals(state.tasks[1].status, "failed");
  assertEquals(state.tasks[1].error, "worker crashed: boom");
});

Deno.test("reduceRun() does not change the state it is given", () => {
  const before = fold(twoLanes.slice(0, 5));
  const copy = structuredClone(before);
  reduceRun(before, twoLanes[5]);
  assertEquals(before, copy);
});

Deno.test("reduceRunAll() folds a batch to what one event at a time gives, leaving its input", () => {
  for (let cut = 0; cut <= twoLanes.length; cut++) {
    const before = cut === 0 ? undefined : fold(twoLanes.slice(0, cut));
    const copy = structuredClone(before);
    assertEquals(reduceRunAll(before, twoLanes.slice(cut)), fold(twoLanes), `cut at ${cut}`);
    assertEquals(before, copy);
  }
  const replaced: RunEvent = { type: "lane-up", t: 70, lane: 1, label: "worker #3" };
  const state = reduceRunAll(fold(twoLanes.slice(0, 3)), [replaced, twoLanes[3]]);
  assertEquals(state.laneStates.map((l) => [l.label, l.upMs]), [["worker #1", 5], [
    "worker #3",
    10,
  ]]);
});

Deno.test("derived figures: wall time, parallelism, start-up", () => {
  const state = fold(twoLanes);
  assertEquals(state.status, "failed");
  assertEquals(wallMs(state), 100);
  assertEquals(parallelism(state), 1.3);
  assertEquals(startupMs(state), 10);
  assertEquals(countTasks(state), {
    pending: 0,
    running: 0,
    done: 2,
    failed: 1,
    cancelled: 0,
    verified: 2,
  });
});

Deno.test("reduceRun() marks unfinished tasks cancelled on a cancelled run-end", () => {
  const state = fold([...twoLanes.slice(0, 7), { type: "run-end", t: 40, status: "cancelled" }]);
  assertEquals(state.tasks.map((t) => t.status), ["done", "cancelled", "cancelled"]);
  assertEquals(state.tasks[1].endMs, 40);
  assertEquals(state.tasks[2].endMs, undefined);
  assertEquals(state.status, "cancelled");
});

Deno.test("reduceRun() keeps a lane's first ready time when a replacement comes up", () => {
  const state = fold([
    start,
    { type: "lane-up", t: 5, lane: 0, label: "pid 10" },
    { type: "lane-up", t: 70, lane: 0, label: "pid 11" },
  ]);
  assertEquals(state.laneStates, [{ lane: 0, label: "pid 11", upMs: 5 }]);
});

Deno.test("reduceRun() keeps why the mode failed, as one safe line, through run-end", () => {
  const state = fold([
    start,
    { type: "mode-failed", t: 3, error: "no pool: \u001b[2J" },
    { type: "run-end", t: 4, status: "failed" },
  ]);
  assertEquals([state.failure, state.status, state.nowMs], ["no pool: \\x1b[2J", "failed", 4]);
});
