/** Shared test helpers: run the program, look for processes left behind. */
import { programPermissions } from "../lib/permissions.ts";

export const ROOT = new URL("../", import.meta.url).pathname;
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

/** The permissions the `cli` task grants, so tests see what users see. */
export const CLI_PERMISSIONS = programPermissions(ROOT, Deno.execPath());

export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** How to start `main.ts`: the CLI's permissions unless told otherwise, and more if asked. */
export interface MainOptions {
  readonly env?: Record<string, string>;
  readonly permissions?: readonly string[];
  readonly extraPermissions?: readonly string[];
}

/** The command that runs `main.ts` with `args`, its output piped, no standard input. */
export function mainCommand(args: readonly string[], options: MainOptions = {}): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      // As in the tasks, whatever permissions a test chooses: never a prompt.
      "--no-prompt",
      `--config=${CONFIG}`,
      ...(options.permissions ?? CLI_PERMISSIONS),
      ...(options.extraPermissions ?? []),
      MAIN,
      ...args,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
    cwd: ROOT,
  });
}

/** Runs `main.ts` with the CLI's permissions and returns its exit code and output. */
export async function runMain(
  args: readonly string[],
  env: Record<string, string> = {},
  extraPermissions: readonly string[] = [],
): Promise<Output> {
  return decodeOutput(await mainCommand(args, { env, extraPermissions }).output());
}

/** Exit code and text of a finished command. */
export function decodeOutput(out: Deno.CommandOutput): Output {
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** A temporary folder inside the project (which the CLI may read), removed afterwards. */
export async function withProjectTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  await Deno.mkdir(`${ROOT}.cache`, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: `${ROOT}.cache` });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function ps(args: string[]): Promise<string[]> {
  // Deno asks for --allow-all to read /proc, so ask ps instead.
  const out = await new Deno.Command("ps", { args, stdout: "piped", stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l.trim() !== "");
}

/** Pids of the live processes whose parent is `ppid` (zombies excluded). */
export async function childPids(ppid: number): Promise<number[]> {
  const rows = await ps(["-o", "pid=,stat=,comm=", "--ppid", String(ppid)]);
  return rows.map((r) => r.trim().split(/\s+/))
    .filter(([, stat, comm]) => !stat.startsWith("Z") && comm !== "ps")
    .map(([pid]) => Number(pid));
}

/** Pids of processes running our hidden `child` subcommand, anywhere on the machine. */
export async function childCommandPids(): Promise<number[]> {
  const rows = await ps(["-eo", "pid=,args="]);
  return rows.filter((r) => /main\.ts child\b|conc101 child\b/.test(r))
    .map((r) => Number(r.trim().split(/\s+/)[0]));
}

/** Waits until `check` holds, polling, for at most `ms`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  ms = 5000,
): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return await check();
}
