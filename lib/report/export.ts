/**
 * Exports of finished runs: JSON (everything), CSV (a row a run), Markdown (the table), and a
 * Chrome trace that Perfetto and chrome://tracing open. Files are written atomically.
 */
import { basename, dirname, join, resolve } from "node:path";
import { missingGrant, UsageError } from "../cli/errors.ts";
import { requireGrant } from "../cli/grants.ts";
import type { ModeMeasurement } from "../run/measure.ts";
import { compareMarkdown } from "./text.ts";
import { type Advice, adviceMarkdown } from "./advice.ts";
import { type Sweep, sweepMarkdown } from "./sweep.ts";
import type { RunResult } from "../run/result.ts";
import { safeText } from "../process/safe_text.ts";

/** What every exporter receives. */
export interface ExportData {
  readonly workload: string;
  readonly summary: string;
  readonly runs: readonly RunResult[];
  readonly modes: readonly ModeMeasurement[];
  /** Which model fits, read from the comparison (`compare` only). */
  readonly advice?: Advice;
  /** Every point of a lanes sweep (`compare --lanes-sweep` only). */
  readonly sweep?: Sweep;
}

export type ExportFormat = "json" | "csv" | "md";

/** The format a path asks for, from its extension. */
export function exportFormat(path: string): ExportFormat {
  const ext = path.toLowerCase().match(/\.(json|csv|md)$/)?.[1];
  if (!ext) {
    throw new UsageError(`--export ${safeText(path)}: the file must end in .json, .csv or .md`);
  }
  return ext as ExportFormat;
}

/** One row a run: the figures, not the tasks. */
export function toCsv(data: ExportData): string {
  const head = [
    "mode",
    "workload",
    "lanes",
    "status",
    "wallMs",
    "startupMs",
    "parallelism",
    "coresBusy",
    "tasks",
    "verifiedCount",
    "failed",
  ];
  // A workload's own figures (a race's expected, actual, lost): a column each, and one for
  // its percentage where it has one.
  const figures = data.runs.flatMap((r) => r.aggregate?.figures ?? []);
  const names = [...new Set(figures.map((f) => f.name))];
  const percented = new Set(figures.filter((f) => f.percent !== undefined).map((f) => f.name));
  const figureHead = names.flatMap((n) => (percented.has(n) ? [n, `${n}Percent`] : [n]));
  const cell = (v: unknown) => {
    const s = v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const rows = data.runs.map((r) =>
    [
      r.mode,
      r.workload,
      r.lanes,
      r.status,
      r.wallMs,
      r.startupMs,
      r.parallelism,
      r.coresBusy,
      r.tasks.length,
      r.verifiedCount,
      r.tasks.filter((t) => t.error !== undefined).length,
      ...names.flatMap((n) => {
        const f = r.aggregate?.figures.find((f) => f.name === n);
        return percented.has(n) ? [f?.value, f?.percent] : [f?.value];
      }),
    ].map(cell).join(",")
  );
  return [[...head, ...figureHead].join(","), ...rows].join("\n") + "\n";
}

/** A mode's summary in JSON: its runs as indexes into the document's `runs`, not copies. */
export type ModeJson = Omit<ModeMeasurement, "runs"> & { readonly runIndexes: number[] };

/** The JSON document of `compare --json` and JSON exports (schema/report.schema.json). */
export type ReportJson = Omit<ExportData, "modes"> & { readonly modes: readonly ModeJson[] };

/** Every run once, in `runs`; each mode names its runs by index. */
export function toReportJson(data: ExportData): ReportJson {
  return {
    workload: data.workload,
    summary: data.summary,
    runs: data.runs,
    modes: data.modes.map(({ runs, ...mode }) => ({
      ...mode,
      runIndexes: runs.map((run) => {
        const index = data.runs.indexOf(run);
        if (index < 0) throw new Error(`a run of ${mode.mode} is missing from the report`);
        return index;
      }),
    })),
    ...(data.sweep ? { sweep: data.sweep } : {}),
    ...(data.advice ? { advice: data.advice } : {}),
  };
}

/** The whole export as one JSON document. */
function toJson(data: ExportData): string {
  return [...reportJsonParts(data)].join("");
}

/**
 * {@link toJson} in parts, a task at a time, for writing as it goes: the report of a compare
 * over 10,000 tasks is tens of MB as one string.
 */
export function* reportJsonParts(data: ExportData): Generator<string> {
  const { workload, summary, runs, ...rest } = toReportJson(data);
  const nested = (value: unknown, indent: string) =>
    JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`);
  yield `{\n  "workload": ${JSON.stringify(workload)},\n  "summary": ${
    JSON.stringify(summary)
  },\n  "runs": [`;
  for (const [i, run] of runs.entries()) {
    yield i > 0 ? "," : "";
    yield* runJsonParts(run, "    ");
  }
  yield runs.length > 0 ? "\n  ]" : "]";
  // The rest as the report has them (modes, then a sweep and advice when there are).
  for (const [key, value] of Object.entries(rest)) {
    yield `,\n  ${JSON.stringify(key)}: ${nested(value, "  ")}`;
  }
  yield "\n}\n";
}

/**
 * One run as `JSON.stringify(run, null, 2)` writes it at `indent`, a task at a time: a run of
 * 10,000 tasks is megabytes as one string, and a compare holds several.
 */
function* runJsonParts(run: RunResult, indent: string): Generator<string> {
  const { tasks, ...rest } = run;
  const head = JSON.stringify(rest, null, 2).replaceAll("\n", `\n${indent}`);
  const inner = `${indent}    `;
  // The run's own fields, then "tasks" last, where RunResult puts it.
  yield `\n${indent}${head.slice(0, head.lastIndexOf("\n"))},\n${indent}  "tasks": [`;
  for (const [i, task] of tasks.entries()) {
    const text = JSON.stringify(task, null, 2).replaceAll("\n", `\n${inner}`);
    yield `${i > 0 ? "," : ""}\n${inner}${text}`;
  }
  yield `${tasks.length > 0 ? `\n${indent}  ` : ""}]\n${indent}}`;
}

/** The Markdown table, with a title line. */
function toMarkdown(data: ExportData): string {
  return [
    `# conc101: ${data.workload} workload`,
    data.summary,
    compareMarkdown(data.modes),
    ...(data.sweep ? [sweepMarkdown(data.sweep)] : []),
    ...(data.advice ? [adviceMarkdown(data.advice)] : []),
  ].join("\n\n") + "\n";
}

/** One Chrome trace event; times in microseconds. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "M";
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly args?: Record<string, unknown>;
}

/**
 * Chrome trace events: a process per run, a track per lane, each task a complete event.
 * Tasks that overlap on one lane (async slots, several downloads per worker) get tracks of
 * their own, because trace viewers draw overlapping events on one track as nested. A pool's
 * dispatch of several tasks (`--chunk`) is an event of its own around them, in category
 * `chunk`, when its tasks share a track.
 */
export function toTrace(
  runs: readonly RunResult[],
): { traceEvents: TraceEvent[]; displayTimeUnit: "ms" } {
  const events: TraceEvent[] = [];
  runs.forEach((run, r) => {
    const pid = r + 1;
    events.push({
      name: "process_name",
      ph: "M",
      pid,
      tid: 0,
      args: { name: `${run.mode} #${r + 1} (${run.workload})` },
    });
    events.push({ name: "process_sort_index", ph: "M", pid, tid: 0, args: { sort_index: r } });
    const byLane = new Map<number, typeof run.tasks[number][]>();
    for (const t of run.tasks) {
      if (t.lane === undefined || t.startMs === undefined || t.endMs === undefined) continue;
      const list = byLane.get(t.lane);
      if (list) list.push(t);
      else byLane.set(t.lane, [t]);
    }
    let tid = 0;
    for (const lane of [...byLane.keys()].sort((a, b) => a - b)) {
      const tasks = byLane.get(lane)!.sort((a, b) => a.startMs! - b.startMs!);
      const trackEnds: number[] = [];
      const trackIds: number[] = [];
      const chunks = new Map<number, { tid: number; ts: number; end: number; count: number }>();
      for (const t of tasks) {
        let k = trackEnds.findIndex((end) => end <= t.startMs!);
        if (k < 0) {
          k = trackEnds.length;
          trackEnds.push(0);
          trackIds.push(++tid);
          const label = t.laneLabel ?? `lane ${lane}`;
          events.push({
            name: "thread_name",
            ph: "M",
            pid,
            tid,
            args: { name: k === 0 ? label : `${label} · ${k + 1}` },
          });
          events.push({ name: "thread_sort_index", ph: "M", pid, tid, args: { sort_index: tid } });
        }
        trackEnds[k] = t.endMs!;
        const ts = Math.round(t.startMs! * 1000);
        const dur = Math.max(1, Math.round((t.endMs! - t.startMs!) * 1000));
        events.push({
          name: `task ${t.id}`,
          cat: t.error === undefined ? "task" : "task,error",
          ph: "X",
          pid,
          tid: trackIds[k],
          ts,
          dur,
          args: {
            id: t.id,
            input: t.input,
            label: t.label,
            verified: t.verified,
            ...(t.chunk === undefined ? {} : { chunk: t.chunk }),
            ...(t.error ? { error: t.error } : {}),
          },
        });
        if (t.chunk === undefined) continue;
        const c = chunks.get(t.chunk);
        if (!c) chunks.set(t.chunk, { tid: trackIds[k], ts, end: ts + dur, count: 1 });
        else if (c.tid !== trackIds[k]) c.tid = -1;
        else {
          c.end = Math.max(c.end, ts + dur);
          c.count++;
        }
      }
      for (const [chunk, c] of chunks) {
        if (c.tid < 0 || c.count < 2) continue;
        events.push({
          name: `chunk ${chunk} (${c.count} tasks)`,
          cat: "chunk",
          ph: "X",
          pid,
          tid: c.tid,
          ts: c.ts,
          dur: c.end - c.ts,
          args: { chunk, tasks: c.count },
        });
      }
    }
  });
  return { traceEvents: events, displayTimeUnit: "ms" };
}

/**
 * A new file beside `path` with a name nobody can guess, created exclusively: a symlink
 * planted at a predictable name (`.r.json.tmp`) would otherwise be followed, and the write
 * would land on whatever it points to, outside the granted folder.
 */
function createBeside(path: string, suffix: string): { name: string; file: Deno.FsFile } {
  for (let attempt = 0;; attempt++) {
    const name = join(
      dirname(path),
      `.${basename(path)}.${crypto.randomUUID().slice(0, 13)}.${suffix}`,
    );
    try {
      // createNew is O_CREAT|O_EXCL: it fails on any existing name, a symlink included.
      return { name, file: Deno.openSync(name, { write: true, createNew: true }) };
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists) || attempt >= 4) throw err;
    }
  }
}

/** Fails now, before any run, when `path` cannot be written: a clear line, no stack. */
export function checkWritable(path: string, flag: string): void {
  const folder = dirname(path);
  const shown = safeText(path);
  // The file is written beside itself first and renamed into place: a rename needs read
  // and write access, so the folder needs both grants.
  requireGrant(
    (["read", "write"] as const).map((name) => ({ name, path: resolve(folder) })),
    (missing) =>
      `${flag} ${shown}: writing there is not granted: ${
        missingGrant(missing.map((d) => `--allow-${d.name}=${safeText(folder)}`).join(" "))
      }`,
  );
  // The final rename cannot replace a folder: found now, not after the run.
  let info: Deno.FileInfo | undefined;
  try {
    info = Deno.lstatSync(path);
  } catch { /* absent: it will be created */ }
  if (info?.isDirectory) {
    throw new UsageError(`${flag} ${shown}: is a directory (allowed: a file path)`);
  }
  try {
    const probe = createBeside(path, "probe");
    probe.file.close();
    Deno.removeSync(probe.name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new UsageError(`${flag} ${shown}: the folder ${safeText(folder)} does not exist`);
    }
    throw new UsageError(
      `${flag} ${shown}: cannot be written (${(err as Error).message.split("\n")[0]})`,
    );
  }
}

/** Refuses `--export X --trace X`: one file would silently replace the other. */
export function checkDistinct(exportPath: string, tracePath: string): void {
  if (resolve(exportPath) === resolve(tracePath)) {
    throw new UsageError(
      `--export and --trace name the same file ${
        safeText(exportPath)
      } (allowed: two different paths)`,
    );
  }
}

/**
 * Writes `text` to `path` through a temporary file and a rename: never half a file. The
 * temporary file gets an unguessable name and is created exclusively, and the rename
 * replaces `path` itself (a symlink there is replaced, not followed).
 */
export function writeAtomic(path: string, text: string): void {
  const temp = createBeside(path, "tmp");
  try {
    const bytes = new TextEncoder().encode(text);
    for (let off = 0; off < bytes.length;) off += temp.file.writeSync(bytes.subarray(off));
    temp.file.close();
    Deno.renameSync(temp.name, path);
  } catch (err) {
    try {
      temp.file.close();
    } catch { /* closed already */ }
    try {
      Deno.removeSync(temp.name);
    } catch { /* gone already */ }
    throw err;
  }
}

/** One exporter a format, as hyperfine has: a new format is one function and one line here. */
const EXPORTERS: Record<ExportFormat, (data: ExportData) => string> = {
  json: toJson,
  csv: toCsv,
  md: toMarkdown,
};

/** Writes the export in the format its extension names. */
export function writeExport(path: string, data: ExportData): void {
  writeAtomic(path, EXPORTERS[exportFormat(path)](data));
}

/** Writes the Chrome trace of `runs`. */
export function writeTrace(path: string, runs: readonly RunResult[]): void {
  writeAtomic(path, JSON.stringify(toTrace(runs)) + "\n");
}
