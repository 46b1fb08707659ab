import { assertEquals } from "../assert.ts";
import { elapsedMs, type JobMsg, type JobState, NO_JOB, reduceJob } from "../../lib/ui/job.ts";
import type { RunResult } from "../../lib/run/result.ts";
import type { RunState } from "../../lib/run/state.ts";

const run = (mode: string, wallMs: number): RunResult => ({
  mode,
  workload: "cpu",
  lanes: 1,
  status: "done",
  wallMs,
  parallelism: 1,
  verifiedCount: 0,
  tasks: [],
});

const state = (status: RunState["status"], endMs?: number): RunState => ({
  mode: "sequential",
  workload: "cpu",
  lanes: 1,
  status,
  tasks: [],
  laneStates: [],
  nowMs: endMs ?? 0,
  ...(endMs === undefined ? {} : { endMs }),
});

const fold = (msgs: readonly JobMsg[], from: JobState = NO_JOB) => msgs.reduce(reduceJob, from);

Deno.test("reduceJob() starts a job, marks it running once prepared, and ends it", () => {
  const started = fold([{ type: "job-started", key: "a" }]);
  assertEquals([started.running, started.resultsKey], [false, "a"]);
  const prepared = reduceJob(started, { type: "job-prepared", summary: "4 tasks" });
  assertEquals([prepared.running, prepared.summary], [true, "4 tasks"]);
  assertEquals(reduceJob(prepared, { type: "job-ended" }).running, false);
});

Deno.test("reduceJob() takes a run's origin from the message that shows it running", () => {
  const job = fold([
    { type: "job-started", key: "a" },
    { type: "job-prepared", summary: "" },
    { type: "run-state", state: state("running"), atMs: 500 },
    { type: "run-state", state: state("running"), atMs: 900 },
  ]);
  assertEquals(job.originMs, 500);
  assertEquals(elapsedMs(job, 1700), 1200);
  // The next mode's run starts a new origin.
  const next = fold([
    { type: "run-state", state: state("done", 1200), atMs: 1700 },
    { type: "run-state", state: state("running"), atMs: 2000 },
  ], job);
  assertEquals(next.originMs, 2000);
});

Deno.test("reduceJob() shows a finished run's wall time once the job has ended", () => {
  const job = fold([
    { type: "job-prepared", summary: "" },
    { type: "run-state", state: state("running"), atMs: 0 },
    { type: "run-state", state: state("done", 640), atMs: 700 },
    { type: "job-ended" },
  ]);
  assertEquals(elapsedMs(job, 99_999), 640);
});

Deno.test("reduceJob() keeps each mode's latest run, and drops them when the task list changes", () => {
  const job = fold([
    { type: "job-started", key: "a" },
    { type: "run-done", run: run("sequential", 900) },
    { type: "run-done", run: run("workers", 300) },
    { type: "run-done", run: run("sequential", 800) },
  ]);
  assertEquals(job.results.map((r) => [r.mode, r.wallMs]), [["workers", 300], ["sequential", 800]]);
  assertEquals(reduceJob(job, { type: "job-started", key: "a" }).results.length, 2);
  const other = reduceJob(job, { type: "job-started", key: "b" });
  assertEquals([other.results, other.resultsKey], [[], "b"]);
});

Deno.test("reduceJob() records why a job failed, and clears it when the next one starts", () => {
  const failed = fold([
    { type: "job-started", key: "a" },
    { type: "job-failed", error: "the local server could not start" },
  ]);
  assertEquals(failed.error, "the local server could not start");
  assertEquals(reduceJob(failed, { type: "job-started", key: "a" }).error, undefined);
});

Deno.test("reduceJob() leaves the job it is given unchanged", () => {
  const before = fold([{ type: "job-started", key: "a" }, { type: "run-done", run: run("a", 1) }]);
  const copy = structuredClone(before);
  reduceJob(before, { type: "run-done", run: run("b", 2) });
  reduceJob(before, { type: "job-started", key: "z" });
  assertEquals(before, copy);
});

Deno.test("reduceJob() keeps a sweep's runs apart from the results, each sweep afresh", () => {
  const modes = fold([
    { type: "job-started", key: "k" },
    { type: "job-prepared", summary: "s" },
    { type: "run-done", run: run("workers", 10) },
    { type: "job-ended" },
  ]);
  const swept = fold([
    { type: "job-started", key: "k", sweep: true },
    { type: "job-prepared", summary: "s" },
    { type: "run-done", run: { ...run("workers", 30), lanes: 1 } },
    { type: "run-done", run: { ...run("workers", 20), lanes: 2 } },
    { type: "job-ended" },
  ], modes);
  assertEquals(swept.lastJob, "sweep");
  assertEquals(swept.results.map((r) => r.wallMs), [10]);
  assertEquals(swept.sweepRuns.map((r) => r.lanes), [1, 2]);
  // Runs of modes leave the sweep's runs; a new sweep or another task list drops them.
  const after = fold([{ type: "job-started", key: "k" }], swept);
  assertEquals([after.lastJob, after.sweepRuns.length], ["modes", 2]);
  assertEquals(fold([{ type: "job-started", key: "k", sweep: true }], swept).sweepRuns, []);
  assertEquals(fold([{ type: "job-started", key: "other" }], swept).sweepRuns, []);
});
