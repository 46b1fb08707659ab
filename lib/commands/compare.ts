import { EXIT, UsageError } from "../errors.ts";
import { MODE_NAMES } from "../modes/mod.ts";
import { createLiveLine } from "../report/live_line.ts";
import { compareTable } from "../report/text.ts";
import type { ModeName } from "../run/events.ts";
import { type RunResult, toRunResult } from "../run/result.ts";
import { lanesFor, resolveSettings, type SharedOptions } from "../settings.ts";
import { cancelOnSignals } from "../signals.ts";
import { executeMode } from "./execute.ts";

/** Options of `compare`. */
export interface CompareCommandOptions extends SharedOptions {
  readonly modes: readonly ModeName[];
  readonly json?: boolean;
}

/** Parses `--modes sequential,workers`; every name must be a mode, none twice. */
export function parseModes(value: string): ModeName[] {
  const names = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = names.find((n) => !(MODE_NAMES as readonly string[]).includes(n));
  if (bad !== undefined || names.length === 0) {
    throw new UsageError(
      `--modes must be a comma-separated list of ${MODE_NAMES.join(", ")}, got "${value}"`,
    );
  }
  return [...new Set(names)] as ModeName[];
}

/** `conc101 compare`: the same tasks in each mode, one after another, then a table. */
export async function compareCommand(options: CompareCommandOptions): Promise<number> {
  const settings = resolveSettings(options);
  const prepared = await settings.workload.prepare(settings.workloadOptions);
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  const runs: RunResult[] = [];
  try {
    for (const mode of options.modes) lanesFor(mode, settings.lanes, prepared.tasks.length);
    for (const mode of options.modes) {
      if (controller.signal.aborted) break;
      const live = !options.json && Deno.stderr.isTerminal()
        ? createLiveLine("conc101")
        : undefined;
      const state = await executeMode(mode, settings, prepared, controller.signal, live?.onEvent);
      live?.clear();
      runs.push(toRunResult(state));
    }
    const output = options.json
      ? JSON.stringify(
        { workload: settings.workload.name, summary: prepared.summary, runs },
        null,
        2,
      )
      : `${settings.workload.name} workload: ${prepared.summary}\n\n${compareTable(runs)}`;
    console.log(output);
    if (controller.signal.aborted) return EXIT.cancelled;
    return runs.every((r) => r.status === "done") ? EXIT.ok : EXIT.failed;
  } finally {
    stopListening();
    await prepared.close();
  }
}
