/**
 * The advice on the built-in workloads, end to end, at sizes where the answer is clear. The
 * machine is shared and has 2 cores: another program may take a core for a whole run, so the
 * advice may abstain ("no clear winner"). What must hold is that it is never wrong: what it
 * names is the right kind of mode, with the right lanes, and an abstention says why.
 */
import { assert_, assertEquals, assertMatch } from "../../assert.ts";
import { runMain } from "../../helpers.ts";
import { coreCount } from "../../../lib/cli/settings.ts";

interface AdviceJson {
  bound: string;
  summary: string;
  mode: string | null;
  lanes: number | null;
  reasons: string[];
}

async function adviceOf(args: string[]): Promise<AdviceJson> {
  const out = await runMain(["compare", ...args, "--json"]);
  assertEquals(out.code, 0, out.stderr);
  const advice = JSON.parse(out.stdout).advice as AdviceJson;
  assert_(advice.reasons.length > 0, "no reasons");
  for (const r of advice.reasons) assertMatch(r, /\d/, `a reason without its figure: ${r}`);
  if (advice.mode === null) assertMatch(advice.reasons.join("\n"), /no clear winner/);
  return advice;
}

Deno.test("the CPU workload is never advised onto one thread: a pool with lanes = cores", async () => {
  // 4 tasks of ~0.3 s: pools' start-up is a small share, and async has nothing to overlap.
  const advice = await adviceOf(["--tasks", "4", "--size", "150000000", "--runs", "2"]);
  assert_(advice.bound !== "io", advice.summary);
  assert_(advice.mode === null || ["workers", "subprocess"].includes(advice.mode), advice.summary);
  if (advice.mode !== null) {
    assertEquals(advice.lanes, coreCount(), advice.summary);
    // Worded by whichever rule named it: "use a pool, workers …" or "use workers with 2 lanes".
    assertMatch(
      advice.summary,
      /^(CPU-bound|mixed, computing dominates): use (a pool, )?(workers|subprocess)\b/,
    );
  }
});

Deno.test("the I/O workload is advised async, every download in flight", async () => {
  // Sequential waits 20 × 50 ms; async overlaps them all: a gap no neighbour closes.
  const advice = await adviceOf([
    "--workload",
    "io",
    "--tasks",
    "20",
    "--latency",
    "50",
    "--runs",
    "2",
  ]);
  assertEquals([advice.bound, advice.mode, advice.lanes], ["io", "async", 20], advice.summary);
});

Deno.test("the tutorial's exact tasks are never advised onto a pool", async () => {
  const advice = await adviceOf(["--size", "tutorial", "--runs", "3"]);
  assert_(advice.mode === null || ["sequential", "async"].includes(advice.mode), advice.summary);
});
