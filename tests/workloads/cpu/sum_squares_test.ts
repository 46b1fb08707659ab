import { assertEquals, assertThrows } from "../../assert.ts";
import {
  closedForm,
  FAST_MAX,
  SQUARE_EXACT_MAX,
  sumSquaresRange,
} from "../../../lib/workloads/cpu/sum_squares.ts";

Deno.test("closedForm() matches the sum for n = 0, 1, 2 and 3", () => {
  assertEquals(closedForm(0), 0n);
  assertEquals(closedForm(1), 0n);
  assertEquals(closedForm(2), 1n);
  assertEquals(closedForm(3), 5n);
});

Deno.test("sumSquaresRange() is exact for n = 0, 1, 2 and small n", () => {
  assertEquals(sumSquaresRange(0, 0), 0n);
  assertEquals(sumSquaresRange(0, 1), 0n);
  assertEquals(sumSquaresRange(0, 2), 1n);
  for (let n = 0; n < 300; n++) assertEquals(sumSquaresRange(0, n), closedForm(n));
});

Deno.test("sumSquaresRange() is exact for the tutorial's first and last task", () => {
  // The sums pass 2^53, so a float64 total would be wrong here.
  assertEquals(sumSquaresRange(0, 5_000_000), 41666654166667500000n);
  assertEquals(sumSquaresRange(0, 5_000_019), closedForm(5_000_019));
  assertEquals(closedForm(5_000_000) > 2n ** 53n, true);
});

Deno.test("sumSquaresRange() stays exact on both sides of the exact-square boundary", () => {
  const edge = SQUARE_EXACT_MAX;
  assertEquals(edge * edge < 2 ** 53, true);
  assertEquals((edge + 1) * (edge + 1) > 2 ** 53, true);
  for (
    const [start, end] of [[edge - 50_000, edge + 1], [edge - 3, edge + 4], [
      edge + 1,
      edge + 70_000,
    ]]
  ) {
    assertEquals(
      sumSquaresRange(start, end),
      closedForm(end) - closedForm(start),
      `${start}..${end}`,
    );
  }
});

Deno.test("sumSquaresRange() stays exact where the fast path hands over to the split path", () => {
  for (const [start, end] of [[FAST_MAX - 70_000, FAST_MAX + 1], [FAST_MAX - 2, FAST_MAX + 3]]) {
    assertEquals(
      sumSquaresRange(start, end),
      closedForm(end) - closedForm(start),
      `${start}..${end}`,
    );
  }
});

Deno.test("sumSquaresRange() is exact at the largest n the CLI accepts", () => {
  const top = 2_000_000_000 + 9_999;
  assertEquals(sumSquaresRange(top - 200_000, top), closedForm(top) - closedForm(top - 200_000));
});

Deno.test("sumSquaresRange() is exact over a whole range that crosses the boundary", () => {
  // 0..100,000,000 iterates both paths end to end, as a --size 100000000 task does.
  assertEquals(sumSquaresRange(0, 100_000_000), closedForm(100_000_000));
});

Deno.test("sumSquaresRange() rejects ranges it cannot compute exactly", () => {
  assertThrows(() => sumSquaresRange(-1, 5), RangeError);
  assertThrows(() => sumSquaresRange(0, 2 ** 31 + 1), RangeError);
  assertThrows(() => sumSquaresRange(0, 1.5), RangeError);
});
