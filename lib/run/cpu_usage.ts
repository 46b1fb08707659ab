import { cpus } from "node:os";

/** Cumulative CPU times of one core, in ms, as the OS reports them. */
export interface CoreTimes {
  readonly user: number;
  readonly nice: number;
  readonly sys: number;
  readonly idle: number;
  readonly irq: number;
}

/** Reads every core's times (from `/proc/stat` on Linux; needs `--allow-sys=cpus`). */
export function sampleCores(): CoreTimes[] {
  return cpus().map((c) => c.times);
}

/** Busy fraction of each core between two samples, 0..1. */
export function coreLoads(before: readonly CoreTimes[], after: readonly CoreTimes[]): number[] {
  return after.map((a, i) => {
    const b = before[i];
    if (!b) return 0;
    const busy = (a.user - b.user) + (a.nice - b.nice) + (a.sys - b.sys) + (a.irq - b.irq);
    const total = busy + (a.idle - b.idle);
    return total > 0 ? Math.max(0, Math.min(1, busy / total)) : 0;
  });
}
