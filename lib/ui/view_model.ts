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
  // One pass: a frame over 10,000 tasks should not walk them three times.
  const finished: TaskState[] = [];
  const running: TaskState[] = [];
  const waiting: TaskState[] = [];
  for (const t of tasks) {
    if (t.status === "running") running.push(t);
    else if (t.status === "pending") waiting.push(t);
    else finished.push(t);
  }
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
  // The latest finished, oldest first; the rest are only counted.
  const shownFinished = latestEnded(finished, Math.max(0, room));
  const out: TaskRow[] = [];
  if (finished.length > 0) {
    const shown = new Set(shownFinished);
    let done = 0;
    let failed = 0;
    let verified = 0;
    for (const t of finished) {
      if (shown.has(t)) continue;
      if (t.status === "done") done++;
      else failed++;
      if (t.verified) verified++;
    }
    out.push({ kind: "finished", done, failed, verified });
  }
  for (const task of [...shownFinished, ...shownRunning, ...shownWaiting]) {
    out.push({ kind: "task", task });
  }
  if (moreWaiting > 0) out.push({ kind: "waiting", count: moreWaiting });
  return out;
}

/** One lane of the timing diagram: its label and a track of `width` cells. */
/**
 * The `count` tasks that ended last, oldest first (ties keep task order), without sorting
 * all of them: a frame over 10,000 tasks would sort 10,000 to show a dozen.
 */
function latestEnded(tasks: readonly TaskState[], count: number): TaskState[] {
  const top: TaskState[] = []; // Latest first.
  if (count <= 0) return top;
  for (const t of tasks) {
    const end = t.endMs ?? 0;
    if (top.length === count && end <= (top[count - 1].endMs ?? 0)) continue;
    let i = top.length;
    while (i > 0 && (top[i - 1].endMs ?? 0) < end) i--;
    top.splice(i, 0, t);
    if (top.length > count) top.pop();
  }
  return top.reverse();
}

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
 * apart. Only the first `maxLanes` lanes, the rows there is room for.
 */
export function timingDiagram(
  state: RunState,
  nowMs: number,
  width: number,
  spanMs: number,
  maxLanes = Infinity,
): DiagramRow[] {
  const span = Math.max(spanMs, 1);
  const all = state.laneStates;
  // Lanes come up in order almost always; sorting 10,000 of them every frame would not pay.
  const ordered = all.every((l, i) => i === 0 || all[i - 1].lane < l.lane)
    ? all
    : [...all].sort((a, b) => a.lane - b.lane);
  const lanes = ordered.slice(0, maxLanes);
  // One pass over the tasks for all lanes shown: async has a lane a task.
  const byLane = new Map<number, TaskState[]>(lanes.map((l) => [l.lane, []]));
  for (const t of state.tasks) {
    if (t.lane !== undefined && t.startMs !== undefined) byLane.get(t.lane)?.push(t);
  }
  return lanes.map((lane) => {
    const shades = new Array<number>(width).fill(-1);
    const tasks = byLane.get(lane.lane)!;
    // Usually in order already (task order is start order on a lane): no sort a frame then.
    if (!tasks.every((t, i) => i === 0 || tasks[i - 1].startMs! <= t.startMs!)) {
      tasks.sort((a, b) => a.startMs! - b.startMs!);
    }
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
