import { assert_, assertEquals, assertMatch } from "../../assert.ts";
import { runMain, withProjectTempDir } from "../../helpers.ts";

Deno.test("run --export writes the run as JSON, CSV or Markdown", async () => {
  await withProjectTempDir(async (dir) => {
    for (const ext of ["json", "csv", "md"]) {
      const out = await runMain(
        [
          "run",
          "--mode",
          "workers",
          "--tasks",
          "3",
          "--size",
          "1000",
          "--export",
          `${dir}/r.${ext}`,
        ],
        {},
        [`--allow-write=${dir}`],
      );
      assertEquals(out.code, 0, out.stderr);
    }
    const json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    assertEquals(json.runs.map((r: { mode: string }) => r.mode), ["workers"]);
    assertEquals(json.runs[0].tasks.length, 3);
    const csv = (await Deno.readTextFile(`${dir}/r.csv`)).trim().split("\n");
    assertEquals(csv.length, 2);
    assertMatch(csv[1], /^workers,cpu,\d+,done,/);
    assertMatch(await Deno.readTextFile(`${dir}/r.md`), /\| workers \|/);
  });
});

Deno.test("run exits with code 1 when a task fails", async () => {
  // Nothing listens on port 1: the download is refused and its task fails.
  const out = await runMain([
    "run",
    "--mode",
    "async",
    "--workload",
    "io",
    "--url",
    "http://127.0.0.1:1/",
    "--json",
  ]);
  assertEquals(out.code, 1, out.stderr);
  const run = JSON.parse(out.stdout);
  assertEquals(run.status, "failed");
  assert_(typeof run.tasks[0].error === "string" && run.tasks[0].error !== "", out.stdout);
});

for (const mode of ["sequential", "async"]) {
  Deno.test(`run --task-timeout ends each overlong task in ${mode} mode, exit 1`, async () => {
    const out = await runMain([
      "run",
      "--mode",
      mode,
      "--tasks",
      "2",
      "--size",
      "2000000000",
      "--task-timeout",
      "300",
      "--json",
    ]);
    assertEquals(out.code, 1, out.stderr);
    const run = JSON.parse(out.stdout);
    assertEquals(run.status, "failed");
    assertEquals(run.tasks.map((t: { error?: string }) => t.error), [
      "timed out after 300 ms",
      "timed out after 300 ms",
    ]);
  });
}
