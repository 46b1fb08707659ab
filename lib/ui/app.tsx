import { errorMessage } from "../process/safe_text.ts";
import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import { Box, Text, useApp, useInput } from "ink";
import type { CoreTimes } from "../run/cpu_usage.ts";
import { type Calibration, calibrationNote } from "../workloads/cpu/calibrate.ts";
import { defaultModeNames } from "../modes/mod.ts";
import { getWorkload } from "../workloads/registry.ts";
import { aggregateRun } from "../run/aggregate.ts";
import { formatFigure } from "../report/format.ts";
import { EXIT } from "../cli/errors.ts";
import {
  checkModes,
  coreCount,
  expectedTasks,
  lanesShown,
  resolveSettings,
  type SharedOptions,
} from "../cli/settings.ts";
import { CpuMeter } from "./cpu_meter.tsx";
import { Header } from "./header.tsx";
import { Footer, Help } from "./help.tsx";
import { CPU_SAMPLE_MS, onMainThread, useCpuLoads, useRun, useTerminalSize } from "./hooks.ts";
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

/**
 * The options of the next run, from the UI's choices and the command line: the selected
 * workload's own flags (the others stay behind, so `w` never turns them into an error), and
 * its calibrated option, tutorial or measured, unless the command line set it.
 */
export function jobOptions(
  ui: UiState,
  options: SharedOptions,
  calibratedSize: number | undefined,
): SharedOptions {
  const workload = getWorkload(ui.workload);
  const own = Object.fromEntries(workload.flags.map((f) => [f.option, options[f.option]]));
  const tuned = workload.calibrated;
  if (tuned && options[tuned.option] === undefined) {
    own[tuned.option] = ui.tutorial ? tuned.tutorial : calibratedSize;
  }
  return {
    ...own,
    workload: ui.workload,
    lanes: ui.lanes,
    tasks: options.tasks,
    taskTimeoutMs: options.taskTimeoutMs,
    redis: options.redis,
  };
}

/** True while the selected workload waits for the calibration it needs. */
function awaitsCalibration(
  ui: UiState,
  options: SharedOptions,
  calibratedSize: number | undefined,
): boolean {
  const tuned = getWorkload(ui.workload).calibrated;
  return tuned !== undefined && !ui.tutorial && options[tuned.option] === undefined &&
    calibratedSize === undefined;
}

/** The dashboard: header, live task bars, timing diagram, CPU meter, results, keys. */
export function Dashboard(props: DashboardProps) {
  const { theme } = props;
  const { exit } = useApp();
  const [ui, dispatchUi] = useReducer(
    (state: UiState, action: { action: Action; shownLanes: number }) =>
      reduceUi(state, action.action, action.shownLanes),
    props.initial,
  );
  const { view, start, cancel } = useRun();
  // The meter samples less often too while frames share the thread with the work.
  const loads = useCpuLoads(
    props.sampleCpu,
    onMainThread(view.state, view.running) ? 2 * CPU_SAMPLE_MS : CPU_SAMPLE_MS,
  );
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
  const calibrating = awaitsCalibration(ui, props.options, calibration?.size);

  const options = useMemo(
    () => jobOptions(ui, props.options, calibration?.size),
    [ui.workload, ui.tutorial, ui.lanes, props.options, calibration],
  );
  // The task list's identity: the workload and its options, lanes left out.
  const key = JSON.stringify({ ...options, lanes: undefined });
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
  const runModes = (modes: readonly string[]) => {
    if (calibrating) return;
    try {
      const settings = resolveSettings(options);
      checkModes(modes, settings, taskCount);
      setStartError(undefined);
      void start({ key, settings, modes });
    } catch (err) {
      setStartError(errorMessage(err));
    }
  };

  // The first key of a read acts at once; the rest wait in a queue and run one a render, so
  // each sees the state the one before left (`3` then Enter runs mode 3).
  const [pending, setPending] = useState<readonly Action[]>([]);
  const queued = useRef(0);
  useInput((input, k) => {
    let actions = actionsFor(input, k);
    if (actions.length > 0 && queued.current === 0 && !quitting.current) {
      perform(actions[0]);
      actions = actions.slice(1);
    }
    if (actions.length === 0) return;
    queued.current += actions.length;
    setPending((queue) => [...queue, ...actions]);
  });
  const perform = (action: Action) => {
    switch (action.type) {
      case "quit":
        return void quit(action.interrupted ? EXIT.cancelled : EXIT.ok);
      case "run":
        return runModes([ui.mode]);
      case "run-all":
        return runModes(defaultModeNames());
      case "cancel":
        return void cancel();
      case "select-mode":
      case "next-mode":
      case "prev-mode":
      case "toggle-workload":
      case "toggle-tutorial":
        // Changing what would run cancels what is running: it asks nothing.
        if (view.running) void cancel();
        return dispatchUi({ action, shownLanes: lanes });
      default:
        return dispatchUi({ action, shownLanes: lanes });
    }
  };
  useEffect(() => {
    if (pending.length === 0) return;
    if (!quitting.current) perform(pending[0]);
    queued.current--;
    setPending((queue) => queue.slice(1));
  }, [pending]);

  const workload = getWorkload(ui.workload);
  const lanes = lanesShown(ui.mode, ui.lanes, workload, taskCount);
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <Text color={theme.warn}>{`terminal too small (need ${MIN_COLUMNS}x${MIN_ROWS})`}</Text>;
  }

  const shownResults = current ? view.results : [];
  const tuned = workload.calibrated;
  // The calibration's prediction until a sequential run on this list shows the real figure.
  const sequentialMs = shownResults.find((r) => r.mode === "sequential" && r.status === "done")
    ?.wallMs;
  const sizeNote = !tuned || props.options[tuned.option] !== undefined
    ? ""
    : ui.tutorial
    ? " (tutorial)"
    : calibration
    ? ` (${calibrationNote(calibration, sequentialMs)})`
    : "";
  const summary = calibrating
    ? "calibrating the task size…"
    : `${
      view.summary && current
        ? view.summary
        : workload.preview?.(options).summary ?? `${taskCount} tasks`
    }${sizeNote}`;
  // The workload's own figures, live (a race's counter beside the expected value).
  const aggregate = state ? aggregateRun(state) : undefined;
  const aggregateLines = aggregate ? (aggregate.note ? 2 : 1) : 0;
  // Keep one spare line: Ink redraws the whole screen when output reaches the bottom row.
  const body = rows - 1 - 3 - 1 - 1 - resultsHeight(shownResults.length) - aggregateLines;
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
      {aggregate && <Text wrap="truncate">{aggregate.figures.map(formatFigure).join(" · ")}</Text>}
      {aggregate?.note && <Text color={theme.muted} wrap="truncate">{aggregate.note}</Text>}
      <CpuMeter loads={loads} width={columns} theme={theme} />
      <Results results={shownResults} mode={ui.mode} cores={coreCount()} theme={theme} />
      <Footer theme={theme} />
    </Box>
  );
}
