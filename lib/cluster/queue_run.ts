/**
 * The parent's side of cluster mode: one BullMQ queue for the run, the tasks enqueued in bulk,
 * one lane per worker that takes a task (`host:pid`), progress and results streamed back by
 * BullMQ's queue events and verified here as in every mode. The queue is removed at the end;
 * on cancel, waiting jobs are removed and the workers stop the active ones. Loaded only when
 * cluster mode runs, so no other mode pays for BullMQ.
 */
import { errorMessage } from "../process/safe_text.ts";
import { Queue, QueueEvents } from "bullmq";
import { sleep } from "../process/concurrency.ts";
import { VERSION } from "../cli/version.ts";
import type { TaskSpec } from "../workloads/types.ts";
import type { ModeContext } from "../modes/types.ts";
import {
  connect,
  JOB_NAME,
  type JobData,
  jobId,
  type JobProgress,
  type JobResult,
  joinedKey,
  QUEUE_PREFIX,
  RUNS_KEY,
  taskIdOf,
} from "./jobs.ts";
import { type LocalWorker, startLocalWorker } from "./local_workers.ts";
import { parseRedisUrl } from "./redis_url.ts";
import { type RedisServer, startRedisServer } from "./redis_server.ts";

/** What cluster mode needs besides the mode context. */
export interface ClusterContext {
  /** The Redis to use; undefined: a private `redis-server` for this run. */
  readonly redis?: string;
  /** `conc101 worker` processes to start on this machine. */
  readonly localWorkers: number;
  /** Their job lock, in ms (tests shorten it to see a lost worker's job retried soon). */
  readonly lockMs?: number;
}

/** Reconnects before the run gives up on a Redis that went away (about 2 s). */
const RECONNECTS = 10;

/** With no worker of this machine, how long the run waits for a first worker elsewhere. */
const NO_WORKER_MS = 60_000;

/** Longest wait for the run's own workers to join before the jobs go in anyway. */
const JOIN_WAIT_MS = 30_000;

/** Longest wait for one cleanup step against a Redis that may be gone. */
const CLEANUP_STEP_MS = 3_000;

/** Resolves with `p`'s outcome ignored, after at most `ms`. */
function settle(p: Promise<unknown> | undefined, ms = CLEANUP_STEP_MS): Promise<void> {
  return Promise.race([Promise.resolve(p).then(() => {}, () => {}), sleep(ms)]);
}

/** Parses a queue event's return value (BullMQ passes it as JSON text). */
function parseReturn(value: unknown): Partial<JobResult> {
  try {
    const parsed = typeof value === "string" ? JSON.parse(value) : value;
    return parsed !== null && typeof parsed === "object" ? parsed as Partial<JobResult> : {};
  } catch {
    return {};
  }
}

/** Runs `tasks` through a queue on Redis; resolves when every task has ended or the run stops. */
export async function runOnQueue(
  tasks: readonly TaskSpec[],
  ctx: ModeContext,
  cluster: ClusterContext,
): Promise<void> {
  if (tasks.length === 0 || ctx.signal.aborted) return;
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const ended = new Set<number>();
  const laneOf = new Map<number, string>();
  const lanes = new Map<string, number>();
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onAbort = () => finish();
  ctx.signal.addEventListener("abort", onAbort, { once: true });

  /** Ends every task still open with `reason`, and the run. */
  const failRest = (reason: string) => {
    if (ctx.signal.aborted) return finish();
    for (const task of tasks) {
      if (ended.has(task.id)) continue;
      ended.add(task.id);
      ctx.emit({ type: "task-end", id: task.id, error: reason, verified: false });
    }
    finish();
  };
  const end = (id: number, event: Parameters<ModeContext["emit"]>[0]) => {
    if (ended.has(id)) return;
    ended.add(id);
    ctx.emit(event);
    if (ended.size === tasks.length) finish();
  };
  /** The lane of worker `label`, announced the first time it takes a task. */
  const laneFor = (label: string) => {
    let lane = lanes.get(label);
    if (lane === undefined) {
      lane = lanes.size;
      lanes.set(label, lane);
      ctx.emit({ type: "lane-up", lane, label });
    }
    return lane;
  };

  let server: RedisServer | undefined;
  const locals: LocalWorker[] = [];
  let queue: Queue | undefined;
  let events: QueueEvents | undefined;
  const connections: ReturnType<typeof connect>[] = [];
  const queueName = `${QUEUE_PREFIX}${crypto.randomUUID()}`;
  let registered = false;
  let closing = false;
  try {
    server = cluster.redis === undefined ? await startRedisServer() : undefined;
    const target = parseRedisUrl(cluster.redis ?? server!.url);
    server?.exited.then((s) => {
      if (!closing) failRest(`redis-server ended during the run (${s.signal ?? `code ${s.code}`})`);
    });
    const lost = (what: string) => () => {
      if (!closing) failRest(`lost the connection to Redis at ${target.shown} (${what})`);
    };
    const commands = connect(target.url, RECONNECTS);
    commands.on("end", lost("commands"));
    const listening = connect(target.url, RECONNECTS);
    listening.on("end", lost("events"));
    connections.push(commands, listening);

    queue = new Queue(queueName, { connection: commands });
    queue.on("error", () => {}); // A lost Redis is reported once, by the connections.
    events = new QueueEvents(queueName, { connection: listening, autorun: true });
    events.on("error", () => {});
    events.on("progress", ({ jobId: job, data }) => {
      const id = taskIdOf(job);
      if (id === undefined || ended.has(id)) return;
      const p = data as Partial<JobProgress>;
      if (typeof p?.lane !== "string") return;
      const lane = laneFor(p.lane);
      // A task taken over by another worker (its first one was lost) starts again there.
      if (laneOf.get(id) !== p.lane) {
        laneOf.set(id, p.lane);
        ctx.emit({ type: "task-start", id, lane });
      }
      if (typeof p.total === "number" && p.total > 0 && typeof p.done === "number") {
        ctx.emit({ type: "task-progress", id, done: p.done, total: p.total });
      }
    });
    events.on("completed", ({ jobId: job, returnvalue }) => {
      const id = taskIdOf(job);
      const task = id === undefined ? undefined : byId.get(id);
      if (!task || ended.has(task.id)) return;
      const { result, lane } = parseReturn(returnvalue);
      if (typeof lane === "string" && !laneOf.has(task.id)) {
        laneOf.set(task.id, lane);
        ctx.emit({ type: "task-start", id: task.id, lane: laneFor(lane) });
      }
      end(task.id, {
        type: "task-end",
        id: task.id,
        result,
        verified: ctx.workload.verify(task.input, result),
      });
    });
    events.on("failed", ({ jobId: job, failedReason }) => {
      const id = taskIdOf(job);
      if (id === undefined || !byId.has(id)) return;
      end(id, { type: "task-end", id, error: String(failedReason), verified: false });
    });
    await Promise.race([events.waitUntilReady(), finished]);
    if (ended.size === tasks.length || ctx.signal.aborted) return;

    const exited = new Set<LocalWorker>();
    const remoteSeen = () =>
      [...lanes.keys()].some((l) => !locals.some((w) => l.endsWith(`:${w.pid}`)));
    for (let i = 0; i < cluster.localWorkers; i++) {
      const worker = startLocalWorker({
        url: target.url,
        net: [target.hostPort, ...ctx.netHosts],
        concurrency: ctx.perLane,
        lockMs: cluster.lockMs,
      });
      locals.push(worker);
      worker.ended.then((reason) => {
        if (closing) return;
        // Lost workers' jobs go to the others; with none left here and none elsewhere, stop.
        const alive = locals.filter((w) => w !== worker && !exited.has(w));
        exited.add(worker);
        if (alive.length === 0 && !remoteSeen()) {
          failRest(`every local worker ended; the last: ${reason}`);
        }
      });
    }

    await commands.sadd(RUNS_KEY, queueName);
    registered = true;
    // The run's own workers all join before the first job, so the first one up cannot take
    // every short task; a worker that dies meanwhile, or a slow start, ends the wait.
    const joinBy = performance.now() + JOIN_WAIT_MS;
    while (
      cluster.localWorkers > 0 && !ctx.signal.aborted && ended.size < tasks.length &&
      exited.size === 0 && performance.now() < joinBy &&
      await commands.scard(joinedKey(queueName)) < cluster.localWorkers
    ) await sleep(20);
    const data = (task: TaskSpec): JobData => ({
      version: VERSION,
      id: task.id,
      workload: ctx.workload.name,
      input: task.input,
      netHosts: ctx.netHosts,
    });
    await queue.addBulk(tasks.map((task) => ({
      name: JOB_NAME,
      data: data(task),
      opts: { jobId: jobId(task.id), attempts: 1, removeOnComplete: true, removeOnFail: true },
    })));

    if (cluster.localWorkers === 0) {
      const timer = setTimeout(() => {
        if (lanes.size === 0) {
          failRest(
            `no conc101 worker took a task within ${NO_WORKER_MS / 1000} s: start one with ` +
              `conc101 worker --redis ${target.shown}`,
          );
        }
      }, NO_WORKER_MS);
      finished.finally(() => clearTimeout(timer));
    }
    await finished;
  } catch (err) {
    if (!ctx.signal.aborted && ended.size < tasks.length) {
      failRest(`cluster: ${errorMessage(err)}`);
    }
  } finally {
    closing = true;
    ctx.signal.removeEventListener("abort", onAbort);
    const commands = connections[0];
    // Workers leave the queue when it leaves the set, stopping what they run; then it goes.
    if (registered) {
      await settle(commands?.srem(RUNS_KEY, queueName));
      await settle(commands?.del(joinedKey(queueName)));
    }
    await settle(queue?.obliterate({ force: true }));
    await settle(queue?.close());
    await settle(events?.close());
    for (const c of connections) c.disconnect();
    await Promise.all(locals.map((w) => w.stop()));
    await server?.stop();
  }
}
