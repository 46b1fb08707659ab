import { assertEquals, assertThrows } from "../assert.ts";
import {
  mean,
  median,
  speedupOver,
  speedupRange,
  stdev,
  summarize,
} from "../../lib/report/stats.ts";

Deno.test("median() of odd and even samples", () => {
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 3, 2]), 2.5);
  assertThrows(() => median([]), RangeError);
});

Deno.test("stdev() is the sample standard deviation", () => {
  assertEquals(stdev([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7));
  assertEquals(stdev([5]), 0);
  assertEquals(mean([1, 2, 3, 6]), 3);
});

Deno.test("summarize() gives min, median, max, mean and spread", () => {
  assertEquals(summarize([300, 100, 200]), {
    runs: 3,
    minMs: 100,
    medianMs: 200,
    maxMs: 300,
    meanMs: 200,
    stdevMs: 100,
  });
});

Deno.test("speedupRange() uses medians, bounded by the extreme pairs", () => {
  assertEquals(speedupRange(summarize([400, 400, 440]), summarize([200, 220, 200])), {
    median: 2,
    low: 400 / 220,
    high: 440 / 200,
  });
});

Deno.test("speedupOver() needs a finished baseline and a finished candidate", () => {
  const base = { wall: summarize([300]), finished: true };
  const fast = { wall: summarize([100]), finished: true };
  assertEquals(speedupOver(base, fast), { median: 3, low: 3, high: 3 });
  assertEquals(speedupOver({ ...base, finished: false }, fast), undefined);
  assertEquals(speedupOver(base, { ...fast, finished: false }), undefined);
  assertEquals(speedupOver(undefined, fast), undefined);
});
