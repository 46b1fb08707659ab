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
