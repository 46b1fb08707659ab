/**
 * The harness's own cost per task, in a process of its own started with the program's flags
 * (the bench's process has run every other section by then, and its heap and JIT state made
 * a plain loop three times slower there): `harness.ts <tasks> <size> <rounds>`. Each round
 * times the workload's run and verify in a plain loop, then a sequential and an async run of
 * the same tasks; prints one JSON line with every round's figures.
 */
import { resolveSettings } from "../lib/cli/settings.ts";
import { measureModes } from "../lib/run/measure.ts";
import { cpuWorkload } from "../lib/workloads/cpu/workload.ts";

const [tasksArg, sizeArg, roundsArg] = Deno.args;
const tasks = Number(tasksArg);
const size = Number(sizeArg);
const rounds = Number(roundsArg);
const signal = new AbortController().signal;
const ctx = { signal, progress() {}, checkpoint: () => undefined };

async function plainLoop(): Promise<number> {
  const t0 = performance.now();
  for (let x = 0; x < tasks; x++) {
    const input = { n: size + x };
    if (!cpuWorkload.verify(input, await cpuWorkload.run(input, ctx))) {
      throw new Error(`the plain loop got task ${x} wrong`);
    }
  }
  return performance.now() - t0;
}

// Once unmeasured, so the first round's loop is not the only one that runs cold.
await plainLoop();
const settings = resolveSettings({ workload: "cpu", tasks, size });
const prepared = await settings.workload.prepare(settings.workloadOptions);
const bareMs: number[] = [];
const wallMs: Record<string, number[]> = { sequential: [], async: [] };
for (let r = 0; r < rounds; r++) {
  bareMs.push(await plainLoop());
  const measured = await measureModes(["sequential", "async"], settings, prepared, {
    runs: 1,
    warmup: 0,
    signal,
  });
  for (const m of measured) {
    if (!m.allVerified) throw new Error(`${m.mode} left tasks unverified`);
    wallMs[m.mode].push(m.runs[0].wallMs);
  }
}
await prepared.close();
console.log(JSON.stringify({ tasks, size, bareMs, wallMs }));
