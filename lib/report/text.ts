import type { ModeMeasurement } from "../run/measure.ts";
import { getMode } from "../modes/mod.ts";
import type { RunResult } from "../run/result.ts";
import { type ComparisonRow, comparisonRows, figureCell, figureNames } from "./comparison.ts";
import { formatFigure, formatMs, formatRatio, table } from "./format.ts";

/** Failed tasks listed in a summary at most; the JSON has them all. */
const ERRORS_SHOWN = 10;

/** The text summary of one run. */
export function runSummary(run: RunResult): string {
  const failed = run.tasks.filter((t) => t.error !== undefined);
  const lines = [
    `${run.mode} · ${run.workload} · ${run.lanes} lane${run.lanes === 1 ? "" : "s"}${
      run.chunk === undefined
        ? ""
        : ` · chunk ${run.chunk}: ${run.dispatches} dispatch${
          run.dispatches === 1 ? "" : "es"
        }, up to ${run.largestChunk} task${run.largestChunk === 1 ? "" : "s"} each`
    } · ${run.status}`,
    `wall ${formatMs(run.wallMs)}` +
    (run.startupMs !== undefined && run.startupMs > 1
      ? ` (lanes ready after ${formatMs(run.startupMs)})`
      : "") +
    ` · parallelism ${
      run.parallelism.toFixed(2)
    } · verified ${run.verifiedCount}/${run.tasks.length}`,
    ...(run.aggregate
      ? [
        run.aggregate.figures.map(formatFigure).join(" · "),
        ...(run.aggregate.note ? [run.aggregate.note] : []),
      ]
      : []),
    ...failed.slice(0, ERRORS_SHOWN).map((t) => `  task ${t.id} (${t.label}): ${t.error}`),
  ];
  if (failed.length > ERRORS_SHOWN) lines.push(`  … and ${failed.length - ERRORS_SHOWN} more`);
  return lines.join("\n");
}

/** The cells of the comparison, shared by the terminal table and the Markdown export. */
function compareCells(compared: readonly ComparisonRow[]): { head: string[]; rows: string[][] } {
  const repeated = compared.some((row) => row.runs > 1);
  // The workload's own figures (a race's expected, actual, lost): a column each.
  const figures = figureNames(compared);
  // Only when a mode sent its tasks in chunks: the column would be all dashes otherwise.
  const chunked = compared.some((row) => row.chunk !== undefined);
  const head = [
    "mode",
    "lanes",
    ...(repeated ? ["runs", "median", "± stdev", "min … max"] : ["wall"]),
    "speedup",
    "parallelism",
    "cores busy",
    "verified",
    ...(chunked ? ["chunk"] : []),
    ...figures,
    "status",
  ];
  const rows = compared.map((row) => {
    const w = row.wall;
    const sp = row.speedup;
    return [
      row.mode,
      String(row.lanes),
      ...(repeated
        ? [
          String(row.runs),
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
      row.parallelism.toFixed(2),
      row.coresBusy === undefined ? "-" : row.coresBusy.toFixed(2),
      `${row.verifiedCount}/${row.taskCount}`,
      ...(chunked ? [row.chunk ?? "-"] : []),
      ...figures.map((name) => figureCell(row.figures.find((f) => f.name === name))),
      row.statuses,
    ];
  });
  return { head, rows };
}

/**
 * Like hyperfine: which mode was fastest (by median), and by how much over each other; only
 * modes whose runs all succeeded take part.
 */
export function fastestLine(modes: readonly ModeMeasurement[]): string | undefined {
  return fastestOf(comparisonRows(modes));
}

function fastestOf(compared: readonly ComparisonRow[]): string | undefined {
  const timed = compared.filter((row) => row.wall !== undefined && row.finished);
  if (timed.length < 2) return undefined;
  const fastest = timed.reduce((a, b) => (b.wall!.medianMs < a.wall!.medianMs ? b : a));
  // A lanes sweep measures a mode at several lane counts: those rows say their lanes.
  const swept = new Set(
    timed.filter((r) => timed.some((o) => o !== r && o.mode === r.mode))
      .map((r) => r.mode),
  );
  const name = (row: ComparisonRow) =>
    swept.has(row.mode) ? `${row.mode} (${row.lanes} lane${row.lanes === 1 ? "" : "s"})` : row.mode;
  const others = timed.filter((row) => row !== fastest)
    .map((row) =>
      `${formatRatio(row.wall!.medianMs / fastest.wall!.medianMs)} faster than ${name(row)}`
    );
  return `fastest: ${name(fastest)}, ${others.join(", ")}`;
}

/** The comparison table for the terminal, sequential as the baseline. */
export function compareTable(modes: readonly ModeMeasurement[]): string {
  const compared = comparisonRows(modes);
  const { head, rows } = compareCells(compared);
  const right = head.map((h) => !["mode", "status", "min … max"].includes(h));
  const notes = [...new Set(modes.map((m) => m.mode))]
    .map((mode) => `  ${mode.padEnd(10)} ${getMode(mode).switching}`);
  // What the workload's figures mean in each mode (a race: who shares the counter).
  for (const row of compared) if (row.figuresNote) notes.push(`  ${row.figuresNote}`);
  const fastest = fastestOf(compared);
  return [table([head, ...rows], right), ...(fastest ? ["", fastest] : []), "", ...notes].join(
    "\n",
  );
}

/** The comparison table as Markdown. */
export function compareMarkdown(modes: readonly ModeMeasurement[]): string {
  const compared = comparisonRows(modes);
  const { head, rows } = compareCells(compared);
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const fastest = fastestOf(compared);
  return [
    line(head),
    line(head.map(() => "---")),
    ...rows.map(line),
    ...(fastest ? ["", fastest] : []),
  ].join("\n");
}
