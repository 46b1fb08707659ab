import { memo } from "react";
import { Box, Text } from "ink";
import { getMode, modeNames } from "../modes/mod.ts";
import { formatMs, formatRatio } from "../report/format.ts";
import { comparisonRows, figureCell } from "../report/comparison.ts";
import type { ModeName } from "../run/events.ts";
import { summarizeRuns } from "../run/measure.ts";
import type { RunResult } from "../run/result.ts";
import type { Theme } from "./theme.ts";

export interface ResultsProps {
  readonly results: readonly RunResult[];
  readonly mode: ModeName;
  /** Cores of this machine: a speedup above it is noise, and is marked so. */
  readonly cores: number;
  readonly theme: Theme;
}

/** Lines the results take for `count` runs. */
export function resultsHeight(count: number): number {
  return count === 0 ? 1 : count + 2;
}

const HEADS = ["mode", "lanes", "wall", "speedup", "parallel", "cores", "verified"];
/** The columns' usual widths; a wider cell (10000/10000) widens its column. */
const MIN_WIDTHS = [10, 5, 8, 7, 8, 5, 8];

/** The latest run of each mode, in registry order, as rows of the one comparison model. */
function rowsOf(results: readonly RunResult[]) {
  const ordered = modeNames().flatMap((m) => results.filter((r) => r.mode === m));
  return comparisonRows(ordered.map((r) => summarizeRuns(r.mode, [r])));
}

/**
 * Each mode run so far on this task list: wall time, speedup, parallelism (tasks under way at
 * once), cores (busy on average, from the OS), verified. Async shows why both are needed:
 * many tasks under way, one core busy.
 */
export const Results = memo(function Results({ results, mode, cores, theme }: ResultsProps) {
  const switching = `${mode}: ${getMode(mode).switching}`;
  if (results.length === 0) return <Text color={theme.muted} wrap="truncate">{switching}</Text>;
  const rows = rowsOf(results);
  // More speedup than cores cannot be real: the machine was busier during the baseline.
  const noisy = rows.some((r) => r.speedup && r.speedup.median > cores);
  const explain = noisy
    ? `* above ${cores} cores: measurement noise (the machine was busier during the baseline)`
    : switching;
  // A chunk column only when a pool has run (`auto ≤250`: the most tasks one dispatch took).
  const chunked = rows.some((r) => r.chunk !== undefined);
  const heads = chunked ? [...HEADS, "chunk"] : HEADS;
  const cells = rows.map((r) => [
    r.mode,
    String(r.lanes),
    r.wall ? formatMs(r.wall.medianMs) : "-",
    r.speedup ? `${formatRatio(r.speedup.median)}${r.speedup.median > cores ? "*" : ""}` : "-",
    r.parallelism.toFixed(2),
    r.coresBusy === undefined ? "-" : r.coresBusy.toFixed(2),
    `${r.verifiedCount}/${r.taskCount}`,
    ...(chunked ? [r.chunk ?? "-"] : []),
  ]);
  // Every column as wide as its widest cell, so counts of any size never run together.
  const widths = heads.map((h, c) =>
    Math.max(MIN_WIDTHS[c] ?? 0, h.length, ...cells.map((row) => row[c].length))
  );
  const line = (row: readonly string[]) =>
    row.map((cell, c) =>
      c === 0 ? cell.padEnd(widths[0]) : `${c === 1 ? " " : "  "}${cell.padStart(widths[c])}`
    ).join("");
  const head = line(heads);
  return (
    <Box flexDirection="column">
      <Text color={theme.muted} wrap="truncate">{head}</Text>
      {rows.map((r, i) => (
        <Text key={r.mode} wrap="truncate" bold={r.mode === mode}>
          {`${line(cells[i])}${
            // The workload's headline figures (a race's lost updates), generic by name.
            r.figures.filter((f) => f.headline).map((f) => `  ${f.name} ${figureCell(f)}`).join(
              "",
            )}`}
          {r.finished ? "" : <Text color={theme.bad}>{`  ${r.statuses}`}</Text>}
        </Text>
      ))}
      <Text color={theme.muted} wrap="truncate">{explain}</Text>
    </Box>
  );
});
