/** Pure helpers that turn run state into what the dashboard draws. */
import { formatMs } from "../report/format.ts";
import { type RunState, taskMs, type TaskState } from "../run/state.ts";

/** A bar of `width` cells filled to `fraction`, with eighth-cell precision. */
export function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  const partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
  const filled = "█".repeat(full) + (full < width ? partials[partial] : "");
  return filled + " ".repeat(Math.max(0, width - [...filled].length));
}

/** How far along a task is, 0..1. */
export function taskFraction(task: TaskState): number {
  if (task.status === "done") return 1;
  return task.total > 0 ? task.done / task.total : 0;
}

/** A row of the task list: a task, or a line that stands for several. */
export type TaskRow =
  | { readonly kind: "task"; readonly task: TaskState }
  | {
    readonly kind: "finished";
    readonly done: number;
    readonly failed: number;
    readonly verified: number;
  }
  | { readonly kind: "waiting"; readonly count: number };

/**
 * The rows of the task list within `rows` lines: every task when they fit; otherwise finished
 * tasks collapse into one count line, running tasks stay visible, and waiting ones follow as
 * room allows, the rest counted.
 */
export function visibleTaskRows(tasks: readonly TaskState[], rows: number): TaskRow[] {
  if (rows <= 0) return [];
  if (tasks.length <= rows) return tasks.map((task) => ({ kind: "task", task }));
  const finished = tasks.filter((t) =>
    t.status === "done" || t.status === "failed" || t.status === "cancelled"
  );
  const running = tasks.filter((t) => t.status === "running");
  const waiting = tasks.filter((t) => t.status === "pending");
  const out: TaskRow[] = [];
  if (finished.length > 0) {
    out.push({
      kind: "finished",
      done: finished.filter((t) => t.status === "done").length,
      failed: finished.filter((t) => t.status !== "done").length,
      verified: finished.filter((t) => t.verified).length,
    });
  }
  const reserveWaitingLine = waiting.length > 0 ? 1 : 0;
  const runningRoom = Math.max(0, rows - out.length - reserveWaitingLine);
  for (const task of running.slice(0, runningRoom)) out.push({ kind: "task", task });
  let room = rows - out.length;
  if (waiting.length > 0 && room > 0) {
    const shown = waiting.length <= room ? waiting.length : room - 1;
    for (const task of waiting.slice(0, shown)) out.push({ kind: "task", task });
    room -= shown;
    if (waiting.length > shown && room > 0) {
      out.push({ kind: "waiting", count: waiting.length - shown });
    }
  }
  return out;
}

/** One lane of the timing diagram: its label and a track of `width` cells. */
export interface DiagramRow {
  readonly label: string;
  /** One character per cell: " " idle, otherwise the shade of the task that ran there. */
  readonly cells: string;
  /** Per cell: -1 idle, else 0 or 1, alternating from one task of the lane to the next. */
  readonly shades: readonly number[];
}

const SHADES = ["█", "▓"];

/**
 * The measured timing diagram: one row per lane, time left to right scaled so `spanMs` fills
 * `width` cells, each task a block whose shade alternates along its lane so neighbours stay
 * apart.
 */
export function timingDiagram(
  state: RunState,
  nowMs: number,
  width: number,
  spanMs: number,
): DiagramRow[] {
  const span = Math.max(spanMs, 1);
  const lanes = [...state.laneStates].sort((a, b) => a.lane - b.lane);
  return lanes.map((lane) => {
    const shades = new Array<number>(width).fill(-1);
    const tasks = state.tasks
      .filter((t) => t.lane === lane.lane && t.startMs !== undefined)
      .sort((a, b) => a.startMs! - b.startMs!);
    tasks.forEach((task, ordinal) => {
      const end = task.endMs ?? nowMs;
      const from = Math.floor((task.startMs! / span) * width);
      const to = Math.max(from + 1, Math.ceil((end / span) * width));
      for (let c = Math.max(0, from); c < Math.min(width, to); c++) shades[c] = ordinal % 2;
    });
    const cells = shades.map((s) => (s < 0 ? " " : SHADES[s])).join("");
    return { label: lane.label, cells, shades };
  });
}
/** `1.2 s` of a running task, or of a finished one. */
export function taskElapsed(task: TaskState, nowMs: number): string {
  return task.startMs === undefined ? "" : formatMs(taskMs(task, nowMs));
}

/** Cuts or pads text to exactly `width` columns. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length > width) return chars.slice(0, Math.max(0, width - 1)).join("") + "…";
  return text + " ".repeat(width - chars.length);
}
