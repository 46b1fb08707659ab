import { Box, Text } from "ink";
import { modeNames } from "../modes/mod.ts";
import { inWords } from "../report/format.ts";
import type { RunState } from "../run/state.ts";
import { paint, type Theme } from "./theme.ts";
import {
  bar,
  fit,
  fitTail,
  pendingTasks,
  sharedHost,
  taskElapsed,
  taskFraction,
  visibleTaskRows,
} from "./view_model.ts";

export interface TaskBarsProps {
  readonly state?: RunState;
  /** Before any run: the labels of the tasks the next run will have. */
  readonly preview?: readonly string[];
  readonly nowMs: number;
  readonly rows: number;
  readonly width: number;
  readonly theme: Theme;
}

/** One live bar per task; finished tasks fold into a count line when rows run short. */
export function TaskBars({ state, preview, nowMs, rows, width, theme }: TaskBarsProps) {
  const tasks = state?.tasks ?? pendingTasks(preview ?? []);
  // Async has a lane a task: look up the few lanes on screen rather than map them all.
  const lanes = state?.laneStates ?? [];
  const laneLabel = (lane: number) =>
    (lanes[lane]?.lane === lane ? lanes[lane] : lanes.find((l) => l.lane === lane))?.label;
  // One host for every task goes in the header; the bars keep what tells tasks apart.
  const host = sharedHost(tasks.map((t) => t.label));
  const shown = (label: string) => host ? label.slice(host.length) : label;
  let labelWidth = 4;
  for (const t of tasks) {
    labelWidth = Math.min(22, Math.max(labelWidth, shown(t.label).length));
    if (labelWidth === 22) break;
  }
  const laneWidth = 11;
  // `#9999 `: as wide as the largest id, so five-digit ids do not run into their labels.
  const idWidth = String(Math.max(0, tasks.length - 1)).length;
  const barWidth = Math.max(
    6,
    width - (2 + idWidth + labelWidth + 1 + 1 + 5 + 9 + laneWidth + 2),
  );
  return (
    <Box flexDirection="column" height={rows}>
      {!state && (
        <Text color={theme.muted} wrap="truncate">
          {`no run yet: press Enter to run the selected mode, a for all ${
            inWords(modeNames().length)
          }`}
        </Text>
      )}
      {visibleTaskRows(tasks, state ? rows : rows - 1).map((row) => {
        if (row.kind === "finished") {
          return (
            <Text key="finished" color={row.failed ? theme.warn : theme.ok} wrap="truncate">
              {`  ✓ ${row.done} finished earlier (${row.verified} verified)${
                row.failed ? ` · ✗ ${row.failed} failed or cancelled` : ""
              }`}
            </Text>
          );
        }
        if (row.kind === "waiting") {
          return (
            <Text key="waiting" color={theme.muted} wrap="truncate">
              {`  … ${row.count} more waiting`}
            </Text>
          );
        }
        const t = row.task;
        const color = t.status === "done"
          ? (t.verified ? theme.ok : theme.warn)
          : t.status === "failed"
          ? theme.bad
          : t.status === "running"
          ? theme.running
          : theme.muted;
        const pct = t.status === "failed"
          ? " err"
          : `${Math.floor(taskFraction(t) * 100)}%`.padStart(4);
        const lane = t.lane === undefined ? "" : laneLabel(t.lane) ?? `lane ${t.lane}`;
        const tail = t.status === "failed"
          ? fit(t.error ?? "", laneWidth + 20)
          : fit(lane, laneWidth);
        return (
          <Text key={t.id} wrap="truncate">
            {`#${String(t.id).padEnd(idWidth)} ${fitTail(shown(t.label), labelWidth)} ${
              paint(color, bar(taskFraction(t), barWidth))
            } ${pct} ${taskElapsed(t, nowMs).padStart(8)} ${paint(theme.muted, tail)}`}
          </Text>
        );
      })}
    </Box>
  );
}
