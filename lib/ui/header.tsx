import { Box, Text } from "ink";
import { MODE_NAMES } from "../modes/mod.ts";
import { formatMs } from "../report/format.ts";
import { countTasks, type RunState } from "../run/state.ts";
import type { UiState } from "./model.ts";
import type { Theme } from "./theme.ts";

export interface HeaderProps {
  readonly ui: UiState;
  readonly lanes: number;
  readonly summary: string;
  readonly state?: RunState;
  readonly running: boolean;
  readonly elapsedMs: number;
  readonly error?: string;
  readonly theme: Theme;
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
  return `failed: ${s.mode} · ${c.failed} task${c.failed === 1 ? "" : "s"} failed`;
}

/** Program name, workload, mode tabs, lanes and run status: three lines. */
export function Header(props: HeaderProps) {
  const { ui, theme } = props;
  const status = statusText(props);
  const statusColor = props.error || status.startsWith("failed")
    ? theme.bad
    : props.running
    ? theme.running
    : status.startsWith("done")
    ? theme.ok
    : status.startsWith("cancelled")
    ? theme.warn
    : theme.muted;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>conc101</Text>
        <Text>{` · ${ui.workload} · ${props.summary}`}</Text>
      </Text>
      <Text wrap="truncate">
        {MODE_NAMES.map((mode, i) => {
          const selected = mode === ui.mode;
          const label = `${i + 1} ${mode}`;
          return (
            <Text key={mode}>
              {selected
                ? (
                  <Text bold inverse={theme.accent !== undefined} color={theme.accent}>
                    {theme.accent === undefined ? `[${label}]` : ` ${label} `}
                  </Text>
                )
                : <Text color={theme.muted}>{` ${label} `}</Text>}
              <Text></Text>
            </Text>
          );
        })}
        <Text>{` lanes ${props.lanes}`}</Text>
      </Text>
      <Text wrap="truncate" color={statusColor}>{status}</Text>
    </Box>
  );
}
