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
 * The rows of the task list within `rows` lines: every task when they fit. Otherwise running
 * tasks come first, then waiting ones as room allows (the rest counted), then the most
 * recently finished; finished tasks that are not shown fold into one count line on top.
 */
export function visibleTaskRows(tasks: readonly TaskState[], rows: number): TaskRow[] {
  if (rows <= 0) return [];
  if (tasks.length <= rows) return tasks.map((task) => ({ kind: "task", task }));
  const finished = tasks.filter((t) => t.status !== "running" && t.status !== "pending")
    .sort((a, b) => (b.endMs ?? 0) - (a.endMs ?? 0));
  const running = tasks.filter((t) => t.status === "running");
  const waiting = tasks.filter((t) => t.status === "pending");
  let room = rows - (finished.length > 0 ? 1 : 0);
  const shownRunning = running.slice(0, Math.max(0, room - (waiting.length > 0 ? 1 : 0)));
  room -= shownRunning.length;
  let shownWaiting: TaskState[] = [];
  let moreWaiting = 0;
  if (waiting.length > 0 && room > 0) {
    shownWaiting = waiting.length <= room ? waiting : waiting.slice(0, room - 1);
    moreWaiting = waiting.length - shownWaiting.length;
    room -= shownWaiting.length + (moreWaiting > 0 ? 1 : 0);
  }
  const shownFinished = finished.slice(0, Math.max(0, room)).reverse();
  const folded = finished.slice(shownFinished.length);
  const out: TaskRow[] = [];
  if (finished.length > 0) {
    out.push({
      kind: "finished",
      done: folded.filter((t) => t.status === "done").length,
      failed: folded.filter((t) => t.status !== "done").length,
      verified: folded.filter((t) => t.verified).length,
    });
  }
  for (const task of [...shownFinished, ...shownRunning, ...shownWaiting]) {
    out.push({ kind: "task", task });
  }
  if (moreWaiting > 0) out.push({ kind: "waiting", count: moreWaiting });
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

/** Like {@link fit}, but keeps the end: for labels whose tail tells tasks apart (URL paths). */
export function fitTail(text: string, width: number): string {
  const chars = [...text];
  if (chars.length > width) {
    return "…" + chars.slice(chars.length - Math.max(0, width - 1)).join("");
  }
  return text + " ".repeat(width - chars.length);
}

/**
 * The host every label starts with (`127.0.0.1:4507` of `127.0.0.1:4507/page/3`) when they
 * all share one: the header shows it once, and the bars show the paths that tell tasks apart.
 */
export function sharedHost(labels: readonly string[]): string | undefined {
  const hostOf = (label: string) => {
    const slash = label.indexOf("/");
    return slash > 0 ? label.slice(0, slash) : undefined;
  };
  const first = labels.length > 0 ? hostOf(labels[0]) : undefined;
  return first !== undefined && labels.every((l) => hostOf(l) === first) ? first : undefined;
}

/** Tasks not started yet, from their labels: the bars shown before a run. */
export function pendingTasks(labels: readonly string[]): TaskState[] {
  return labels.map((label, id) => ({
    id,
    label,
    input: undefined,
    status: "pending",
    done: 0,
    total: 0,
    verified: false,
  }));
}
