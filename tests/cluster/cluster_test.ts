/**
 * Cluster mode: BullMQ on a Redis, `conc101 worker` processes as lanes. Each test starts its
 * own Redis on a free loopback port (or lets the run start a private one) and looks only at
 * the processes it started.
 */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import {
  CLI_PERMISSIONS,
  decodeOutput,
  descendants,
  lanePid,
  longRun,
  mainCommand,
  type Proc,
  ROOT,
  runMain,
  waitFor,
  waitGone,
  waitNoDescendants,
  waitPidsGone,
  watchTree,
  withProjectTempDir,
} from "../helpers.ts";
import { trackedCount } from "../../lib/process/cleanup.ts";
import { freePort, type RedisServer, startRedisServer } from "../../lib/cluster/redis_server.ts";
import type { ModeName, RunEvent } from "../../lib/run/events.ts";
import { runWorkload } from "../../lib/run/runner.ts";
import type { RunState } from "../../lib/run/state.ts";
import { cpuTasks, cpuWorkload } from "../../lib/workloads/cpu/workload.ts";
import type { Workload } from "../../lib/workloads/types.ts";
import { type Schema, validate } from "../report/json_schema.ts";

const schema: Schema = JSON.parse(
  await Deno.readTextFile(new URL("../../schema/report.schema.json", import.meta.url)),
);

const cpu = cpuWorkload as Workload;
const decoder = new TextDecoder();

/** BullMQ keeps timers and sockets a moment after close; every test checks processes itself. */
const opts = { sanitizeOps: false, sanitizeResources: false };

/** Nothing the test started is left: no process below this one, nothing tracked. */
async function noneLeft() {
  assertEquals(await waitNoDescendants(Deno.pid, 8000), [], "a process was left");
  assertEquals(trackedCount(), 0);
}

/** Runs `fn` with a Redis of the test's own, stopped afterwards. */
async function withRedis(fn: (redis: RedisServer) => Promise<void>) {
  const redis = await startRedisServer();
  try {
    await fn(redis);
  } finally {
    await redis.stop();
  }
}

/** A `conc101 worker` on `url`, started the way a user on another machine would. */
function startWorker(url: string, extra: string[] = [], cwdMain?: string): Deno.ChildProcess {
  if (cwdMain === undefined) {
    return mainCommand(["worker", "--redis", url, ...extra], {
      extraPermissions: ["--allow-sys=hostname"],
    }).spawn();
  }
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${cwdMain}/deno.json`,
      ...CLI_PERMISSIONS,
      "--allow-sys=hostname",
      `${cwdMain}/main.ts`,
      "worker",
      "--redis",
      url,
      ...extra,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

/** Stops a worker with SIGTERM and returns its exit code and stderr. */
async function stopWorker(worker: Deno.ChildProcess): Promise<{ code: number; stderr: string }> {
  try {
    worker.kill("SIGTERM");
  } catch { /* already gone */ }
  const out = await worker.output();
  return { code: out.code, stderr: decoder.decode(out.stderr) };
}

function laneLabels(state: RunState): string[] {
  return state.laneStates.map((l) => l.label);
}

Deno.test(
  "cluster: compare --modes sequential,subprocess,cluster --json: all done, verified, two worker lanes, nothing left",
  opts,
  async () => {
    const out = await outputWatchedMain([
      "compare",
      "--modes",
      "sequential,subprocess,cluster",
      "--tasks",
      "8",
      "--size",
      "20000000",
      "--lanes",
      "2",
      "--json",
    ]);
    assertEquals(out.code, 0, out.stderr);
    const report = JSON.parse(out.stdout);
    assertEquals(validate(report, schema), []);
    const modes = report.runs.map((r: { mode: ModeName }) => r.mode);
    assertEquals(modes, ["sequential", "subprocess", "cluster"]);
    for (const run of report.runs) {
      assertEquals(run.status, "done", run.mode);
      assertEquals(run.verifiedCount, run.tasks.length, run.mode);
    }
    const cluster = report.runs[2];
    const lanes = new Set(cluster.tasks.map((t: { laneLabel: string }) => t.laneLabel));
    assert_(lanes.size >= 2, `one worker lane only: ${[...lanes]}`);
    for (const label of lanes) assertMatch(String(label), /^[^:]+:\d+$/);
    // The private redis-server and both workers were started, and are gone.
    assert_(out.started.some((p) => /redis-server/.test(p.args)), "no redis-server was started");
    // Both workers ran tasks (two lanes, each named by its worker's pid); the watcher's ps
    // samples may miss a short-lived one, so they are checked by pid, not by what it saw.
    const workerPids = [...lanes].map((label) => lanePid(String(label))!);
    assertEquals(await waitPidsGone(workerPids, /main\.ts worker/), []);
    assertEquals(await waitGone(out.started), []);
  },
);

/** Runs main.ts to its end, noting every process it started. */
async function outputWatchedMain(args: string[]) {
  const child = mainCommand(args).spawn();
  const watch = watchTree(child.pid);
  const output = decodeOutput(await child.output());
  return { ...output, started: await watch.stop() };
}

Deno.test("cluster: the io workload's downloads run on the workers too", opts, async () => {
  const out = await runMain([
    "run",
    "--mode",
    "cluster",
    "--workload",
    "io",
    "--tasks",
    "12",
    "--latency",
    "20",
    "--lanes",
    "2",
    "--json",
  ]);
  assertEquals(out.code, 0, out.stderr);
  const run = JSON.parse(out.stdout);
  assertEquals(run.status, "done");
  assertEquals(run.verifiedCount, 12);
});

Deno.test("cluster: CPU tasks on two workers run at the same time", opts, async () => {
  const tasks = cpuTasks({ tasks: 6, size: 100_000_000 });
  const state = await runWorkload({ mode: "cluster", workload: cpu, tasks, lanes: 2 });
  assertEquals(state.status, "done");
  assertEquals(state.tasks.filter((t) => t.verified).length, 6);
  assertEquals(state.laneStates.length, 2, JSON.stringify(laneLabels(state)));
  await noneLeft();
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(
    `cluster: ${signal} mid-run: exit 130, no redis-server and no worker left`,
    opts,
    async () => {
      const child = mainCommand(longRun("cluster")).spawn();
      const watch = watchTree(child.pid);
      // Until both workers are up and have tasks: their progress shows in the tree's age.
      let seen: Proc[] = [];
      await waitFor(async () => {
        seen = await descendants(child.pid);
        return seen.filter((p) => /main\.ts worker/.test(p.args)).length === 2 &&
          seen.some((p) => /redis-server/.test(p.args));
      }, 30_000);
      await new Promise((r) => setTimeout(r, 2500));
      child.kill(signal);
      const out = decodeOutput(await child.output());
      const started = await watch.stop();
      assertEquals(out.code, 130, out.stderr);
      assertEquals(JSON.parse(out.stdout).status, "cancelled");
      assert_(started.some((p) => /redis-server/.test(p.args)), "no redis-server seen");
      assertEquals(await waitGone(started), []);
    },
  );
}

Deno.test(
  "cluster: cancelling a run removes its jobs and stops the workers' tasks",
  opts,
  async () => {
    await withRedis(async (redis) => {
      const worker = startWorker(redis.url);
      try {
        const controller = new AbortController();
        const tasks = cpuTasks({ tasks: 4, size: 2_000_000_000 });
        const state = await runWorkload({
          mode: "cluster",
          workload: cpu,
          tasks,
          lanes: 1,
          cluster: { redis: redis.url, localWorkers: 0 },
          signal: controller.signal,
          onEvent: (e) => e.type === "task-start" && setTimeout(() => controller.abort(), 300),
        });
        assertEquals(state.status, "cancelled");
        // The worker stays, ready for the next run: its task was stopped and the queue is gone.
        const next = await runWorkload({
          mode: "cluster",
          workload: cpu,
          tasks: cpuTasks({ tasks: 2, size: 1000 }),
          lanes: 1,
          cluster: { redis: redis.url, localWorkers: 0 },
        });
        assertEquals(next.status, "done");
      } finally {
        const { code, stderr } = await stopWorker(worker);
        assertEquals(code, 0, stderr);
      }
    });
    await noneLeft();
  },
);

Deno.test(
  "cluster fault: a worker killed mid-task loses its job to another once its lock expires; every task verifies",
  opts,
  async () => {
    const tasks = cpuTasks({ tasks: 4, size: 400_000_000 });
    let killed: number | undefined;
    const state = await runWorkload({
      mode: "cluster",
      workload: cpu,
      tasks,
      lanes: 2,
      cluster: { localWorkers: 2, lockMs: 1000 },
      onEvent: (e: RunEvent, s: () => RunState) => {
        if (e.type !== "task-start" || killed !== undefined) return;
        killed = lanePid(s().laneStates.find((l) => l.lane === e.lane)?.label);
        if (killed) {
          new Deno.Command("kill", { args: ["-KILL", String(killed)] }).output();
        }
      },
    });
    assert_(killed !== undefined, "no worker was killed");
    assertEquals(state.status, "done", JSON.stringify(state.tasks.map((t) => t.error)));
    assertEquals(state.tasks.filter((t) => t.verified).length, 4);
    // Every task finished on the worker that lived.
    const living = state.laneStates.find((l) => lanePid(l.label) !== killed)!;
    assert_(state.tasks.every((t) => t.lane === living.lane), "a task ended on the dead worker");
    await noneLeft();
  },
);

Deno.test("cluster fault: Redis unreachable at start: one line, exit 2, nothing started", async () => {
  const port = freePort();
  const child = mainCommand([
    "run",
    "--mode",
    "cluster",
    "--redis",
    `redis://:s3cret@127.0.0.1:${port}`,
  ]).spawn();
  const watch = watchTree(child.pid);
  const out = decodeOutput(await child.output());
  assertEquals(await watch.stop(), []);
  assertEquals(out.code, 2);
  assertEquals(out.stdout, "");
  const lines = out.stderr.trim().split("\n");
  assertEquals(lines.length, 1, out.stderr);
  assertMatch(lines[0], /^conc101: cannot reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+/);
  assert_(!out.stderr.includes("s3cret"), "the password was printed");
});

Deno.test("cluster: a worker with an unreachable Redis: one line, exit 2", async () => {
  const out = decodeOutput(
    await mainCommand(["worker", "--redis", `redis://user:s3cret@127.0.0.1:${freePort()}`])
      .output(),
  );
  assertEquals(out.code, 2);
  assertMatch(out.stderr.trim(), /^conc101: cannot reach Redis at redis:\/\/\*\*\*@127/);
  assert_(!out.stderr.includes("s3cret"));
});

Deno.test(
  "cluster fault: Redis killed mid-run: the run fails cleanly, nothing left",
  opts,
  async () => {
    const child = mainCommand(longRun("cluster")).spawn();
    const watch = watchTree(child.pid);
    let redis: Proc | undefined;
    await waitFor(async () => {
      const procs = await descendants(child.pid);
      redis = procs.find((p) => /redis-server/.test(p.args));
      return redis !== undefined &&
        procs.filter((p) => /main\.ts worker/.test(p.args)).length === 2;
    }, 30_000);
    assert_(redis, "no redis-server");
    await new Promise((r) => setTimeout(r, 2500));
    await new Deno.Command("kill", { args: ["-KILL", String(redis.pid)] }).output();
    const out = decodeOutput(await child.output());
    const started = await watch.stop();
    assertEquals(out.code, 1, out.stderr);
    const run = JSON.parse(out.stdout);
    assertEquals(run.status, "failed");
    assert_(
      run.tasks.some((t: { error?: string }) => /redis/i.test(t.error ?? "")),
      JSON.stringify(run.tasks.map((t: { error?: string }) => t.error)),
    );
    assertEquals(await waitGone(started), []);
  },
);

Deno.test(
  "cluster fault: a worker of another version refuses the job, saying why",
  opts,
  async () => {
    await withRedis(async (redis) => {
      const worker = startWorker(redis.url, ["--claim-version", "9.9.9"]);
      try {
        const out = await runMain([
          "run",
          "--mode",
          "cluster",
          "--redis",
          redis.url,
          "--tasks",
          "2",
          "--json",
        ]);
        assertEquals(out.code, 1, out.stderr);
        const run = JSON.parse(out.stdout);
        assertEquals(run.status, "failed");
        for (const task of run.tasks) {
          assertMatch(
            task.error,
            /refused by a conc101 9\.9\.9 worker: this task comes from conc101 /,
          );
        }
      } finally {
        const { code, stderr } = await stopWorker(worker);
        assertEquals(code, 0, stderr);
      }
    });
    await noneLeft();
  },
);

Deno.test(
  "cluster: a worker started from another clone folder takes part in a run (the second machine)",
  opts,
  async () => {
    await withProjectTempDir(async (dir) => {
      // Another checkout: the program's files, copied.
      for (const file of ["main.ts", "deno.json", "deno.lock"]) {
        await Deno.copyFile(`${ROOT}${file}`, `${dir}/${file}`);
      }
      for (const folder of ["lib", "workers"]) {
        await copyTree(`${ROOT}${folder}`, `${dir}/${folder}`);
      }
      await withRedis(async (redis) => {
        const other = startWorker(redis.url, [], dir);
        try {
          // The run starts one worker of its own; the other clone's worker joins in.
          const out = await runMain([
            "run",
            "--mode",
            "cluster",
            "--redis",
            redis.url,
            "--lanes",
            "1",
            "--tasks",
            "12",
            "--size",
            "30000000",
            "--json",
          ]);
          assertEquals(out.code, 0, out.stderr);
          const run = JSON.parse(out.stdout);
          assertEquals(run.verifiedCount, 12);
          const labels = new Set(run.tasks.map((t: { laneLabel: string }) => t.laneLabel));
          assert_(
            [...labels].some((l) => String(l).endsWith(`:${other.pid}`)),
            `the other clone's worker ${other.pid} ran nothing: ${[...labels]}`,
          );
          assert_(labels.size >= 2, `one lane only: ${[...labels]}`);
        } finally {
          const { code, stderr } = await stopWorker(other);
          assertEquals(code, 0, stderr);
        }
      });
    });
    await noneLeft();
  },
);

async function copyTree(from: string, to: string) {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else if (entry.isFile) await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

Deno.test(
  "cluster: a worker on SIGINT releases its job to another worker and exits 0",
  opts,
  async () => {
    await withRedis(async (redis) => {
      const first = startWorker(redis.url);
      let stopped: { code: number; stderr: string } | undefined;
      const state = await runWorkload({
        mode: "cluster",
        workload: cpu,
        tasks: cpuTasks({ tasks: 2, size: 600_000_000 }),
        lanes: 1,
        // One worker of the run's own, besides the one the user started.
        cluster: { redis: redis.url, localWorkers: 1 },
        onEvent: (e, s) => {
          if (e.type !== "task-start" || stopped) return;
          if (lanePid(s().laneStates.find((l) => l.lane === e.lane)?.label) !== first.pid) return;
          stopped = { code: -1, stderr: "" };
          first.kill("SIGINT");
          first.output().then((
            o,
          ) => (stopped = { code: o.code, stderr: decoder.decode(o.stderr) }));
        },
      });
      assertEquals(state.status, "done", JSON.stringify(state.tasks.map((t) => t.error)));
      assertEquals(state.tasks.filter((t) => t.verified).length, 2);
      if (stopped) {
        await waitFor(() => stopped!.code !== -1, 5000);
        assertEquals(stopped.code, 0, stopped.stderr);
      } else {
        await stopWorker(first);
      }
    });
    await noneLeft();
  },
);

Deno.test("cluster: bad input is one line, exit 2, nothing started", async () => {
  const cases: [string[], RegExp][] = [
    [["run", "--mode", "cluster", "--redis", "http://x"], /--redis must start with redis:\/\//],
    [["run", "--mode", "cluster", "--redis", "nonsense"], /--redis must be a URL/],
    [["run", "--mode", "workers", "--redis", "redis://127.0.0.1:1"], /--redis applies to cluster/],
    [["run", "--mode", "cluster", "--lanes", "65"], /--lanes must be from 1 to 64 for cluster/],
    [["worker"], /--redis/],
    [["worker", "--redis", "redis://127.0.0.1:1", "--concurrency", "0"], /--concurrency must be/],
    [["worker", "--redis", "redis://127.0.0.1:1", "--lock-ms", "10"], /--lock-ms must be/],
    [["worker", "--redis", "-"], /standard input/],
  ];
  for (const [args, pattern] of cases) {
    const out = decodeOutput(await mainCommand(args).output());
    assertEquals(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
    const lines = out.stderr.trim().split("\n");
    assertEquals(lines.length, 1, out.stderr);
    assertMatch(lines[0], pattern);
  }
});

Deno.test("cluster: without redis-server on the PATH it says so in one line, exit 2", async () => {
  const out = decodeOutput(
    await mainCommand(["run", "--mode", "cluster"], { env: { PATH: "/nonexistent" } }).output(),
  );
  assertEquals(out.code, 2, out.stderr);
  assertMatch(
    out.stderr.trim(),
    /^conc101: cluster mode needs redis-server.*install the redis-server package.*--redis/,
  );
});

Deno.test("cluster: compare with --redis adds cluster to the default modes", opts, async () => {
  await withRedis(async (redis) => {
    const out = await runMain([
      "compare",
      "--redis",
      redis.url,
      "--lanes",
      "2",
      "--tasks",
      "4",
      "--size",
      "1000000",
      "--json",
    ]);
    assertEquals(out.code, 0, out.stderr);
    const modes = JSON.parse(out.stdout).runs.map((r: { mode: string }) => r.mode);
    assertEquals(modes, ["sequential", "async", "workers", "subprocess", "cluster"]);
  });
  await noneLeft();
});
