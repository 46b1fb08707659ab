import { assert_, assertEquals, assertMatch } from "../assert.ts";
import {
  childLanes,
  descendants,
  mainCommand,
  runMain,
  waitFor,
  waitGone,
  withProjectTempDir,
} from "../helpers.ts";
import {
  checkWritable,
  exportFormat,
  reportJsonParts,
  toCsv,
  toReportJson,
  toTrace,
  type TraceEvent,
  writeAtomic,
} from "../../lib/report/export.ts";
import { withServer } from "../hostile_server.ts";
import { UsageError } from "../../lib/cli/errors.ts";
import type { RunResult } from "../../lib/run/result.ts";
import { summarizeRuns } from "../../lib/run/measure.ts";

function run(mode: RunResult["mode"], tasks: [number, number, number][]): RunResult {
  return {
    mode,
    workload: "io",
    lanes: 2,
    status: "done",
    wallMs: 100,
    parallelism: 1.5,
    verifiedCount: tasks.length,
    tasks: tasks.map(([lane, startMs, endMs], id) => ({
      id,
      input: { n: id },
      label: `n=${id}`,
      result: "1",
      verified: true,
      lane,
      laneLabel: `worker #${lane + 1}`,
      startMs,
      endMs,
    })),
  };
}

Deno.test("exportFormat() follows the extension and refuses others", () => {
  assertEquals(exportFormat("a.JSON"), "json");
  assertEquals(exportFormat("out/a.csv"), "csv");
  assertEquals(exportFormat("a.md"), "md");
  let error: unknown;
  try {
    exportFormat("a.txt");
  } catch (err) {
    error = err;
  }
  assert_(error instanceof UsageError && /\.json, \.csv or \.md/.test(error.message));
});

Deno.test("reportJsonParts() writes, a run at a time, what JSON.stringify would at once", () => {
  const runs = [run("async", [[0, 0, 10]]), run("workers", [[0, 0, 10], [1, 2, 9]])];
  for (const n of [0, 1, 2]) {
    const data = {
      workload: "io",
      summary: 'a "summary"',
      runs: runs.slice(0, n),
      modes: summarizedModes(runs.slice(0, n)),
    };
    const parts = [...reportJsonParts(data)];
    assert_(parts.length > n, `${parts.length} parts`);
    assertEquals(parts.join(""), JSON.stringify(toReportJson(data), null, 2) + "\n");
  }
});

function summarizedModes(runs: RunResult[]) {
  return runs.map((r) => summarizeRuns(r.mode, [r]));
}

Deno.test("toCsv() writes a header and one row a run, quoting where needed", () => {
  const csv = toCsv({
    workload: "io",
    summary: "s",
    runs: [run("async", [[0, 0, 10]]), { ...run("workers", [[0, 0, 10]]), coresBusy: 1.9 }],
    modes: [],
  });
  const [head, row, busy, end] = csv.split("\n");
  assertEquals(
    head,
    "mode,workload,lanes,status,wallMs,startupMs,parallelism,coresBusy,tasks,verifiedCount,failed",
  );
  assertEquals(row, "async,io,2,done,100,,1.5,,1,1,0");
  assertEquals(busy, "workers,io,2,done,100,,1.5,1.9,1,1,0");
  assertEquals(end, "");
});

Deno.test("toTrace() gives overlapping tasks of one lane tracks of their own", () => {
  const trace = toTrace([run("workers", [[0, 0, 50], [0, 10, 30], [0, 50, 60], [1, 0, 20]])]);
  const complete = trace.traceEvents.filter((e) => e.ph === "X");
  assertEquals(complete.length, 4);
  for (const e of complete) {
    assertEquals(typeof e.ts, "number");
    assertEquals(typeof e.dur, "number");
    assertEquals(e.pid, 1);
    assert_(e.args && "input" in e.args && "id" in e.args);
  }
  assertNoOverlapPerTrack(complete);
  const threads = trace.traceEvents.filter((e) => e.name === "thread_name").map((e) =>
    e.args!.name
  );
  assertEquals(threads, ["worker #1", "worker #1 · 2", "worker #2"]);
});

function assertNoOverlapPerTrack(events: readonly TraceEvent[]) {
  const tracks = new Map<string, TraceEvent[]>();
  for (const e of events) {
    tracks.set(`${e.pid}/${e.tid}`, [...(tracks.get(`${e.pid}/${e.tid}`) ?? []), e]);
  }
  for (const list of tracks.values()) {
    list.sort((a, b) => a.ts! - b.ts!);
    for (let i = 1; i < list.length; i++) {
      assert_(list[i - 1].ts! + list[i - 1].dur! <= list[i].ts!, "two events overlap on one track");
    }
  }
}

Deno.test("writeAtomic() replaces the file whole and leaves no temporary file", async () => {
  await withProjectTempDir(async (dir) => {
    writeAtomic(`${dir}/a.txt`, "first");
    writeAtomic(`${dir}/a.txt`, "second");
    assertEquals(await Deno.readTextFile(`${dir}/a.txt`), "second");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["a.txt"]);
  });
});

/** A folder the program may write its exports to. */
function withExportDir(fn: (dir: string, flags: string[]) => Promise<void>): Promise<void> {
  return withProjectTempDir((dir) => fn(dir, [`--allow-write=${dir}`]));
}

Deno.test("compare --runs --export writes JSON, CSV and Markdown that parse back", async () => {
  await withExportDir(async (dir, allow) => {
    const base = ["compare", "--tasks", "3", "--size", "1000", "--runs", "2", "--warmup", "1"];
    for (const ext of ["json", "csv", "md"]) {
      const out = await runMain([...base, "--export", `${dir}/r.${ext}`], {}, allow);
      assertEquals(out.code, 0, out.stderr);
    }
    const json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    assertEquals(json.workload, "cpu");
    assertEquals(json.runs.length, 8);
    for (const r of json.runs) {
      for (const key of ["mode", "workload", "lanes", "status", "wallMs", "parallelism", "tasks"]) {
        assert_(key in r, key);
      }
      for (const t of r.tasks) {
        for (const key of ["id", "input", "result", "verified", "lane", "startMs", "endMs"]) {
          assert_(key in t, key);
        }
      }
    }
    assertEquals(json.modes.map((m: { mode: string }) => m.mode), [
      "sequential",
      "async",
      "workers",
      "subprocess",
    ]);
    for (const m of json.modes) {
      for (const key of ["runs", "minMs", "medianMs", "maxMs", "stdevMs"]) {
        assert_(key in m.wall, key);
      }
    }
    const csv = (await Deno.readTextFile(`${dir}/r.csv`)).trim().split("\n");
    assertEquals(csv.length, 9);
    assertEquals(csv.slice(1).every((line) => line.split(",").length === 11), true);
    const md = await Deno.readTextFile(`${dir}/r.md`);
    assertMatch(md, /\| mode \| lanes \| runs \| median \| ± stdev \| min … max \| speedup \|/);
    assertMatch(md, /fastest: /);
  });
});

Deno.test("compare --runs prints median, spread and the fastest mode", async () => {
  const out = await runMain([
    "compare",
    "--modes",
    "sequential,async",
    "--tasks",
    "2",
    "--size",
    "1000",
    "--runs",
    "3",
  ]);
  assertEquals(out.code, 0, out.stderr);
  assertMatch(out.stdout, /sequential +1 +3 +[\d.]+ m?s/);
  assertMatch(out.stdout, /fastest: (sequential|async), [\d.]+x faster than (sequential|async)/);
});

Deno.test("run --trace writes a Chrome trace with one track per lane and no overlap", async () => {
  await withExportDir(async (dir, allow) => {
    const out = await runMain(
      [
        "run",
        "--mode",
        "async",
        "--workload",
        "io",
        "--tasks",
        "12",
        "--latency",
        "5",
        "--trace",
        `${dir}/t.json`,
      ],
      {},
      allow,
    );
    assertEquals(out.code, 0, out.stderr);
    const trace = JSON.parse(await Deno.readTextFile(`${dir}/t.json`));
    const complete = trace.traceEvents.filter((e: TraceEvent) => e.ph === "X");
    assertEquals(complete.length, 12);
    assertNoOverlapPerTrack(complete);
    assert_(trace.traceEvents.some((e: TraceEvent) => e.name === "process_name"));
  });
});

Deno.test("an unwritable --export or --trace fails before the run, with one line and exit 2", async () => {
  await withExportDir(async (dir, allow) => {
    const cases: [string[], string[], RegExp][] = [
      [["--export", `${dir}/r.txt`], allow, /must end in \.json, \.csv or \.md/],
      [["--export", `${dir}/nope/r.json`], allow, /the folder .*nope does not exist/],
      [
        ["--export", `${dir}/r.json`],
        [],
        /writing there is not granted: run deno with --allow-write=/,
      ],
      [["--trace", `${dir}/t.csv`], allow, /--trace .*: the file must end in \.json/],
    ];
    for (const [flags, grant, message] of cases) {
      const out = await runMain(["compare", "--tasks", "2", "--size", "10", ...flags], {}, grant);
      assertEquals(out.code, 2, out.stderr);
      assertEquals(out.stdout, "");
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assertMatch(out.stderr, message);
    }
    assertEquals([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("compare interrupted by Ctrl-C still prints and exports the runs that finished", async () => {
  await withExportDir(async (dir, allow) => {
    const child = mainCommand(
      [
        "compare",
        "--modes",
        "sequential,subprocess",
        "--tasks",
        "4",
        "--size",
        "600000000",
        "--export",
        `${dir}/r.json`,
      ],
      { extraPermissions: allow },
    ).spawn();
    // Sequential finishes its small first... wait until subprocess children are up, then interrupt.
    assert_(await waitFor(async () => (await childLanes(child.pid)).length > 0, 60_000));
    const started = await descendants(child.pid);
    const t0 = performance.now();
    child.kill("SIGINT");
    const out = await child.output();
    assert_(performance.now() - t0 < 2000, "took longer than 2 s to stop");
    assertEquals(out.code, 130);
    const stdout = new TextDecoder().decode(out.stdout);
    assertMatch(stdout, /sequential +1 +[\d.]+ m?s/);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    assertEquals(json.runs.map((r: { mode: string }) => r.mode), ["sequential"]);
    assertEquals(await waitGone(started, 2000), []);
  });
});

/** A file outside the export's way, and a symlink to it planted at `name` in `dir`. */
async function plantSymlink(dir: string, name: string): Promise<string> {
  const victim = `${dir}/victim.txt`;
  await Deno.writeTextFile(victim, "precious\n");
  // Deno.symlink needs unscoped read and write, which the test task does not grant.
  const ln = await new Deno.Command("sh", {
    args: ["-c", 'ln -s "$0" "$1"', victim, `${dir}/${name}`],
  }).output();
  assert_(ln.success, "the symlink could not be planted");
  return victim;
}

Deno.test("checkWritable() never writes through a symlink planted at the old probe name", async () => {
  await withProjectTempDir(async (dir) => {
    const victim = await plantSymlink(dir, ".v.json.conc101-probe");
    checkWritable(`${dir}/v.json`, "--export");
    assertEquals(await Deno.readTextFile(victim), "precious\n");
  });
});

Deno.test("writeAtomic() never writes through a symlink planted at the old temporary name", async () => {
  await withProjectTempDir(async (dir) => {
    const victim = await plantSymlink(dir, `.v.json.${Deno.pid}.tmp`);
    writeAtomic(`${dir}/v.json`, "{}\n");
    assertEquals(await Deno.readTextFile(victim), "precious\n");
    assertEquals(await Deno.readTextFile(`${dir}/v.json`), "{}\n");
    assertEquals((await Deno.lstat(`${dir}/v.json`)).isSymlink, false);
  });
});

Deno.test("cli: an export beside a planted probe symlink leaves the victim whole", async () => {
  await withExportDir(async (dir, allow) => {
    const victim = await plantSymlink(dir, ".v.json.conc101-probe");
    const out = await runMain(
      ["run", "--mode", "sequential", "--tasks", "2", "--size", "10", "--export", `${dir}/v.json`],
      {},
      allow,
    );
    assertEquals(out.code, 0, out.stderr);
    assertEquals(await Deno.readTextFile(victim), "precious\n");
    assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/v.json`)).runs.length, 1);
  });
});

Deno.test("--export and --trace naming one file, or an export path that is a folder, are refused up front", async () => {
  await withExportDir(async (dir, allow) => {
    await Deno.mkdir(`${dir}/taken.json`);
    const cases: [string[], RegExp][] = [
      [
        ["--export", `${dir}/r.json`, "--trace", `${dir}/./r.json`],
        /--export and --trace name the same file .*r\.json \(allowed: two different paths\)$/,
      ],
      [["--export", `${dir}/taken.json`], /--export .*taken\.json: is a directory/],
      [["--trace", `${dir}/taken.json`], /--trace .*taken\.json: is a directory/],
    ];
    for (const [flags, message] of cases) {
      const out = await runMain(
        ["run", "--mode", "sequential", "--size", "10", ...flags],
        {},
        allow,
      );
      assertEquals(out.code, 2, out.stderr);
      assertEquals(out.stdout, "");
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assertMatch(out.stderr.trim(), message);
    }
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["taken.json"]);
  });
});

Deno.test("an export that fails after the run still prints the results, then one line, exit 1", async () => {
  await withExportDir(async (dir, allow) => {
    const target = `${dir}/r.json`;
    // The server turns the export path into a folder mid-run, after every check passed.
    await withServer(async () => {
      await Deno.mkdir(target, { recursive: true });
      return new Response("ok\n");
    }, async (server) => {
      const out = await runMain(
        [
          "run",
          "--mode",
          "sequential",
          "--workload",
          "io",
          "--url",
          `${server.url}/x`,
          "--json",
          "--export",
          target,
        ],
        {},
        allow,
      );
      assertEquals(out.code, 1, out.stderr);
      assertEquals(JSON.parse(out.stdout).verifiedCount, 1);
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assertMatch(out.stderr.trim(), /^conc101: --export \S+r\.json: not written: /);
    });
  });
});

Deno.test("a password in a URL reaches no output: --json, JSON export, trace and errors", async () => {
  await withExportDir(async (dir, allow) => {
    let authorization = "";
    await withServer((req) => {
      authorization = req.headers.get("authorization") ?? "";
      const path = new URL(req.url).pathname;
      return path === "/away"
        ? new Response(null, {
          status: 302,
          headers: { location: "http://bob:hunter2@127.0.0.1:9/" },
        })
        : new Response("ok\n");
    }, async (server) => {
      const secretUrl = (path: string) => `http://alice:hunter2@${server.host}${path}`;
      const out = await runMain(
        [
          "run",
          "--mode",
          "async",
          "--workload",
          "io",
          "--url",
          secretUrl("/ok"),
          "--url",
          secretUrl("/away"),
          "--json",
          "--export",
          `${dir}/r.json`,
          "--trace",
          `${dir}/t.json`,
        ],
        {},
        allow,
      );
      assertEquals(out.code, 1, out.stderr);
      // The credentials were still used for the download itself.
      assertEquals(authorization, `Basic ${btoa("alice:hunter2")}`);
      const run = JSON.parse(out.stdout);
      assertEquals(run.tasks[0].input.url, `http://***@${server.host}/ok`);
      assertMatch(run.tasks[1].error, /redirect to "http:\/\/\*\*\*@127\.0\.0\.1:9\/" refused/);
      const files = [out.stdout, out.stderr];
      for (const name of ["r.json", "t.json"]) {
        files.push(await Deno.readTextFile(`${dir}/${name}`));
      }
      for (const text of files) assert_(!text.includes("hunter2"), text.slice(0, 300));
    });
  });
});
