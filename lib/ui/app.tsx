import type { RunResult } from "../run/result.ts";
import { errorMessage } from "../process/safe_text.ts";
import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import { Box, Text, useApp, useInput } from "ink";
import type { CoreTimes } from "../run/cpu_usage.ts";
import {
  type Calibration,
  calibrationNote,
  pendingResizeNote,
  recheckCalibration,
} from "../workloads/calibration.ts";
import { defaultModeNames, getMode, hasLanes, isBaseline } from "../modes/mod.ts";
import { sweepTargets } from "../run/sweep.ts";
import type { Workload } from "../workloads/types.ts";
import { chunkCell } from "../report/comparison.ts";
import { summarizeRuns } from "../run/measure.ts";
import { getWorkload } from "../workloads/registry.ts";
import { aggregateRun } from "../run/aggregate.ts";
import { formatFigure } from "../report/format.ts";
import { EXIT } from "../cli/errors.ts";
import {
  checkModes,
  coreCount,
  expectedTasks,
  lanePlan,
  lanesShown,
  resolveSettings,
  type SharedOptions,
} from "../cli/settings.ts";
import { CpuMeter } from "./cpu_meter.tsx";
import { Header } from "./header.tsx";
import { Footer, Help } from "./help.tsx";
import { CPU_SAMPLE_MS, onMainThread, useCpuLoads, useRun, useTerminalSize } from "./hooks.ts";
import { type Action, actionsFor, sweepCounts } from "./keys.ts";
import { dashboardSweep, SweepPanel } from "./sweep_panel.tsx";
import { reduceUi, type UiState } from "./model.ts";
import { Results, resultsHeight } from "./results.tsx";
import { AdviceBlock, adviceHeight, dashboardAdvice } from "./advice.tsx";
import { TaskBars } from "./task_bars.tsx";
import { sharedHost } from "./view_model.ts";
import type { Theme } from "./theme.ts";
import { TimingDiagram } from "./timing_diagram.tsx";

/** One empty list, so memos keyed on it keep when nothing is shown. */
const NO_RUNS: readonly RunResult[] = [];
/** Task bar rows the advice leaves, at least. */
const MIN_BAR_ROWS = 3;

/** The smallest terminal the layout fits. */
const MIN_COLUMNS = 60;
const MIN_ROWS = 16;

export interface DashboardProps {
  readonly initial: UiState;
  /** The command line's options; `size` there overrides both calibrated and tutorial sizes. */
  readonly options: SharedOptions;
  /** `--size auto` for the initial workload, if already known. */
  readonly calibration?: Calibration;
  /**
   * Sizes a calibrated workload's task list here; called once for each such workload, right
   * after the first frame that needs it is on screen.
   */
  readonly calibrate?: (workload: Workload, tasks: number) => Calibration;
  /** Milliseconds from any origin, for the runs' times and the elapsed time (tests: fake). */
  readonly clock?: () => number;
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
function jobOptions(
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
    chunk: options.chunk,
    taskTimeoutMs: options.taskTimeoutMs,
    redis: options.redis,
  };
}

/** The task list's identity: the workload and its options, lanes left out. */
function taskListKey(options: SharedOptions): string {
  return JSON.stringify({ ...options, lanes: undefined });
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
  const { view, start, cancel } = useRun({ clock: props.clock, sampleCpu: props.sampleCpu });
  // The meter samples less often too while frames share the thread with the work.
  const loads = useCpuLoads(
    props.sampleCpu,
    onMainThread(view.state, view.running) ? 2 * CPU_SAMPLE_MS : CPU_SAMPLE_MS,
  );
  const measured = useTerminalSize();
  const { columns, rows } = props.terminalSize ?? measured;
  const quitting = useRef(false);

  // Each calibrated workload's sizing, in use for its task list.
  const [calibrations, setCalibrations] = useState<Readonly<Record<string, Calibration>>>(
    props.calibration ? { [props.initial.workload]: props.calibration } : {},
  );
  const calibration = calibrations[ui.workload];
  // The workload sizes itself: it is calibrated, and neither its option nor `t` fixed a size.
  const tuned = getWorkload(ui.workload).calibrated;
  const autoSized = tuned !== undefined && !ui.tutorial &&
    props.options[tuned.option] === undefined;
  const calibrating = autoSized && calibration === undefined;
  useEffect(() => {
    if (!calibrating || !props.calibrate) return;
    const name = ui.workload;
    const tasks = expectedTasks(jobOptions(ui, props.options, undefined));
    // After the first frame, so the dashboard appears at once and the measurement follows.
    const timer = setTimeout(() => {
      const measured = props.calibrate!(getWorkload(name), tasks);
      setCalibrations((known) => ({ ...known, [name]: measured }));
    }, 20);
    return () => clearTimeout(timer);
  }, [calibrating, ui.workload]);

  const options = useMemo(
    () => jobOptions(ui, props.options, calibration?.size),
    [ui.workload, ui.tutorial, ui.lanes, props.options, calibration],
  );
  const key = taskListKey(options);
  // The run on screen belongs to this task list only while the key matches.
  const current = view.resultsKey === key;
  const state = current ? view.state : undefined;
  const taskCount = state?.tasks.length ?? expectedTasks(options);
  const workload = getWorkload(ui.workload);
  const shownResults = current ? view.results : NO_RUNS;
  // The first finished baseline run on a calibrated list checks the calibration, once. A
  // re-size applies from the next run on: the results on screen belong to the list they
  // were measured on.
  const baselineMs = shownResults.find((r) => isBaseline(r.mode) && r.status === "done")?.wallMs;
  const checked = autoSized && calibration !== undefined && !calibration.checked &&
      baselineMs !== undefined
    ? recheckCalibration(calibration, baselineMs, tuned.limits)
    : undefined;

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
  const runModes = (modes: readonly string[], sweep = false) => {
    if (calibrating) return;
    let next = options;
    if (checked) {
      setCalibrations((known) => ({ ...known, [ui.workload]: checked }));
      next = jobOptions(ui, props.options, checked.size);
    }
    try {
      const settings = resolveSettings(next);
      const tasks = expectedTasks(next);
      checkModes(modes, settings, tasks);
      const targets = sweep
        ? sweepTargets(modes, sweepCounts(coreCount()), lanePlan(settings.workload, tasks))
        : undefined;
      setStartError(undefined);
      void start({
        key: taskListKey(next),
        settings,
        modes,
        ...(targets ? { sweep: targets } : {}),
      });
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
      case "sweep":
        return runModes(defaultModeNames(), true);
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

  const lanes = lanesShown(ui.mode, ui.lanes, workload, taskCount);
  // Before a run the task list is known: its bars wait, pending.
  const preview = useMemo(
    () => state || calibrating ? undefined : workload.preview?.(options),
    [state === undefined, calibrating, workload, options],
  );
  // After `s`: the sweep's chart where the task bars were, and the advice it supports; after
  // `a`: the advice. Built when a job's results change, not at every frame the meter draws.
  const sweptRuns = current && view.lastJob === "sweep" && !view.running ? view.sweepRuns : NO_RUNS;
  const { sweepShown, advice } = useMemo(() => {
    const plan = lanePlan(workload, taskCount);
    const counts = sweepCounts(coreCount());
    const sweepShown = sweptRuns.length > 0
      ? dashboardSweep(
        sweptRuns,
        defaultModeNames().filter((m) => hasLanes(getMode(m), plan)),
        counts,
        coreCount(),
        sweepTargets(defaultModeNames(), counts, plan).length,
      )
      : undefined;
    return {
      sweepShown,
      advice: sweepShown?.advice ?? dashboardAdvice(shownResults, view.running, coreCount()),
    };
  }, [sweptRuns, shownResults, view.running, workload, taskCount]);
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <Text color={theme.warn}>{`terminal too small (need ${MIN_COLUMNS}x${MIN_ROWS})`}</Text>;
  }

  // Pools say how they send tasks: the setting, and after a run how many one dispatch took.
  const lastOfMode = shownResults.find((r) => r.mode === ui.mode);
  const chunk = !getMode(ui.mode).chunked
    ? undefined
    : lastOfMode?.chunk !== undefined
    ? chunkCell(summarizeRuns(ui.mode, [lastOfMode]))
    : props.options.taskTimeoutMs
    ? "1"
    : String(props.options.chunk ?? "auto");
  // The calibration's prediction until a baseline run on this list shows the real figure.
  const sizeNote = !tuned || props.options[tuned.option] !== undefined
    ? ""
    : ui.tutorial
    ? " (tutorial)"
    : checked?.resizedFrom
    ? ` (${pendingResizeNote(checked)})`
    : calibration
    ? ` (${calibrationNote(calibration, baselineMs)})`
    : "";
  const host = sharedHost(state ? state.tasks.map((t) => t.label) : preview?.labels ?? []);
  const summary = calibrating
    ? "calibrating the task size…"
    : `${
      view.summary && current ? view.summary : preview?.summary ?? `${taskCount} tasks`
    }${sizeNote}${host ? ` · ${host}` : ""}`;
  // The workload's own figures, live (a race's counter beside the expected value).
  const aggregate = state ? aggregateRun(state) : undefined;
  const aggregateLines = aggregate ? (aggregate.note ? 2 : 1) : 0;
  // Keep one spare line: Ink redraws the whole screen when output reaches the bottom row.
  const free = rows - 1 - 3 - 1 - 1 - resultsHeight(shownResults.length) - aggregateLines;
  const adviceRows = adviceHeight(advice, free - MIN_BAR_ROWS);
  const body = free - adviceRows;
  const laneCount = state?.laneStates.length ?? 0;
  const diagramRows = state ? Math.min(laneCount + 1, 9, Math.floor(body / 3)) : 0;
  const barRows = Math.max(1, body - diagramRows);

  return (
    <Box flexDirection="column" width={columns}>
      <Header
        ui={ui}
        lanes={lanes}
        chunk={chunk}
        summary={summary}
        state={state}
        running={view.running}
        elapsedMs={view.elapsedMs}
        error={startError ?? view.error}
        theme={theme}
      />
      {ui.help ? <Help theme={theme} rows={body} /> : sweepShown
        ? (
          <SweepPanel
            sweep={sweepShown.sweep}
            complete={sweepShown.complete}
            rows={body}
            width={columns}
            theme={theme}
          />
        )
        : (
          <>
            <TaskBars
              state={state}
              preview={preview?.labels}
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
      <AdviceBlock advice={advice} rows={adviceRows} theme={theme} />
      <Footer theme={theme} />
    </Box>
  );
}
