import { FAST_MAX, sumSquaresRange } from "./kernel/sum_squares.ts";
import { TUTORIAL_TASKS } from "./workloads/cpu.ts";

/** Time a sequential run of the calibrated task list should take on this machine. */
export const TARGET_SEQUENTIAL_MS = 6000;

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
  return Math.max(1, Math.min(2_000_000_000, Math.round(n / 100_000) * 100_000));
}
