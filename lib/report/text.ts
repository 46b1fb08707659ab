import { getMode } from "../modes/mod.ts";
import type { RunResult } from "../run/result.ts";
import { speedup } from "../run/state.ts";
import { formatMs, formatRatio, table } from "./format.ts";

/** Failed tasks listed in a summary at most; the JSON has them all. */
const ERRORS_SHOWN = 10;

/** The text summary of one run. */
export function runSummary(run: RunResult): string {
  const failed = run.tasks.filter((t) => t.error !== undefined);
  const lines = [
    `${run.mode} · ${run.workload} · ${run.lanes} lane${
      run.lanes === 1 ? "" : "s"
    } · ${run.status}`,
    `wall ${formatMs(run.wallMs)}` +
    (run.startupMs !== undefined && run.startupMs > 1
      ? ` (lanes ready after ${formatMs(run.startupMs)})`
      : "") +
    ` · parallelism ${run.parallelism.toFixed(2)} · verified ${run.verified}/${run.tasks.length}`,
    ...failed.slice(0, ERRORS_SHOWN).map((t) => `  task ${t.id} (${t.label}): ${t.error}`),
  ];
  if (failed.length > ERRORS_SHOWN) lines.push(`  … and ${failed.length - ERRORS_SHOWN} more`);
  return lines.join("\n");
}

/** The comparison table of several runs on the same tasks, sequential as the baseline. */
export function compareTable(runs: readonly RunResult[]): string {
  const baseline = runs.find((r) => r.mode === "sequential" && r.status === "done");
  const rows = [
    ["mode", "lanes", "wall", "speedup", "parallelism", "verified", "status"],
    ...runs.map((r) => [
      r.mode,
      String(r.lanes),
      formatMs(r.wallMs),
      baseline ? formatRatio(speedup(baseline.wallMs, r.wallMs)) : "-",
      r.parallelism.toFixed(2),
      `${r.verified}/${r.tasks.length}`,
      r.status,
    ]),
  ];
  const notes = runs.map((r) => `  ${r.mode.padEnd(10)} ${getMode(r.mode).switching}`);
  return [table(rows, [false, true, true, true, true, true, false]), "", ...notes].join("\n");
}
