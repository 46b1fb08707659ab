import { sleep } from "./concurrency.ts";
/**
 * Everything the program started that must not outlive it. Pools stop their own lanes; this
 * registry is the last resort when the program exits before a pool could (a second Ctrl-C).
 */
const killers = new Set<() => void>();

/** Registers a synchronous kill; returns the function that forgets it. */
export function track(kill: () => void): () => void {
  killers.add(kill);
  return () => killers.delete(kill);
}

/**
 * Starts `command` with stdin and stderr piped, registered so that any exit kills it; returns
 * the child and the function that forgets it once it is gone.
 */
export function spawnTracked(
  command: string,
  args: readonly string[],
  stdout: "piped" | "null",
): { child: Deno.ChildProcess; untrack: () => void } {
  const child = new Deno.Command(command, {
    args: [...args],
    stdin: "piped",
    stdout,
    stderr: "piped",
  })
    .spawn();
  return { child, untrack: track(() => child.kill("SIGKILL")) };
}

/** Kills everything still registered. */
export function killAll(): void {
  for (const kill of killers) {
    try {
      kill();
    } catch { /* already gone */ }
  }
  killers.clear();
}

/** How many things are registered: tests check that it drops back to zero. */
export function trackedCount(): number {
  return killers.size;
}

/** Kills what is left, then exits. */
export function exitNow(code: number): never {
  killAll();
  Deno.exit(code);
}

/**
 * Ends `child`: SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves once
 * `exited` (the child's status, or what its owner chains on it) has.
 */
export async function terminate(
  child: Deno.ChildProcess,
  exited: Promise<unknown>,
  graceMs: number,
): Promise<void> {
  const send = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch { /* already gone */ }
  };
  send("SIGTERM");
  const grace = new AbortController();
  const inTime = await Promise.race([
    exited.then(() => true),
    sleep(graceMs, grace.signal).then(() => false),
  ]);
  grace.abort();
  if (!inTime) send("SIGKILL");
  await exited;
}
