/**
 * Chunking, end to end: pools send several tasks a message, every task keeps its own start
 * and end measured on its lane, and both show in `--json` and in the trace.
 */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { runMain, withProjectTempDir } from "../helpers.ts";
import { autoChunk } from "../../lib/lanes/lane_pool.ts";
import type { TaskResult } from "../../lib/run/result.ts";

interface Run {
  status: string;
  wallMs: number;
  lanes: number;
  chunk?: number | "auto";
  dispatches?: number;
  largestChunk?: number;
  verifiedCount: number;
  tasks: TaskResult[];
}

async function runJson(args: string[]): Promise<Run> {
  const out = await runMain(["run", ...args, "--json"]);
  assertEquals(out.code, 0, out.stderr);
  return JSON.parse(out.stdout);
}

/** Every task verified, inside the run's span, one after another on each lane. */
function assertWellTimed(run: Run) {
  assertEquals(run.status, "done");
  assertEquals(run.verifiedCount, run.tasks.length);
  const byLane = new Map<number, TaskResult[]>();
  for (const t of run.tasks) {
    assert_(t.verified, `task ${t.id} not verified`);
    assert_(t.startMs !== undefined && t.endMs !== undefined, `task ${t.id} has no times`);
    assert_(0 <= t.startMs! && t.startMs! <= t.endMs! && t.endMs! <= run.wallMs, `task ${t.id}`);
    byLane.set(t.lane!, [...(byLane.get(t.lane!) ?? []), t]);
  }
  for (const [lane, tasks] of byLane) {
    tasks.sort((a, b) => a.startMs! - b.startMs! || a.endMs! - b.endMs!);
    for (let i = 1; i < tasks.length; i++) {
      assert_(
        tasks[i].startMs! >= tasks[i - 1].endMs!,
        `lane ${lane}: task ${tasks[i].id} starts before task ${tasks[i - 1].id} ends`,
      );
    }
  }
}

/** The tasks of each dispatch: ids in order, all on one lane. */
function chunksOf(run: Run): Map<number, TaskResult[]> {
  const chunks = new Map<number, TaskResult[]>();
  for (const t of run.tasks) {
    assert_(t.chunk !== undefined, `task ${t.id} has no chunk`);
    chunks.set(t.chunk!, [...(chunks.get(t.chunk!) ?? []), t]);
  }
  for (const [chunk, tasks] of chunks) {
    assertEquals(new Set(tasks.map((t) => t.lane)).size, 1, `chunk ${chunk} spans lanes`);
  }
  return chunks;
}

for (const mode of ["workers", "subprocess"]) {
  Deno.test(`${mode} --chunk 50 sends 1,000 tasks in 20 dispatches of 50, each task timed`, async () => {
    const run = await runJson([
      "--mode",
      mode,
      "--lanes",
      "2",
      "--tasks",
      "1000",
      "--size",
      "1000",
      "--chunk",
      "50",
    ]);
    assertWellTimed(run);
    assertEquals([run.chunk, run.dispatches, run.largestChunk], [50, 20, 50]);
    const chunks = chunksOf(run);
    assertEquals(chunks.size, 20);
    for (const tasks of chunks.values()) assertEquals(tasks.length, 50);
  });

  Deno.test(`${mode} with --chunk auto batches tiny tasks, within Pool.map's chunksize`, async () => {
    const run = await runJson([
      "--mode",
      mode,
      "--lanes",
      "2",
      "--tasks",
      "2000",
      "--size",
      "1000",
    ]);
    assertWellTimed(run);
    assertEquals(run.chunk, "auto");
    const most = Math.ceil(2000 / (4 * run.lanes));
    assert_(run.largestChunk! > 1 && run.largestChunk! <= most, `largest ${run.largestChunk}`);
    assertEquals(chunksOf(run).size, run.dispatches);
    assert_(run.dispatches! < 2000, `${run.dispatches} dispatches`);
  });
}

Deno.test("sequential and async report no chunks: they dispatch nothing", async () => {
  for (const mode of ["sequential", "async"]) {
    const run = await runJson(["--mode", mode, "--tasks", "300", "--size", "1000"]);
    assertWellTimed(run);
    assertEquals([run.chunk, run.dispatches, run.tasks[0].chunk], [
      undefined,
      undefined,
      undefined,
    ]);
  }
});

Deno.test("autoChunk() starts at one, fills about 2 ms, and stays within tasks / (4 × lanes)", () => {
  assertEquals(autoChunk(undefined, 10_000, 2), 1);
  assertEquals(autoChunk(0.01, 10_000, 2), 200);
  assertEquals(autoChunk(0.001, 10_000, 2), 1250);
  assertEquals(autoChunk(50, 10_000, 2), 1);
  assertEquals(autoChunk(0.001, 20, 2), 3);
  assertEquals(autoChunk(0, 3, 4), 1);
});

Deno.test("run --trace shows each dispatch around its tasks, and each task's chunk", async () => {
  await withProjectTempDir(async (dir) => {
    const out = await runMain(
      [
        "run",
        "--mode",
        "workers",
        "--lanes",
        "2",
        "--tasks",
        "200",
        "--size",
        "1000",
        "--chunk",
        "20",
        "--trace",
        `${dir}/t.json`,
      ],
      {},
      [`--allow-write=${dir}`],
    );
    assertEquals(out.code, 0, out.stderr);
    const events: {
      name: string;
      cat?: string;
      ts?: number;
      dur?: number;
      tid: number;
      args?: Record<string, number>;
    }[] = JSON.parse(await Deno.readTextFile(`${dir}/t.json`)).traceEvents;
    const tasks = events.filter((e) => e.cat === "task");
    const chunks = events.filter((e) => e.cat === "chunk");
    assertEquals(tasks.length, 200);
    assertEquals(chunks.length, 10);
    for (const c of chunks) {
      const inside = tasks.filter((t) => t.args!.chunk === c.args!.chunk);
      assertEquals(inside.length, 20);
      for (const t of inside) {
        assertEquals(t.tid, c.tid);
        assert_(t.ts! >= c.ts! && t.ts! + t.dur! <= c.ts! + c.dur!, `${t.name} outside ${c.name}`);
      }
    }
  });
});

Deno.test("--chunk refuses what it cannot use, in one line, with exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [["--chunk", "0"], /^--chunk must be a whole number from 1 to 10,000 or auto, got "0"$/],
    [["--chunk", "x"], /^--chunk must be a whole number from 1 to 10,000 or auto, got "x"$/],
    [["--chunk", "20", "--task-timeout", "1000"], /^--chunk must be 1 or auto with --task-timeout/],
  ];
  for (const [args, message] of cases) {
    const out = await runMain([
      "run",
      "--mode",
      "workers",
      "--tasks",
      "2",
      "--size",
      "10",
      ...args,
    ]);
    assertEquals(out.code, 2, args.join(" "));
    assertEquals(out.stdout, "");
    const lines = out.stderr.trim().split("\n");
    assertEquals(lines.length, 1, out.stderr);
    assertMatch(lines[0].replace(/^conc101: /, ""), message);
  }
});
