/**
 * The command line. The design names `@cliffy/command`; JSR cannot be reached here, so
 * `commander` with `@commander-js/extra-typings` stands in, behind this module only.
 */
import {
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
  type OptionValues,
} from "@commander-js/extra-typings";
import { runChild } from "./child.ts";
import { compareCommand, parseModes } from "./commands/compare.ts";
import { runCommand } from "./commands/run.ts";
import { serveCommand } from "./commands/serve.ts";
import { EXIT, UsageError } from "./errors.ts";
import { LIMITS } from "./limits.ts";
import { MODE_NAMES } from "./modes/mod.ts";
import { errorMessage } from "./protocol.ts";
import type { SharedOptions } from "./settings.ts";
import type { ModeName } from "./run/events.ts";
import { safeText } from "./safe_text.ts";
import { versionLine } from "./version.ts";
import { checkUrl, readUrlFile } from "./urls.ts";
import { WORKLOAD_NAMES } from "./workloads/registry.ts";

/** A parser for a whole number in `min..max`, whose error names the flag and the range. */
export function intInRange(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `${flag} must be a whole number from ${min.toLocaleString("en-US")} to ${
          max.toLocaleString("en-US")
        }, got "${value}"`,
      );
    }
    return n;
  };
}

function oneOf<T extends string>(flag: string, allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(
        `${flag} must be one of ${allowed.join(", ")}, got "${value}"`,
      );
    }
    return value as T;
  };
}

/** The options `run`, `compare` and `tui` share. */
function withSharedOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .addOption(
      new Option("-w, --workload <name>", `what to run: ${WORKLOAD_NAMES.join(" or ")}`)
        .default("cpu")
        .argParser(oneOf("--workload", WORKLOAD_NAMES)),
    )
    .addOption(
      new Option(
        "-l, --lanes <n>",
        `workers or child processes (${LIMITS.poolLanes.min}-${LIMITS.poolLanes.max}, default: one per core); ` +
          `tasks at once for async (${LIMITS.asyncLanes.min}-${LIMITS.asyncLanes.max}, default: all)`,
      ).argParser(intInRange("--lanes", LIMITS.asyncLanes.min, LIMITS.asyncLanes.max)),
    )
    .addOption(
      new Option(
        "-t, --tasks <n>",
        `number of tasks (${LIMITS.tasks.min}-${LIMITS.tasks.max}; cpu default 20)`,
      )
        .argParser(intInRange("--tasks", LIMITS.tasks.min, LIMITS.tasks.max)),
    )
    .addOption(
      new Option(
        "-s, --size <n>",
        `cpu: base n, task x sums squares below n+x (${LIMITS.size.min}-${
          LIMITS.size.max.toLocaleString("en-US")
        }; default 5,000,000 as in the tutorial)`,
      ).argParser(intInRange("--size", LIMITS.size.min, LIMITS.size.max)),
    )
    .addOption(
      new Option("--latency <ms>", `io: the local server's delay per page (0-60,000; default 100)`)
        .argParser(intInRange("--latency", LIMITS.latencyMs.min, LIMITS.latencyMs.max)),
    )
    .addOption(
      new Option("--jitter <ms>", `io: seeded jitter around the latency (0-60,000; default 10)`)
        .argParser(intInRange("--jitter", LIMITS.jitterMs.min, LIMITS.jitterMs.max)),
    )
    .addOption(
      new Option("--page-kb <n>", `io: page size in KB (1-65,536; default 16)`)
        .argParser(intInRange("--page-kb", LIMITS.pageKb.min, LIMITS.pageKb.max)),
    )
    .addOption(
      new Option("--url <url>", "io: download this URL instead of the local server (repeatable)")
        .argParser((value: string, previous: string[] | undefined) => [
          ...(previous ?? []),
          checkUrl(value, "--url"),
        ]),
    )
    .addOption(
      new Option("--urls <file>", "io: a file of URLs, one a line, # comments"),
    )
    .addOption(
      new Option("--timeout <ms>", `io: per-download timeout (1-3,600,000; default 10,000)`)
        .argParser(intInRange("--timeout", LIMITS.timeoutMs.min, LIMITS.timeoutMs.max)),
    )
    .addOption(
      new Option(
        "--per-lane <n>",
        `io: downloads each worker or child runs at once (1-${LIMITS.perLane.max}; default 1)`,
      ).argParser(intInRange("--per-lane", LIMITS.perLane.min, LIMITS.perLane.max)),
    )
    .addOption(
      new Option(
        "--task-timeout <ms>",
        `end a task (and replace its worker or child) after this long; 0 = never (max ${LIMITS.taskTimeoutMs.max})`,
      ).argParser(intInRange("--task-timeout", LIMITS.taskTimeoutMs.min, LIMITS.taskTimeoutMs.max)),
    );
}

/** Builds the program; each action returns its exit code through `setExit`. */
export function buildProgram(setExit: (code: number) => void) {
  const program = new Command()
    .name("conc101")
    .description(
      "Run one workload four ways (sequential, async, workers, subprocess) and watch it happen.",
    )
    .version(versionLine(), "-V, --version")
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(false);

  withSharedOptions(
    program.command("run")
      .description("run the workload in one mode and print a summary (or --json)")
      .addOption(
        new Option("-m, --mode <mode>", `one of ${MODE_NAMES.join(", ")}`)
          .makeOptionMandatory()
          .argParser(oneOf("--mode", MODE_NAMES)),
      )
      .option("--json", "print one JSON object on stdout")
      .option("--export <file>", "write the run to .json, .csv or .md (atomically)")
      .option("--trace <file>", "write a Chrome trace (.json) for Perfetto or chrome://tracing"),
  ).action(async (options) => {
    setExit(
      await runCommand({
        ...shared(options),
        mode: options.mode as ModeName,
        json: options.json,
        export: options.export,
        trace: options.trace,
      }),
    );
  });

  withSharedOptions(
    program.command("compare")
      .description("run the same tasks in each mode, one after another, and print a table")
      .addOption(
        new Option("--modes <list>", "comma-separated modes to run")
          .default(MODE_NAMES.join(","))
          .argParser((v) => parseModes(v).join(",")),
      )
      .addOption(
        new Option("--runs <n>", `runs of each mode (1-${LIMITS.runs.max}; default 1)`)
          .argParser(intInRange("--runs", LIMITS.runs.min, LIMITS.runs.max)),
      )
      .addOption(
        new Option(
          "--warmup <n>",
          `unmeasured runs of each mode first (0-${LIMITS.warmup.max}; default 0)`,
        )
          .argParser(intInRange("--warmup", LIMITS.warmup.min, LIMITS.warmup.max)),
      )
      .option("--json", "print one JSON object on stdout")
      .option("--export <file>", "write all runs to .json, .csv or .md (atomically)")
      .option("--trace <file>", "write a Chrome trace (.json) for Perfetto or chrome://tracing"),
  ).action(async (options) => {
    setExit(
      await compareCommand({
        ...shared(options),
        modes: parseModes(options.modes),
        runs: options.runs,
        warmup: options.warmup,
        json: options.json,
        export: options.export,
        trace: options.trace,
      }),
    );
  });

  withSharedOptions(
    program.command("tui", { isDefault: true })
      .description("open the live dashboard (the default on a terminal)")
      .addOption(
        new Option("-m, --mode <mode>", `mode selected at start: ${MODE_NAMES.join(", ")}`)
          .default("sequential")
          .argParser(oneOf("--mode", MODE_NAMES)),
      )
      .option("--no-color", "draw without colour (NO_COLOR is honoured too)"),
  ).action(async (options) => {
    // Loaded on demand: run, compare and child never pay for React and Ink.
    const { dashboardCommand } = await import("./ui/dashboard.tsx");
    setExit(
      await dashboardCommand({
        ...shared(options),
        mode: options.mode as ModeName,
        color: options.color,
      }),
    );
  });

  program.command("serve")
    .description("run the I/O workload's slow local server in the foreground and print its URL")
    .addOption(
      new Option("--port <n>", "port on 127.0.0.1 (0-65,535; default 0: any free port)")
        .argParser(intInRange("--port", LIMITS.port.min, LIMITS.port.max)),
    )
    .addOption(
      new Option("--latency <ms>", "delay per page (0-60,000; default 100)")
        .argParser(intInRange("--latency", LIMITS.latencyMs.min, LIMITS.latencyMs.max)),
    )
    .addOption(
      new Option("--jitter <ms>", "seeded jitter around the latency (0-60,000; default 10)")
        .argParser(intInRange("--jitter", LIMITS.jitterMs.min, LIMITS.jitterMs.max)),
    )
    .addOption(
      new Option("--page-kb <n>", "page size in KB (1-65,536; default 16)")
        .argParser(intInRange("--page-kb", LIMITS.pageKb.min, LIMITS.pageKb.max)),
    )
    .action(async (o) => {
      setExit(
        await serveCommand({
          port: o.port,
          latencyMs: o.latency,
          jitterMs: o.jitter,
          pageKb: o.pageKb,
        }),
      );
    });

  program.command("child", { hidden: true })
    .description("one lane of subprocess mode: tasks in on stdin, results out on stdout")
    .addOption(
      new Option("--per-lane <n>").default(1).argParser(
        intInRange("--per-lane", LIMITS.perLane.min, LIMITS.perLane.max),
      ),
    )
    .action(async (options) => {
      await runChild(options.perLane);
    });

  return program;
}

/** Longest error line; quoted user text inside is shortened on its own. */
const MESSAGE_MAX = 2000;

/** Runs the command line and returns the exit code; user mistakes become one line on stderr. */
export async function main(args: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    // `tui` is the default command, so commander would take an unknown word as its argument.
    const first = args[0];
    const known = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    if (first !== undefined && !first.startsWith("-") && !known.includes(first)) {
      const shown = program.commands.filter((c) => c.name() !== "child").map((c) => c.name());
      throw new UsageError(`unknown command '${first}' (commands: ${shown.join(", ")})`);
    }
    await program.parseAsync([...args], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") {
        return EXIT.ok;
      }
      if (err.code === "commander.help") return EXIT.ok;
      // Our parsers' messages already name the flag and range; drop commander's preamble.
      const message = err.message.replace(/^error: /, "").replace(
        /^option '.*?' argument '.*?' is invalid\. /,
        "",
      );
      console.error(`conc101: ${safeText(message, MESSAGE_MAX)}`);
      return EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof InvalidArgumentError) {
      console.error(`conc101: ${safeText(err.message, MESSAGE_MAX)}`);
      return EXIT.usage;
    }
    // Anything else that escapes a command (a server that cannot start, a full disk) is
    // still one line: the user can act on the message, not on a stack.
    console.error(`conc101: ${errorMessage(err)}`);
    return EXIT.failed;
  }
}

/** Folds `--url` and `--urls` into one list of URLs, or undefined when neither was given. */
export function collectUrls(options: { url?: string[]; urls?: string }): string[] | undefined {
  const fromFile = options.urls === undefined ? [] : readUrlFile(options.urls);
  const all = [...(options.url ?? []), ...fromFile];
  if (all.length > LIMITS.urls) {
    throw new UsageError(
      `--url and --urls hold ${all.length.toLocaleString("en-US")} URLs together; at most ${
        LIMITS.urls.toLocaleString("en-US")
      } are allowed`,
    );
  }
  return all.length > 0 ? all : undefined;
}

/** The flags as parsed, before they become {@link SharedOptions}. */
interface ParsedShared {
  workload: string;
  lanes?: number;
  tasks?: number;
  size?: number;
  latency?: number;
  jitter?: number;
  pageKb?: number;
  url?: string[];
  urls?: string;
  timeout?: number;
  perLane?: number;
  taskTimeout?: number;
}

/** Renames parsed flags to the options the workloads and runner read. */
function shared(o: ParsedShared): SharedOptions {
  return {
    workload: o.workload,
    lanes: o.lanes,
    tasks: o.tasks,
    size: o.size,
    latencyMs: o.latency,
    jitterMs: o.jitter,
    pageKb: o.pageKb,
    urls: collectUrls(o),
    timeoutMs: o.timeout,
    perLane: o.perLane,
    taskTimeout: o.taskTimeout,
  };
}
