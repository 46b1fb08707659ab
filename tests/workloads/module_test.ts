/**
 * A user's workload module (`--workload PATH`): the examples in every mode, every error of
 * the contract as one line with exit 2 and nothing run, and run-time errors that end their
 * task alone. Broken modules are written at test time into a folder of the test's own:
 * they would fail `deno task check` as files of the repository.
 */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { runMain, withProjectTempDir } from "../helpers.ts";

const PUBLIC = new URL("../../workload.ts", import.meta.url).pathname;
const LOCAL_MODES = ["sequential", "async", "workers", "subprocess"];

/** A module that imports the public module by absolute path, with `body` as its object. */
function moduleText(body: string, imports = ""): string {
  return `import { defineWorkload } from ${JSON.stringify(PUBLIC)};\n${imports}\n` +
    `export default defineWorkload(${body});\n`;
}

/** A plain module: tasks 1..n, run doubles, verify checks it. */
const DOUBLE = `{
  name: "double",
  tasks: ({ tasks = 3 }) => Array.from({ length: tasks }, (_, i) => i + 1),
  run: (n: number) => Promise.resolve(n * 2),
  verify: (n: number, r: number) => r === n * 2,
}`;

interface RunJson {
  mode: string;
  status: string;
  verifiedCount: number;
  tasks: { id: number; verified: boolean; error?: string }[];
}

async function compareJson(args: readonly string[]) {
  const out = await runMain(["compare", "--json", ...args]);
  return { out, json: out.code === 0 || out.code === 1 ? JSON.parse(out.stdout) : undefined };
}

const EXAMPLES: Record<string, string[]> = {
  primes: ["--tasks", "4", "--size", "20000"],
  gzip: ["--tasks", "4", "--size", "64"],
  timers: ["--tasks", "6", "--size", "60"],
};

for (const [name, small] of Object.entries(EXAMPLES)) {
  Deno.test(`examples/${name}.ts runs in all four modes with every task verified`, async () => {
    const { out, json } = await compareJson(["--workload", `examples/${name}.ts`, ...small]);
    assertEquals(out.code, 0, out.stderr);
    assertEquals(json.workload, name);
    const runs = json.runs as RunJson[];
    assertEquals(runs.map((r) => r.mode), LOCAL_MODES);
    for (const run of runs) {
      assertEquals(run.status, "done", `${run.mode}: ${JSON.stringify(run.tasks)}`);
      assertEquals(run.verifiedCount, Number(small[1]), run.mode);
    }
  });
}

/** Writes `files` into a fresh folder of the project, then runs `args` with `{dir}` filled in. */
async function withModules(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  await withProjectTempDir(async (dir) => {
    for (const [file, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${file}`, text);
    }
    await fn(dir);
  });
}

/** One line on stderr, nothing on stdout, exit code 2: nothing ran. */
function assertRefused(out: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  assertEquals(out.code, 2, out.stderr);
  assertEquals(out.stdout, "");
  const lines = out.stderr.trim().split("\n");
  assertEquals(lines.length, 1, out.stderr);
  assertMatch(lines[0], pattern);
  assert_(!/^\s+at /m.test(out.stderr), out.stderr);
}

const LOAD_ERRORS: [string, string, RegExp][] = [
  ["a syntax error", "export default {\n  name: 'x',,\n};\n", /bad\.ts:2: /],
  [
    "a type error",
    moduleText(
      `{ name: "x", tasks: () => [1], run: (n: number) => Promise.resolve(n.toUpperCase()) }`,
    ),
    /bad\.ts:\d+: .*toUpperCase/,
  ],
  ["no default export", "export const x = 1;\n", /no default export/],
  ["no run", `export default { name: "x", tasks: () => [1] };\n`, /has no run\(\) function/],
  [
    "no tasks",
    `export default { name: "x", run: () => Promise.resolve(1) };\n`,
    /has no tasks\(\) function/,
  ],
  [
    "tasks returning a non-array",
    `export default { name: "x", tasks: () => 3, run: () => Promise.resolve(1) };\n`,
    /tasks\(\) must return an array .*got number/,
  ],
  [
    "tasks returning an empty array",
    `export default { name: "x", tasks: () => [], run: () => Promise.resolve(1) };\n`,
    /tasks\(\) returned no tasks \(allowed: 1 to 10,000\)/,
  ],
  [
    "tasks returning more than 10,000 inputs",
    `export default { name: "x", tasks: () => Array(10001).fill(0), run: () => Promise.resolve(1) };\n`,
    /tasks\(\) returned 10,001 tasks \(allowed: 1 to 10,000\)/,
  ],
  [
    "an input that does not survive JSON",
    `export default { name: "x", tasks: () => [1, 2, { n: 3n }], run: () => Promise.resolve(1) };\n`,
    /the input of task 2\.n is a bigint/,
  ],
  [
    "a name a built-in workload has",
    `export default { name: "cpu", tasks: () => [1], run: () => Promise.resolve(1) };\n`,
    /its name "cpu" is taken by a built-in workload/,
  ],
];

for (const [what, text, pattern] of LOAD_ERRORS) {
  Deno.test(`--workload with ${what} is one line, exit 2, nothing run`, async () => {
    await withModules({ "bad.ts": text }, async (dir) => {
      for (const command of [["run", "--mode", "workers"], ["compare"]]) {
        assertRefused(await runMain([...command, "--workload", `${dir}/bad.ts`]), pattern);
      }
    });
  });
}

Deno.test("--workload naming a missing module is one line, exit 2", async () => {
  await withModules({}, async (dir) => {
    assertRefused(
      await runMain(["run", "--mode", "async", "--workload", `${dir}/absent.ts`]),
      /absent\.ts: no such file \(allowed: a \.ts or \.js module\)/,
    );
  });
});

Deno.test("--workload naming a folder is one line, exit 2", async () => {
  await withModules({}, async (dir) => {
    await Deno.mkdir(`${dir}/folder.ts`);
    assertRefused(
      await runMain(["run", "--mode", "async", "--workload", `${dir}/folder.ts`]),
      /folder\.ts: not a file \(allowed: a \.ts or \.js module\)/,
    );
  });
});

Deno.test("--workload outside the granted folders without a terminal names the flag to add", async () => {
  // Standard input is not a terminal here: no prompt, the one line instead.
  assertRefused(
    await runMain(["compare", "--workload", "/nonexistent-conc101-folder/mine.ts"]),
    /reading its folder is not granted: run deno with --allow-read=\/nonexistent-conc101-folder$/,
  );
});

Deno.test("--workload must be a built-in name or a .ts/.js path or a file: URL", async () => {
  assertRefused(
    await runMain(["compare", "--workload", "mine.py"]),
    /--workload must be one of cpu, io, race, or a module .* got "mine\.py"/,
  );
});

Deno.test("a module that declares permissions it was not granted is refused, naming them", async () => {
  const text = moduleText(`{
    name: "needs",
    permissions: { read: ["/nonexistent-conc101-data"], net: ["example.com:443"] },
    tasks: () => [1],
    run: () => Promise.resolve(1),
  }`);
  await withModules({ "needs.ts": text }, async (dir) => {
    assertRefused(
      await runMain(["compare", "--workload", `${dir}/needs.ts`]),
      /declares permissions not granted: run deno with --allow-read=\/nonexistent-conc101-data --allow-net=example\.com:443/,
    );
  });
});

Deno.test("a module given as a file: URL runs like its path", async () => {
  await withModules({ "double.ts": moduleText(DOUBLE) }, async (dir) => {
    const out = await runMain([
      "run",
      "--mode",
      "async",
      "--json",
      "--workload",
      `file://${dir}/double.ts`,
    ]);
    assertEquals(out.code, 0, out.stderr);
    assertEquals(JSON.parse(out.stdout).verifiedCount, 3);
  });
});

/** A module whose task 1 misbehaves as `bad` says; tasks 0 and 2 return their input. */
function misbehaving(bad: string, imports = ""): string {
  return moduleText(
    `{
    name: "mixed",
    tasks: () => [0, 1, 2],
    async run(n: number, ctx) {
      if (n === 1) { ${bad} }
      await ctx.checkpoint();
      return n;
    },
    verify: (n: number, r: unknown) => r === n,
  }`,
    imports,
  );
}

const RUN_ERRORS: [string, string, RegExp, readonly string[], readonly string[]][] = [
  ["throws", `throw new Error("no luck with " + n);`, /no luck with 1/, LOCAL_MODES, []],
  [
    "returns a result that does not survive JSON",
    `return new Map() as unknown as number;`,
    /run\(\) returned a result that does not survive JSON: its result is a Map/,
    LOCAL_MODES,
    [],
  ],
  [
    "uses a permission it did not declare",
    `await Deno.readTextFile("/etc/hostname");`,
    /read access to \/etc\/hostname was not declared: add permissions: \{ read: \["\/etc\/hostname"\] \}/,
    LOCAL_MODES,
    [],
  ],
  [
    "hangs",
    `await new Promise(() => {});`,
    /timed out after 800 ms/,
    LOCAL_MODES,
    ["--task-timeout", "800"],
  ],
  [
    "calls Deno.exit",
    `Deno.exit(3);`,
    /a task called Deno\.exit\(3\)|child process \d+ exited with code 3/,
    ["workers", "subprocess"],
    [],
  ],
];

for (const [what, bad, pattern, modes, extra] of RUN_ERRORS) {
  Deno.test(`a module task that ${what} ends alone with a readable error; the run goes on`, async () => {
    await withModules({ "mixed.ts": misbehaving(bad) }, async (dir) => {
      const { out, json } = await compareJson([
        "--modes",
        modes.join(","),
        "--workload",
        `${dir}/mixed.ts`,
        "--lanes",
        "1",
        ...extra,
      ]);
      assertEquals(out.code, 1, out.stderr);
      for (const run of json.runs as RunJson[]) {
        const [t0, t1, t2] = [...run.tasks].sort((a, b) => a.id - b.id);
        assertMatch(t1.error ?? "", pattern, `${run.mode}: ${JSON.stringify(run.tasks)}`);
        assert_(t0.verified && t2.verified, `${run.mode}: ${JSON.stringify(run.tasks)}`);
      }
    });
  });
}

Deno.test("a module's state exists once per isolate: once a worker, once a child", async () => {
  // Each task returns how many tasks its isolate has run before it, counted in module state.
  const text = moduleText(
    `{
    name: "counter",
    tasks: () => [0, 1, 2, 3],
    run: () => Promise.resolve(++count),
  }`,
    "let count = 0;",
  );
  await withModules({ "counter.ts": text }, async (dir) => {
    const { out, json } = await compareJson([
      "--modes",
      "sequential,workers,subprocess",
      "--workload",
      `${dir}/counter.ts`,
      "--lanes",
      "1",
    ]);
    assertEquals(out.code, 0, out.stderr);
    const results = (json.runs as { mode: string; tasks: { result: number }[] }[]).map((r) => [
      r.mode,
      r.tasks.map((t) => t.result),
    ]);
    // The main thread's copy also ran tasks() (which does not count); one lane counts 1..4.
    assertEquals(results, [
      ["sequential", [1, 2, 3, 4]],
      ["workers", [1, 2, 3, 4]],
      ["subprocess", [1, 2, 3, 4]],
    ]);
  });
});

Deno.test("the README's minimal module runs as shown, in all four modes", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const section = readme.split("## Bring your own workload")[1];
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  assert_(code, "no ts block in the README's section");
  assertEquals(code.split("\n").filter((l) => l.trim() !== "").length <= 20, true, code);
  const text = code.replace(`"./workload.ts"`, JSON.stringify(PUBLIC));
  await withModules({ "mine.ts": text }, async (dir) => {
    const { out, json } = await compareJson([
      "--workload",
      `${dir}/mine.ts`,
      "--tasks",
      "3",
      "--size",
      "200000",
    ]);
    assertEquals(out.code, 0, out.stderr);
    assertEquals(json.workload, "squares");
    for (const run of json.runs as RunJson[]) assertEquals(run.verifiedCount, 3, run.mode);
  });
});

Deno.test("cluster mode refuses a module in one line: other machines do not have the file", async () => {
  assertRefused(
    await runMain(["run", "--mode", "cluster", "--workload", "examples/timers.ts"]),
    /cluster mode cannot run --workload timers: its tasks cannot travel as jobs/,
  );
});
