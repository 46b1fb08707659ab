/**
 * `conc101 worker --redis URL`: joins the queues of the runs under way on that Redis and runs
 * their tasks, on this machine or any other. BullMQ hands out the jobs, keeps a lock on each
 * while it runs (a worker that vanishes loses its job to another once the lock expires),
 * and carries progress and results back to the run through its queue events.
 */
import { errorMessage } from "../process/safe_text.ts";
import { type Job, UnrecoverableError, WaitingError, Worker } from "bullmq";
import { EXIT, UsageError } from "../cli/errors.ts";
import { sleep } from "../process/concurrency.ts";
import { throttleProgress } from "../run/progress.ts";
import { checkNetPermission } from "../workloads/io/urls.ts";
import { VERSION } from "../cli/version.ts";
import { getWorkload } from "../workloads/registry.ts";
import {
  connect,
  type JobData,
  type JobProgress,
  type JobResult,
  joinedKey,
  pingRedis,
  RUNS_KEY,
  versionRefusal,
} from "./jobs.ts";
import { parseRedisUrl } from "./redis_url.ts";
import { travels } from "./check.ts";

/** Options of `worker`. */
export interface WorkerCommandOptions {
  /** The Redis URL, or `-` to read it from the first line of standard input. */
  readonly redis: string;
  /** Jobs this worker runs at once (CPU work: 1; downloads: more). */
  readonly concurrency: number;
  /** How long a job stays locked to a worker that stops renewing it. */
  readonly lockMs: number;
  /** Started by a run: the URL comes on stdin, and the worker leaves when stdin closes. */
  readonly parent?: boolean;
  /** Tests only: claim another version, to prove that jobs of another version are refused. */
  readonly claimVersion?: string;
}

/** How often the worker looks for runs that started or ended. */
export const POLL_MS = 100;

/** Reconnects before a worker gives up on a Redis that went away (about 10 s). */
const RECONNECTS = 50;

/** Time a CPU task may hold the thread before it lets timers (lock renewal, signals) run. */
const SLICE_MS = 20;

/** `host:pid`: the lane this worker is in a run's views. */
function workerLabel(): string {
  const granted = Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state === "granted";
  let host = "localhost";
  if (granted) {
    try {
      host = Deno.hostname();
    } catch { /* keep the default */ }
  }
  return `${host}:${Deno.pid}`;
}

/** The first line of standard input. */
async function firstLine(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text.split("\n")[0].trim();
}

/** The `worker` command; resolves with the exit code once the worker has left. */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const stdin = options.parent ? Deno.stdin.readable.getReader() : undefined;
  const url = options.redis === "-" && stdin ? await firstLine(stdin) : options.redis;
  if (options.redis === "-" && !stdin) {
    throw new UsageError("--redis - (the URL on standard input) is for workers a run starts");
  }
  const target = parseRedisUrl(url);
  checkNetPermission([target.hostPort]);
  try {
    await pingRedis(target.url);
  } catch (err) {
    throw new UsageError(`cannot reach Redis at ${target.shown}: ${errorMessage(err)}`);
  }
  const version = options.claimVersion ?? VERSION;
  const lane = workerLabel();
  const log = (text: string) => console.error(`conc101 worker ${lane}: ${text}`);

  let leaving = false;
  let lost = false;
  let wake!: () => void;
  const left = new Promise<void>((resolve) => (wake = resolve));
  const leave = () => {
    if (leaving) return;
    leaving = true;
    wake();
  };
  const connection = connect(target.url, RECONNECTS, (m) => log(`Redis: ${m}`));
  connection.on("end", () => {
    if (leaving) return;
    lost = true;
    log(`lost Redis at ${target.shown}; leaving`);
    leave();
  });

  /** Aborts the running tasks of one queue. */
  const running = new Map<string, Set<AbortController>>();
  const workers = new Map<string, Worker>();

  const processor = (queueName: string) => async (job: Job, token?: string) => {
    const data = job.data as JobData;
    if (data.version !== version) {
      throw new UnrecoverableError(versionRefusal(version, data.version));
    }
    if (!travels(data.workload)) {
      throw new UnrecoverableError(
        `workload "${String(data.workload).slice(0, 40)}" cannot run on a cluster worker`,
      );
    }
    const controller = new AbortController();
    const set = running.get(queueName) ?? new Set();
    running.set(queueName, set);
    set.add(controller);
    const report = (done: number, total: number) =>
      job.updateProgress({ lane, done, total } satisfies JobProgress).catch(() => {});
    try {
      await report(0, 0);
      let slice = performance.now();
      const result = await getWorkload(data.workload).run(data.input, {
        signal: controller.signal,
        progress: throttleProgress(report),
        checkpoint: () => {
          // A CPU task must let BullMQ renew its lock (and signals through) now and then.
          if (performance.now() - slice < SLICE_MS) return;
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              slice = performance.now();
              resolve();
            }, 0)
          );
        },
        netHosts: data.netHosts ?? [],
      });
      return { lane, result } satisfies JobResult;
    } catch (err) {
      if (leaving && !lost && token) {
        // Leaving on a signal: the job goes back to the queue for another worker.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      throw new UnrecoverableError(errorMessage(err));
    } finally {
      set.delete(controller);
    }
  };

  const join = (name: string) => {
    const worker = new Worker(name, processor(name), {
      connection,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      maxStalledCount: 1,
      name: lane,
    });
    let last = "";
    worker.on("error", (err) => {
      const message = errorMessage(err);
      if (leaving || message === last) return;
      last = message;
      log(`queue ${name}: ${message}`);
    });
    workers.set(name, worker);
    // Said once the worker listens: a run waits for its own local workers before enqueueing.
    worker.waitUntilReady().then(() => connection.sadd(joinedKey(name), lane)).catch(() => {});
  };

  const part = async (name: string) => {
    const worker = workers.get(name);
    workers.delete(name);
    for (const controller of running.get(name) ?? []) controller.abort();
    running.delete(name);
    await worker?.close(true).catch(() => {});
  };

  const onSignal = () => {
    if (leaving) Deno.exit(EXIT.cancelled);
    leave();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  if (stdin) {
    // A worker a run started leaves with it, even when the run could not say so.
    (async () => {
      while (!(await stdin.read()).done) { /* nothing else comes */ }
    })().catch(() => {}).finally(leave);
  }

  log(`joined ${target.shown} (conc101 ${version}, ${options.concurrency} at once)`);
  while (!leaving) {
    try {
      const names = new Set(await connection.smembers(RUNS_KEY));
      for (const name of names) if (!workers.has(name)) join(name);
      for (const name of [...workers.keys()]) if (!names.has(name)) await part(name);
    } catch (err) {
      if (!leaving) log(errorMessage(err));
    }
    await Promise.race([sleep(POLL_MS), left]);
  }

  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  // Release what runs: each task stops at its next checkpoint and its job goes back to wait.
  for (const set of running.values()) for (const c of set) c.abort();
  await Promise.race([
    Promise.all([...workers.values()].map((w) => w.close().catch(() => {}))),
    sleep(lost ? 200 : 5_000),
  ]);
  connection.disconnect();
  return lost ? EXIT.failed : EXIT.ok;
}
