import { memo } from "react";
import { Box, Text } from "ink";
import { defaultModeNames } from "../modes/mod.ts";
import { type Advice, adviceLines, advise, evidenceOf } from "../report/advice.ts";
import { summarizeRuns } from "../run/measure.ts";
import type { RunResult } from "../run/result.ts";
import { paint, type Theme } from "./theme.ts";

/**
 * The advice once every mode `a` runs has a result on this task list (each mode's latest
 * run), and nothing is running: drawn from the same figures as `compare`'s.
 */
export function dashboardAdvice(
  results: readonly RunResult[],
  running: boolean,
  cores: number,
): Advice | undefined {
  const all = defaultModeNames();
  if (running || !all.every((m) => results.some((r) => r.mode === m))) return undefined;
  const latest = all.map((m) => results.filter((r) => r.mode === m).at(-1)!);
  return advise(evidenceOf(latest.map((r) => summarizeRuns(r.mode, [r])), cores));
}

/** Lines the advice takes within `room`: its summary and as many reasons as fit. */
export function adviceHeight(advice: Advice | undefined, room: number): number {
  if (!advice || room < 1) return 0;
  return Math.min(room, 1 + advice.reasons.length);
}

export interface AdviceBlockProps {
  readonly advice?: Advice;
  readonly rows: number;
  readonly theme: Theme;
}

/** The advice block: the summary line, then the reasons that fit, each cut to the width. */
export const AdviceBlock = memo(function AdviceBlock({ advice, rows, theme }: AdviceBlockProps) {
  if (!advice || rows < 1) return null;
  const [head, ...reasons] = adviceLines(advice);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">{paint(theme.accent, head, ["bold"])}</Text>
      {reasons.slice(0, rows - 1).map((line, i) => (
        <Text key={i} color={theme.muted} wrap="truncate">{line}</Text>
      ))}
    </Box>
  );
});
