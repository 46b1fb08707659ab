import { cpuWorkload } from "./cpu/workload.ts";
import { faultWorkload } from "./fault.ts";
import { ioWorkload } from "./io/workload.ts";
import { raceWorkload } from "./race/workload.ts";
import type { Workload } from "./types.ts";

/** Every workload, in the order help and the dashboard show them; workers look theirs up here. */
const registered: Workload[] = [
  cpuWorkload as Workload,
  ioWorkload as Workload,
  raceWorkload as Workload,
  faultWorkload as Workload,
];

/** The workloads the CLI and the dashboard offer; hidden ones (`fault`) are left out. */
export function workloads(): readonly Workload[] {
  return registered.filter((w) => !w.hidden);
}

/** Every workload, hidden ones too: what a worker or child may be asked to run. */
export function allWorkloads(): readonly Workload[] {
  return registered;
}

/** The names `--workload` accepts. */
export function workloadNames(): string[] {
  return workloads().map((w) => w.name);
}

/** Adds a workload; returns the function that removes it again (tests). */
export function registerWorkload(workload: Workload): () => void {
  if (registered.some((w) => w.name === workload.name)) {
    throw new Error(`a workload called "${workload.name}" is registered already`);
  }
  registered.push(workload);
  return () => void registered.splice(registered.indexOf(workload), 1);
}

/** The workload called `name`, or an error naming the known ones. */
export function getWorkload(name: string): Workload {
  const found = registered.find((w) => w.name === name);
  if (!found) {
    throw new Error(`unknown workload "${name}" (allowed: ${workloadNames().join(", ")})`);
  }
  return found;
}
