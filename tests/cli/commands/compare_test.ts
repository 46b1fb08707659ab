import { assert_, assertEquals, assertMatch } from "../../assert.ts";
import {
  childLanes,
  decodeOutput,
  descendants,
  mainCommand,
  waitFor,
  waitGone,
  withProjectTempDir,
} from "../../helpers.ts";

for (const ext of ["csv", "md"]) {
  Deno.test(`compare interrupted by Ctrl-C still exports the runs that finished as ${ext}`, async () => {
    await withProjectTempDir(async (dir) => {
      const child = mainCommand(
        [
          "compare",
          "--modes",
          "sequential,subprocess",
          "--tasks",
          "4",
          "--size",
          "300000000",
          "--export",
          `${dir}/r.${ext}`,
        ],
        { extraPermissions: [`--allow-write=${dir}`] },
      ).spawn();
      // Sequential has finished once subprocess lanes are up: interrupt then.
      assert_(await waitFor(async () => (await childLanes(child.pid)).length > 0, 60_000));
      const started = await descendants(child.pid);
      child.kill("SIGINT");
      const out = decodeOutput(await child.output());
      assertEquals(out.code, 130, out.stderr);
      const text = await Deno.readTextFile(`${dir}/r.${ext}`);
      if (ext === "csv") {
        const rows = text.trim().split("\n");
        assertEquals(rows.length, 2, text);
        assertMatch(rows[1], /^sequential,cpu,1,done,/);
      } else {
        assertMatch(text, /\| sequential \|/);
        assert_(!/\| subprocess \|/.test(text), text);
      }
      assertEquals(await waitGone(started, 2000), [], "a child was left");
    });
  });
}

Deno.test("compare interrupted before its first mode ends exits 130 with no run", async () => {
  const child = mainCommand([
    "compare",
    "--modes",
    "sequential,async",
    "--tasks",
    "2",
    "--size",
    "2000000000",
    "--json",
  ]).spawn();
  // Each task takes seconds: 700 ms in, the first mode is under way and far from done.
  await new Promise((r) => setTimeout(r, 700));
  const t0 = performance.now();
  child.kill("SIGINT");
  const out = decodeOutput(await child.output());
  assert_(performance.now() - t0 < 2000, `took ${performance.now() - t0} ms`);
  assertEquals(out.code, 130, out.stderr);
  const report = JSON.parse(out.stdout);
  assertEquals(report.runs, []);
});

Deno.test("compare --lanes-sweep prints the chart in 80 columns, every point and the advice; the Markdown export has them too", async () => {
  await withProjectTempDir(async (dir) => {
    const out = decodeOutput(
      await mainCommand(
        [
          "compare",
          "--tasks",
          "3",
          "--size",
          "1000",
          "--lanes-sweep",
          "1..3",
          "--export",
          `${dir}/r.md`,
        ],
        { extraPermissions: [`--allow-write=${dir}`] },
      ).output(),
    );
    assertEquals(out.code, 0, out.stderr);
    const chart = out.stdout.split("speedup against lanes\n")[1].split("\n\n")[0].split("\n");
    assert_(chart.length >= 12, chart.join("\n"));
    for (const line of chart) assert_([...line].length <= 80, line);
    assertMatch(chart.at(-1)!, /· ideal min\(lanes, \d+ cores\) +a async +w workers +s subprocess/);
    for (const lanes of [1, 2, 3]) {
      assertMatch(
        out.stdout,
        new RegExp(`^ +${lanes} +\\d\\.\\d\\dx( +(\\d+\\.\\d\\dx|-)){3}$`, "m"),
      );
    }
    assertMatch(out.stdout, /^advice: .+\n {2}- /m);
    const md = await Deno.readTextFile(`${dir}/r.md`);
    assertMatch(md, /## Speedup against lanes\n\n```\n[\s\S]*· ideal[\s\S]*```/);
    assertEquals(md.split("\n").filter((l) => /^\| [123] \| \d\.\d\dx \|/.test(l)).length, 3);
    assertMatch(md, /\n## Advice: .+\n\n- /);
  });
});
