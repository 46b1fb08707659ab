import { Box, Text } from "ink";
import { modeNames } from "../modes/mod.ts";
import { formatMs } from "../report/format.ts";
import { countTasks, type RunState } from "../run/state.ts";
import type { UiState } from "./model.ts";
import { paint, type Theme } from "./theme.ts";

export interface HeaderProps {
  readonly ui: UiState;
  readonly lanes: number;
  /** Pools: how tasks are sent (`auto`, `50`, `auto ≤250` after a run); absent otherwise. */
  readonly chunk?: string;
  readonly summary: string;
  readonly state?: RunState;
  readonly running: boolean;
  readonly elapsedMs: number;
  readonly error?: string;
  readonly theme: Theme;
}

/** Where the current or last run stands: what the status line says, and its colour. */
export type RunPhase = "idle" | "running" | "done" | "cancelled" | "failed";

/** The phase of the current or last run. */
export function runPhase(props: Pick<HeaderProps, "state" | "running" | "error">): RunPhase {
  if (props.error) return "failed";
  if (!props.state) return "idle";
  if (props.running) return "running";
  const status = props.state.status;
  return status === "done" || status === "cancelled" ? status : "failed";
}

/** The status of the current or last run, in words. */
export function statusText(
  props: Pick<HeaderProps, "state" | "running" | "elapsedMs" | "error">,
): string {
  if (props.error) return `failed: ${props.error}`;
  const s = props.state;
  if (!s) return "idle";
  const c = countTasks(s);
  const progress = `${c.done + c.failed}/${s.tasks.length} tasks`;
  if (props.running) return `running ${s.mode} · ${formatMs(props.elapsedMs)} · ${progress}`;
  if (s.status === "done") {
    return `done: ${s.mode} in ${formatMs(props.elapsedMs)} · ${c.verified} verified`;
  }
  if (s.status === "cancelled") {
    return `cancelled: ${s.mode} after ${formatMs(props.elapsedMs)} · ${progress}`;
  }
  if (s.failure !== undefined) return `failed: ${s.mode} mode failed: ${s.failure}`;
  return `failed: ${s.mode} · ${c.failed} task${c.failed === 1 ? "" : "s"} failed`;
}

/** Program name, workload, mode tabs, lanes and run status: three lines. */
export function Header(props: HeaderProps) {
  const { ui, theme } = props;
  const status = statusText(props);
  const statusColor = {
    idle: theme.muted,
    running: theme.running,
    done: theme.ok,
    cancelled: theme.warn,
    failed: theme.bad,
  }[runPhase(props)];
  const tabs = modeNames().map((mode, i) => {
    const label = `${i + 1} ${mode}`;
    if (mode !== ui.mode) return paint(theme.muted, ` ${label} `);
    return theme.accent === undefined
      ? `[${label}]`
      : paint(theme.accent, ` ${label} `, ["bold", "inverse"]);
  }).join(" ");
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        {`${paint(theme.accent, "conc101", ["bold"])} · ${ui.workload} · ${props.summary}`}
      </Text>
      <Text wrap="truncate">
        {`${tabs}  lanes ${props.lanes}${
          props.chunk === undefined ? "" : ` · chunk ${props.chunk}`
        }`}
      </Text>
      <Text wrap="truncate">{paint(statusColor, status)}</Text>
    </Box>
  );
}
