/**
 * A new mode or workload is one object plus one registry line: a fake sixth mode and a fake
 * third workload, registered here, show up in `--help`, the dashboard's tabs and workload
 * switch, and `compare`, with nothing else told about them.
 */
import { render } from "ink-testing-library";
import { assert_, assertEquals, assertMatch } from "./assert.ts";
import { waitFor } from "./helpers.ts";
import { buildProgram, main } from "../lib/cli/program.ts";
import { registerMode } from "../lib/modes/mod.ts";
import type { Mode } from "../lib/modes/types.ts";
import { sleep } from "../lib/process/concurrency.ts";
import { Dashboard } from "../lib/ui/app.tsx";
import { themeFor } from "../lib/ui/theme.ts";
import { registerWorkload } from "../lib/workloads/registry.ts";
import type { Workload } from "../lib/workloads/types.ts";

/** Runs every task at once on the main thread, one lane each. */
const fakeMode: Mode = {
  name: "fake",
  parallel: false,
  local: true,
  switching: "a fake mode: everything at once",
  help: ["a fake mode registered by a test."],
  laneKind: "main",
  defaultLanes: ({ tasks }) => tasks,
  async run(tasks, ctx) {
    await Promise.all(tasks.map(async (task, lane) => {
      ctx.emit({ type: "lane-up", lane, label: `fake:${lane}` });
      ctx.emit({ type: "task-start", id: task.id, lane });
      const result = await ctx.workload.run(task.input, {
        signal: ctx.signal,
        progress: () => {},
        checkpoint: () => {},
      });
      ctx.emit({
        type: "task-end",
        id: task.id,
        result,
        verified: ctx.workload.verify(task.input, result),
      });
    }));
  },
};

/** Tasks that sleep `--nap` ms each. */
const napWorkload: Workload<{ ms: number }, string> = {
  name: "nap",
  bound: "io",
  flags: [{
    flag: "--nap <ms>",
    option: "napMs",
    help: "how long each task sleeps",
    limits: { min: 0, max: 1000 },
    byDefault: "5",
  }],
  taskCount: (options) => options.tasks ?? 3,
  preview: (options) => ({
    summary: `${options.tasks ?? 3} naps`,
    labels: Array.from({ length: options.tasks ?? 3 }, (_, i) => `nap ${i}`),
  }),
  prepare(options) {
    const ms = (options.napMs as number | undefined) ?? 5;
    const count = options.tasks ?? 3;
    return Promise.resolve({
      tasks: Array.from({ length: count }, (_, id) => ({ id, input: { ms } })),
      netHosts: [],
      summary: `${count} naps of ${ms} ms`,
      close: () => Promise.resolve(),
    });
  },
  run: async (input, ctx) => {
    await sleep(input.ms, ctx.signal);
    return "rested";
  },
  verify: (_input, result) => result === "rested",
  describe: (input) => `nap ${input.ms} ms`,
};

/** Registers both for the length of `body`. */
async function withFakes(body: () => Promise<void>) {
  const unregister = [registerMode(fakeMode), registerWorkload(napWorkload as Workload)];
  try {
    await body();
  } finally {
    for (const undo of unregister) undo();
  }
}

Deno.test("a registered mode and workload appear in --help", () =>
  withFakes(async () => {
    const program = buildProgram(() => {});
    assertMatch(
      program.helpInformation(),
      /five ways \(sequential, async, workers, subprocess, fake\), or on\s+a cluster \(cluster\)/,
    );
    const compare = program.commands.find((c) => c.name() === "compare")!.helpInformation();
    assertMatch(compare, /what to run: cpu or io or race or nap/);
    assertMatch(compare, /--nap <ms> +nap: how long each task sleeps \(0-1,000; default 5\)/);
    assertMatch(
      compare,
      /default:\s+sequential,async,workers,subprocess,fake,\s+and\s+cluster\s+with\s+--redis/,
    );
    const run = program.commands.find((c) => c.name() === "run")!.helpInformation();
    assertMatch(run, /one of sequential,\s+async,\s+workers,\s+subprocess,\s+cluster,\s+fake/);
    await Promise.resolve();
  }));

Deno.test("a registered mode and workload appear in the dashboard's tabs, keys and switch", {
  sanitizeOps: false,
  sanitizeResources: false,
}, () =>
  withFakes(async () => {
    const app = render(
      <Dashboard
        initial={{ mode: "sequential", workload: "cpu", tutorial: false, help: false }}
        options={{ workload: "cpu", tasks: 2, size: 1000 }}
        theme={themeFor(false)}
        terminalSize={{ columns: 100, rows: 30 }}
      />,
    );
    const frame = () => app.lastFrame() ?? "";
    const until = async (pattern: RegExp) =>
      assert_(await waitFor(() => pattern.test(frame()), 5000), `never ${pattern}:\n${frame()}`);
    await until(/5 cluster +6 fake +lanes 1/);
    assertMatch(frame(), /1-6 mode/);
    app.stdin.write("w");
    await until(/conc101 · io ·/);
    app.stdin.write("w");
    await until(/conc101 · race · 2 tasks × 1,000 increments/);
    app.stdin.write("w");
    await until(/conc101 · nap · 2 naps/);
    app.stdin.write("6");
    await until(/\[6 fake\] +lanes 2/);
    app.stdin.write("\r");
    await until(/done: fake in .* · 2 verified/);
    assertMatch(frame(), /fake +2 .* 2\/2/);
    app.stdin.write("?");
    await until(/fake +a fake mode registered by a test\./);
    app.unmount();
  }));

Deno.test("a registered mode and workload take part in compare", () =>
  withFakes(async () => {
    const printed: string[] = [];
    const log = console.log;
    console.log = (text: string) => void printed.push(text);
    let code;
    try {
      code = await main([
        "compare",
        "--workload",
        "nap",
        "--nap",
        "1",
        "--modes",
        "sequential,fake",
      ]);
    } finally {
      console.log = log;
    }
    assertEquals(code, 0);
    const text = printed.join("\n");
    assertMatch(text, /nap workload: 3 naps of 1 ms/);
    assertMatch(text, /^sequential +1 /m);
    assertMatch(text, /^fake +3 .* 3\/3 +done$/m);
    assertMatch(text, /fake +a fake mode: everything at once/);
  }));
