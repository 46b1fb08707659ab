import { assertEquals } from "../assert.ts";
import { LIMITS } from "../../lib/cli/limits.ts";
import { lanesFor } from "../../lib/cli/settings.ts";
import { cpuWorkload } from "../../lib/workloads/cpu/workload.ts";
import { ioWorkload } from "../../lib/workloads/io/workload.ts";
import type { Workload } from "../../lib/workloads/types.ts";

const cpu = cpuWorkload as Workload;
const io = ioWorkload as Workload;

/** Runs `fn` while the runtime reports `cores` cores. */
function withCores(cores: number, fn: () => void): void {
  const own = Object.getOwnPropertyDescriptor(navigator, "hardwareConcurrency");
  Object.defineProperty(navigator, "hardwareConcurrency", { value: cores, configurable: true });
  try {
    fn();
  } finally {
    if (own) Object.defineProperty(navigator, "hardwareConcurrency", own);
    else delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

Deno.test("pools default to one lane per core, capped at the limit on a 96-core machine", () => {
  withCores(96, () => {
    assertEquals(lanesFor("workers", undefined, cpu, 20), LIMITS.poolLanes.max);
    assertEquals(lanesFor("subprocess", undefined, cpu, 20), 64);
    assertEquals(lanesFor("cluster", undefined, cpu, 20), 64);
  });
  withCores(8, () => assertEquals(lanesFor("workers", undefined, cpu, 20), 8));
});

Deno.test("I/O pools default to min(32, cores + 4), within the pool limit", () => {
  withCores(2, () => assertEquals(lanesFor("workers", undefined, io, 160), 6));
  withCores(8, () => assertEquals(lanesFor("subprocess", undefined, io, 160), 12));
  withCores(96, () => assertEquals(lanesFor("workers", undefined, io, 160), 32));
});
