import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { childPids, waitFor } from "../helpers.ts";
import { trackedCount } from "../../lib/cleanup.ts";
import { closedForm } from "../../lib/kernel/sum_squares.ts";
import { MODE_NAMES } from "../../lib/modes/mod.ts";
import type { ModeName, RunEvent } from "../../lib/run/events.ts";
import { runWorkload } from "../../lib/run/runner.ts";
import { cpuTasks, cpuWorkload } from "../../lib/workloads/cpu.ts";
import { type FaultInput, faultWorkload } from "../../lib/workloads/fault.ts";
import type { TaskSpec, Workload } from "../../lib/workloads/types.ts";

const cpu = cpuWorkload as Workload;
const fault = faultWorkload as Workload;
const faults = (...inputs: FaultInput[]): TaskSpec[] => inputs.map((input, id) => ({ id, input }));

async function noneLeft() {
  assert_(
    await waitFor(async () => (await childPids(Deno.pid)).length === 0, 3000),
    "a child process was left",
  );
  assertEquals(trackedCount(), 0);
}

for (const mode of MODE_NAMES) {
  Deno.test(`${mode}: runs the task list with every result exact and verified`, async () => {
    const tasks = cpuTasks({ tasks: 6, size: 200_000 });
    const state = await runWorkload({ mode, workload: cpu, tasks, lanes: 2 });
    assertEquals(state.status, "done");
    assertEquals(
      state.tasks.map((t) => t.result),
      tasks.map((t) => closedForm((t.input as { n: number }).n).toString()),
    );
    assertEquals(state.tasks.every((t) => t.verified), true);
    await noneLeft();
  });

  Deno.test(`${mode}: reports events in order, each task starting before it ends`, async () => {
    const events: RunEvent[] = [];
    await runWorkload({
      mode,
      workload: cpu,
      tasks: cpuTasks({ tasks: 3, size: 1000 }),
      lanes: 2,
      onEvent: (e) => events.push(e),
    });
    assertEquals(events[0].type, "run-start");
    assertEquals(events.at(-1)!.type, "run-end");
    for (let id = 0; id < 3; id++) {
      const s = events.findIndex((e) => e.type === "task-start" && e.id === id);
      const e = events.findIndex((e) => e.type === "task-end" && e.id === id);
      assert_(s > 0 && e > s, `task ${id} start ${s}, end ${e}`);
    }
    const times = events.map((e) => e.t);
    assertEquals(times, [...times].sort((a, b) => a - b));
    await noneLeft();
  });

  Deno.test(`${mode}: a task that throws fails alone and the run ends as failed`, async () => {
    const state = await runWorkload({
      mode,
      workload: fault,
      tasks: faults({ kind: "ok", ms: 1 }, { kind: "throw", message: "bad input" }, {
        kind: "ok",
        ms: 1,
      }),
      lanes: 2,
    });
    assertEquals(state.status, "failed");
    assertEquals(state.tasks.map((t) => t.status), ["done", "failed", "done"]);
    assertEquals(state.tasks[1].error, "bad input");
    await noneLeft();
  });

  Deno.test(`${mode}: cancelling mid-run ends it within 1 s as cancelled, keeping finished tasks`, async () => {
    const controller = new AbortController();
    const tasks = faults(
      { kind: "ok", ms: 1 },
      { kind: "ok", ms: 30_000 },
      { kind: "ok", ms: 30_000 },
      { kind: "ok", ms: 30_000 },
    );
    let cancelledAt = 0;
    const state = await runWorkload({
      mode,
      workload: fault,
      tasks,
      lanes: 2,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "task-end" && e.id === 0) {
          cancelledAt = performance.now();
          setTimeout(() => controller.abort(), 50);
        }
      },
    });
    const took = performance.now() - cancelledAt;
    assert_(took < 1000, `cancel took ${took} ms`);
    assertEquals(state.status, "cancelled");
    assertEquals(state.tasks[0].status, "done");
    assertEquals(state.tasks.slice(1).every((t) => t.status === "cancelled"), true);
    await noneLeft();
  });
}

for (const mode of ["workers", "subprocess"] as ModeName[]) {
  Deno.test(`${mode}: tasks really spread over more than one lane`, async () => {
    const state = await runWorkload({
      mode,
      workload: fault,
      tasks: faults(...Array.from({ length: 6 }, () => ({ kind: "ok" as const, ms: 40 }))),
      lanes: 3,
    });
    const lanes = new Set(state.tasks.map((t) => t.lane));
    assertEquals(lanes.size, 3);
    assertEquals(state.laneStates.length, 3);
    await noneLeft();
  });

  Deno.test(`${mode}: a hung task is ended by the task timeout and its lane replaced`, async () => {
    const state = await runWorkload({
      mode,
      workload: fault,
      tasks: faults({ kind: "hang" }, { kind: "ok", ms: 1 }, { kind: "ok", ms: 1 }),
      lanes: 1,
      taskTimeoutMs: 500,
    });
    assertEquals(state.tasks.map((t) => t.status), ["failed", "done", "done"]);
    assertEquals(state.tasks[0].error, "timed out after 500 ms");
    await noneLeft();
  });

  Deno.test(`${mode}: a lane that crashes mid-task fails that task and is replaced`, async () => {
    const state = await runWorkload({
      mode,
      workload: fault,
      tasks: faults({ kind: "crash" }, { kind: "ok", ms: 1 }, { kind: "ok", ms: 1 }),
      lanes: 1,
    });
    assertEquals(state.status, "failed");
    assertEquals(state.tasks.map((t) => t.status), ["failed", "done", "done"]);
    assertMatch(
      state.tasks[0].error!,
      mode === "workers" ? /worker crashed/ : /exited with code 1/,
    );
    await noneLeft();
  });
}

for (const mode of ["workers", "subprocess"] as ModeName[]) {
  Deno.test(`${mode}: a lane may not read files, though the parent may`, async () => {
    const path = new URL("../../deno.json", import.meta.url).pathname;
    await Deno.readTextFile(path);
    const state = await runWorkload({
      mode,
      workload: fault,
      tasks: faults({ kind: "read", path }),
      lanes: 1,
    });
    assertEquals(state.tasks[0].status, "failed");
    assertMatch(state.tasks[0].error!, /Requires read access/);
    await noneLeft();
  });
}

Deno.test("subprocess: a child that exits mid-task with a code fails that task", async () => {
  const state = await runWorkload({
    mode: "subprocess",
    workload: fault,
    tasks: faults({ kind: "exit", code: 7 }, { kind: "ok", ms: 1 }),
    lanes: 1,
  });
  assertEquals(state.tasks.map((t) => t.status), ["failed", "done"]);
  assertMatch(state.tasks[0].error!, /exited with code 7/);
  await noneLeft();
});

Deno.test("subprocess: a child that prints garbage on stdout fails its task", async () => {
  const state = await runWorkload({
    mode: "subprocess",
    workload: fault,
    tasks: faults({ kind: "garbage" }, { kind: "ok", ms: 1 }),
    lanes: 1,
  });
  assertEquals(state.tasks.map((t) => t.status), ["failed", "done"]);
  assertMatch(state.tasks[0].error!, /not JSON/);
  await noneLeft();
});

Deno.test("subprocess: a child killed by a signal fails its task", async () => {
  const state = await runWorkload({
    mode: "subprocess",
    workload: fault,
    tasks: faults({ kind: "ok", ms: 30_000 }, { kind: "ok", ms: 1 }),
    lanes: 1,
    onEvent: (e, s) => {
      if (e.type === "task-start" && e.id === 0) {
        const pid = s.laneStates[0].pid!;
        // `kill`, not Deno.kill: the suite is not granted blanket run permission.
        setTimeout(() => new Deno.Command("kill", { args: ["-KILL", String(pid)] }).output(), 100);
      }
    },
  });
  assertEquals(state.tasks.map((t) => t.status), ["failed", "done"]);
  assertMatch(state.tasks[0].error!, /killed by SIGKILL/);
  await noneLeft();
});
