import { assert_, assertEquals, assertMatch } from "../assert.ts";
import type { ComparisonRow } from "../../lib/report/comparison.ts";
import {
  kneeLanes,
  sweepChart,
  sweepMarkdown,
  sweepOf,
  sweepRows,
} from "../../lib/report/sweep.ts";

/** A comparison row with a given median wall time; the baseline took 1000 ms. */
function row(mode: string, lanes: number, wallMs: number): ComparisonRow {
  return {
    mode,
    lanes,
    runs: 1,
    wall: { runs: 1, minMs: wallMs, medianMs: wallMs, maxMs: wallMs, meanMs: wallMs, stdevMs: 0 },
    speedup: { median: 1000 / wallMs, low: 1000 / wallMs, high: 1000 / wallMs },
    parallelism: 1,
    verifiedCount: 1,
    taskCount: 1,
    statuses: "done",
    finished: true,
    figures: [],
  };
}

const counts = Array.from({ length: 16 }, (_, i) => i + 1);
const rows = [
  row("sequential", 1, 1000),
  ...counts.map((l) => row("async", l, 1000)),
  ...counts.map((l) => row("workers", l, 1000 / Math.min(l, 2) * 1.05)),
  ...counts.map((l) => row("subprocess", l, 1000 / Math.min(l, 2) * 1.2)),
];

Deno.test("sweepOf() keeps every point with its ideal min(lanes, cores), and the knee", () => {
  const sweep = sweepOf(rows, ["async", "workers", "subprocess"], counts, 2);
  assertEquals(sweep.curves.map((c) => c.mode), ["async", "workers", "subprocess"]);
  for (const c of sweep.curves) {
    assertEquals(c.points.map((p) => p.lanes), counts);
    assertEquals(c.points.map((p) => p.ideal), counts.map((l) => Math.min(l, 2)));
  }
  assertEquals(sweep.curves.map((c) => c.kneeLanes), [1, 2, 2]);
  const { rows: table, knees } = sweepRows(sweep);
  assertEquals(table.length, 16);
  assertEquals(table[3], ["4", "2.00x", "1.00x", "1.90x", "1.67x"]);
  assertEquals(knees[1], "workers: knee at 2 lanes (1.90x, 525 ms)");
});

Deno.test("kneeLanes() is the fewest lanes within 10 % of the best; none without speedups", () => {
  const points = [1, 2, 4].map((lanes, i) => ({
    lanes,
    runs: 1,
    speedup: { median: [1, 1.8, 2][i], low: 0, high: 0 },
    ideal: 1,
    parallelism: 1,
    finished: true,
  }));
  assertEquals(kneeLanes(points), 2);
  assertEquals(kneeLanes(points.map(({ speedup: _, ...p }) => p)), undefined);
});

Deno.test("sweepChart() fits the width it is given, with the ideal and every curve marked", () => {
  const sweep = sweepOf(rows, ["async", "workers", "subprocess"], counts, 2);
  for (const width of [40, 60, 80, 100, 200]) {
    const lines = sweepChart(sweep, width);
    for (const line of lines) assert_([...line].length <= width, `${width}: ${line}`);
    const plot = lines.slice(0, 10).join("\n");
    assertMatch(plot, /·/);
    for (const mark of ["a", "w", "s"]) assert_(plot.includes(mark) || plot.includes("*"), mark);
    assertMatch(lines.at(-1)!, /^ +· ideal min\(lanes, 2 cores\)/);
  }
  // Wide enough, every mode has a cell of its own beside the ideal.
  const wide = sweepChart(sweep, 200).slice(0, 10).join("\n");
  for (const mark of ["a", "w", "s"]) assertMatch(wide, new RegExp(mark));
  assertMatch(sweepChart(sweep, 200).at(-2)!, /1 +2 +3 .* 16 +lanes$/);
});

Deno.test("sweepMarkdown() carries the chart and every point", () => {
  const md = sweepMarkdown(sweepOf(rows, ["workers"], counts, 2));
  assertMatch(md, /^## Speedup against lanes\n\n```\n/);
  assertMatch(md, /\| lanes \| ideal \| workers \|/);
  assertEquals(md.split("\n").filter((l) => /^\| \d+ \|/.test(l)).length, 16);
  assertMatch(md, /- workers: knee at 2 lanes/);
});
