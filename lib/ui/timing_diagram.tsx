import { Box, Text } from "ink";
import { formatMs } from "../report/format.ts";
import type { RunState } from "../run/state.ts";
import { paint, type Theme } from "./theme.ts";
import { fit, timingDiagram } from "./view_model.ts";

export interface TimingDiagramProps {
  readonly state?: RunState;
  readonly nowMs: number;
  /** Lines available, the title included. */
  readonly rows: number;
  readonly width: number;
  readonly theme: Theme;
}

const LABEL = 12;

/** The measured timing diagram: one row per lane, each task a block, drawn as it happens. */
export function TimingDiagram({ state, nowMs, rows, width, theme }: TimingDiagramProps) {
  if (!state || rows < 2) return null;
  const track = Math.max(10, width - LABEL - 1);
  // The scale grows in steps, so blocks do not shift every frame while a run goes on.
  const span = state.endMs ?? Math.max(1000, 2 ** Math.ceil(Math.log2(Math.max(nowMs, 1) * 1.25)));
  const lanes = state.laneStates.length;
  const room = rows - 1;
  const shown = timingDiagram(state, nowMs, track, span, lanes > room ? room - 1 : room);
  return (
    <Box flexDirection="column">
      <Text color={theme.muted} wrap="truncate">
        {`timeline  0 … ${formatMs(span)}  (one row per lane; each block is a task)`}
      </Text>
      {shown.map((row) => (
        <Text key={row.label} wrap="truncate">
          {paint(theme.muted, fit(row.label, LABEL)) +
            runsOf(row.cells, row.shades).map((run) =>
              paint(run.shade < 0 ? undefined : run.shade ? theme.barAlt : theme.barDone, run.text)
            ).join("")}
        </Text>
      ))}
      {shown.length < lanes && (
        <Text color={theme.muted} wrap="truncate">
          {`… ${lanes - shown.length} more lanes`}
        </Text>
      )}
    </Box>
  );
}

/** Groups cells of one shade, so each stretch is one coloured span. */
function runsOf(cells: string, shades: readonly number[]): { text: string; shade: number }[] {
  const chars = [...cells];
  const out: { text: string; shade: number }[] = [];
  for (let i = 0; i < chars.length; i++) {
    const last = out.at(-1);
    if (last && last.shade === shades[i]) last.text += chars[i];
    else out.push({ text: chars[i], shade: shades[i] });
  }
  return out;
}
