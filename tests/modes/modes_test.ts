import { assert_, assertEquals, assertMatch } from "../assert.ts";
import {
  descendants,
  lanePid,
  waitFor,
  waitNoDescendants,
  withProjectTempDir,
  workerThreads,
} from "../helpers.ts";
import { childCommand, thisProgram } from "../../lib/lanes/child_command.ts";
import { trackedCount } from "../../lib/process/cleanup.ts";
import { sampleCores } from "../../lib/run/cpu_usage.ts";
import { closedForm, SQUARE_EXACT_MAX } from "../../lib/workloads/cpu/sum_squares.ts";
import { defaultModeNames, modes } from "../../lib/modes/mod.ts";

import type { ModeName, RunEvent } from "../../lib/run/events.ts";
import { runWorkload } from "../../lib/run/runner.ts";
import type { RunState } from "../../lib/run/state.ts";
import { cpuTasks, cpuWorkload, STEP } from "../../lib/workloads/cpu/workload.ts";
import { type FaultInput, faultWorkload } from "../../lib/workloads/fault.ts";
import type { TaskSpec, Workload } from "../../lib/workloads/types.ts";

const cpu = cpuWorkload as Workload;
const fault = faultWorkload as Workload;
const faults = (...inputs: FaultInput[]): TaskSpec[] => inputs.map((input, id) => ({ id, input }));

/** Nothing the run started is left: no process below this one, no worker thread in it. */
async function noneLeft() {
  const left = await waitNoDescendants(Deno.pid);
  assertEquals(left, [], "a child process was left");
  assert_(await waitFor(async () => await workerThreads(Deno.pid) === 0), "a worker was left");
  assertEquals(trackedCount(), 0);
}

for (const mode of defaultModeNames()) {
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

  Deno.test(`${mode}: is exact for tasks of several kernel steps and past i = 94,906,265`, async () => {
    // 3 x 2^20 + x spans several steps and a partial one; the last task crosses the fast/split
    // boundary (2^26) and the last exact square, where a float64 sum would be wrong.
    const inputs = [3 * STEP, 3 * STEP + 1, 3 * STEP + 777, SQUARE_EXACT_MAX + 1_000];
    const tasks = inputs.map((n, id) => ({ id, input: { n } }));
    const state = await runWorkload({ mode, workload: cpu, tasks, lanes: 2 });
    assertEquals(state.status, "done");
    assertEquals(state.tasks.map((t) => t.result), inputs.map((n) => closedForm(n).toString()));
    assertEquals(state.tasks.every((t) => t.verified), true);
    await noneLeft();
  });

  Deno.test(`${mode}: reports events in order on each lane, each task starting before it ends`, async () => {
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
    const laneOf = new Map<number, number>();
    for (let id = 0; id < 3; id++) {
      const s = events.findIndex((e) => e.type === "task-start" && e.id === id);
      const e = events.findIndex((e) => e.type === "task-end" && e.id === id);
      assert_(s > 0 && e > s, `task ${id} start ${s}, end ${e}`);
      assert_(events[s].t <= events[e].t, `task ${id} ends before it starts`);
      const start = events[s];
      if (start.type === "task-start") laneOf.set(id, start.lane);
    }
    // Pools report what their lanes measured, in batches: in time order lane by lane.
    const lanes = new Set(laneOf.values());
    for (const lane of lanes) {
      const times = events.filter((e) =>
        (e.type === "task-start" || e.type === "task-end") && laneOf.get(e.id) === lane
      ).map((e) => e.t);
      assertEquals(times, [...times].sort((a, b) => a - b), `lane ${lane}`);
    }
    const last = events.at(-1)!.t;
    assert_(events.every((e) => e.t >= 0 && e.t <= last), "an event outside the run");
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

/** Pairs of tasks that ran on different lanes at the same time. */
function overlapsAcrossLanes(tasks: RunState["tasks"]): [number, number][] {
  const pairs: [number, number][] = [];
  for (const a of tasks) {
    for (const b of tasks) {
      if (a.id < b.id && a.lane !== b.lane && a.startMs! < b.endMs! && b.startMs! < a.endMs!) {
        pairs.push([a.id, b.id]);
      }
    }
  }
  return pairs;
}

for (const mode of modes().filter((m) => m.parallel)) {
  Deno.test(`${mode.name}: CPU tasks on two lanes run at the same time`, async () => {
    // Eight tasks of ~0.3 s on two lanes: a lane alone would need ~2.4 s, so unless the
    // second lane came up that much later than the first, tasks of both lanes overlap.
    const tasks = cpuTasks({ tasks: 8, size: 150_000_000 });
    const state = await runWorkload({ mode: mode.name, workload: cpu, tasks, lanes: 2 });
    assertEquals(state.status, "done");
    assertEquals(state.tasks.every((t) => t.verified), true);
    assert_(
      overlapsAcrossLanes(state.tasks).length > 0,
      `no two tasks overlapped: ${
        JSON.stringify(state.tasks.map((t) => [t.lane, t.startMs, t.endMs]))
      }, lanes up at ${JSON.stringify(state.laneStates.map((l) => l.upMs))}`,
    );
    await noneLeft();
  });
}

for (const mode of modes().filter((m) => !m.parallel)) {
  Deno.test(`${mode.name}: is not called parallel, and runs every task on the main thread`, async () => {
    // While the run goes on, look for any worker thread or process it might use.
    let running = true;
    let looks = 0;
    let seen = 0;
    const watch = (async () => {
      while (running) {
        const threads = await workerThreads(Deno.pid);
        const procs = (await descendants(Deno.pid)).length;
        if (running) looks++;
        seen += threads + procs;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const state = await runWorkload({
      mode: mode.name,
      workload: cpu,
      tasks: cpuTasks({ tasks: 4, size: 60_000_000 }),
      lanes: 2,
    });
    running = false;
    await watch;
    assertEquals(state.status, "done");
    assert_(looks > 0, "the run ended before it could be watched");
    assertEquals(seen, 0, "a worker thread or a process ran tasks");
    assertEquals(state.laneStates.every((l) => /^main/.test(l.label)), true);
  });
}

Deno.test("workers: a task spinning past its timeout is replaced, and its thread ends with the program", async () => {
  // Deno 2.9's terminate() waits for the worker's event loop, which a spinning task never
  // gives back: the pool replaces the lane and the thread spins on until the program exits.
  const fixture = new URL("./hung_worker_fixture.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-read=.", "--allow-run=ps", fixture],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const report = JSON.parse(text);
  assertEquals(report.statuses, ["failed", "done", "done"]);
  assertEquals(report.error, "timed out after 500 ms");
  assertEquals(report.spinningThreads, 1);
});

Deno.test("only workers, subprocess and cluster are called parallel", () => {
  assertEquals(modes().filter((m) => m.parallel).map((m) => m.name), [
    "workers",
    "subprocess",
    "cluster",
  ]);
});

for (const mode of ["workers", "subprocess"] as ModeName[]) {
  // A spinning task in a worker is tested in a process of its own, below.
  const hangs: ("stall" | "hang")[] = mode === "workers" ? ["stall"] : ["stall", "hang"];
  for (const kind of hangs) {
    Deno.test(`${mode}: a task that ${kind}s is ended by the task timeout and its lane replaced`, async () => {
      const state = await runWorkload({
        mode,
        workload: fault,
        tasks: faults({ kind }, { kind: "ok", ms: 1 }, { kind: "ok", ms: 1 }),
        lanes: 1,
        taskTimeoutMs: 500,
      });
      assertEquals(state.tasks.map((t) => t.status), ["failed", "done", "done"]);
      assertEquals(state.tasks[0].error, "timed out after 500 ms");
      await noneLeft();
    });
  }

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
  Deno.test(`${mode}: a lane may not read or write files, read the environment, start processes or read system information, though the parent may`, async () => {
    const read = new URL("../../deno.json", import.meta.url).pathname;
    await withProjectTempDir(async (dir) => {
      const write = `${dir}/lane.txt`;
      // The parent holds each permission, so a refusal can only come from the lane's own.
      await Deno.readTextFile(read);
      // A value only this test knows; lanes inherit the parent's environment.
      const secret = `probe-${Deno.pid}`;
      const before = Deno.env.get("TERM_PROGRAM");
      Deno.env.set("TERM_PROGRAM", secret);
      assert_(sampleCores().length > 0);
      const probes: [FaultInput, RegExp][] = [
        [{ kind: "read", path: read }, /Requires read access/],
        [{ kind: "write", path: write }, /Requires write access/],
        [{ kind: "env", name: "TERM_PROGRAM" }, /Requires env access/],
        [{ kind: "spawn", command: Deno.execPath() }, /Requires run access/],
        [{ kind: "sys" }, /Requires sys access/],
      ];
      const state = await runWorkload({
        mode,
        workload: fault,
        tasks: faults(...probes.map(([input]) => input)),
        lanes: 1,
      });
      if (before === undefined) Deno.env.delete("TERM_PROGRAM");
      else Deno.env.set("TERM_PROGRAM", before);
      state.tasks.forEach((t, i) => {
        // Under --ignore-env a worker reads every variable as unset instead of failing.
        if (probes[i][0].kind === "env" && t.status === "done") {
          return assertEquals(t.result, "unset");
        }
        assertEquals(t.status, "failed", `${probes[i][0].kind} was allowed`);
        assertMatch(t.error!, probes[i][1]);
      });
      assertEquals([...Deno.readDirSync(dir)], [], "a lane wrote a file");
    });
    await noneLeft();
  });
}

Deno.test("subprocess: a child cannot start a child of its own", async () => {
  // The very command subprocess mode uses; the parent may run it, a child may not.
  const { command, args } = childCommand(thisProgram([], 1));
  const state = await runWorkload({
    mode: "subprocess",
    workload: fault,
    tasks: faults({ kind: "spawn", command, args }),
    lanes: 1,
  });
  assertEquals(state.tasks[0].status, "failed");
  assertMatch(state.tasks[0].error!, /Requires run access/);
  await noneLeft();
});

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
        const pid = lanePid(s().laneStates[0].label)!;
        // `kill`, not Deno.kill: the suite is not granted blanket run permission.
        setTimeout(() => new Deno.Command("kill", { args: ["-KILL", String(pid)] }).output(), 100);
      }
    },
  });
  assertEquals(state.tasks.map((t) => t.status), ["failed", "done"]);
  assertMatch(state.tasks[0].error!, /killed by SIGKILL/);
  await noneLeft();
});
