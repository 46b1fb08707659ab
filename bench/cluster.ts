/**
 * The benchmark's cluster section: cluster mode with two local workers beside subprocess
 * with two lanes, on CPU tasks and on tiny ones. What distribution costs: start-up (a
 * redis-server and two workers), the time from a task's start to its result as the parent
 * sees it, the hand-off from one result to the next task's start on the same lane, and
 * throughput.
 */
import { printModeFailure } from "../lib/cli/commands/session.ts";
import { measureModes, type ModeMeasurement } from "../lib/run/measure.ts";
import { formatMs } from "../lib/report/format.ts";
import type { RunResult } from "../lib/run/result.ts";
import { resolveSettings, type SharedOptions } from "../lib/cli/settings.ts";
import { median } from "../lib/report/stats.ts";

/** Per-task figures of one run, from the times the parent stamped. */
export interface TaskFigures {
  readonly mode: string;
  readonly tasks: number;
  readonly wallMs: number;
  /** Run start to the first task's start: the lanes' start-up. */
  readonly firstStartMs: number;
  /** Median task start (first progress) to its result. */
  readonly spanMs: number;
  /** Median time from a result to the next task's start on the same lane. */
  readonly handOffMs: number;
  /** Tasks a second over the wall time, and after start-up. */
  readonly perSecond: number;
  readonly perSecondAfterStart: number;
  /** A lane's time per task after start-up: lanes × (wall − start-up) / tasks. */
  readonly laneMsPerTask: number;
}

type RunTask = RunResult["tasks"][number];

/** The figures of one run. */
export function taskFigures(run: RunResult): TaskFigures {
  const tasks = run.tasks.filter((t) =>
    t.startMs !== undefined && t.endMs !== undefined
  ) as (RunTask & { startMs: number; endMs: number })[];
  const firstStartMs = Math.min(...tasks.map((t) => t.startMs));
  const gaps: number[] = [];
  const lanes = new Map<number, typeof tasks>();
  for (const t of tasks) lanes.set(t.lane ?? -1, [...(lanes.get(t.lane ?? -1) ?? []), t]);
  for (const list of lanes.values()) {
    list.sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < list.length; i++) gaps.push(list[i].startMs - list[i - 1].endMs);
  }
  return {
    mode: run.mode,
    tasks: run.tasks.length,
    wallMs: run.wallMs,
    firstStartMs,
    spanMs: median(tasks.map((t) => t.endMs - t.startMs)),
    handOffMs: gaps.length > 0 ? median(gaps) : 0,
    perSecond: run.tasks.length / (run.wallMs / 1000),
    perSecondAfterStart: run.tasks.length / (Math.max(1, run.wallMs - firstStartMs) / 1000),
    laneMsPerTask: run.lanes * Math.max(0, run.wallMs - firstStartMs) / run.tasks.length,
  };
}

/** Runs the section; returns its Markdown lines and raw figures. */
export async function clusterSection(
  options: { quick: boolean; cpuSize: number; signal: AbortSignal },
): Promise<{ lines: string[]; raw: Record<string, unknown> }> {
  const lines: string[] = [];
  const raw: Record<string, unknown> = {};
  const loads: [string, string, SharedOptions][] = [
    [
      "cpu",
      `CPU: 20 tasks, n = ${options.cpuSize.toLocaleString("en-US")} + x`,
      { workload: "cpu", lanes: 2, size: options.cpuSize },
    ],
    [
      "tiny",
      `tiny tasks: ${options.quick ? 40 : 400} tasks, n = x (no work: overhead only)`,
      { workload: "cpu", lanes: 2, tasks: options.quick ? 40 : 400, size: 0 },
    ],
  ];
  lines.push("## 6. Cluster: the cost of distribution", "");
  lines.push(
    "Cluster mode with two local workers (a private redis-server, BullMQ) beside subprocess " +
      "with two lanes. Start-up is run start to the first task's start; start → result is a " +
      "task's first progress to its result, as the parent sees them; hand-off is a result to " +
      "the next task's start on the same lane (medians). A worker's start and result reach the parent through one event stream, often together, so on tiny tasks the cost shows in lane time a task (lanes × wall after start-up / tasks) and throughput.",
    "",
  );
  for (const [key, title, shared] of loads) {
    const settings = resolveSettings(shared);
    const prepared = await settings.workload.prepare(settings.workloadOptions);
    let modes: ModeMeasurement[];
    try {
      modes = await measureModes(["subprocess", "cluster"], settings, prepared, {
        runs: options.quick ? 1 : 3,
        warmup: options.quick ? 0 : 1,
        signal: options.signal,
        onModeFailed: printModeFailure,
      });
    } finally {
      await prepared.close();
    }
    lines.push(`### ${title}`, "");
    lines.push(
      "| mode | lanes | wall (median) | start-up | start → result | hand-off | lane time a task | tasks/s | tasks/s after start-up | verified |",
    );
    lines.push("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|");
    const figures: Record<string, TaskFigures[]> = {};
    for (const m of modes) {
      const runs = m.runs.map(taskFigures);
      figures[m.mode] = runs;
      const med = (f: (t: TaskFigures) => number) => median(runs.map(f));
      lines.push(
        `| ${m.mode} | ${m.lanes} | ${formatMs(m.wall?.medianMs ?? NaN)} | ${
          formatMs(med((t) => t.firstStartMs))
        } | ${formatMs(med((t) => t.spanMs))} | ${formatMs(med((t) => t.handOffMs))} | ${
          formatMs(med((t) => t.laneMsPerTask))
        } | ${med((t) => t.perSecond).toFixed(0)} | ${
          med((t) => t.perSecondAfterStart).toFixed(0)
        } | ${m.allVerified ? "all" : "NO"} |`,
      );
    }
    lines.push("");
    raw[key] = { modes, figures };
  }
  return { lines, raw };
}
