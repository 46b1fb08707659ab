/**
 * CPU work of another shape than the built-in sum of squares: counting the primes in
 * ranges by trial division, so tasks are uneven (later ranges cost more per number).
 */
import { defineWorkload } from "../workload.ts";

interface Range {
  readonly from: number;
  readonly to: number;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

export default defineWorkload({
  name: "primes",
  kind: "cpu",
  // --size: numbers per range (default 400,000); --tasks: ranges (default 12).
  tasks: ({ tasks = 12, size = 400_000 }) =>
    Array.from({ length: tasks }, (_, i): Range => ({ from: i * size, to: (i + 1) * size })),
  async run({ from, to }: Range, ctx) {
    let count = 0;
    for (let n = from; n < to; n++) {
      if (isPrime(n)) count++;
      if ((n - from) % 20_000 === 0) {
        ctx.progress(n - from, to - from);
        await ctx.checkpoint();
        if (ctx.signal.aborted) throw new Error("cancelled");
      }
    }
    ctx.progress(to - from, to - from);
    return count;
  },
  // A sieve over the same range: another method, so a fault in one shows up.
  verify({ from, to }: Range, count: number) {
    const sieve = new Uint8Array(to).fill(1);
    sieve[0] = 0;
    if (to > 1) sieve[1] = 0;
    for (let p = 2; p * p < to; p++) {
      if (sieve[p]) { for (let m = p * p; m < to; m += p) sieve[m] = 0; }
    }
    let expected = 0;
    for (let n = from; n < to; n++) expected += sieve[n];
    return expected === count;
  },
  describe: ({ from, to }: Range) => `${from}..${to}`,
});
