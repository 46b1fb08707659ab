import { cpuWorkload } from "./cpu/workload.ts";
import { faultWorkload } from "./fault.ts";
import { ioWorkload } from "./io/workload.ts";
import type { Workload } from "./types.ts";

/** Every workload by name; workers and children look theirs up here. */
const WORKLOADS: Record<string, Workload> = {
  cpu: cpuWorkload as Workload,
  io: ioWorkload as Workload,
  fault: faultWorkload as Workload,
};

/** The workload names the CLI accepts; `fault` is for the test suite only. */
export const WORKLOAD_NAMES = ["cpu", "io"];

/** The workload called `name`, or an error naming the known ones. */
export function getWorkload(name: string): Workload {
  const found = WORKLOADS[name];
  if (!found) throw new Error(`unknown workload "${name}" (allowed: ${WORKLOAD_NAMES.join(", ")})`);
  return found;
}
