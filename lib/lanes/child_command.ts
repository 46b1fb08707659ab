/** How a child process of subprocess mode is started: the program itself, `child` subcommand. */

/** What the builder needs to know about the running program. */
export interface ChildCommandOptions {
  /** `Deno.build.standalone`: true inside a `deno compile` binary. */
  readonly standalone: boolean;
  /** `Deno.execPath()`: the deno executable, or the compiled binary itself. */
  readonly execPath: string;
  /** Path of `main.ts` (script case only). */
  readonly mainModule: string;
  /** Path of `deno.json`, so the child resolves the same imports and lock file. */
  readonly configPath: string;
  /** Permission flags the workload needs in the child, e.g. `--allow-net=127.0.0.1`. */
  readonly permissions: readonly string[];
  /** Tasks the child may run at once. */
  readonly perLane: number;
  /** The tasks come from a user's module: the child keeps the grants in `permissions`. */
  readonly keepModule?: boolean;
}

/** The command and arguments that start one child. */
export function childCommand(options: ChildCommandOptions): { command: string; args: string[] } {
  // A child gives back every permission at start, the network too unless it downloads.
  const net = options.permissions.some((p) => p.startsWith("--allow-net"));
  const childArgs = [
    "child",
    "--per-lane",
    String(options.perLane),
    ...(net ? ["--keep-net"] : []),
    ...(options.keepModule ? ["--keep-module"] : []),
  ];
  if (options.standalone) {
    // A compiled binary carries its own permissions (the child drops them); it re-executes
    // itself by the path it runs from.
    return { command: options.execPath, args: childArgs };
  }
  return {
    command: options.execPath,
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${options.configPath}`,
      ...options.permissions,
      options.mainModule,
      ...childArgs,
    ],
  };
}

/** The builder's options for this very program. */
export function thisProgram(
  permissions: readonly string[],
  perLane: number,
  keepModule = false,
): ChildCommandOptions {
  return {
    standalone: Deno.build.standalone === true,
    execPath: Deno.execPath(),
    mainModule: new URL("../../main.ts", import.meta.url).pathname,
    configPath: new URL("../../deno.json", import.meta.url).pathname,
    permissions,
    perLane,
    keepModule,
  };
}
