import { formatRange, RANGES, withRange } from "../cli/limits.ts";
import type { Workload, WorkloadFlag, WorkloadOptions } from "./types.ts";

/**
 * A flag's value out of range: the command line reports it as commander reports its own
 * (`error: option '-s, --size <n>' argument 'x' is invalid. …`), exit code 2.
 */
export class InvalidFlagValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidFlagValue";
  }
}

/** `--page-kb <n>` is `pageKb`, as commander names the parsed value. */
function flagKey(flag: WorkloadFlag): string {
  const name = flag.flag.split(" ").find((part) => part.startsWith("--"))!.slice(2);
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Each flag's parsed value under its option name. */
export function optionsFromFlags(
  flags: readonly WorkloadFlag[],
  parsed: Readonly<Record<string, unknown>>,
): WorkloadOptions {
  return Object.fromEntries(flags.map((f) => [f.option, parsed[flagKey(f)]]));
}

/** The options from parsed flags: the workload's own reading, or each flag's value. */
export function readOptions(
  workload: Workload,
  parsed: Readonly<Record<string, unknown>>,
): WorkloadOptions {
  return workload.readOptions?.(parsed) ?? optionsFromFlags(workload.flags, parsed);
}

/** `io: page size in KB (1-65,536; default 16)`: its range from `RANGES`, and its default. */
export function flagHelp(workload: Workload, flag: WorkloadFlag): string {
  const name = flag.flag.split(" ").find((part) => part.startsWith("--"))!;
  const range = RANGES[name] ?? (flag.limits ? formatRange(flag.limits) : undefined);
  return withRange(name, `${workload.name}: ${flag.help}`, flag.byDefault, range);
}
