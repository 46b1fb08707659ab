import { assert_, assertEquals, assertMatch } from "../assert.ts";
import {
  CLI_PERMISSIONS,
  decodeOutput,
  lanePid,
  mainCommand,
  outputWatched,
  runMain,
  waitGone,
  waitPidsGone,
} from "../helpers.ts";
import { closedForm } from "../../lib/workloads/cpu/sum_squares.ts";
import { RANGES } from "../../lib/cli/limits.ts";

Deno.test("run --json prints one object with every task exact and verified", async () => {
  const out = await runMain([
    "run",
    "--mode",
    "workers",
    "--tasks",
    "4",
    "--size",
    "300000",
    "--json",
  ]);
  assertEquals(out.code, 0, out.stderr);
  const run = JSON.parse(out.stdout);
  assertEquals([run.mode, run.workload, run.status], ["workers", "cpu", "done"]);
  assertEquals(typeof run.wallMs, "number");
  assertEquals(run.tasks.length, 4);
  for (const t of run.tasks) {
    assertEquals(t.result, closedForm(t.input.n).toString());
    assertEquals(t.verified, true);
    assertEquals(typeof t.startMs, "number");
    assertEquals(typeof t.lane, "number");
  }
});

Deno.test("compare --json runs every mode on the same tasks with identical results", async () => {
  const out = await outputWatched(
    mainCommand(["compare", "--tasks", "3", "--size", "100000", "--json"]),
  );
  assertEquals(out.code, 0, out.stderr);
  const report = JSON.parse(out.stdout);
  assertEquals(report.workload, "cpu");
  assertEquals(report.runs.map((r: { mode: string }) => r.mode), [
    "sequential",
    "async",
    "workers",
    "subprocess",
  ]);
  const results = report.runs.map((r: { tasks: { result: string }[] }) =>
    r.tasks.map((t) => t.result)
  );
  for (const r of results) assertEquals(r, results[0]);
  // Its subprocess lanes (named by their pids) and whatever else was seen: none outlived it.
  // Found by pid, not from the watcher's ps samples, which a loaded machine can miss.
  const childPids = [
    ...new Set(
      report.runs.find((r: { mode: string }) => r.mode === "subprocess").tasks
        .map((t: { laneLabel: string }) => lanePid(t.laneLabel)),
    ),
  ] as number[];
  assert_(childPids.length > 0 && childPids.every((pid) => pid > 0), String(childPids));
  assertEquals(await waitPidsGone(childPids, /main\.ts child\b/), []);
  assertEquals(await waitGone(out.started), []);
});

Deno.test("compare prints a table with speedups against sequential", async () => {
  const out = await runMain([
    "compare",
    "--modes",
    "sequential,workers",
    "--tasks",
    "2",
    "--size",
    "1000",
  ]);
  assertEquals(out.code, 0, out.stderr);
  assertMatch(out.stdout, /sequential +1 +\S+ ms +1\.00x/);
  assertMatch(out.stdout, /workers +\d+ /);
});

const badInput: [string[], RegExp][] = [
  [
    ["run", "--mode", "threads"],
    /--mode must be one of sequential, async, workers, subprocess, cluster, got "threads"/,
  ],
  [
    ["run"],
    /^conc101: --mode must be one of sequential, async, workers, subprocess, cluster, got nothing$/,
  ],
  [
    ["run", "--mode", "async", "--lanes", "0"],
    /--lanes must be a whole number from 1 to 64 for workers and subprocess, or 1 to 10,000 for async, got "0"/,
  ],
  [
    ["run", "--mode", "workers", "--lanes", "0"],
    /--lanes must be a whole number from 1 to 64 for workers and subprocess, or 1 to 10,000 for async, got "0"/,
  ],
  [
    ["run", "--mode", "workers", "--lanes", "100000"],
    /--lanes must be a whole number from 1 to 64 for workers and subprocess, or 1 to 10,000 for async/,
  ],
  [["run", "--mode", "workers", "--lanes", "65"], /--lanes must be from 1 to 64 for workers mode/],
  [
    ["run", "--mode", "subprocess", "--lanes", "500"],
    /--lanes must be from 1 to 64 for subprocess mode/,
  ],
  [
    ["run", "--mode", "async", "--tasks", "-1"],
    /--tasks must be a whole number from 1 to 10,000, got "-1"/,
  ],
  [["run", "--mode", "async", "--tasks", "0"], /--tasks must be a whole number/],
  [
    ["run", "--mode", "async", "--size", "1e99"],
    /--size must be a whole number from 0 to 2,000,000,000, auto or tutorial, got "1e99"/,
  ],
  [["run", "--mode", "async", "--size", "abc"], /--size must be a whole number/],
  [["run", "--mode", "async", "--workload", "gpu"], /--workload must be one of cpu.*got "gpu"/],
  [
    ["run", "--mode", "async", "--size"],
    /^conc101: --size must be a whole number from 0 to 2,000,000,000, auto or tutorial, got nothing$/,
  ],
  [
    ["run", "--mode", "async", "--tasks"],
    /^conc101: --tasks must be a whole number from 1 to 10,000, got nothing$/,
  ],
  [["serve", "--port"], /^conc101: --port must be a whole number from 0 to 65,535, got nothing$/],
  [
    ["compare", "--export"],
    /^conc101: --export needs <file>: write all runs to \.json, \.csv or \.md \(atomically\); got nothing$/,
  ],
  [
    ["run", "--mode", "async", "--workload", "io", "--size", "auto"],
    /--size applies to --workload cpu or race only/,
  ],
  [
    ["compare", "--modes", "sequential,fibers"],
    /--modes must be a comma-separated list of sequential, async, workers, subprocess/,
  ],
  [
    ["compare", "--lanes-sweep", "0,2"],
    /^conc101: --lanes-sweep must be lane counts from 1 to 10,000, as a list \(1,2,4,8\) or a range \(1\.\.16\), at most 16 counts, got "0,2"$/,
  ],
  [["compare", "--lanes-sweep", "1..17"], /--lanes-sweep must be lane counts .* got "1\.\.17"$/],
  [["compare", "--lanes-sweep"], /--lanes-sweep must be lane counts .* got nothing$/],
  [
    ["compare", "--lanes-sweep", "1,100"],
    /^conc101: --lanes-sweep goes up to 100, above workers mode's limit of 64 \(it starts one thread each\)$/,
  ],
  [
    ["compare", "--lanes-sweep", "1,2", "--lanes", "2"],
    /^conc101: --lanes and --lanes-sweep cannot be given together/,
  ],
  [
    ["compare", "--lanes-sweep", "1,2", "--modes", "sequential"],
    /^conc101: --lanes-sweep needs a mode whose lanes can vary among --modes/,
  ],
  [["frobnicate"], /unknown command 'frobnicate'/],
  [["run", "--mode", "async", "--bogus"], /unknown option '--bogus'/],
];

for (const [args, message] of badInput) {
  Deno.test(`bad input \`${args.join(" ")}\` gives one line and exit code 2`, async () => {
    const out = await runMain(args);
    assertEquals(out.code, 2);
    assertEquals(out.stdout, "");
    const lines = out.stderr.trim().split("\n");
    assertEquals(lines.length, 1, out.stderr);
    assertMatch(lines[0], /^conc101: /);
    assertMatch(lines[0], message);
  });
}

Deno.test("--help lists the commands and the bounds of each flag", async () => {
  const out = await runMain(["run", "--help"]);
  assertEquals(out.code, 0);
  assertMatch(out.stdout, /--lanes <n>/);
  assertMatch(out.stdout, /1-64/);
  assertMatch(out.stdout, /2,000,000,000/);
});

Deno.test("top-level --help and -h show every command and every flag with its range", async () => {
  for (const flag of ["--help", "-h"]) {
    const out = await runMain([flag]);
    assertEquals(out.code, 0, out.stderr);
    const text = out.stdout.replace(/\s+/g, " ");
    for (const command of ["run:", "compare:", "tui:", "serve:"]) {
      assert_(text.includes(command), command);
    }
    for (const [name, range] of Object.entries(RANGES)) {
      assert_(new RegExp(`${name} <[a-z]+> .*?\\(${escape(range)}[;)]`).test(text), name);
    }
    for (
      const name of ["--mode", "--workload", "--url", "--urls", "--modes", "--json", "--export"]
    ) {
      assert_(text.includes(`${name} <`) || text.includes(`${name} `), name);
    }
    assert_(text.includes("--no-color") && text.includes("-V, --version"));
  }
});

/** `s` as a regular expression matching itself. */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

Deno.test("--version prints the program and Deno versions", async () => {
  const out = await runMain(["--version"]);
  assertEquals(out.code, 0);
  assertMatch(out.stdout, /^conc101 \d+\.\d+\.\d+ \(deno \d+\.\d+\.\d+\)/);
});

Deno.test("run prints a summary with the verified count", async () => {
  const out = await runMain(["run", "--mode", "sequential", "--tasks", "2", "--size", "0"]);
  assertEquals(out.code, 0, out.stderr);
  assert_(out.stdout.includes("verified 2/2"), out.stdout);
});

Deno.test("a missing permission is one line naming the flag to add, exit 2", async () => {
  const without = async (flag: string) =>
    decodeOutput(
      await mainCommand(
        [
          "run",
          "--mode",
          flag === "--allow-run" ? "subprocess" : "workers",
          "--tasks",
          "2",
          "--size",
          "10",
        ],
        { permissions: CLI_PERMISSIONS.filter((p) => !p.startsWith(flag)) },
      ).output(),
    );
  const run = await without("--allow-run");
  assertEquals(run.code, 2);
  assertMatch(
    run.stderr.trim(),
    /^conc101: subprocess mode starts this program again: run deno with --allow-run=\S+$/,
  );
  const read = await without("--allow-read");
  assertEquals(read.code, 2);
  assertMatch(
    read.stderr.trim(),
    /^conc101: workers mode loads \S+task_worker\.ts: run deno with --allow-read=\S+$/,
  );
});

for (const args of [[], ["tui"], ["tui", "--mode", "workers"]]) {
  Deno.test(`\`${["conc101", ...args].join(" ")}\` without a terminal explains and exits 2`, async () => {
    const out = await runMain(args);
    assertEquals(out.code, 2);
    assertEquals(out.stdout, "");
    assertMatch(
      out.stderr.trim(),
      /^conc101: the dashboard needs a terminal .* use `conc101 run --mode <mode>` or `conc101 compare` instead$/,
    );
  });
}
