import { coreLoads, type CoreTimes } from "./cpu_usage.ts";
import { getMode } from "../modes/mod.ts";
import type { TaskSpec, Workload } from "../workloads/types.ts";
import type { ClusterContext } from "../cluster/queue_run.ts";
import type { ModeEvent, ModeName, RunEvent, RunStatus } from "./events.ts";
import { reduceRunAll, type RunState } from "./state.ts";
import { errorMessage, safeText } from "../process/safe_text.ts";

/** Longest task label: enough for a host and a path; the JSON has the whole input. */
const LABEL_MAX = 80;

/** What one run needs. */
export interface RunOptions {
  readonly mode: ModeName;
  readonly workload: Workload;
  readonly tasks: readonly TaskSpec[];
  readonly lanes: number;
  readonly perLane?: number;
  /** Pools: tasks a dispatch (`--chunk`); absent: chosen as they run (`auto`). */
  readonly chunk?: number;
  readonly taskTimeoutMs?: number;
  /** Hosts workers and children may reach. */
  readonly netHosts?: readonly string[];
  readonly signal?: AbortSignal;
  /** `--redis`, for a mode that reads it (cluster). */
  readonly redis?: string;
  /** `--lanes` as given; undefined when each mode chose its own. */
  readonly lanesAsked?: number;
  /** Cluster mode's settings, given whole (tests); otherwise the mode builds them. */
  readonly cluster?: ClusterContext;
  /** Milliseconds from any origin; injected so tests get exact times. */
  readonly clock?: () => number;
  /** Per-core CPU times from the OS, read at start and end for `coresBusy`. */
  readonly sampleCpu?: () => readonly CoreTimes[];
  /**
   * Called after each event; `current()` folds the events so far into the state, so a view
   * that redraws ten times a second folds ten times a second, however many events arrive.
   */
  onEvent?(event: RunEvent, current: () => RunState): void;
}

/** Events held before they are folded in one batch when nobody asks for the state sooner. */
const FOLD_BATCH = 1024;

/**
 * Runs the task list in one mode and returns the final state. Every event the mode reports
 * is stamped here, in the parent, with ms since the run started: when it arrived, or when a
 * pool's lane measured it (`at`, mapped to this clock). Lanes report in batches, so events
 * of different lanes may arrive out of time order; on one lane they keep it.
 */
export async function runWorkload(options: RunOptions): Promise<RunState> {
  const clock = options.clock ?? (() => performance.now());
  const signal = options.signal ?? new AbortController().signal;
  const origin = clock();
  const cpuBefore = tryRead(options.sampleCpu);
  let state: RunState | undefined;
  let pending: RunEvent[] = [];
  const current = () => {
    if (pending.length > 0) {
      state = reduceRunAll(state, pending);
      pending = [];
    }
    return state!;
  };
  const publish = (event: RunEvent) => {
    pending.push(event);
    if (pending.length >= FOLD_BATCH) current();
    options.onEvent?.(event, current);
  };
  const stamp = (event: ModeEvent) => {
    if (!("at" in event)) return publish({ ...event, t: clock() - origin } as RunEvent);
    const { at, ...rest } = event;
    publish({ ...rest, t: (at ?? clock()) - origin } as RunEvent);
  };
  const mode = getMode(options.mode);
  publish({
    type: "run-start",
    t: 0,
    mode: options.mode,
    workload: options.workload.name,
    lanes: options.lanes,
    ...(mode.chunked ? { chunk: options.chunk ?? "auto" } : {}),
    tasks: options.tasks.map((t) => ({
      id: t.id,
      // Labels may quote user text (URLs): made safe and short once, for every view.
      label: safeText(options.workload.describe(t.input), LABEL_MAX),
      input: t.input,
    })),
  });
  let crashed = false;
  try {
    await mode.run(options.tasks, {
      workload: options.workload,
      lanes: options.lanes,
      perLane: options.perLane ?? 1,
      chunk: options.chunk,
      taskTimeoutMs: options.taskTimeoutMs ?? 0,
      netHosts: options.netHosts ?? [],
      signal,
      redis: options.redis,
      lanesAsked: options.lanesAsked,
      cluster: options.cluster,
      now: clock,
      emit: stamp,
    });
  } catch (err) {
    // An event like any other: each view says it its own way (a line on stderr, the header).
    crashed = true;
    publish({ type: "mode-failed", t: clock() - origin, error: errorMessage(err) });
  }
  const tasks = current().tasks;
  const status: RunStatus = signal.aborted
    ? "cancelled"
    : crashed || tasks.some((t) => t.status !== "done" || !t.verified)
    ? "failed"
    : "done";
  const cpuAfter = tryRead(options.sampleCpu);
  const coresBusy = cpuBefore && cpuAfter
    ? coreLoads(cpuBefore, cpuAfter).reduce((a, b) => a + b, 0)
    : undefined;
  publish({ type: "run-end", t: clock() - origin, status, coresBusy });
  return current();
}

function tryRead(sample?: () => readonly CoreTimes[]): readonly CoreTimes[] | undefined {
  try {
    return sample?.();
  } catch {
    return undefined; // No permission: the figure is left out, the run goes on.
  }
}
