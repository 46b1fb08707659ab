/** The benchmark runs in its quick mode inside the suite, so it cannot rot. */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { CLI_PERMISSIONS, ROOT } from "../helpers.ts";

Deno.test({
  name: "bench --quick runs every section and writes its report and raw JSON",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--v8-flags=--expose-gc",
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
        /Attainable speedup on this machine .*one round/,
        /## 2\. The tutorial's tasks/,
        /## 3\. I\/O workload/,
        /## 4\. Costs/,
        /worker start to first message/,
        /child process spawn to first message/,
        /dashboard frame: render and layout of the whole view/,
        /Stop latency: SIGINT to exit/,
        /Dashboard: the same runs/,
        /## 5\. Memory/,
        /## 6\. Cluster: the cost of distribution/,
        /## 7\. Races: the tutorial's x = x \+ 1/,
        /## 9\. Your own workload: examples\/primes\.ts in all four modes/,
        /The price of correctness, atomic against plain/,
        /## 8\. Scale: the cost per task as tasks grow/,
        /Harness cost per task/,
        /piscina 4\.9\.4 \(threads\)/,
        /tinypool 1\.1\.1, child_process runtime/,
        /A finished run keeps \d+ bytes a task/,
        /The dashboard over 100 tasks/,
      ]
    ) assertMatch(stdout, heading);
    // Quick sizes prove nothing: no target may be marked met or missed, and no text may
    // claim more rounds than ran.
    assert_(!/^- [✓✗]/m.test(stdout), stdout);
    assertMatch(stdout, /^- · .*\(quick: not judged\)$/m);
    assert_(!/five rounds/.test(stdout), stdout);
    const report = await Deno.readTextFile(`${ROOT}bench/.quick/results.md`);
    assertMatch(report, /^# conc101 benchmark/);
    const raw = JSON.parse(await Deno.readTextFile(`${ROOT}bench/.quick/results.json`));
    assertEquals(raw.machine.quick, true);
    for (
      const key of [
        "cpu",
        "tutorial",
        "io",
        "costs",
        "stopLatencyMs",
        "dashboard",
        "cluster",
        "race",
        "scale",
        "module",
      ]
    ) {
      assert_(key in raw, key);
    }
    for (const peer of ["piscina", "tinypool-child"]) {
      assertEquals(raw.scale.peers[peer].verified, 100, peer);
    }
    for (const mode of ["sequential", "async", "workers", "subprocess"]) {
      assertEquals(Object.keys(raw.scale.perTaskUs[mode]), ["20", "100"]);
    }
    assertEquals(raw.cpu.modes.length, 4);
    assertEquals(raw.costs.frameMs.length, 5);
    // NaN and Infinity become null in JSON: every figure must be a finite number.
    const figures = numbersIn(raw);
    assert_(figures.length > 100, `only ${figures.length} figures`);
    for (const [path, value] of figures) assert_(Number.isFinite(value), `${path} = ${value}`);
    for (const section of ["cpu", "tutorial", "io", "module"]) {
      const modes = section === "tutorial" ? raw.tutorial : raw[section].modes;
      for (const m of modes) assert_(m.allVerified, `${section} ${m.mode} not verified`);
    }
    for (const load of ["cpu", "tiny"]) {
      const modes = raw.cluster[load].modes.map((m: { mode: string }) => m.mode);
      assertEquals(modes, ["subprocess", "cluster"]);
      for (const m of raw.cluster[load].modes) assert_(m.allVerified, `${load} ${m.mode}`);
    }
    // Every variant in every mode, one run each: the loss is recorded, never asserted.
    assertEquals(raw.race.rows.length, 16);
    for (const mode of ["sequential", "async", "workers", "subprocess"]) {
      assertEquals(raw.stopLatencyMs[mode].length, 1);
      assertEquals(
        raw.dashboard.overheads.filter((o: { mode: string }) => o.mode === mode).length,
        1,
      );
    }
  },
});

/** Every leaf of `value` that should be a figure, with its path: numbers and nulls. */
function numbersIn(value: unknown, path = ""): [string, number | null][] {
  if (value === null) return [[path, null]];
  if (typeof value === "number") return [[path, value]];
  if (typeof value !== "object") return [];
  return Object.entries(value as Record<string, unknown>)
    .flatMap(([key, v]) => numbersIn(v, `${path}.${key}`));
}
