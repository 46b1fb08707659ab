/**
 * How many tasks may be in flight at once without running out of file descriptors or
 * memory. The I/O workload's local server and its clients share this process, so every
 * download in flight holds descriptors here; past the process's limit the server cannot
 * accept and every later download fails. The limit itself cannot be read without more
 * permissions (`/proc/self/limits` needs --allow-all, `ulimit` needs --allow-run), so what
 * matters is counted instead: how many more files this process can open right now.
 */
import { getMode } from "../modes/mod.ts";
import type { LaneKind } from "../modes/types.ts";
import type { ModeName } from "./events.ts";

/** What one task in flight holds: descriptors where it runs, in the server, and memory. */
export interface TaskCost {
  /** Descriptors in the process running the task (client connections). */
  readonly descriptors: number;
  /** Descriptors in this process's server for it (0 without a local server). */
  readonly serverDescriptors: number;
  /** Bytes of memory in this process (buffers of both ends). */
  readonly bytes: number;
}

/** Descriptors kept free for everything else: stdio, the runtime, the CPU meter, modules. */
const RESERVED_DESCRIPTORS = 48;

/** Descriptors each worker (its event loop) or child (pipes, pid) holds in this process. */
const LANE_DESCRIPTORS = 4;

/** Memory downloads in flight may hold together. */
const MEMORY_BUDGET = 1024 * 1024 * 1024;

/** Assumed when the count cannot be made: the usual soft limit, less what a process uses. */
const ASSUMED_FREE = 1024 - 64;

/** Probes stop here: enough for 10,000 downloads in flight. */
const PROBE_MAX = 65_536;

/**
 * Descriptors this process can still open, up to `upTo`: opens `path` until the OS refuses
 * (EMFILE) or `upTo` are open, then closes them all. Undefined when `path` cannot be opened.
 */
export function freeDescriptors(upTo: number, path: string | URL): number | undefined {
  const files: Deno.FsFile[] = [];
  try {
    while (files.length < Math.min(upTo, PROBE_MAX)) files.push(Deno.openSync(path));
    return files.length;
  } catch (err) {
    return (err as { code?: string }).code === "EMFILE" ? files.length : undefined;
  } finally {
    for (const file of files) file.close();
  }
}

/** A file every run can open: this module (the program's own code, readable to load it). */
const PROBE_PATH = new URL(import.meta.url);

/** Counts free descriptors when reading the probe file is granted (never asking for it). */
function countFree(upTo: number): number | undefined {
  if (Deno.build.standalone || PROBE_PATH.protocol !== "file:") return undefined;
  const granted = Deno.permissions.querySync({ name: "read", path: PROBE_PATH }).state;
  return granted === "granted" ? freeDescriptors(upTo, PROBE_PATH) : undefined;
}

/** Tasks in flight at once: a main-thread slot runs one, a worker or child `perLane`. */
function inFlight(kind: LaneKind, lanes: number, perLane: number, tasks: number): number {
  return Math.min(kind === "main" ? lanes : lanes * perLane, tasks);
}

/** Lanes and tasks per lane after the cap, and the line that says so when it bit. */
export interface Capped {
  readonly lanes: number;
  readonly perLane: number;
  readonly note?: string;
}

/**
 * Caps `lanes` (async) or `perLane` and then `lanes` (workers, subprocess) so the tasks in
 * flight fit in the descriptors this process can still open and in {@link MEMORY_BUDGET}.
 * `free` is injected by tests; by default it is counted.
 */
export function capInFlight(
  mode: ModeName,
  lanes: number,
  perLane: number,
  tasks: number,
  cost: TaskCost | undefined,
  free?: (upTo: number) => number | undefined,
): Capped {
  const kind = getMode(mode).laneKind;
  const wanted = inFlight(kind, lanes, perLane, tasks);
  if (!cost) return { lanes, perLane };
  // A child's client connections are in the child; only the server's are here.
  const here = (kind === "process" ? 0 : cost.descriptors) + cost.serverDescriptors;
  const laneFds = kind === "main" ? 0 : lanes * LANE_DESCRIPTORS;
  const need = wanted * here + laneFds + RESERVED_DESCRIPTORS;
  const counted = here > 0 ? (free ?? countFree)(need) : undefined;
  const available = counted ?? ASSUMED_FREE;
  const byFds = here > 0
    ? Math.floor((available - laneFds - RESERVED_DESCRIPTORS) / here)
    : Infinity;
  const byMemory = cost.bytes > 0 ? Math.floor(MEMORY_BUDGET / cost.bytes) : Infinity;
  const budget = Math.max(1, Math.min(byFds, byMemory));
  if (wanted <= budget) return { lanes, perLane };
  let capped: Capped;
  if (kind === "main") capped = { lanes: budget, perLane };
  else if (lanes <= budget) capped = { lanes, perLane: Math.max(1, Math.floor(budget / lanes)) };
  else capped = { lanes: budget, perLane: 1 };
  const now = inFlight(kind, capped.lanes, capped.perLane, tasks);
  const why = byFds <= byMemory
    ? `this process can open about ${available} more files (${
      counted === undefined ? "assumed" : "counted"
    }; raise it with \`ulimit -n\`) and each download holds ${here}`
    : `each download holds about ${
      Math.round(cost.bytes / 1024 / 1024 * 10) / 10
    } MB and all of them at most ${MEMORY_BUDGET / 1024 / 1024} MB`;
  return {
    ...capped,
    note: `${mode}: ${now} downloads at once instead of ${wanted}: ${why}`,
  };
}
