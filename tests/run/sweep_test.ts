import { assertEquals } from "../assert.ts";
import { UsageError } from "../../lib/cli/errors.ts";
import { parseLanesSweep, sweepTargets } from "../../lib/run/sweep.ts";

/** The message a call fails with, or "" when it does not. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return err.message;
  }
  return "";
}

Deno.test("parseLanesSweep() reads a list, a range, or both, ascending and once each", () => {
  assertEquals(parseLanesSweep("1,2,4,8"), [1, 2, 4, 8]);
  assertEquals(parseLanesSweep("8,2,2,1"), [1, 2, 8]);
  assertEquals(parseLanesSweep("1..16"), Array.from({ length: 16 }, (_, i) => i + 1));
  assertEquals(parseLanesSweep("1..4, 8,16"), [1, 2, 3, 4, 8, 16]);
  assertEquals(parseLanesSweep("3"), [3]);
  assertEquals(parseLanesSweep("10000"), [10000]);
});

Deno.test("parseLanesSweep() refuses every bad value in one line naming what is allowed", () => {
  const allowed = "--lanes-sweep must be lane counts from 1 to 10,000, as a list (1,2,4,8) " +
    "or a range (1..16), at most 16 counts, got";
  for (
    const bad of ["", "0", "0..4", "1..17", "4..1", "a", "1,,2", "2.5", "-1", "10001", "1..3..5"]
  ) {
    assertEquals(failure(() => parseLanesSweep(bad)), `${allowed} "${bad}"`, bad);
  }
  const seventeen = Array.from({ length: 17 }, (_, i) => i + 1).join(",");
  assertEquals(failure(() => parseLanesSweep(seventeen)), `${allowed} "${seventeen}"`);
});

const cpu = { tasks: 20, cores: 2, bound: "cpu" as const };

Deno.test("sweepTargets() sweeps the modes whose lanes vary and runs the baseline once", () => {
  assertEquals(sweepTargets(["sequential", "async", "workers"], [1, 4], cpu), [
    "sequential",
    { mode: "async", lanes: 1 },
    { mode: "async", lanes: 4 },
    { mode: "workers", lanes: 1 },
    { mode: "workers", lanes: 4 },
  ]);
  // Async never runs more slots than tasks: 8 and 16 are both its 4.
  assertEquals(sweepTargets(["async"], [2, 8, 16], { ...cpu, tasks: 4 }), [
    { mode: "async", lanes: 2 },
    { mode: "async", lanes: 4 },
  ]);
});

Deno.test("sweepTargets() refuses counts above a pool's limit and a sweep with nothing to vary", () => {
  assertEquals(
    failure(() => sweepTargets(["sequential", "async", "workers"], [1, 100], cpu)),
    "--lanes-sweep goes up to 100, above workers mode's limit of 64 (it starts one thread each)",
  );
  assertEquals(sweepTargets(["async"], [1, 100], { ...cpu, tasks: 200 }).length, 2);
  assertEquals(
    failure(() => sweepTargets(["sequential"], [1, 2], cpu)),
    "--lanes-sweep needs a mode whose lanes can vary among --modes (sequential run with one lane each)",
  );
});
