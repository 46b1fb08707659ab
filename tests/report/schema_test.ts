import { assert_, assertEquals } from "../assert.ts";
import { runMain, withProjectTempDir } from "../helpers.ts";
import { type Schema, validate } from "./json_schema.ts";
import { modeNames } from "../../lib/modes/mod.ts";

const schema: Schema = JSON.parse(
  await Deno.readTextFile(new URL("../../schema/report.schema.json", import.meta.url)),
);
const defs = schema.$defs as Record<string, Schema>;
const against = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

/** Errors of `value` against one definition of the schema, or against the whole schema. */
const check = (value: unknown, name?: string) =>
  validate(value, name === undefined ? schema : against(name), schema);

Deno.test("the schema validator finds missing, extra, mistyped and out-of-range fields", () => {
  assert_(Object.keys(defs).length > 0);
  const task = { id: 0, input: { n: 1 }, label: "n=1", verified: true };
  assertEquals(check(task, "task"), []);
  assertEquals(check({ ...task, id: -1 }, "task"), ["$.id: -1 is below the minimum 0"]);
  assertEquals(check({ ...task, id: 0.5 }, "task"), ["$.id: expected integer, got number"]);
  assertEquals(check({ ...task, extra: 1 }, "task"), ['$: unexpected "extra"']);
  const { label: _, ...noLabel } = task;
  assertEquals(check(noLabel, "task"), ['$: missing "label"']);
  // A mode is any registered name, so a new mode needs no schema edit.
  for (const name of modeNames()) assertEquals(check(name, "mode"), [], name);
  assertEquals(check(4, "mode"), ["$: expected string, got number"]);
  let refused = "";
  try {
    validate(1, { pattern: "x" });
  } catch (err) {
    refused = (err as Error).message;
  }
  assertEquals(refused, 'json_schema.ts does not implement "pattern" (at $)');
});

Deno.test("run --json output conforms to the schema's run, cpu, io and race alike", async () => {
  for (
    const args of [
      ["--mode", "workers", "--tasks", "3", "--size", "1000"],
      ["--mode", "async", "--workload", "io", "--tasks", "4", "--latency", "0"],
      ["--mode", "async", "--workload", "race", "--update", "await", "--size", "100"],
    ]
  ) {
    const out = await runMain(["run", ...args, "--json"]);
    assertEquals(out.code, 0, out.stderr);
    const run = JSON.parse(out.stdout);
    assertEquals(check(run, "run"), [], args.join(" "));
    assertEquals(check(run), [], args.join(" "));
  }
});

Deno.test("compare --json conforms to the schema's report, each run once, modes by index", async () => {
  const out = await runMain(["compare", "--tasks", "2", "--size", "1000", "--runs", "2", "--json"]);
  assertEquals(out.code, 0, out.stderr);
  const report = JSON.parse(out.stdout);
  assertEquals(check(report, "report"), []);
  assertEquals(check(report), []);
  assertEquals(report.runs.length, 8);
  const indexes = report.modes.flatMap((m: { runIndexes: number[] }) => m.runIndexes);
  assertEquals([...indexes].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  for (const mode of report.modes) {
    for (const i of mode.runIndexes) assertEquals(report.runs[i].mode, mode.mode);
  }
  assertEquals(check(report.advice, "advice"), []);
  assertEquals(report.sweep, undefined);
});

Deno.test("compare --lanes-sweep --json conforms to the schema, with every point", async () => {
  const out = await runMain(
    ["compare", "--tasks", "3", "--size", "1000", "--lanes-sweep", "1,2,8", "--json"],
  );
  assertEquals(out.code, 0, out.stderr);
  const report = JSON.parse(out.stdout);
  assertEquals(check(report, "report"), []);
  assertEquals(check(report), []);
  assertEquals(report.sweep.counts, [1, 2, 8]);
  // Async runs no more slots than its 3 tasks.
  assertEquals(
    report.sweep.curves.map((c: { mode: string; points: { lanes: number }[] }) => [
      c.mode,
      c.points.map((p) => p.lanes),
    ]),
    [["async", [1, 2, 3]], ["workers", [1, 2, 8]], ["subprocess", [1, 2, 8]]],
  );
  assertEquals(report.modes.length, 1 + 3 + 3 + 3);
  assertEquals(report.runs.length, 10);
  assertEquals(check(report.advice, "advice"), []);
});

Deno.test("the schema's advice takes a mode and lanes, or null for both", () => {
  const advice = { bound: "cpu", summary: "s", mode: "workers", lanes: 2, reasons: ["r 1"] };
  assertEquals(check(advice, "advice"), []);
  assertEquals(check({ ...advice, mode: null, lanes: null }, "advice"), []);
  assertEquals(check({ ...advice, lanes: 0 }, "advice").length > 0, true);
  assertEquals(check({ ...advice, bound: "gpu" }, "advice").length > 0, true);
});

Deno.test("a JSON export of run conforms to the schema's report", async () => {
  await withProjectTempDir(async (dir) => {
    const out = await runMain(
      ["run", "--mode", "sequential", "--tasks", "2", "--size", "10", "--export", `${dir}/r.json`],
      {},
      [`--allow-write=${dir}`],
    );
    assertEquals(out.code, 0, out.stderr);
    const report = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    assertEquals(check(report, "report"), []);
    assertEquals(report.modes[0].runIndexes, [0]);
  });
});
