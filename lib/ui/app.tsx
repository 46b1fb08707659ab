import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import { Box, Text, useApp, useInput } from "ink";
import type { CoreTimes } from "../run/cpu_usage.ts";
import { type Calibration, calibrationNote } from "../workloads/cpu/calibrate.ts";
import { TUTORIAL_SIZE } from "../workloads/cpu/workload.ts";
import { DEFAULT_MODE_NAMES, type MODE_NAMES } from "../modes/mod.ts";
import { errorMessage } from "../lanes/protocol.ts";
import { EXIT } from "../cli/errors.ts";
import {
  checkModes,
  defaultPoolLanes,
  expectedTasks,
  lanesAsked,
  resolveSettings,
  type SharedOptions,
} from "../cli/settings.ts";
import { CpuMeter } from "./cpu_meter.tsx";
import { Header } from "./header.tsx";
import { Footer, Help } from "./help.tsx";
import { useCpuLoads, useRun, useTerminalSize } from "./hooks.ts";
import { type Action, actionsFor } from "./keys.ts";
import { reduceUi, type UiState } from "./model.ts";
import { Results, resultsHeight } from "./results.tsx";
import { TaskBars } from "./task_bars.tsx";
import type { Theme } from "./theme.ts";
import { TimingDiagram } from "./timing_diagram.tsx";

/** The smallest terminal the layout fits. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export interface DashboardProps {
  readonly initial: UiState;
  /** The command line's options; `size` there overrides both calibrated and tutorial sizes. */
  readonly options: SharedOptions;
  /** `--size auto`: the base `n` for a sequential run of about 6 s here, if already known. */
  readonly calibration?: Calibration;
  /** Measures it for the task list; called once, right after the first frame is on screen. */
  readonly calibrate?: () => Calibration;
  readonly theme: Theme;
  /** Per-core CPU times; undefined hides the meter's data (tests). */
  readonly sampleCpu?: () => CoreTimes[];
  /** Called once every run has stopped and the dashboard is about to exit, with its code. */
  readonly onQuit?: (code: number) => void;
  /** Registers the function that quits cleanly with a code (for SIGTERM). */
  readonly bindQuit?: (quit: (code: number) => void) => void;
  /** Fixed terminal size instead of the real one (tests). */
  readonly terminalSize?: { readonly columns: number; readonly rows: number };
}

/** The options of the next run, from the UI's choices and the command line. */
export function jobOptions(
  ui: UiState,
  options: SharedOptions,
  calibratedSize: number | undefined,
): SharedOptions {
  const common = {
    workload: ui.workload,
    lanes: ui.lanes,
    tasks: options.tasks,
    taskTimeout: options.taskTimeout,
    redis: options.redis,
  };
  if (ui.workload === "cpu") {
    return { ...common, size: options.size ?? (ui.tutorial ? TUTORIAL_SIZE : calibratedSize) };
  }
  // The other workload's flags stay behind, so `w` never turns them into an error.
  const { latencyMs, jitterMs, pageKb, urls, timeoutMs, perLane } = options;
  return { ...common, latencyMs, jitterMs, pageKb, urls, timeoutMs, perLane };
}

/** The dashboard: header, live task bars, timing diagram, CPU meter, results, keys. */
export function Dashboard(props: DashboardProps) {
  const { theme } = props;
  const { exit } = useApp();
  const [ui, dispatchUi] = useReducer(
    (state: UiState, action: Parameters<typeof reduceUi>[1]) =>
      reduceUi(state, action, defaultPoolLanes()),
    props.initial,
  );
  const { view, start, cancel } = useRun();
  const loads = useCpuLoads(props.sampleCpu);
  const measured = useTerminalSize();
  const { columns, rows } = props.terminalSize ?? measured;
  const quitting = useRef(false);

  const [calibration, setCalibration] = useState(props.calibration);
  useEffect(() => {
    if (calibration !== undefined || !props.calibrate) return;
    // After the first frame, so the dashboard appears at once and the measurement follows.
    const timer = setTimeout(() => setCalibration(props.calibrate!()), 20);
    return () => clearTimeout(timer);
  }, []);
  const calibrating = ui.workload === "cpu" && !ui.tutorial && props.options.size === undefined &&
    calibration === undefined;

  const options = useMemo(
    () => jobOptions(ui, props.options, calibration?.size),
    [ui.workload, ui.tutorial, ui.lanes, props.options, calibration],
  );
  const key = `${options.workload}:${options.size ?? ""}:${options.tasks ?? ""}`;
  // The run on screen belongs to this task list only while the key matches.
  const current = view.resultsKey === key;
  const state = current ? view.state : undefined;
  const taskCount = state?.tasks.length ?? expectedTasks(options);

  const quit = async (code: number) => {
    if (quitting.current) return;
    quitting.current = true;
    await cancel();
    props.onQuit?.(code);
    exit();
  };
  useEffect(() => props.bindQuit?.((code) => void quit(code)), []);

  // A run that cannot start (say, `--lanes 100` with workers) says why in the status line.
  const [startError, setStartError] = useState<string>();
  const runModes = (modes: typeof MODE_NAMES) => {
    if (calibrating) return;
    try {
      checkModes(modes, ui.lanes, taskCount);
      const settings = resolveSettings(options);
      setStartError(undefined);
      void start({ key, settings, modes });
    } catch (err) {
      setStartError(errorMessage(err));
    }
  };

  // Actions wait in a queue and run one a render, so each sees the state the one before left
  // (`3` then Enter runs mode 3).
  const [pending, setPending] = useState<readonly Action[]>([]);
  useInput((input, k) => {
    const actions = actionsFor(input, k);
    if (actions.length > 0) setPending((queue) => [...queue, ...actions]);
  });
  const perform = (action: Action) => {
    switch (action.type) {
      case "quit":
        return void quit(action.interrupted ? EXIT.cancelled : EXIT.ok);
      case "run":
        return runModes([ui.mode]);
      case "run-all":
        return runModes(DEFAULT_MODE_NAMES);
      case "cancel":
        return void cancel();
      case "select-mode":
      case "next-mode":
      case "prev-mode":
      case "toggle-workload":
      case "toggle-tutorial":
        // Changing what would run cancels what is running: it asks nothing.
        if (view.running) void cancel();
        return dispatchUi(action);
      default:
        return dispatchUi(action);
    }
  };
  useEffect(() => {
    if (pending.length === 0) return;
    if (!quitting.current) perform(pending[0]);
    setPending((queue) => queue.slice(1));
  }, [pending]);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <Text color={theme.warn}>{`terminal too small (need ${MIN_COLUMNS}x${MIN_ROWS})`}</Text>;
  }

  const lanes = lanesAsked(ui.mode, ui.lanes, taskCount);
  const shownResults = current ? view.results : [];
  // The calibration's prediction until a sequential run on this list shows the real figure.
  const sequentialMs = shownResults.find((r) => r.mode === "sequential" && r.status === "done")
    ?.wallMs;
  const sizeNote = props.options.size !== undefined
    ? ""
    : ui.tutorial
    ? " (tutorial)"
    : calibration
    ? ` (${calibrationNote(calibration, sequentialMs)})`
    : "";
  const summary = ui.workload === "cpu"
    ? calibrating
      ? "calibrating the task size…"
      : `${
        view.summary && current
          ? view.summary
          : `${taskCount} tasks, n=${(options.size ?? 0).toLocaleString("en-US")}+x`
      }${sizeNote}`
    : view.summary && current
    ? view.summary
    : "downloads from the local test server";
  // Keep one spare line: Ink redraws the whole screen when output reaches the bottom row.
  const body = rows - 1 - 3 - 1 - 1 - resultsHeight(shownResults.length);
  const laneCount = state?.laneStates.length ?? 0;
  const diagramRows = state ? Math.min(laneCount + 1, 9, Math.floor(body / 3)) : 0;
  const barRows = Math.max(1, body - diagramRows);

  return (
    <Box flexDirection="column" width={columns}>
      <Header
        ui={ui}
        lanes={lanes}
        summary={summary}
        state={state}
        running={view.running}
        elapsedMs={view.elapsedMs}
        error={startError ?? view.error}
        theme={theme}
      />
      {ui.help ? <Help theme={theme} rows={body} /> : (
        <>
          <TaskBars
            state={state}
            nowMs={view.elapsedMs}
            rows={barRows}
            width={columns}
            theme={theme}
          />
          <TimingDiagram
            state={state}
            nowMs={view.elapsedMs}
            rows={diagramRows}
            width={columns}
            theme={theme}
          />
        </>
      )}
      <CpuMeter loads={loads} width={columns} theme={theme} />
      <Results results={shownResults} mode={ui.mode} theme={theme} />
      <Footer theme={theme} />
    </Box>
  );
}
