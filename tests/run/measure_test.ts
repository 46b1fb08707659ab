import { assertEquals } from "../assert.ts";
import { measureModes } from "../../lib/run/measure.ts";
import { registerBrokenMode } from "../helpers.ts";
import { resolveSettings } from "../../lib/cli/settings.ts";
import type { CoreTimes } from "../../lib/run/cpu_usage.ts";
import { faultWorkload } from "../../lib/workloads/fault.ts";
import type { Workload } from "../../lib/workloads/types.ts";

const still = (): CoreTimes[] => [{ user: 0, nice: 0, sys: 0, idle: 0, irq: 0 }];

Deno.test("measureModes() runs on the injected clock and CPU counters, through the execute step", async () => {
  const settings = {
    workload: faultWorkload as Workload,
    workloadOptions: {},
    perLane: 1,
    taskTimeoutMs: 0,
  };
  const prepared = {
    tasks: [{ id: 0, input: { kind: "ok", ms: 0 } }, { id: 1, input: { kind: "ok", ms: 0 } }],
    netHosts: [],
    summary: "",
    close: () => Promise.resolve(),
  };
  let now = 0;
  const [m] = await measureModes(["sequential", "async"], settings, prepared, {
    runs: 2,
    warmup: 1,
    signal: new AbortController().signal,
    // Every read moves 10 ms: origin, lane-up, 2 × (start, end), run-end: 60 ms a run.
    clock: () => (now += 10),
    sampleCpu: still,
  });
  assertEquals(m.runs.map((r) => [r.wallMs, r.coresBusy]), [[60, 0], [60, 0]]);
  assertEquals(m.wall?.medianMs, 60);
});

Deno.test("measureModes() says when a mode itself failed, and goes on with the next", async () => {
  const removeMode = registerBrokenMode("the pool could not start");
  try {
    const settings = resolveSettings({ workload: "cpu", tasks: 1, size: 10 });
    const prepared = await settings.workload.prepare(settings.workloadOptions);
    const said: string[] = [];
    const modes = await measureModes(["broken", "sequential"], settings, prepared, {
      runs: 1,
      warmup: 0,
      signal: new AbortController().signal,
      onModeFailed: (mode, why) => said.push(`${mode}: ${why}`),
    });
    assertEquals(said, ["broken: the pool could not start"]);
    assertEquals(modes.map((m) => [m.mode, m.runs[0].status]), [
      ["broken", "failed"],
      ["sequential", "done"],
    ]);
  } finally {
    removeMode();
  }
});
