/**
 * A lanes sweep as data (every point, its speedup by the one rule, the ideal beside it, the
 * knee), and drawn: a terminal chart of speedup against lanes, and a table of every point.
 */
import type { ModeName } from "../run/events.ts";
import type { ComparisonRow } from "./comparison.ts";
import { formatMs, formatRatio, table } from "./format.ts";

/** One mode at one lane count. */
export interface SweepPoint {
  readonly lanes: number;
  readonly runs: number;
  /** Median wall time of the runs that finished, in ms. */
  readonly wallMedianMs?: number;
  /** Against the baseline mode, by the one speedup rule; absent without a finished baseline. */
  readonly speedup?: { readonly median: number; readonly low: number; readonly high: number };
  /** min(lanes, cores): what perfectly parallel work would gain. */
  readonly ideal: number;
  readonly parallelism: number;
  readonly coresBusy?: number;
  readonly finished: boolean;
}

/** One swept mode's curve. */
export interface SweepCurve {
  readonly mode: ModeName;
  readonly points: readonly SweepPoint[];
  /**
   * The knee: the fewest lanes within {@link KNEE_SHARE} of the curve's best speedup; more
   * lanes past it cost memory and start-up for little. Absent without speedups.
   */
  readonly kneeLanes?: number;
}

/** A lanes sweep: the counts asked for, this machine's cores, a curve a swept mode. */
export interface Sweep {
  readonly counts: readonly number[];
  readonly cores: number;
  readonly curves: readonly SweepCurve[];
}

/**
 * A point within 10 % of the best is as good as the best: closer than that, a shared
 * machine's noise decides (the bench saw ±10 % between runs minutes apart).
 */
export const KNEE_SHARE = 0.9;

/** The knee of a curve: the fewest lanes whose median speedup is within KNEE_SHARE of the best. */
export function kneeLanes(points: readonly SweepPoint[]): number | undefined {
  const timed = points.filter((p) => p.finished && p.speedup !== undefined);
  if (timed.length === 0) return undefined;
  const best = Math.max(...timed.map((p) => p.speedup!.median));
  return timed.filter((p) => p.speedup!.median >= KNEE_SHARE * best)
    .reduce((a, b) => (b.lanes < a.lanes ? b : a)).lanes;
}

/** The sweep of the comparison `rows`: a curve for each mode of `swept`, points by lanes. */
export function sweepOf(
  rows: readonly ComparisonRow[],
  swept: readonly ModeName[],
  counts: readonly number[],
  cores: number,
): Sweep {
  const curves = swept.map((mode) => {
    const points = rows.filter((r) => r.mode === mode)
      .map((r): SweepPoint => ({
        lanes: r.lanes,
        runs: r.runs,
        ...(r.wall ? { wallMedianMs: r.wall.medianMs } : {}),
        ...(r.speedup ? { speedup: r.speedup } : {}),
        ideal: Math.min(r.lanes, cores),
        parallelism: r.parallelism,
        ...(r.coresBusy === undefined ? {} : { coresBusy: r.coresBusy }),
        finished: r.finished,
      }))
      .sort((a, b) => a.lanes - b.lanes);
    const knee = kneeLanes(points);
    return { mode, points, ...(knee === undefined ? {} : { kneeLanes: knee }) };
  }).filter((c) => c.points.length > 0);
  return { counts, cores, curves };
}

/** Each curve's marker: its first letter when no other curve shares it, else its number. */
function markers(curves: readonly SweepCurve[]): string[] {
  const firsts = curves.map((c) => c.mode[0]);
  return curves.map((c, i) =>
    firsts.filter((f) => f === c.mode[0]).length === 1 ? c.mode[0] : String((i + 1) % 10)
  );
}

const IDEAL = "·";
const MANY = "*";

/** Every lane count of the sweep, ascending. */
function sweepLanes(sweep: Sweep): number[] {
  return [...new Set(sweep.curves.flatMap((c) => c.points.map((p) => p.lanes)))]
    .sort((a, b) => a - b);
}

/**
 * Speedup against lanes as text, at most `width` columns and `height` plot rows: a column
 * group a lane count (the ideal `·` first, then each mode's marker), a legend below.
 */
export function sweepChart(sweep: Sweep, width: number, height = 10): string[] {
  const lanes = sweepLanes(sweep);
  if (lanes.length === 0) return [];
  const marks = markers(sweep.curves);
  const values = [
    ...lanes.map((l) => Math.min(l, sweep.cores)),
    ...sweep.curves.flatMap((c) => c.points.flatMap((p) => (p.speedup ? [p.speedup.median] : []))),
  ];
  const top = Math.max(1, ...values.filter(Number.isFinite)) * 1.05;
  const rows = Math.max(3, height);
  const label = (v: number) => `${v.toFixed(v >= 10 ? 0 : 1)}x`;
  const labelWidth = Math.max(label(top).length, 4) + 2;
  // One cell for the ideal and one a curve, and a gap, when that fits; else one shared cell.
  const wide = labelWidth + lanes.length * (sweep.curves.length + 2) <= width;
  const group = wide
    ? sweep.curves.length + 2
    : Math.max(2, Math.min(4, Math.floor((width - labelWidth) / lanes.length)));
  const plotWidth = lanes.length * group;
  const grid = Array.from({ length: rows }, () => Array<string>(plotWidth).fill(" "));
  const rowOf = (v: number) => rows - 1 - Math.round((Math.min(v, top) / top) * (rows - 1));
  const put = (row: number, col: number, mark: string) => {
    const here = grid[row][col];
    grid[row][col] = here === " " || here === IDEAL && !wide ? mark : here === mark ? mark : MANY;
  };
  lanes.forEach((l, i) => {
    const at = i * group;
    put(rowOf(Math.min(l, sweep.cores)), at, IDEAL);
    sweep.curves.forEach((c, k) => {
      const p = c.points.find((q) => q.lanes === l);
      if (p?.speedup && Number.isFinite(p.speedup.median)) {
        put(rowOf(p.speedup.median), wide ? at + 1 + k : at, marks[k]);
      }
    });
  });
  const labelled = new Set([0, Math.floor((rows - 1) / 2), rows - 1]);
  const valueAt = (row: number) => ((rows - 1 - row) / (rows - 1)) * top;
  const lines = grid.map((cells, row) =>
    `${(labelled.has(row) ? label(valueAt(row)) : "").padStart(labelWidth - 2)} ${
      labelled.has(row) ? "┤" : "│"
    }${cells.join("")}`.trimEnd()
  );
  // The lane counts under their groups, each where it does not run into the one before.
  let axis = "";
  for (const [i, l] of lanes.entries()) {
    const at = i * group;
    if (axis.length <= at) axis = axis.padEnd(at) + String(l) + " ";
  }
  lines.push(`${" ".repeat(labelWidth - 1)}└${"─".repeat(plotWidth)}`);
  const counts = `${" ".repeat(labelWidth)}${axis.trimEnd()}`;
  lines.push(counts.length + 8 <= width ? `${counts}   lanes` : counts.slice(0, width));
  const legend = [
    `${IDEAL} ideal min(lanes, ${sweep.cores} cores)`,
    ...sweep.curves.map((c, k) => `${marks[k]} ${c.mode}`),
    ...(lines.some((line) => line.includes(MANY)) ? [`${MANY} several`] : []),
  ].join("   ");
  lines.push(`${" ".repeat(labelWidth)}${legend}`.slice(0, Math.max(width, 1)).trimEnd());
  return lines;
}

/** A point as a cell: median speedup, with its range over several runs; `-` without one. */
function pointCell(p: SweepPoint | undefined): string {
  if (!p?.speedup) return p && !p.finished ? "failed" : "-";
  const s = p.speedup;
  return p.runs > 1
    ? `${formatRatio(s.median)} (${s.low.toFixed(2)}–${s.high.toFixed(2)})`
    : formatRatio(s.median);
}

/** Every point: a row a lane count, the ideal, each mode's speedup; then each knee. */
export function sweepRows(sweep: Sweep): { head: string[]; rows: string[][]; knees: string[] } {
  const lanes = sweepLanes(sweep);
  const head = ["lanes", "ideal", ...sweep.curves.map((c) => c.mode)];
  const rows = lanes.map((l) => [
    String(l),
    formatRatio(Math.min(l, sweep.cores)),
    ...sweep.curves.map((c) => pointCell(c.points.find((p) => p.lanes === l))),
  ]);
  const knees = sweep.curves.flatMap((c) => {
    if (c.kneeLanes === undefined) return [];
    const p = c.points.find((q) => q.lanes === c.kneeLanes)!;
    return [
      `${c.mode}: knee at ${c.kneeLanes} lane${c.kneeLanes === 1 ? "" : "s"} (${
        formatRatio(p.speedup!.median)
      }${p.wallMedianMs === undefined ? "" : `, ${formatMs(p.wallMedianMs)}`})`,
    ];
  });
  return { head, rows, knees };
}

/** The sweep for the terminal: the chart, then every point, then the knees. */
export function sweepText(sweep: Sweep, width: number): string {
  const { head, rows, knees } = sweepRows(sweep);
  return [
    "speedup against lanes",
    ...sweepChart(sweep, width),
    "",
    table([head, ...rows], head.map(() => true)),
    ...(knees.length > 0 ? ["", ...knees] : []),
  ].join("\n");
}

/** The sweep as Markdown: the chart in a code block, then every point as a table. */
export function sweepMarkdown(sweep: Sweep): string {
  const { head, rows, knees } = sweepRows(sweep);
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [
    "## Speedup against lanes",
    "",
    "```",
    ...sweepChart(sweep, 100),
    "```",
    "",
    line(head),
    line(head.map(() => "--:")),
    ...rows.map(line),
    ...(knees.length > 0 ? ["", ...knees.map((k) => `- ${k}`)] : []),
  ].join("\n");
}
