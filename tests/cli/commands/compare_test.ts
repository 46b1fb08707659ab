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
