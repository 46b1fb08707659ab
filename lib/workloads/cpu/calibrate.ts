import { LIMITS } from "../../cli/limits.ts";
import { FAST_MAX, sumSquaresRange } from "./sum_squares.ts";
import { TUTORIAL_TASKS } from "./workload.ts";
import { type Calibration, roundSize, TARGET_SEQUENTIAL_MS } from "../calibration.ts";

/** Nanoseconds per iteration on the two paths of the kernel. */
export interface KernelSpeed {
  readonly fastNs: number;
  readonly splitNs: number;
}

function nsPerIteration(start: number, budgetMs: number): number {
  const step = 1 << 20;
  let iterations = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < budgetMs) {
    sumSquaresRange(start, start + step);
    iterations += step;
    now = performance.now();
  }
  return ((now - t0) * 1e6) / iterations;
}

/** Measures the kernel's speed on both paths in about `budgetMs` in all. */
export function measureKernel(budgetMs = 150): KernelSpeed {
  // A short warm-up first, so the measurement sees optimised code.
  sumSquaresRange(0, 1 << 18);
  return {
    fastNs: nsPerIteration(0, budgetMs / 2),
    splitNs: nsPerIteration(FAST_MAX + 1, budgetMs / 2),
  };
}

/** Nanoseconds for one task of size `n` at `speed`. */
function taskNs(speed: KernelSpeed, n: number): number {
  const fast = Math.min(n, FAST_MAX + 1);
  return fast * speed.fastNs + (n - fast) * speed.splitNs;
}

/** {@link roundSize}, but from ten million up to whole 100,000s, and never below 1. */
function roundCpuSize(n: number): number {
  if (n >= 10_000_000) return Math.round(n / 100_000) * 100_000;
  return n < 1 ? 1 : roundSize(n);
}

/**
 * The base size `n` for which `tasks` tasks take about `targetMs` in all when run one after
 * another: the part below FAST_MAX runs at the fast speed, the rest at the split speed.
 */
export function sizeFor(
  speed: KernelSpeed,
  targetMs = TARGET_SEQUENTIAL_MS,
  tasks = TUTORIAL_TASKS,
): number {
  const perTaskNs = (targetMs * 1e6) / tasks;
  const fastPartNs = (FAST_MAX + 1) * speed.fastNs;
  const n = perTaskNs <= fastPartNs
    ? perTaskNs / speed.fastNs
    : FAST_MAX + 1 + (perTaskNs - fastPartNs) / speed.splitNs;
  return Math.max(1, Math.min(LIMITS.size.max, roundCpuSize(n)));
}

/** Sizes `tasks` tasks (n = size + x) for a sequential run of about `targetMs` here. */
export function calibrate(
  tasks: number,
  targetMs = TARGET_SEQUENTIAL_MS,
  speed: KernelSpeed = measureKernel(),
): Calibration {
  const size = sizeFor(speed, targetMs, tasks);
  let ns = 0;
  for (let x = 0; x < tasks; x++) ns += taskNs(speed, size + x);
  return { size, tasks, targetMs, predictedMs: ns / 1e6 };
}
