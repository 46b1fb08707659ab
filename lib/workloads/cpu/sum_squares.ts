/**
 * Exact sums of squares, the tutorial's CPU-bound job: `sum(i * i for i in range(n))`.
 *
 * The hot loop stays in float64 arithmetic, which is exact for integers below 2^53, and
 * flushes into a bigint between chunks: per-iteration bigint arithmetic is ~30x slower.
 */

/** The fast path carries its running sum in units of 2^52. */
const CARRY = 2 ** 52;
const CARRY_BIG = 2n ** 52n;

/** Largest `i` whose square is below 2^53, so `i * i` is exact in a float64. */
export const SQUARE_EXACT_MAX = 94_906_265;

/**
 * Last `i` of the fast path, whose squares stay below 2^52. Between here and
 * {@link SQUARE_EXACT_MAX} squares are still exact, but a running sum below 2^53 has no room
 * left for carrying, so the split path takes over early.
 */
export const FAST_MAX = 2 ** 26 - 1;

/** Largest `n` the kernel accepts: `i` must fit the split into 16-bit halves below. */
const N_MAX = 2 ** 31;

/**
 * Iterations summed in floats before they go into the bigint total: on the split path each
 * term is below 2^32, so 65,536 of them stay below 2^48, well within exact integers.
 */
const CHUNK_MAX = 65_536;

/** The closed form `(n-1)n(2n-1)/6`, the exact sum of `i * i` for `0 <= i < n`. */
export function closedForm(n: number | bigint): bigint {
  const b = BigInt(n);
  if (b <= 0n) return 0n;
  return ((b - 1n) * b * (2n * b - 1n)) / 6n;
}

/**
 * The exact sum of `i * i` for `start <= i < end`, computed by iterating.
 *
 * Up to {@link FAST_MAX} each square is exact and only the running sum needs flushing;
 * beyond, squares approach and then pass 2^53 ({@link SQUARE_EXACT_MAX}), so `i` is split
 * into 16-bit halves `h * 2^16 + l` and `h*h`, `h*l` and `l*l` are summed apart (each sum
 * stays far below 2^53 over one chunk).
 */
export function sumSquaresRange(start: number, end: number): bigint {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > N_MAX) {
    throw new RangeError(`range must be integers within 0..${N_MAX}, got ${start}..${end}`);
  }
  let total = 0n;
  let i = start;
  const fastEnd = Math.min(end, FAST_MAX + 1);
  while (i < fastEnd) {
    const stop = Math.min(fastEnd, i + CHUNK_MAX);
    // Squares here are below 2^52 and the sum is kept below 2^52 by carrying whole 2^52s,
    // so every addition stays below 2^53 and exact.
    let acc = 0;
    let carries = 0;
    for (; i < stop; i++) {
      acc += i * i;
      if (acc >= CARRY) {
        acc -= CARRY;
        carries++;
      }
    }
    total += BigInt(carries) * CARRY_BIG + BigInt(acc);
  }
  while (i < end) {
    const stop = Math.min(end, i + CHUNK_MAX);
    let hh = 0;
    let hl = 0;
    let ll = 0;
    for (; i < stop; i++) {
      const h = i >>> 16;
      const l = i & 0xffff;
      hh += h * h;
      hl += h * l;
      ll += l * l;
    }
    total += (BigInt(hh) << 32n) + (BigInt(hl) << 17n) + BigInt(ll);
  }
  return total;
}
