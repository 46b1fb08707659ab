import { render } from "ink-testing-library";
import { assert_, assertEquals } from "../assert.ts";
import { AdviceBlock, adviceHeight, dashboardAdvice } from "../../lib/ui/advice.tsx";
import { themeFor } from "../../lib/ui/theme.ts";
import { sweepCounts } from "../../lib/ui/keys.ts";
import type { RunResult } from "../../lib/run/result.ts";

function run(mode: string, wallMs: number, coresBusy: number): RunResult {
  return {
    mode,
    workload: "cpu",
    lanes: mode === "sequential" ? 1 : mode === "async" ? 4 : 2,
    status: "done",
    wallMs,
    parallelism: 1,
    coresBusy,
    verifiedCount: 1,
    tasks: [{ id: 0, input: {}, label: "n=1", verified: true }],
  };
}

const all = [
  run("sequential", 1000, 1),
  run("async", 1000, 1),
  run("workers", 520, 1.9),
  run("subprocess", 560, 1.9),
];

Deno.test("dashboardAdvice() waits for every mode of a, and for the run to end", () => {
  assertEquals(dashboardAdvice(all.slice(0, 3), false, 2), undefined);
  assertEquals(dashboardAdvice(all, true, 2), undefined);
  const advice = dashboardAdvice(all, false, 2)!;
  assertEquals([advice.bound, advice.mode, advice.lanes], ["cpu", "workers", 2]);
  // The latest run of a mode counts: a failed rerun withdraws the advice.
  const failed: RunResult = { ...run("workers", 400, 1.9), status: "failed" };
  assertEquals(dashboardAdvice([...all, failed], false, 2)!.mode, null);
});

Deno.test("AdviceBlock draws the summary and the reasons that fit in its rows", () => {
  const advice = dashboardAdvice(all, false, 2)!;
  assertEquals(adviceHeight(advice, 3), 3);
  assertEquals(adviceHeight(advice, 100), 1 + advice.reasons.length);
  assertEquals(adviceHeight(undefined, 10), 0);
  const { lastFrame, unmount } = render(
    <AdviceBlock advice={advice} rows={3} theme={themeFor(false)} />,
  );
  const lines = (lastFrame() ?? "").split("\n");
  assertEquals(lines.length, 3);
  // Cut to the width (100 columns here), never wrapped onto the rows below.
  assertEquals(lines[0], `advice: ${advice.summary}`.slice(0, 99) + "…");
  assert_(lines[1].startsWith("  - "), lines[1]);
  unmount();
});

Deno.test("sweepCounts() doubles up to twice the cores, within a pool's limit", () => {
  assertEquals(sweepCounts(1), [1, 2]);
  assertEquals(sweepCounts(2), [1, 2, 4]);
  assertEquals(sweepCounts(6), [1, 2, 4, 8, 16]);
  assertEquals(sweepCounts(128), [1, 2, 4, 8, 16, 32, 64]);
});
