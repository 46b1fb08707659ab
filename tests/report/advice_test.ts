import { assert_, assertEquals, assertMatch } from "../assert.ts";
import {
  type Advice,
  adviceLines,
  advise,
  clearlyFaster,
  evidenceOf,
  laneTimes,
  type ModeEvidence,
} from "../../lib/report/advice.ts";
import { comparisonRows } from "../../lib/report/comparison.ts";
import { sweepOf } from "../../lib/report/sweep.ts";
import { summarizeRuns } from "../../lib/run/measure.ts";
import type { RunResult } from "../../lib/run/result.ts";

/** Runs recorded by the full benchmark of 2026-11-28 on this 2-core machine. */
const recorded: {
  cores: number;
  cpu: { mode: string; runs: RunResult[] }[];
  tutorial: { mode: string; runs: RunResult[] }[];
  io: { mode: string; runs: RunResult[] }[];
} = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/bench_runs.json", import.meta.url)),
);

const measured = (section: { mode: string; runs: RunResult[] }[]) =>
  section.map((m) => summarizeRuns(m.mode, m.runs));

/** Every reason carries a figure: a ratio, a time, a count or a share. */
function assertFigures(advice: Advice) {
  assert_(advice.reasons.length > 0, "no reasons");
  for (const r of advice.reasons) assertMatch(r, /\d/, r);
}

Deno.test("advise() on the recorded CPU runs: a pool, workers, with lanes = cores", () => {
  const advice = advise(evidenceOf(measured(recorded.cpu), recorded.cores));
  assertEquals([advice.bound, advice.mode, advice.lanes], ["cpu", "workers", 2]);
  assertFigures(advice);
  const text = adviceLines(advice).join("\n");
  assertMatch(text, /^advice: CPU-bound: use a pool, workers with 2 lanes \(= cores\)/);
  assertMatch(text, /subprocess when isolation matters/);
  assertMatch(text, /sequential kept 0\.98 cores busy with 1\.00 task under way/);
  assertMatch(text, /async ran 0\.98x \(0\.94–1\.01\) .*gains nothing/);
  assertMatch(text, /workers ran 1\.92x \(1\.85–1\.94\) with 2 lanes on 2 cores/);
});

Deno.test("advise() on the recorded I/O runs: async with every download in flight", () => {
  const advice = advise(evidenceOf(measured(recorded.io), recorded.cores));
  assertEquals([advice.bound, advice.mode, advice.lanes], ["io", "async", 160]);
  assertFigures(advice);
  assertMatch(advice.reasons.join("\n"), /async ran 127\.81x .* the waits overlap/);
  assertMatch(advice.reasons.join("\n"), /sequential kept 0\.04 cores busy .* mostly wait/);
  assertMatch(advice.reasons.at(-1)!, /server's or the network's limit/);
});

Deno.test("advise() on the recorded tutorial runs: not a pool, start-up dominates", () => {
  const advice = advise(evidenceOf(measured(recorded.tutorial), recorded.cores));
  assertEquals([advice.bound, advice.mode, advice.lanes], ["startup", "sequential", 1]);
  assertFigures(advice);
  assertMatch(advice.summary, /use sequential or async, or a pool that lives longer/);
  assertMatch(advice.reasons.join("\n"), /subprocess spent 72 ms of its 175 ms starting its lanes/);
});

/** One mode's evidence by hand: wall times of its runs and what else a rule reads. */
function mode(
  name: string,
  walls: number[],
  more: Partial<ModeEvidence> = {},
): ModeEvidence {
  const sorted = [...walls].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)];
  return {
    mode: name,
    lanes: 1,
    runs: walls.length,
    finished: true,
    statuses: "done",
    wall: {
      runs: walls.length,
      minMs: sorted[0],
      medianMs: med,
      maxMs: sorted.at(-1)!,
      meanMs: med,
      stdevMs: 0,
    },
    parallelism: 1,
    ...more,
  };
}

/** Speedups against `base` by the one rule, filled in as the comparison model does. */
function withSpeedups(base: ModeEvidence, modes: ModeEvidence[]): ModeEvidence[] {
  return [base, ...modes].map((m) => ({
    ...m,
    speedup: {
      median: base.wall!.medianMs / m.wall!.medianMs,
      low: base.wall!.minMs / m.wall!.maxMs,
      high: base.wall!.maxMs / m.wall!.minMs,
    },
  }));
}

Deno.test("advise() never advises from a failed or cancelled run", () => {
  const base = mode("sequential", [1000]);
  const failed = { ...mode("workers", [400], { lanes: 2 }), finished: false, statuses: "failed" };
  const advice = advise({ cores: 2, modes: withSpeedups(base, [failed]) });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["unknown", null, null]);
  assertEquals(advice.reasons, [
    "workers (2 lanes) ended failed: advice is drawn only from runs that finished with every task verified",
  ]);
  const cancelled = advise({
    cores: 2,
    modes: withSpeedups(base, [mode("workers", [400])]),
    cancelled: true,
  });
  assertEquals([cancelled.bound, cancelled.mode], ["unknown", null]);
  assertMatch(cancelled.reasons[0], /cancelled/);
});

Deno.test("advise() says no clear winner when the ranges overlap, and why", () => {
  const base = mode("sequential", [1000, 1100, 1200], { coresBusy: 1 });
  const workers = mode("workers", [900, 1050, 1150], { lanes: 2, coresBusy: 1.9 });
  const advice = advise({ cores: 2, modes: withSpeedups(base, [workers]) });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["cpu", null, null]);
  assertEquals(advice.summary, "CPU-bound, but no clear winner");
  assertEquals(
    advice.reasons.at(-1),
    "no clear winner: workers (2 lanes) took 900 ms … 1.15 s and sequential (1 lane) 1.00 s … 1.20 s: the ranges overlap",
  );
});

Deno.test("advise() with one run each asks for a 25 % margin before it names a winner", () => {
  const base = mode("sequential", [1000], { coresBusy: 1 });
  const close = advise({
    cores: 2,
    modes: withSpeedups(base, [mode("workers", [850], { lanes: 2, coresBusy: 1.8 })]),
  });
  assertEquals(close.mode, null);
  assertMatch(close.reasons.at(-1)!, /within the 25 % one run cannot tell from noise/);
  const clear = advise({
    cores: 2,
    modes: withSpeedups(base, [mode("workers", [700], { lanes: 2, coresBusy: 1.8 })]),
  });
  assertEquals([clear.bound, clear.mode, clear.lanes], ["cpu", "workers", 2]);
});

Deno.test("clearlyFaster() compares ranges over several runs, medians with a margin over one", () => {
  assert_(clearlyFaster(mode("a", [10, 11, 12]), mode("b", [13, 14, 15])));
  assert_(!clearlyFaster(mode("a", [10, 11, 14]), mode("b", [13, 14, 15])));
  assert_(clearlyFaster(mode("a", [100]), mode("b", [125])));
  assert_(!clearlyFaster(mode("a", [100]), mode("b", [124])));
});

Deno.test("advise() finds a dispatch-dominated pool: time between tasks rivals time in them", () => {
  const base = mode("sequential", [100, 101, 102], { coresBusy: 1 });
  const asyncMode = mode("async", [100, 102, 103], { lanes: 400, coresBusy: 1 });
  const workers = mode("workers", [180, 185, 190], {
    lanes: 2,
    startupMs: 20,
    lane: { betweenMs: 60, inMs: 50 },
  });
  const advice = advise({ cores: 2, modes: withSpeedups(base, [asyncMode, workers]) });
  assertEquals([advice.bound, advice.mode], ["dispatch", "sequential"]);
  assertMatch(advice.summary, /^dispatch-dominated: batch tasks: hand each lane several tasks/);
  assertEquals(
    advice.reasons[0],
    "workers: a lane spent 60 ms between tasks against 50 ms in them (120 %)",
  );
});

Deno.test("advise() calls work mixed when async gains and a pool gains more", () => {
  const base = mode("sequential", [3000, 3010, 3020], { coresBusy: 0.6 });
  const asyncMode = mode("async", [1000, 1010, 1020], { lanes: 20, coresBusy: 1 });
  const workers = mode("workers", [500, 505, 510], { lanes: 6, coresBusy: 1.9 });
  const advice = advise({ cores: 2, modes: withSpeedups(base, [asyncMode, workers]) });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["mixed", "workers", 6]);
  assertMatch(advice.summary, /computing dominates/);
});

Deno.test("advise() takes the lanes from a sweep's knee", () => {
  const base = mode("sequential", [1000, 1000], { coresBusy: 1 });
  const points = [1, 2, 4, 8].map((lanes) =>
    mode("workers", lanes === 1 ? [1000, 1000] : lanes === 2 ? [520, 530] : [500, 510], {
      lanes,
      coresBusy: 1.9,
    })
  );
  const modes = withSpeedups(base, points);
  const rows = modes.map((m) => ({
    mode: m.mode,
    lanes: m.lanes,
    runs: m.runs,
    wall: m.wall,
    speedup: m.speedup,
    parallelism: 1,
    verifiedCount: 1,
    taskCount: 1,
    statuses: "done",
    finished: true,
    figures: [],
  }));
  const sweep = sweepOf(rows, ["workers"], [1, 2, 4, 8], 2);
  assertEquals(sweep.curves[0].kneeLanes, 2);
  const advice = advise({ cores: 2, modes, sweep });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["cpu", "workers", 2]);
  assertMatch(advice.reasons.at(-1)!, /the sweep's knee: workers reached 1\.89x at 2 lanes/);
});

Deno.test("laneTimes() sums each lane's gaps between tasks and time in them, per lane", () => {
  const run: RunResult = {
    mode: "workers",
    workload: "cpu",
    lanes: 2,
    status: "done",
    wallMs: 100,
    parallelism: 1,
    verifiedCount: 4,
    tasks: [
      { id: 0, input: {}, label: "", verified: true, lane: 0, startMs: 0, endMs: 10 },
      { id: 1, input: {}, label: "", verified: true, lane: 0, startMs: 14, endMs: 20 },
      { id: 2, input: {}, label: "", verified: true, lane: 1, startMs: 5, endMs: 25 },
      { id: 3, input: {}, label: "", verified: true, lane: 1, startMs: 20, endMs: 30 },
    ],
  };
  // Lane 0: 16 ms in tasks, 4 between; lane 1: 30 in, none between (its tasks overlap).
  assertEquals(laneTimes(run), { betweenMs: 2, inMs: 23 });
});

Deno.test("evidenceOf() reads speedups from the one comparison model", () => {
  const ms = measured(recorded.cpu);
  const rows = comparisonRows(ms);
  const e = evidenceOf(ms, 2);
  assertEquals(e.modes.map((m) => m.speedup), rows.map((r) => r.speedup));
});

Deno.test("advise() names no winner for ranges apart by less than 15 %", () => {
  // Recorded on this machine with the second core taken: async "beat" sequential on CPU work.
  const base = mode("sequential", [1500, 1560], { coresBusy: 1.81 });
  const asyncMode = mode("async", [1310, 1420], { lanes: 4, coresBusy: 1.8 });
  const workers = mode("workers", [1700, 1800], { lanes: 2, startupMs: 40 });
  const advice = advise({ cores: 2, modes: withSpeedups(base, [asyncMode, workers]) });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["cpu", null, null]);
  assertMatch(
    advice.reasons.at(-1)!,
    /apart by 1\.10x in medians, less than the 15 % a claim needs/,
  );
});

Deno.test("advise() reports cores busy that the timings contradict, and leaves it out", () => {
  // I/O work while other programs kept both cores busy: recorded here, 40 downloads.
  const base = mode("sequential", [2350, 2380, 2400], { coresBusy: 1.99, parallelism: 0.98 });
  const asyncMode = mode("async", [66, 69, 84], { lanes: 40, coresBusy: 1.99 });
  const advice = advise({ cores: 2, modes: withSpeedups(base, [asyncMode]) });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["io", "async", 40]);
  assertEquals(
    advice.reasons[0],
    "sequential kept 1.99 cores busy with 0.98 task under way (machine-wide: other programs " +
      "count too): the timings say otherwise, so other programs' load is the likelier cause",
  );
});

Deno.test("advise() distrusts a speedup larger than the lanes that made it", () => {
  // Recorded in the dashboard: the first, cold sequential run against async with one slot.
  const base = mode("sequential", [460], { coresBusy: 1.31, parallelism: 0.99 });
  const asyncMode = mode("async", [300], { lanes: 1, coresBusy: 1.2 });
  const workers = mode("workers", [450], { lanes: 1 });
  const advice = advise({ cores: 2, modes: withSpeedups(base, [asyncMode, workers]) });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["unclear", null, null]);
  assertMatch(
    advice.reasons[0],
    /^async ran 1\.53x sequential's speed with 1 lane, more than 1 can give/,
  );
});

Deno.test("advise() says when other programs held the free cores, instead of blaming the pools", () => {
  // Recorded here with every core taken by other programs: no mode gained anything.
  const base = mode("sequential", [576, 647, 666], { coresBusy: 1.97 });
  const asyncMode = mode("async", [603, 622, 658], { lanes: 4, coresBusy: 1.97 });
  const workers = mode("workers", [618, 640, 670], { lanes: 1, startupMs: 30, coresBusy: 1.83 });
  const subprocess = mode("subprocess", [561, 1080, 1190], {
    lanes: 4,
    startupMs: 334,
    coresBusy: 2,
  });
  const advice = advise({
    cores: 2,
    modes: withSpeedups(base, [asyncMode, workers, subprocess]),
  });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["cpu", null, null]);
  assertMatch(
    advice.reasons.join("\n"),
    /while sequential ran, other programs kept 0\.97 of the 1\.00 cores it left free busy/,
  );
  assert_(!/starting its lanes/.test(advice.reasons.join("\n")));
});

Deno.test("advise() still finds start-up dominating on a crowded machine when pools are clearly slower", () => {
  // The tutorial's tasks, recorded here with both cores busy.
  const base = mode("sequential", [121, 138, 157], { coresBusy: 2, parallelism: 0.99 });
  const asyncMode = mode("async", [113, 136, 157], { lanes: 20, coresBusy: 2 });
  const workers = mode("workers", [211, 280, 310], { lanes: 2, startupMs: 60, coresBusy: 2 });
  const subprocess = mode("subprocess", [357, 419, 487], {
    lanes: 2,
    startupMs: 235,
    coresBusy: 2,
  });
  const advice = advise({
    cores: 2,
    modes: withSpeedups(base, [asyncMode, workers, subprocess]),
  });
  assertEquals([advice.bound, advice.mode, advice.lanes], ["startup", "async", 20]);
  assertMatch(
    advice.reasons[0],
    /^subprocess spent 235 ms of its 419 ms starting its lanes \(56 %\)$/,
  );
});

Deno.test("advise() does not call a pool that beat one thread, but not clearly, slower", () => {
  // examples/primes.ts at a small size, recorded here on a quiet machine.
  const base = mode("sequential", [320, 479, 497], { coresBusy: 1, parallelism: 0.99 });
  const asyncMode = mode("async", [323, 454, 468], { lanes: 12, coresBusy: 1.04 });
  const workers = mode("workers", [266, 292, 354], { lanes: 2, startupMs: 60, coresBusy: 1.74 });
  const subprocess = mode("subprocess", [338, 341, 380], {
    lanes: 2,
    startupMs: 111,
    coresBusy: 1.85,
  });
  const advice = advise({
    cores: 2,
    modes: withSpeedups(base, [asyncMode, workers, subprocess]),
  });
  assertEquals(advice.bound, "startup");
  const text = advice.reasons.join("\n");
  assert_(!/outweigh/.test(text), text);
  assertMatch(text, /workers ran 1\.\d+x .* short of what its 2 cores could add/);
});

Deno.test("advise() names a winner only with the times that set it apart", () => {
  // examples/gzip.ts at a small size, recorded here on a quiet machine.
  const base = mode("sequential", [441, 488, 583], { coresBusy: 1.04, parallelism: 1 });
  const asyncMode = mode("async", [439, 441, 548], { lanes: 16, coresBusy: 1.04 });
  const workers = mode("workers", [354, 404, 407], { lanes: 2, startupMs: 50, coresBusy: 1.89 });
  const subprocess = mode("subprocess", [414, 423, 472], {
    lanes: 2,
    startupMs: 80,
    coresBusy: 1.98,
  });
  const advice = advise({
    cores: 2,
    modes: withSpeedups(base, [asyncMode, workers, subprocess]),
  });
  assertEquals([advice.mode, advice.lanes], ["workers", 2], advice.reasons.join("\n"));
  assertFigures(advice);
  assertMatch(
    advice.reasons.join("\n"),
    /workers took 354 ms … 407 ms against 441 ms … 583 ms for sequential: faster beyond noise/,
  );
});
