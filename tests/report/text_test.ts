import { assert_, assertEquals } from "../assert.ts";
import { summarizeRuns } from "../../lib/run/measure.ts";
import { compareTable, fastestLine } from "../../lib/report/text.ts";
import type { RunResult } from "../../lib/run/result.ts";

function run(mode: RunResult["mode"], wallMs: number, failed: boolean): RunResult {
  return {
    mode,
    workload: "io",
    lanes: 1,
    status: failed ? "failed" : "done",
    wallMs,
    parallelism: 1,
    verifiedCount: failed ? 0 : 1,
    tasks: [{
      id: 0,
      input: {},
      label: "t",
      verified: !failed,
      ...(failed ? { error: "download failed: Too many open files" } : {}),
    }],
  };
}

Deno.test("compareTable() shows no speedup for a mode whose tasks failed", () => {
  const modes = [
    summarizeRuns("sequential", [run("sequential", 1000, false)]),
    summarizeRuns("async", [run("async", 10, true)]),
    summarizeRuns("workers", [run("workers", 500, false)]),
  ];
  const rows = compareTable(modes).split("\n");
  const async = rows.find((r) => r.startsWith("async "))!;
  assert_(!/\d+\.\d+x/.test(async), async);
  assert_(/2\.00x/.test(rows.find((r) => r.startsWith("workers "))!));
  assertEquals(fastestLine(modes), "fastest: workers, 2.00x faster than sequential");
});

Deno.test("compareTable() shows no speedups at all when the baseline failed", () => {
  const modes = [
    summarizeRuns("sequential", [run("sequential", 1000, true)]),
    summarizeRuns("async", [run("async", 10, false)]),
  ];
  const table = compareTable(modes);
  assert_(!/\d+\.\d+x/.test(table.split("\n").slice(0, 4).join("\n")), table);
});
