/** The benchmark runs in its quick mode inside the suite, so it cannot rot. */
import { assert_, assertEquals, assertMatch } from "./assert.ts";
import { CLI_PERMISSIONS, ROOT } from "./helpers.ts";

Deno.test({
  name: "bench --quick runs every section and writes its report and raw JSON",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        ...CLI_PERMISSIONS.map((p) => p.startsWith("--allow-run=") ? `${p},sh,tmux,python3` : p),
        `--allow-write=${ROOT}bench`,
        `${ROOT}bench/bench.ts`,
        "--quick",
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NODE_ENV: "production" },
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    for (
      const heading of [
        /## 1\. CPU workload/,
        /Attainable speedup on this machine/,
        /## 2\. The tutorial's tasks/,
        /## 3\. I\/O workload/,
        /## 4\. Costs/,
        /worker start to first message/,
        /child process spawn to first message/,
        /## 5\. Memory/,
      ]
    ) assertMatch(stdout, heading);
    const report = await Deno.readTextFile(`${ROOT}bench/.quick/results.md`);
    assertMatch(report, /^# conc101 benchmark/);
    const raw = JSON.parse(await Deno.readTextFile(`${ROOT}bench/.quick/results.json`));
    assertEquals(raw.machine.quick, true);
    for (const key of ["cpu", "tutorial", "io", "costs", "peakRssBytes"]) assert_(key in raw, key);
    assertEquals(raw.cpu.modes.length, 4);
  },
});
