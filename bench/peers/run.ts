/**
 * One peer pool on the scale section's tasks, in a process of its own:
 * `run.ts <piscina|tinypool-child> <tasks> <size> <lanes> <runs>`. Prints one JSON line:
 * each run's wall time (the pool's start-up included, as conc101's wallMs includes its own)
 * and how many results matched the closed form. Both pools dispatch one task a message.
 */
import { closedForm } from "../../lib/workloads/cpu/sum_squares.ts";

const [peer, tasksArg, sizeArg, lanesArg, runsArg] = Deno.args;
const tasks = Number(tasksArg);
const size = Number(sizeArg);
const lanes = Number(lanesArg);
const runs = Number(runsArg);
const filename = new URL("./task.mjs", import.meta.url).href;

interface Pool {
  run(n: number): Promise<string>;
  destroy(): Promise<void>;
}

/** Loads the pool asked for (only that one) and returns how to start it. */
async function load(): Promise<() => Pool> {
  if (peer === "piscina") {
    const { Piscina } = await import("piscina");
    return () => new Piscina({ filename, minThreads: lanes, maxThreads: lanes });
  }
  if (peer === "tinypool-child") {
    const { default: Tinypool } = await import("tinypool");
    return () =>
      new Tinypool({ filename, runtime: "child_process", minThreads: lanes, maxThreads: lanes });
  }
  throw new Error(`unknown peer "${peer}" (allowed: piscina, tinypool-child)`);
}

// Loaded before the clock starts, as conc101's own modules are.
const start = await load();
const wallMs: number[] = [];
let verified = 0;
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const pool = start();
  const results = await Promise.all(Array.from({ length: tasks }, (_, x) => pool.run(size + x)));
  wallMs.push(performance.now() - t0);
  await pool.destroy();
  verified = results.filter((s, x) => s === closedForm(size + x).toString()).length;
}
console.log(JSON.stringify({ peer, tasks, size, lanes, wallMs, verified }));
