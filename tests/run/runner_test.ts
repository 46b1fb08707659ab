import { assertEquals } from "../assert.ts";
import { runWorkload } from "../../lib/run/runner.ts";
import { toRunResult } from "../../lib/run/result.ts";
import { faultWorkload } from "../../lib/workloads/fault.ts";
import type { Workload } from "../../lib/workloads/types.ts";
import type { CoreTimes } from "../../lib/run/cpu_usage.ts";
import type { RunEvent } from "../../lib/run/events.ts";
import { registerBrokenMode } from "../helpers.ts";

const times = (user: number, idle: number): CoreTimes => ({ user, nice: 0, sys: 0, idle, irq: 0 });

Deno.test("runWorkload() stamps events with the injected clock, in ms from the run start", async () => {
  let now = 1000;
  const state = await runWorkload({
    mode: "sequential",
    workload: faultWorkload as Workload,
    tasks: [{ id: 0, input: { kind: "ok", ms: 0 } }],
    lanes: 1,
    clock: () => (now += 5),
  });
  // One tick for the origin, then one per event: lane-up 5, task-start 10, task-end 15, run-end 20.
  assertEquals([state.tasks[0].startMs, state.tasks[0].endMs, state.endMs], [10, 15, 20]);
});

Deno.test("runWorkload() reports the cores busy between its start and end samples", async () => {
  const samples = [
    [times(100, 900), times(200, 800)],
    [times(200, 900), times(300, 900)], // core 0 fully busy, core 1 half busy
  ];
  const state = await runWorkload({
    mode: "sequential",
    workload: faultWorkload as Workload,
    tasks: [{ id: 0, input: { kind: "ok", ms: 0 } }],
    lanes: 1,
    sampleCpu: () => samples.shift()!,
  });
  assertEquals(state.coresBusy, 1.5);
  assertEquals(toRunResult(state).coresBusy, 1.5);
});

Deno.test("runWorkload() leaves cores busy out when the counters cannot be read", async () => {
  const state = await runWorkload({
    mode: "sequential",
    workload: faultWorkload as Workload,
    tasks: [{ id: 0, input: { kind: "ok", ms: 0 } }],
    lanes: 1,
    sampleCpu: () => {
      throw new Deno.errors.NotCapable("no sys permission");
    },
  });
  assertEquals(state.status, "done");
  assertEquals("coresBusy" in toRunResult(state), false);
});

Deno.test("runWorkload() reports a mode that throws as a mode-failed event, and the run fails", async () => {
  const removeMode = registerBrokenMode("the pool could not start\nat a stack line");
  try {
    const events: RunEvent[] = [];
    let now = 0;
    const state = await runWorkload({
      mode: "broken",
      workload: faultWorkload as Workload,
      tasks: [{ id: 0, input: { kind: "ok", ms: 0 } }],
      lanes: 1,
      clock: () => (now += 5),
      onEvent: (e) => events.push(e),
    });
    assertEquals(events.map((e) => e.type), ["run-start", "mode-failed", "run-end"]);
    assertEquals(events[1], { type: "mode-failed", t: 5, error: "the pool could not start" });
    assertEquals([state.status, state.failure], ["failed", "the pool could not start"]);
    assertEquals(state.tasks[0].status, "cancelled");
  } finally {
    removeMode();
  }
});
