import { memo } from "react";
import { Box, Text } from "ink";
import { getMode, modeNames } from "../modes/mod.ts";
import { formatMs, formatRatio } from "../report/format.ts";
import type { ModeName } from "../run/events.ts";
import type { RunResult } from "../run/result.ts";
import { speedup } from "../run/state.ts";
import type { Theme } from "./theme.ts";

export interface ResultsProps {
  readonly results: readonly RunResult[];
  readonly mode: ModeName;
  readonly theme: Theme;
}

/** Lines the results take for `count` runs. */
export function resultsHeight(count: number): number {
  return count === 0 ? 1 : count + 2;
}

/**
 * Each mode run so far on this task list: wall time, speedup, parallelism (tasks under way at
 * once), cores (busy on average, from the OS), verified. Async shows why both are needed:
 * many tasks under way, one core busy.
 */
export const Results = memo(function Results({ results, mode, theme }: ResultsProps) {
  const explain = `${mode}: ${getMode(mode).switching}`;
  if (results.length === 0) return <Text color={theme.muted} wrap="truncate">{explain}</Text>;
  const baseline = results.find((r) => r.mode === "sequential" && r.status === "done");
  const ordered = modeNames().map((m) => results.find((r) => r.mode === m)).filter((r) =>
    r !== undefined
  );
  const head = `${"mode".padEnd(11)}${"lanes".padStart(5)}${"wall".padStart(10)}${
    "speedup".padStart(9)
  }${"parallel".padStart(10)}${"cores".padStart(7)}${"verified".padStart(10)}`;
  return (
    <Box flexDirection="column">
      <Text color={theme.muted} wrap="truncate">{head}</Text>
      {ordered.map((r) => (
        <Text key={r.mode} wrap="truncate" bold={r.mode === mode}>
          {`${r.mode.padEnd(11)}${String(r.lanes).padStart(5)}${formatMs(r.wallMs).padStart(10)}${
            (baseline ? formatRatio(speedup(baseline.wallMs, r.wallMs)) : "-").padStart(9)
          }${r.parallelism.toFixed(2).padStart(10)}${
            (r.coresBusy === undefined ? "-" : r.coresBusy.toFixed(2)).padStart(7)
          }${`${r.verifiedCount}/${r.tasks.length}`.padStart(10)}`}
          {r.status === "done" ? "" : <Text color={theme.bad}>{`  ${r.status}`}</Text>}
        </Text>
      ))}
      <Text color={theme.muted} wrap="truncate">{explain}</Text>
    </Box>
  );
});
