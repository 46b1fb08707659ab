import { memo } from "react";
import { Box, Text } from "ink";
import { type Advice, advise, evidenceOf } from "../report/advice.ts";
import { comparisonRows } from "../report/comparison.ts";
import { type Sweep, sweepChart, sweepOf } from "../report/sweep.ts";
import type { ModeName } from "../run/events.ts";
import { summarizeRuns } from "../run/measure.ts";
import type { RunResult } from "../run/result.ts";
import { paint, type Theme } from "./theme.ts";

/**
 * The sweep `s` ran, from its runs in the order they finished, and the advice it supports:
 * `expected` runs make a whole sweep; fewer (cancelled) are charted, never advised from.
 */
export function dashboardSweep(
  runs: readonly RunResult[],
  swept: readonly ModeName[],
  counts: readonly number[],
  cores: number,
  expected: number,
): { sweep: Sweep; advice: Advice; complete: boolean } {
  const measured = runs.map((r) => summarizeRuns(r.mode, [r]));
  const sweep = sweepOf(comparisonRows(measured), swept, counts, cores);
  const complete = runs.length >= expected;
  return {
    sweep,
    advice: advise(evidenceOf(measured, cores, { sweep, cancelled: !complete })),
    complete,
  };
}

export interface SweepPanelProps {
  readonly sweep: Sweep;
  readonly complete: boolean;
  readonly rows: number;
  readonly width: number;
  readonly theme: Theme;
}

/** Speedup against lanes, in the rows the task bars leave after a sweep. */
export const SweepPanel = memo(function SweepPanel(props: SweepPanelProps) {
  const { sweep, complete, rows, width, theme } = props;
  // A title, then the chart: its plot rows, the axis, the counts and the legend.
  const lines = sweepChart(sweep, width, Math.max(3, rows - 4)).slice(0, Math.max(0, rows - 1));
  return (
    <Box flexDirection="column" height={rows}>
      <Text wrap="truncate">
        {paint(theme.accent, "speedup against lanes", ["bold"]) +
          (complete ? "" : paint(theme.warn, "  (cancelled: the points that finished)"))}
      </Text>
      {lines.map((line, i) => <Text key={i} wrap="truncate">{line}</Text>)}
    </Box>
  );
});
