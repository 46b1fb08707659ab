import { registerMode } from "../lib/modes/mod.ts";
/** Shared test helpers: run the program, look for processes left behind. */
import { programPermissions } from "../lib/lanes/permissions.ts";

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

/** Runs `ps` with `args`: its output lines and its own pid (which is no test's business). */
async function psWithPid(args: string[]): Promise<{ rows: string[]; pid: number }> {
  // Deno asks for --allow-all to read /proc, so ask ps instead.
  const child = new Deno.Command("ps", { args, stdout: "piped", stderr: "null" }).spawn();
  const out = await child.output();
  const rows = new TextDecoder().decode(out.stdout).split("\n").filter((l) => l.trim() !== "");
  return { rows, pid: child.pid };
}

async function ps(args: string[]): Promise<string[]> {
  return (await psWithPid(args)).rows;
}

/** A process seen by `ps`: its pid and command line. */
export interface Proc {
  readonly pid: number;
  readonly args: string;
}

/**
 * The live processes below `root` (children, their children, ...), found by walking the
 * parent links `ps` reports: only the tree a test started, whatever else runs on the machine.
 * Zombies (exited, not yet reaped) and the `ps` this asks are left out.
 */
export async function descendants(root: number): Promise<Proc[]> {
  const { rows: lines, pid: self } = await psWithPid(["-e", "-o", "pid=,ppid=,stat=,args="]);
  const rows = lines.map((r) => {
    const [pid, ppid, stat, ...args] = r.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), stat, args: args.join(" ") };
  });
  const found: Proc[] = [];
  const parents = new Set([root]);
  // Parents come before children in pid order only mostly; repeat until nothing is added.
  for (let added = true; added;) {
    added = false;
    for (const r of rows) {
      if (!parents.has(r.ppid) || parents.has(r.pid)) continue;
      parents.add(r.pid);
      added = true;
      if (!r.stat.startsWith("Z") && r.pid !== self) found.push({ pid: r.pid, args: r.args });
    }
  }
  return found;
}

/**
 * Which of `procs` still run: same pid and same command line, so a pid the system has since
 * handed to another program does not count. An orphan's parent changes, so check by pid.
 */
export async function stillRunning(procs: readonly Proc[]): Promise<Proc[]> {
  if (procs.length === 0) return [];
  const rows = await ps(["-o", "pid=,stat=,args=", "-p", procs.map((p) => p.pid).join(",")]);
  const live = new Set(
    rows.map((r) => r.trim().split(/\s+/)).filter(([, stat]) => !stat.startsWith("Z"))
      .map(([pid, , ...args]) => `${pid} ${args.join(" ")}`),
  );
  return procs.filter((p) => live.has(`${p.pid} ${p.args}`));
}

/**
 * Waits up to `ms` until no process with one of `pids` runs whose command line matches `args`
 * (a pid the system gave to another program since does not count); returns those that do.
 */
export async function waitPidsGone(pids: readonly number[], args: RegExp, ms = 3000) {
  let left: number[] = [];
  await waitFor(async () => {
    if (pids.length === 0) return true;
    const rows = await ps(["-o", "pid=,stat=,args=", "-p", pids.join(",")]);
    left = rows.map((r) => r.trim().split(/\s+/))
      .filter(([, stat, ...rest]) => !stat.startsWith("Z") && args.test(rest.join(" ")))
      .map(([pid]) => Number(pid));
    return left.length === 0;
  }, ms);
  return left;
}

/** `run` of 6 tasks long enough (n = 2,000,000,000) to be stopped mid-way, on 2 lanes. */
export const longRun = (mode: string): string[] => [
  "run",
  "--mode",
  mode,
  "--tasks",
  "6",
  "--size",
  "2000000000",
  "--lanes",
  "2",
  "--json",
];

/** Registers a mode "broken" whose run rejects with `message`; returns its removal. */
export function registerBrokenMode(message: string): () => void {
  return registerMode({
    name: "broken",
    parallel: false,
    local: false,
    switching: "nobody: it never starts",
    help: ["a mode whose pool cannot start."],
    laneKind: "main",
    defaultLanes: () => 1,
    run: () => Promise.reject(new Error(message)),
  });
}

/** Our hidden `child` subcommand, as it shows in `ps` for a script or a compiled binary. */
export const isChildCommand = (p: Proc): boolean => /main\.ts child\b|conc101 child\b/.test(p.args);

/** The `child` processes below `root`. */
export async function childLanes(root: number): Promise<Proc[]> {
  return (await descendants(root)).filter(isChildCommand);
}

/**
 * Web Worker threads of process `pid`: Deno names each one `worker-N`. Threads are invisible
 * to a process tree, so workers are counted here.
 */
export async function workerThreads(pid: number): Promise<number> {
  const rows = await ps(["-L", "-o", "comm=", "-p", String(pid)]);
  return rows.filter((r) => /^worker-\d+$/.test(r.trim())).length;
}

/** Waits up to `ms` until no process below `root` is left; returns those still there. */
export async function waitNoDescendants(root: number, ms = 3000): Promise<Proc[]> {
  let left: Proc[] = [];
  await waitFor(async () => (left = await descendants(root)).length === 0, ms);
  return left;
}

/** Waits up to `ms` until none of `procs` runs; returns those still running. */
export async function waitGone(procs: readonly Proc[], ms = 3000): Promise<Proc[]> {
  let left: Proc[] = [];
  await waitFor(async () => (left = await stillRunning(procs)).length === 0, ms);
  return left;
}

/**
 * Notes every process that appears below `root` until `stop` is called, so a test can check
 * afterwards that none outlived it (an orphan leaves the tree when its parent exits).
 */
export function watchTree(root: number): { stop(): Promise<Proc[]> } {
  const seen = new Map<number, Proc>();
  let watching = true;
  const loop = (async () => {
    while (watching) {
      for (const p of await descendants(root)) seen.set(p.pid, p);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      return [...seen.values()];
    },
  };
}

/** Runs `command` to its end, noting every process it started below it. */
export async function outputWatched(
  command: Deno.Command,
): Promise<Output & { started: Proc[] }> {
  const child = command.spawn();
  const watch = watchTree(child.pid);
  const output = await child.output();
  return { ...decodeOutput(output), started: await watch.stop() };
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

/** The process id a lane's label ends with (`pid 4711`, `host:4711`), if any. */
export function lanePid(label: string | undefined): number | undefined {
  const pid = Number(/(\d+)$/.exec(label ?? "")?.[1]);
  return Number.isSafeInteger(pid) ? pid : undefined;
}
