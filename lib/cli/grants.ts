/**
 * What the user names on the command line (a workload module and what it declares, a
 * `--urls` file, `--url` hosts, `--export` and `--trace` folders) and the program was not
 * granted. Without a terminal that is one line naming the flag. On a terminal, Deno's own
 * prompt asks for exactly those resources, in a small process of their own that holds no
 * grant and does nothing else; when the user allows them, the program starts again with
 * them added to its grant.
 *
 * Why not prompt in this process: a prompt is process-wide, and workers cannot be told to
 * deny rather than ask, so a task that touched anything undeclared would stop the run at
 * "Allow? [y/n/A]" under the dashboard's raw mode. This process keeps `--no-prompt`.
 */
import { UsageError } from "./errors.ts";
import { ENV_VARS } from "../lanes/permissions.ts";

/** A resource the user named and this process may not use yet. */
export class MissingGrant extends UsageError {
  constructor(message: string, readonly wanted: readonly Deno.PermissionDescriptor[]) {
    super(message);
    this.name = "MissingGrant";
  }
}

/** Every user-named resource checked so far; carried over when the program starts again. */
const named: Deno.PermissionDescriptor[] = [];

/**
 * Fails with `message` (naming the flags to add, built from what is missing) unless every
 * resource in `wanted` is granted.
 */
export function requireGrant(
  wanted: readonly Deno.PermissionDescriptor[],
  message: string | ((missing: readonly Deno.PermissionDescriptor[]) => string),
): void {
  named.push(...wanted);
  const missing = wanted.filter((d) => Deno.permissions.querySync(d).state !== "granted");
  if (missing.length === 0) return;
  throw new MissingGrant(typeof message === "string" ? message : message(missing), missing);
}

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const ASK_ENTRY = new URL("./ask_entry.ts", import.meta.url).pathname;

/** True when Deno's prompt can be shown (and the script can start itself again). */
export function canAsk(standalone = Deno.build.standalone === true): boolean {
  if (!Deno.stdin.isTerminal() || !Deno.stderr.isTerminal()) return false;
  return standalone || granted({ name: "run", command: Deno.execPath() });
}

/**
 * The compiled binary's way: its grant is fixed at build time, so it cannot start itself
 * again with more. It is built without `--no-prompt` and asks here, in this process, before
 * anything starts; it runs only the built-in workloads, whose every other use of a
 * permission is checked with a query first and never prompts. True when all were allowed.
 */
export function askHere(wanted: readonly Deno.PermissionDescriptor[]): boolean {
  return wanted.every((d) => Deno.permissions.requestSync(d).state === "granted");
}

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}

/** What this process holds of the tasks' standing grant, and the user-named resources. */
function grantFlags(extra: readonly Deno.PermissionDescriptor[]): string[] | undefined {
  const lists = {
    read: [] as string[],
    write: [] as string[],
    net: [] as string[],
    env: [] as string[],
    run: [] as string[],
    sys: [] as string[],
  };
  const standing: Deno.PermissionDescriptor[] = [
    { name: "read", path: ROOT },
    { name: "write", path: `${ROOT}/out` },
    { name: "write", path: `${ROOT}/bench` },
    { name: "sys", kind: "cpus" },
    { name: "net", host: "127.0.0.1" },
    { name: "run", command: Deno.execPath() },
    { name: "run", command: "redis-server" },
    ...ENV_VARS.map((variable) => ({ name: "env", variable }) as const),
  ];
  for (const d of [...standing.filter(granted), ...named.filter(granted), ...extra]) {
    const value = d.name === "read" || d.name === "write"
      ? d.path
      : d.name === "net"
      ? d.host
      : d.name === "env"
      ? d.variable
      : d.name === "run"
      ? d.command
      : d.name === "sys"
      ? d.kind
      : undefined;
    if (value === undefined || d.name === "ffi" || d.name === "import") return undefined;
    // A comma would split the flag's list: such a name cannot be granted on a command line.
    if (String(value).includes(",")) return undefined;
    const list = lists[d.name];
    if (!list.includes(String(value))) list.push(String(value));
  }
  return [
    "--no-prompt",
    "--ignore-env",
    ...Object.entries(lists).filter(([, list]) => list.length > 0)
      .map(([name, list]) => `--allow-${name}=${list.join(",")}`),
  ];
}

/**
 * Asks for `wanted` with Deno's prompt in a process of its own; when every one is allowed,
 * runs this program again with them granted and returns its exit code. Undefined when the
 * user said no (or the grant cannot be written as a flag): the caller prints its one line.
 */
export async function askAndRestart(
  wanted: readonly Deno.PermissionDescriptor[],
  args: readonly string[],
): Promise<number | undefined> {
  const flags = grantFlags(wanted);
  if (flags === undefined) return undefined;
  const asker = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-config", "--no-lock", ASK_ENTRY, JSON.stringify(wanted)],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (asker.code !== 0) return undefined;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${ROOT}/deno.json`,
      ...flags,
      `${ROOT}/main.ts`,
      ...args,
    ],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  // Ctrl-C reaches the child from the terminal; SIGTERM reaches this process only.
  const forward = () => {
    try {
      child.kill("SIGTERM");
    } catch { /* gone already */ }
  };
  const ignore = () => {};
  Deno.addSignalListener("SIGTERM", forward);
  Deno.addSignalListener("SIGINT", ignore);
  try {
    const status = await child.status;
    return status.signal ? 128 + signalNumber(status.signal) : status.code;
  } finally {
    Deno.removeSignalListener("SIGTERM", forward);
    Deno.removeSignalListener("SIGINT", ignore);
  }
}

function signalNumber(signal: Deno.Signal): number {
  return signal === "SIGINT" ? 2 : signal === "SIGKILL" ? 9 : signal === "SIGTERM" ? 15 : 1;
}
