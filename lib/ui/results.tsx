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
  const head = `${"mode".padEnd(11)}${"lanes".padStart(5)}${"wall".padStart(10)}${
    "speedup".padStart(9)
  }${"parallel".padStart(10)}${"cores".padStart(7)}${"verified".padStart(10)}`;
  return (
    <Box flexDirection="column">
      <Text color={theme.muted} wrap="truncate">{head}</Text>
      {rows.map((r) => (
        <Text key={r.mode} wrap="truncate" bold={r.mode === mode}>
          {`${r.mode.padEnd(11)}${String(r.lanes).padStart(5)}${
            (r.wall ? formatMs(r.wall.medianMs) : "-").padStart(10)
          }${
            (r.speedup
              ? `${formatRatio(r.speedup.median)}${r.speedup.median > cores ? "*" : ""}`
              : "-").padStart(9)
          }${r.parallelism.toFixed(2).padStart(10)}${
            (r.coresBusy === undefined ? "-" : r.coresBusy.toFixed(2)).padStart(7)
          }${`${r.verifiedCount}/${r.taskCount}`.padStart(10)}${
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
