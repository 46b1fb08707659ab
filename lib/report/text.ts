import type { ModeMeasurement } from "../run/measure.ts";
import { getMode } from "../modes/mod.ts";
import type { RunResult } from "../run/result.ts";
import { speedupRange } from "./stats.ts";
import { formatMs, formatRatio, table } from "./format.ts";

/** Failed tasks listed in a summary at most; the JSON has them all. */
const ERRORS_SHOWN = 10;

/** The text summary of one run. */
export function runSummary(run: RunResult): string {
  const failed = run.tasks.filter((t) => t.error !== undefined);
  const lines = [
    `${run.mode} · ${run.workload} · ${run.lanes} lane${
      run.lanes === 1 ? "" : "s"
    } · ${run.status}`,
    `wall ${formatMs(run.wallMs)}` +
    (run.startupMs !== undefined && run.startupMs > 1
      ? ` (lanes ready after ${formatMs(run.startupMs)})`
      : "") +
    ` · parallelism ${
      run.parallelism.toFixed(2)
    } · verified ${run.verifiedCount}/${run.tasks.length}`,
    ...failed.slice(0, ERRORS_SHOWN).map((t) => `  task ${t.id} (${t.label}): ${t.error}`),
  ];
  if (failed.length > ERRORS_SHOWN) lines.push(`  … and ${failed.length - ERRORS_SHOWN} more`);
  return lines.join("\n");
}

/** The cells of the comparison, shared by the terminal table and the Markdown export. */
function compareRows(modes: readonly ModeMeasurement[]): { head: string[]; rows: string[][] } {
  const repeated = modes.some((m) => m.runs.length > 1);
  // A speedup compares finished work only: a mode whose tasks failed gets none.
  const baseMode = modes.find((m) => m.mode === "sequential");
  const base = baseMode && allDone(baseMode) ? baseMode.wall : undefined;
  const head = [
    "mode",
    "lanes",
    ...(repeated ? ["runs", "median", "± stdev", "min … max"] : ["wall"]),
    "speedup",
    "parallelism",
    "cores busy",
    "verified",
    "status",
  ];
  const rows = modes.map((m) => {
    const w = m.wall;
    const sp = base && w && allDone(m) ? speedupRange(base, w) : undefined;
    const tasks = m.runs.reduce((n, r) => n + r.tasks.length, 0);
    const verified = m.runs.reduce((n, r) => n + r.verifiedCount, 0);
    const statuses = [...new Set(m.runs.map((r) => r.status))].join(",");
    return [
      m.mode,
      String(m.lanes),
      ...(repeated
        ? [
          String(m.runs.length),
          w ? formatMs(w.medianMs) : "-",
          w ? formatMs(w.stdevMs) : "-",
          w ? `${formatMs(w.minMs)} … ${formatMs(w.maxMs)}` : "-",
        ]
        : [w ? formatMs(w.medianMs) : "-"]),
      sp
        ? repeated
          ? `${formatRatio(sp.median)} (${sp.low.toFixed(2)}–${sp.high.toFixed(2)})`
          : formatRatio(sp.median)
        : "-",
      m.parallelism.toFixed(2),
      m.coresBusy === undefined ? "-" : m.coresBusy.toFixed(2),
      `${verified}/${tasks}`,
      statuses,
    ];
  });
  return { head, rows };
}

/** True when every run of the mode finished with every task done and verified. */
function allDone(m: ModeMeasurement): boolean {
  return m.runs.every((r) => r.status === "done");
}

/**
 * Like hyperfine: which mode was fastest (by median), and by how much over each other; only
 * modes whose runs all succeeded take part.
 */
export function fastestLine(modes: readonly ModeMeasurement[]): string | undefined {
  const timed = modes.filter((m) => m.wall !== undefined && allDone(m));
  if (timed.length < 2) return undefined;
  const fastest = timed.reduce((a, b) => (b.wall!.medianMs < a.wall!.medianMs ? b : a));
  const others = timed.filter((m) => m !== fastest)
    .map((m) => `${formatRatio(m.wall!.medianMs / fastest.wall!.medianMs)} faster than ${m.mode}`);
  return `fastest: ${fastest.mode}, ${others.join(", ")}`;
}

/** The comparison table for the terminal, sequential as the baseline. */
export function compareTable(modes: readonly ModeMeasurement[]): string {
  const { head, rows } = compareRows(modes);
  const right = head.map((h) => !["mode", "status", "min … max"].includes(h));
  const notes = modes.map((m) => `  ${m.mode.padEnd(10)} ${getMode(m.mode).switching}`);
  const fastest = fastestLine(modes);
  return [table([head, ...rows], right), ...(fastest ? ["", fastest] : []), "", ...notes].join(
    "\n",
  );
}

/** The comparison table as Markdown. */
export function compareMarkdown(modes: readonly ModeMeasurement[]): string {
  const { head, rows } = compareRows(modes);
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const fastest = fastestLine(modes);
  return [
    line(head),
    line(head.map(() => "---")),
    ...rows.map(line),
    ...(fastest ? ["", fastest] : []),
  ].join("\n");
}
