import process from "node:process";
import { render } from "ink";
import { killAll } from "../../process/cleanup.ts";
import { sampleCores } from "../../run/cpu_usage.ts";
import { EXIT } from "../errors.ts";
import type { ModeName } from "../../run/events.ts";
import { resolveSettings, type SharedOptions, withModuleLoaded } from "../settings.ts";
import { Dashboard } from "../../ui/app.tsx";
import { colorWanted, themeFor } from "../../ui/theme.ts";

/** Options of the `tui` command. */
export interface DashboardCommandOptions extends SharedOptions {
  readonly mode: ModeName;
  readonly color: boolean;
}

/** Why the dashboard cannot start without a terminal, and what to use instead. */
const NEEDS_TERMINAL =
  "conc101: the dashboard needs a terminal (stdin and stdout must be a TTY); " +
  "use `conc101 run --mode <mode>` or `conc101 compare` instead";

/** `conc101 tui`: the live dashboard. Resolves with the exit code once the terminal is restored. */
export async function dashboardCommand(options: DashboardCommandOptions): Promise<number> {
  // Checked before anything else: Ink would throw on raw mode without a terminal.
  if (!Deno.stdin.isTerminal() || !Deno.stdout.isTerminal()) {
    console.error(NEEDS_TERMINAL);
    return EXIT.usage;
  }
  // Bad flags, and a module that fails its checks, fail here, before the screen changes.
  options = await withModuleLoaded(options);
  const settings = resolveSettings(options);
  // What the user named (`--url` hosts) is asked for now, not when the run starts.
  settings.workload.checkGrants?.(settings.workloadOptions);

  let quit: ((code: number) => void) | undefined;
  let code: number = EXIT.ok;
  const onSignal = () => quit?.(EXIT.cancelled);
  // Through node:process, not Deno.addSignalListener: Ink's signal-exit re-raises a signal
  // that no other process listener handles, which would kill us before we clean up.
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    const instance = render(
      <Dashboard
        initial={{
          mode: options.mode,
          workload: options.workload,
          tutorial: false,
          lanes: options.lanes,
          help: false,
        }}
        options={options}
        calibrate={(workload, tasks) => workload.calibrated!.calibrate(tasks)}
        theme={themeFor(colorWanted(!options.color, Deno.env.get("NO_COLOR")))}
        sampleCpu={sampleCores}
        bindQuit={(fn) => (quit = fn)}
        onQuit={(c) => (code = c)}
      />,
      { exitOnCtrlC: false, patchConsole: true, incrementalRendering: true, maxFps: 10 },
    );
    await instance.waitUntilExit();
    instance.cleanup();
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    killAll();
  }
  return code;
}
