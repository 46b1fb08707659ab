import { assertEquals } from "../assert.ts";
import { runPhase, statusText } from "../../lib/ui/header.tsx";
import type { RunState } from "../../lib/run/state.ts";

const state = (status: RunState["status"], failure?: string): RunState => ({
  mode: "workers",
  workload: "cpu",
  lanes: 2,
  status,
  tasks: [],
  laneStates: [],
  nowMs: 10,
  endMs: 10,
  ...(failure === undefined ? {} : { failure }),
});

Deno.test("runPhase() follows the run's status, whatever the status line's words", () => {
  assertEquals(runPhase({ running: false }), "idle");
  assertEquals(runPhase({ state: state("running"), running: true }), "running");
  assertEquals(runPhase({ state: state("done"), running: false }), "done");
  assertEquals(runPhase({ state: state("cancelled"), running: false }), "cancelled");
  // A failure whose own words start like another status is still a failure.
  const odd = state("failed", "done: cancelled");
  assertEquals(runPhase({ state: odd, running: false }), "failed");
  assertEquals(
    statusText({ state: odd, running: false, elapsedMs: 10 }),
    "failed: workers mode failed: done: cancelled",
  );
  assertEquals(runPhase({ state: state("done"), running: false, error: "no server" }), "failed");
});
