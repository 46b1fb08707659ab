import { assertEquals } from "../assert.ts";
import type { RunEvent } from "../../lib/run/events.ts";
import { reduceRun, reduceRunAll, type RunState, type TaskState } from "../../lib/run/state.ts";
import { actionFor, actionsFor } from "../../lib/ui/keys.ts";
import { reduceUi, type UiState } from "../../lib/ui/model.ts";
import { colorWanted } from "../../lib/ui/theme.ts";
import {
  bar,
  fit,
  fitTail,
  pendingTasks,
  sharedHost,
  timingDiagram,
  visibleTaskRows,
} from "../../lib/ui/view_model.ts";
import { sizeFor } from "../../lib/workloads/cpu/calibrate.ts";

function task(id: number, status: TaskState["status"]): TaskState {
  return { id, label: `t${id}`, input: {}, status, done: 0, total: 0, verified: status === "done" };
}

Deno.test("bar() fills eighths of a cell and always has the asked width", () => {
  assertEquals(bar(0, 4), "    ");
  assertEquals(bar(1, 4), "████");
  assertEquals(bar(0.5, 4), "██  ");
  assertEquals(bar(0.53125, 4), "██▏ ");
  assertEquals(bar(2, 3), "███");
  assertEquals(bar(NaN, 3), "   ");
});

Deno.test("visibleTaskRows() shows every task when they fit", () => {
  const tasks = [task(0, "done"), task(1, "running"), task(2, "pending")];
  assertEquals(visibleTaskRows(tasks, 3).map((r) => r.kind === "task" && r.task.id), [0, 1, 2]);
});

Deno.test("visibleTaskRows() folds finished tasks, keeps running ones, counts the waiting", () => {
  const tasks = [
    ...Array.from({ length: 100 }, (_, i) => task(i, i === 7 ? "failed" : "done")),
    ...Array.from({ length: 10 }, (_, i) => task(100 + i, "running")),
    ...Array.from({ length: 50 }, (_, i) => task(110 + i, "pending")),
  ];
  const rows = visibleTaskRows(tasks, 14);
  assertEquals(rows.length, 14);
  assertEquals(rows[0], { kind: "finished", done: 99, failed: 1, verified: 99 });
  assertEquals(
    rows.slice(1, 11).map((r) => r.kind === "task" && r.task.status),
    Array(10).fill("running"),
  );
  assertEquals(rows.slice(11, 13).map((r) => r.kind === "task" && r.task.id), [110, 111]);
  assertEquals(rows[13], { kind: "waiting", count: 48 });
});

Deno.test("visibleTaskRows() fills spare rows with the most recently finished tasks", () => {
  const tasks = Array.from({ length: 160 }, (_, i) => ({ ...task(i, "done"), endMs: i }));
  const rows = visibleTaskRows(tasks, 10);
  assertEquals(rows[0], { kind: "finished", done: 151, failed: 0, verified: 151 });
  assertEquals(rows.slice(1).map((r) => r.kind === "task" && r.task.id), [
    151,
    152,
    153,
    154,
    155,
    156,
    157,
    158,
    159,
  ]);
});

Deno.test("visibleTaskRows() never returns more rows than asked, even for running tasks", () => {
  const tasks = Array.from({ length: 30 }, (_, i) => task(i, "running"));
  assertEquals(visibleTaskRows(tasks, 5).length, 5);
});

Deno.test("timingDiagram() scales tasks to the width, alternating shades along each lane", () => {
  const events: RunEvent[] = [
    {
      type: "run-start",
      t: 0,
      mode: "workers",
      workload: "cpu",
      lanes: 2,
      tasks: [0, 1, 2].map((id) => ({ id, label: "", input: {} })),
    },
    { type: "lane-up", t: 0, lane: 0, label: "worker #1" },
    { type: "lane-up", t: 0, lane: 1, label: "worker #2" },
    { type: "task-start", t: 0, id: 0, lane: 0 },
    { type: "task-start", t: 0, id: 1, lane: 1 },
    { type: "task-end", t: 50, id: 0, verified: true, result: "" },
    { type: "task-start", t: 50, id: 2, lane: 0 },
    { type: "task-end", t: 100, id: 2, verified: true, result: "" },
  ];
  const state = events.reduce<RunState | undefined>(reduceRun, undefined)!;
  const rows = timingDiagram(state, 80, 10, 100);
  assertEquals(rows.map((r) => r.label), ["worker #1", "worker #2"]);
  assertEquals(rows[0].cells, "█████▓▓▓▓▓");
  assertEquals(rows[1].cells, "████████  ");
});

Deno.test("fit() pads and cuts to the width", () => {
  assertEquals(fit("abc", 5), "abc  ");
  assertEquals(fit("abcdef", 4), "abc…");
});

Deno.test("fitTail() keeps the end of a long label", () => {
  assertEquals(fitTail("127.0.0.1:46395/page/52", 12), "…395/page/52");
  assertEquals(fitTail("n=5", 5), "n=5  ");
});

Deno.test("actionFor() maps keys to actions, Ctrl-C to quit before c to cancel", () => {
  assertEquals(actionFor("3", {}), { type: "select-mode", index: 2 });
  assertEquals(actionFor("", { rightArrow: true }), { type: "next-mode" });
  assertEquals(actionFor("", { leftArrow: true }), { type: "prev-mode" });
  assertEquals(actionFor("", { tab: true }), { type: "next-mode" });
  assertEquals(actionFor("", { return: true }), { type: "run" });
  assertEquals(actionFor("c", { ctrl: true }), { type: "quit", interrupted: true });
  assertEquals(actionFor("q", {}), { type: "quit", interrupted: false });
  assertEquals(actionFor("c", {}), { type: "cancel" });
  assertEquals(actionFor("", { escape: true }), { type: "cancel" });
  assertEquals(actionFor("-", {}), { type: "lanes", delta: -1 });
  assertEquals(actionFor("x", {}), undefined);
});

Deno.test("actionsFor() handles every key of a read that holds several, in order", () => {
  assertEquals(actionsFor("3\r", {}), [{ type: "select-mode", index: 2 }, { type: "run" }]);
  assertEquals(actionsFor("4r", {}), [{ type: "select-mode", index: 3 }, { type: "run" }]);
  assertEquals(actionsFor("wx\tq", {}), [
    { type: "toggle-workload" },
    { type: "next-mode" },
    { type: "quit", interrupted: false },
  ]);
  assertEquals(actionsFor("", { escape: true }), [{ type: "cancel" }]);
  assertEquals(actionsFor("x", {}), []);
  // Enter typed before raw mode reaches Ink as a line feed, which it passes on as text.
  assertEquals(actionsFor("\n", {}), [{ type: "run" }]);
});

Deno.test("reduceUi() wraps mode selection and keeps lanes within 1..64", () => {
  const ui: UiState = { mode: "cluster", workload: "cpu", tutorial: false, help: false };
  assertEquals(reduceUi(ui, { type: "next-mode" }, 2).mode, "sequential");
  assertEquals(
    reduceUi({ ...ui, mode: "sequential" }, { type: "prev-mode" }, 2).mode,
    "cluster",
  );
  assertEquals(reduceUi(ui, { type: "lanes", delta: 1 }, 2).lanes, 3);
  assertEquals(reduceUi({ ...ui, lanes: 1 }, { type: "lanes", delta: -1 }, 2).lanes, 1);
  assertEquals(reduceUi({ ...ui, lanes: 64 }, { type: "lanes", delta: 1 }, 2).lanes, 64);
  assertEquals(reduceUi(ui, { type: "toggle-workload" }, 2).workload, "io");
  assertEquals(reduceUi(ui, { type: "run" }, 2), ui);
});

Deno.test("colorWanted() honours --no-color and a non-empty NO_COLOR", () => {
  assertEquals(colorWanted(false, undefined), true);
  assertEquals(colorWanted(true, undefined), false);
  assertEquals(colorWanted(false, "1"), false);
  assertEquals(colorWanted(false, ""), true);
});

Deno.test("sizeFor() sizes tasks so the sequential run takes the target time", () => {
  // 1 ns an iteration on both paths: 6 s over 20 tasks is 300 M iterations each.
  assertEquals(sizeFor({ fastNs: 1, splitNs: 1 }, 6000, 20), 300_000_000);
  // Slow split path: the part past 2^26 costs 2 ns an iteration.
  assertEquals(sizeFor({ fastNs: 1, splitNs: 2 }, 6000, 20), 183_600_000);
});

Deno.test("sharedHost() finds the one host of every label, and nothing otherwise", () => {
  assertEquals(sharedHost(["127.0.0.1:4507/page/0", "127.0.0.1:4507/page/54"]), "127.0.0.1:4507");
  assertEquals(sharedHost(["a.test/x", "b.test/x"]), undefined);
  assertEquals(sharedHost(["n=5000000", "n=5000001"]), undefined);
  assertEquals(sharedHost(["a.test/x", "n=1"]), undefined);
  assertEquals(sharedHost(["/page/0"]), undefined);
  assertEquals(sharedHost([]), undefined);
});

Deno.test("pendingTasks() turns labels into tasks that wait, numbered from 0", () => {
  assertEquals(pendingTasks(["/page/0", "/page/1"]).map((t) => [t.id, t.label, t.status]), [
    [0, "/page/0", "pending"],
    [1, "/page/1", "pending"],
  ]);
});

Deno.test("visibleTaskRows() and timingDiagram() over 10,000 tasks on 10,000 lanes", () => {
  const events: RunEvent[] = [{
    type: "run-start",
    t: 0,
    mode: "async",
    workload: "cpu",
    lanes: 10_000,
    tasks: Array.from({ length: 10_000 }, (_, id) => ({ id, label: `n=${id}`, input: {} })),
  }];
  for (let id = 0; id < 10_000; id++) {
    events.push({ type: "lane-up", t: 0, lane: id, label: `main:${id + 1}` });
    events.push({ type: "task-start", t: id, id, lane: id });
    if (id < 9_990) events.push({ type: "task-end", t: id + 1, id, verified: id % 2 === 0 });
  }
  const state = reduceRunAll(undefined, events);
  const rows = visibleTaskRows(state.tasks, 12);
  assertEquals(rows.length, 12);
  // The 9,990 finished fold into one line but the latest, shown oldest first, then the running.
  assertEquals(rows[0], { kind: "finished", done: 9_989, failed: 0, verified: 4_995 });
  assertEquals(rows.slice(1).map((r) => r.kind === "task" && r.task.id), [
    9_989,
    ...Array.from({ length: 10 }, (_, i) => 9_990 + i),
  ]);
  const diagram = timingDiagram(state, 10_000, 10, 10_000, 3);
  assertEquals(diagram.map((r) => r.label), ["main:1", "main:2", "main:3"]);
});
