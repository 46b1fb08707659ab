import { errorMessage } from "../process/safe_text.ts";
import { useEffect, useRef, useState } from "react";
import { useStdout } from "ink";
import { coreLoads, type CoreTimes } from "../run/cpu_usage.ts";
import type { ModeName } from "../run/events.ts";
import { getMode } from "../modes/mod.ts";
import { elapsedMs, type JobMsg, type JobState, NO_JOB, reduceJob } from "./job.ts";
import { measureModes, type MeasureTarget } from "../run/measure.ts";
import type { RunState } from "../run/state.ts";
import type { Settings } from "../cli/settings.ts";

/** Redraws at most this often, however fast events arrive. */
const FLUSH_MS = 100;

/**
 * While a main-thread mode runs, frames share the thread with the work: redraw half as
 * often (the benchmark measured 5.8 % overhead for sequential runs at every tick).
 */
const MAIN_THREAD_FLUSH_MS = 2 * FLUSH_MS;

/** True while a mode whose tasks run on the main thread is running. */
export function onMainThread(state: RunState | undefined, running: boolean): boolean {
  return running && state !== undefined && getMode(state.mode).laneKind === "main";
}

/** One request to the runner: a task list and the modes to run on it, in turn. */
export interface RunJob {
  /** Identifies the task list; results of other lists are cleared when it changes. */
  readonly key: string;
  readonly settings: Settings;
  readonly modes: readonly ModeName[];
  /** A lanes sweep instead: these targets, whose runs are kept apart from the results. */
  readonly sweep?: readonly MeasureTarget[];
}

/** What the dashboard sees of the runner: the job, with the elapsed time read at each redraw. */
export type RunView = Omit<JobState, "originMs"> & { readonly elapsedMs: number };

/** What the runner is given besides the job: tests pass a fake clock and CPU counters. */
export interface RunEnvironment {
  /** Milliseconds from any origin, for event times and the elapsed time shown. */
  readonly clock?: () => number;
  /** Per-core CPU times for a run's cores-busy figure; by default the OS's. */
  readonly sampleCpu?: () => readonly CoreTimes[];
}

function viewOf(job: JobState, nowMs: number): RunView {
  const { originMs: _, ...rest } = job;
  return { ...rest, elapsedMs: elapsedMs(job, nowMs) };
}

/**
 * The only door between the dashboard and the runner. What the runner reports becomes
 * messages folded by {@link reduceJob}; the view is refreshed from the folded job at most
 * every {@link FLUSH_MS}. Unmounting cancels the run.
 */
export function useRun(env: RunEnvironment = {}): {
  view: RunView;
  start: (job: RunJob) => Promise<void>;
  cancel: () => Promise<void>;
} {
  const clock = env.clock ?? (() => performance.now());
  const [view, setView] = useState<RunView>(() => viewOf(NO_JOB, 0));
  // The latest fold, outside React's state: events may come thousands of times a second.
  const live = useRef({
    job: NO_JOB,
    /** Folds the current run's events so far: a new one each run. */
    current: undefined as (() => RunState) | undefined,
    dirty: false,
    controller: undefined as AbortController | undefined,
    work: Promise.resolve(),
  });
  const send = (msg: JobMsg) => {
    live.current.job = reduceJob(live.current.job, msg);
    live.current.dirty = true;
  };
  const flush = () => {
    const { current } = live.current;
    // The run's events are folded here, once a frame, however many came since the last.
    if (current) send({ type: "run-state", state: current(), atMs: clock() });
    setView(viewOf(live.current.job, clock()));
    live.current.dirty = false;
  };

  useEffect(() => {
    let ticks = 0;
    const timer = setInterval(() => {
      const { job, dirty } = live.current;
      ticks++;
      if (onMainThread(job.state, job.running) && ticks % (MAIN_THREAD_FLUSH_MS / FLUSH_MS) !== 0) {
        return;
      }
      if (job.running || dirty) flush();
    }, FLUSH_MS);
    return () => {
      clearInterval(timer);
      live.current.controller?.abort();
    };
  }, []);

  const cancel = async () => {
    live.current.controller?.abort();
    await live.current.work;
  };

  const start = async (job: RunJob) => {
    await cancel();
    const controller = new AbortController();
    live.current.controller = controller;
    send({ type: "job-started", key: job.key, sweep: job.sweep !== undefined });
    live.current.work = (async () => {
      let prepared;
      try {
        prepared = await job.settings.workload.prepare(job.settings.workloadOptions);
      } catch (err) {
        send({ type: "job-failed", error: errorMessage(err) });
        return;
      }
      send({ type: "job-prepared", summary: prepared.summary });
      // The job's first frame is drawn before its first run, not inside it: a frame of 10,000
      // tasks costs the main thread about 10 ms, a tenth of a main-thread run of tiny tasks.
      flush();
      await new Promise((resolve) => setTimeout(resolve, 0));
      try {
        // The same measuring loop as `compare`, one run a mode.
        await measureModes(job.sweep ?? job.modes, job.settings, prepared, {
          runs: 1,
          warmup: 0,
          signal: controller.signal,
          clock: env.clock,
          sampleCpu: env.sampleCpu,
          onState: (current) => {
            if (live.current.current === current) return void (live.current.dirty = true);
            // A new run: its start is stamped now, not at the next frame.
            live.current.current = current;
            send({ type: "run-state", state: current(), atMs: clock() });
          },
          onRun: (run) => send({ type: "run-done", run }),
        });
      } catch (err) {
        send({ type: "job-failed", error: errorMessage(err) });
      } finally {
        send({ type: "job-ended" });
        // The end of a run is drawn at once, not at the next tick: a cancel shows when done.
        flush();
        await prepared.close();
      }
    })();
    flush();
    await Promise.resolve();
  };

  return { view, start, cancel };
}

/** Per-core busy fractions, sampled every `intervalMs` from `sample`. */
export const CPU_SAMPLE_MS = 250;
export function useCpuLoads(
  sample: (() => CoreTimes[]) | undefined,
  intervalMs = CPU_SAMPLE_MS,
): number[] {
  const [loads, setLoads] = useState<number[]>([]);
  useEffect(() => {
    if (!sample) return;
    let before: CoreTimes[];
    try {
      before = sample();
    } catch {
      return; // No permission or no /proc: the meter stays empty rather than crash.
    }
    // A new interval keeps what the meter shows until its first sample.
    setLoads((shown) => shown.length > 0 ? shown : before.map(() => 0));
    const timer = setInterval(() => {
      try {
        const after = sample();
        setLoads(coreLoads(before, after));
        before = after;
      } catch {
        clearInterval(timer);
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [sample, intervalMs]);
  return loads;
}

/** The terminal's size, following resizes. */
export function useTerminalSize(
  fallback = { columns: 100, rows: 30 },
): { columns: number; rows: number } {
  const { stdout } = useStdout();
  // Ink types stdout as a plain stream; at run time it is a TTY stream with a size.
  const tty = stdout as unknown as { columns?: number; rows?: number };
  const read = () => ({
    columns: tty.columns || fallback.columns,
    rows: tty.rows || fallback.rows,
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);
  return size;
}
