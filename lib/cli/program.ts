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
import { runChild } from "../lanes/child_entry.ts";
import { compareCommand, parseModes } from "./commands/compare.ts";
import { parseLanesSweep } from "../run/sweep.ts";
import { runCommand } from "./commands/run.ts";
import { serveCommand } from "./commands/serve.ts";
import { EXIT, UsageError } from "./errors.ts";
import { askAndRestart, askHere, canAsk, MissingGrant } from "./grants.ts";
import { LIMITS, withRange } from "./limits.ts";
import { IO_POOL_MAX } from "../modes/pool_lanes.ts";
import { defaultModeNames, modeNames, modes } from "../modes/mod.ts";
import { addWorkerCommand } from "../cluster/worker_cli.ts";
import { parseRedisUrl } from "../cluster/redis_url.ts";
import type { SharedOptions } from "./settings.ts";
import type { ModeName } from "../run/events.ts";
import { inWords } from "../report/format.ts";
import { errorMessage, safeText } from "../process/safe_text.ts";
import { versionLine } from "./version.ts";
import { SERVER_DEFAULTS } from "../workloads/io/page_handler.ts";
import { flagHelp, InvalidFlagValue, readOptions } from "../workloads/flags.ts";
import { workloadNames, workloads } from "../workloads/registry.ts";
import { isModuleSpec } from "../workloads/module.ts";

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

/** `--chunk`: a whole number in range, or `auto` (undefined: the pool chooses). */
function chunkArg(value: string): number | "auto" {
  if (value.trim() === "auto") return "auto";
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < LIMITS.chunk.min || n > LIMITS.chunk.max) {
    throw new InvalidArgumentError(
      `--chunk must be a whole number from ${LIMITS.chunk.min} to ${
        LIMITS.chunk.max.toLocaleString("en-US")
      } or auto, got "${value}"`,
    );
  }
  return n;
}

/** `--workload`: a built-in's name, or a module's path or `file:` URL, loaded before the run. */
function workloadArg(names: readonly string[]) {
  return (value: string): string => {
    if (names.includes(value) || isModuleSpec(value)) return value;
    throw new InvalidArgumentError(
      `--workload must be one of ${names.join(", ")}, or a module (a .ts or .js path, ` +
        `or a file: URL), got "${value}"`,
    );
  };
}

/** `--lanes`: one parser for every mode, so its message names both ranges. */
function lanesArg(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < LIMITS.asyncLanes.min || n > LIMITS.asyncLanes.max) {
    throw new InvalidArgumentError(
      `--lanes must be a whole number from ${LIMITS.poolLanes.min} to ${LIMITS.poolLanes.max} ` +
        `for workers and subprocess, or ${LIMITS.asyncLanes.min} to ${
          LIMITS.asyncLanes.max.toLocaleString("en-US")
        } for async, got "${value}"`,
    );
  }
  return n;
}

/** A flag's help: what it does, then its range from the limits table and its default. */
const help = withRange;

const n = (x: number) => x.toLocaleString("en-US");

/** The help of the output flags `run` and `compare` share. */
const JSON_HELP = "print one JSON object on stdout";
const TRACE_HELP = "write a Chrome trace (.json) for Perfetto or chrome://tracing";
const exportHelp = (what: string) => `write ${what} to .json, .csv or .md (atomically)`;

/** The output flags as parsed. */
function outputs(o: { json?: boolean; export?: string; trace?: string }) {
  return { json: o.json, export: o.export, trace: o.trace };
}

/** Modes that need more than this machine (cluster: Redis), in registry order. */
function remoteModeNames(): string[] {
  return modes().filter((m) => !m.local).map((m) => m.name);
}

/** The options `run`, `compare` and `tui` share: the common ones, then each workload's own. */
function withSharedOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  const names = workloadNames();
  const withCommon = command
    .addOption(
      new Option(
        "-w, --workload <name>",
        `what to run: ${
          names.join(" or ")
        }, or your own module (a .ts or .js path, or a file: URL)`,
      )
        .default(names[0])
        .argParser(workloadArg(names)),
    )
    .addOption(
      new Option(
        "-l, --lanes <n>",
        help(
          "--lanes",
          "workers or child processes; tasks at once for async",
          `one per core (io: cores + 4, at most ${IO_POOL_MAX}) up to ${LIMITS.poolLanes.max}; ` +
            "async: all",
        ),
      ).argParser(lanesArg),
    )
    .addOption(
      new Option(
        "-t, --tasks <n>",
        help(
          "--tasks",
          "number of tasks",
          workloads().filter((w) => w.tasksHelp).map((w) => `${w.name} ${w.tasksHelp}`).join(", "),
        ),
      ).argParser(intInRange("--tasks", LIMITS.tasks.min, LIMITS.tasks.max)),
    );
  // Each workload's flags, in registry order; a flag two workloads share is added once.
  const added = new Set<string>();
  for (const workload of workloads()) {
    for (const flag of workload.flags) {
      if (added.has(flag.flag)) continue;
      added.add(flag.flag);
      // A flag two workloads share says what it means to each: `cpu: base n …; race: …`.
      const sharers = workloads().filter((w) => w !== workload)
        .flatMap((w) => w.flags.filter((f) => f.flag === flag.flag).map((f) => ({ w, f })));
      const option = new Option(
        flag.flag,
        [flagHelp(workload, flag), ...sharers.map(({ w, f }) => flagHelp(w, f))].join("; "),
      );
      const name = flag.flag.split(" ").find((part) => part.startsWith("--"))!;
      const parse = flag.parse;
      if (parse) {
        option.argParser((value: string, previous: unknown) => {
          try {
            return parse(value, previous);
          } catch (err) {
            // Reported as commander reports its own parsers' errors.
            if (err instanceof InvalidFlagValue) throw new InvalidArgumentError(err.message);
            throw err;
          }
        });
      } else if (flag.limits) option.argParser(intInRange(name, flag.limits.min, flag.limits.max));
      withCommon.addOption(option);
    }
  }
  return withCommon
    .addOption(
      new Option(
        "--chunk <n>",
        help(
          "--chunk",
          "workers, subprocess: tasks sent to a worker or child in one message (Pool.map's " +
            "chunksize); auto: 1 until tasks are timed, then about 2 ms of them, at most " +
            "tasks / (4 × lanes)",
          "auto",
        ),
      ).argParser(chunkArg),
    )
    .addOption(
      new Option(
        "--task-timeout <ms>",
        help(
          "--task-timeout",
          "end a task (and replace its worker or child) after this long; 0 = never",
          "0",
        ),
      ).argParser(intInRange("--task-timeout", LIMITS.taskTimeoutMs.min, LIMITS.taskTimeoutMs.max)),
    )
    .addOption(
      new Option(
        "--redis <url>",
        "cluster: the Redis whose workers run the tasks (redis://[:password@]host:port); " +
          "default: a private redis-server and --lanes local workers",
      ).argParser((v: string) => parseRedisUrl(v).url),
    );
}

/** Builds the program; each action returns its exit code through `setExit`. */
export function buildProgram(setExit: (code: number) => void) {
  const program = new Command()
    .name("conc101")
    .description(
      `Run one workload ${inWords(defaultModeNames().length)} ways (${
        defaultModeNames().join(", ")
      })${remoteModeNames().map((m) => `, or on a ${m} (${m})`).join("")}, and watch it happen.`,
    )
    .version(versionLine(), "-V, --version")
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(false);

  withSharedOptions(
    program.command("run")
      .description("run the workload in one mode and print a summary (or --json)")
      .addOption(
        new Option("-m, --mode <mode>", `one of ${modeNames().join(", ")}`)
          .makeOptionMandatory()
          .argParser(oneOf("--mode", modeNames())),
      )
      .addOption(new Option("--json", JSON_HELP))
      .addOption(new Option("--export <file>", exportHelp("the run")))
      .addOption(new Option("--trace <file>", TRACE_HELP)),
  ).action(async (options) => {
    setExit(
      await runCommand({ ...shared(options), ...outputs(options), mode: options.mode as ModeName }),
    );
  });

  withSharedOptions(
    program.command("compare")
      .description("run the same tasks in each mode, one after another, and print a table")
      .addOption(
        new Option(
          "--modes <list>",
          `comma-separated modes to run (default: ${defaultModeNames().join(",")}${
            remoteModeNames().map((m) => `, and ${m} with --redis`).join("")
          })`,
        ).argParser((v) => parseModes(v).join(",")),
      )
      .addOption(
        new Option("--runs <n>", help("--runs", "measured runs of each mode", "1"))
          .argParser(intInRange("--runs", LIMITS.runs.min, LIMITS.runs.max)),
      )
      .addOption(
        new Option("--warmup <n>", help("--warmup", "unmeasured runs of each mode first", "0"))
          .argParser(intInRange("--warmup", LIMITS.warmup.min, LIMITS.warmup.max)),
      )
      .addOption(
        new Option(
          "--lanes-sweep <list>",
          help(
            "--lanes-sweep",
            "run each mode with lanes at these counts (1,2,4,8 or 1..16) and chart speedup " +
              "against lanes",
          ),
        ).argParser((v) => parseLanesSweep(v).join(",")),
      )
      .addOption(new Option("--json", JSON_HELP))
      .addOption(new Option("--export <file>", exportHelp("all runs")))
      .addOption(new Option("--trace <file>", TRACE_HELP)),
  ).action(async (options) => {
    setExit(
      await compareCommand({
        ...shared(options),
        modes: options.modes !== undefined
          ? parseModes(options.modes)
          : [...defaultModeNames(), ...(options.redis !== undefined ? remoteModeNames() : [])],
        runs: options.runs,
        warmup: options.warmup,
        lanesSweep: options.lanesSweep === undefined
          ? undefined
          : parseLanesSweep(options.lanesSweep),
        ...outputs(options),
      }),
    );
  });

  withSharedOptions(
    program.command("tui", { isDefault: true })
      .description("open the live dashboard (the default on a terminal)")
      .addOption(
        new Option("-m, --mode <mode>", `mode selected at start: ${modeNames().join(", ")}`)
          .default(modeNames()[0])
          .argParser(oneOf("--mode", modeNames())),
      )
      .option("--no-color", "draw without colour (NO_COLOR is honoured too)"),
  ).action(async (options) => {
    // Loaded on demand: run, compare and child never pay for React and Ink.
    const { dashboardCommand } = await import("./commands/tui.tsx");
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
      new Option("--port <n>", help("--port", "port on 127.0.0.1", "0: any free port"))
        .argParser(intInRange("--port", LIMITS.port.min, LIMITS.port.max)),
    )
    .addOption(
      new Option(
        "--latency <ms>",
        help("--latency", "delay per page", n(SERVER_DEFAULTS.latencyMs)),
      )
        .argParser(intInRange("--latency", LIMITS.latencyMs.min, LIMITS.latencyMs.max)),
    )
    .addOption(
      new Option(
        "--jitter <ms>",
        help("--jitter", "seeded jitter around the latency", n(SERVER_DEFAULTS.jitterMs)),
      )
        .argParser(intInRange("--jitter", LIMITS.jitterMs.min, LIMITS.jitterMs.max)),
    )
    .addOption(
      new Option("--page-kb <n>", help("--page-kb", "page size in KB", n(SERVER_DEFAULTS.pageKb)))
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

  // The top-level help shows every command with every flag and its bounds, not just names.
  program.addHelpText("after", () => everyFlag(program));
  addWorkerCommand(program, setExit);

  program.command("child", { hidden: true })
    .description("one lane of subprocess mode: tasks in on stdin, results out on stdout")
    .addOption(
      new Option("--per-lane <n>").default(1).argParser(
        intInRange("--per-lane", LIMITS.perLane.min, LIMITS.perLane.max),
      ),
    )
    .option("--keep-net", "keep network access (the tasks download)")
    .option("--keep-module", "keep the grants of a user's module (its folder, its declarations)")
    .action(async (options) => {
      await runChild(options.perLane, options.keepNet === true, options.keepModule === true);
    });

  return program;
}

/** Every command's own flags, then the flags `run`, `compare` and `tui` share, with bounds. */
function everyFlag(program: Command): string {
  const helper = program.createHelp();
  helper.prepareContext({ helpWidth: 100 });
  const commands = program.commands.filter((c) => c.name() !== "child");
  const shared = new Set(
    commands.find((c) => c.name() === "run")!.options.map((o) => o.flags)
      .filter((flags) =>
        commands.find((c) => c.name() === "tui")!.options.some((o) => o.flags === flags)
      ),
  );
  shared.delete("-m, --mode <mode>");
  const width = Math.max(
    ...commands.flatMap((c) => c.options.map((o) => helper.optionTerm(o as Option).length)),
  );
  const item = (o: Option) =>
    helper.formatItem(helper.optionTerm(o), width, helper.optionDescription(o), helper);
  const lines: string[] = [];
  for (const command of commands) {
    lines.push("", `${command.name()}: ${command.description()}`);
    const own = command.name() === "serve"
      ? command.options
      : command.options.filter((o) => !shared.has(o.flags));
    for (const o of own as Option[]) lines.push(item(o));
  }
  lines.push("", "run, compare and tui also take:");
  const run = commands.find((c) => c.name() === "run")!;
  for (const o of run.options as Option[]) if (shared.has(o.flags)) lines.push(item(o));
  lines.push(
    "",
    "Each command's --help shows its flags alone. Exit codes: 0 done, 1 a task or a file failed,",
    "2 bad input or a missing permission (nothing ran), 130 cancelled by Ctrl-C or SIGTERM",
    "(serve: 0 when stopped by Ctrl-C or SIGTERM).",
  );
  return lines.join("\n");
}

/** Longest error line; quoted user text inside is shortened on its own. */
const MESSAGE_MAX = 2000;

/** Runs the command line and returns the exit code; user mistakes become one line on stderr. */
export async function main(
  args: readonly string[],
  asked = false,
  // The binary's way of asking, injectable so a test can take it without building one.
  standalone = Deno.build.standalone === true,
): Promise<number> {
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
      const missing = missingValue(program, err, args);
      if (missing !== undefined) {
        console.error(`conc101: ${safeText(missing, MESSAGE_MAX)}`);
        return EXIT.usage;
      }
      // Our parsers' messages already name the flag and range; drop commander's preamble.
      const message = err.message.replace(/^error: /, "").replace(
        /^option '.*?' argument '.*?' is invalid\. /,
        "",
      );
      console.error(`conc101: ${safeText(message, MESSAGE_MAX)}`);
      return EXIT.usage;
    }
    if (err instanceof MissingGrant && !asked && canAsk(standalone)) {
      // Nothing has started yet: the binary asks and runs the command again with the grant.
      if (standalone) {
        if (askHere(err.wanted)) return await main(args, true, standalone);
      } else {
        const restarted = await askAndRestart(err.wanted, args);
        if (restarted !== undefined) return restarted;
      }
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

/**
 * The line for a flag given without its value (`--size` at the end, `run` without `--mode`):
 * the same as for a bad value, naming what is allowed, with "got nothing".
 */
function missingValue(
  program: Command,
  err: CommanderError,
  args: readonly string[],
): string | undefined {
  if (
    err.code !== "commander.optionMissingArgument" &&
    err.code !== "commander.missingMandatoryOptionValue"
  ) return undefined;
  const flags = err.message.match(/option '([^']+)'/)?.[1];
  // The command's own option first: `run` and `compare` describe `--export` differently.
  const named = program.commands.find((c) => c.name() === args[0]);
  const option = [...(named ? [named] : []), program, ...program.commands]
    .flatMap((c) => c.options as Option[]).find((o) => o.flags === flags);
  if (option === undefined) return undefined;
  const name = option.long ?? option.flags;
  const parse = (option as { parseArg?: (value: string, previous: unknown) => unknown }).parseArg;
  if (parse !== undefined) {
    try {
      parse("", undefined);
    } catch (parseError) {
      if (parseError instanceof InvalidArgumentError || parseError instanceof UsageError) {
        return parseError.message.replace(/(got )?""/, "got nothing");
      }
    }
  }
  const what = option.flags.match(/<([^>]+)>/)?.[1] ?? "a value";
  return `${name} needs <${what}>: ${option.description}; got nothing`;
}

/** The flags as parsed, before they become {@link SharedOptions}. */
interface ParsedShared {
  workload: string;
  lanes?: number;
  tasks?: number;
  chunk?: number | "auto";
  taskTimeout?: number;
  redis?: string;
}

/**
 * Renames parsed flags to the options the workloads and runner read. Every workload reads its
 * own flags, so a flag given with the wrong workload is still seen (and refused).
 */
function shared(o: ParsedShared): SharedOptions {
  const own = workloads().map((w) => readOptions(w, o as unknown as Record<string, unknown>));
  const given = Object.assign(
    {},
    ...own.map((options) =>
      Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
    ),
  );
  return {
    ...given,
    workload: o.workload,
    lanes: o.lanes,
    tasks: o.tasks,
    chunk: o.chunk,
    taskTimeoutMs: o.taskTimeout,
    redis: o.redis,
  };
}
