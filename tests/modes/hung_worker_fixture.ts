/**
 * Run by modes_test.ts in a process of its own: a workers run whose first task spins past
 * its timeout. Prints the outcome and how many worker threads still run after the run, then
 * exits, which ends the spinning thread with the process.
 */
import { runWorkload } from "../../lib/run/runner.ts";
import { faultWorkload } from "../../lib/workloads/fault.ts";
import type { Workload } from "../../lib/workloads/types.ts";
import { workerThreads } from "../helpers.ts";

const state = await runWorkload({
  mode: "workers",
  workload: faultWorkload as Workload,
  tasks: [{ kind: "hang" }, { kind: "ok", ms: 1 }, { kind: "ok", ms: 1 }]
    .map((input, id) => ({ id, input })),
  lanes: 1,
  taskTimeoutMs: 500,
});
// The replacement lane has been stopped; only the abandoned one can still be running.
await new Promise((r) => setTimeout(r, 500));
console.log(JSON.stringify({
  statuses: state.tasks.map((t) => t.status),
  error: state.tasks[0].error,
  spinningThreads: await workerThreads(Deno.pid),
}));
Deno.exit(0);
