/**
 * What the parent and `conc101 worker` agree on: the job's data, its progress, its result,
 * and where a worker finds the queues of the runs under way. BullMQ moves the jobs; this is
 * only what is inside them.
 */
import { errorMessage } from "../process/safe_text.ts";
import { Redis, type RedisOptions } from "ioredis";

/** A set of the queue names of runs under way: workers join each, and leave when it goes. */
export const RUNS_KEY = "conc101:runs";

/** The set of workers (`host:pid`) that joined the run's queue `name`. */
export function joinedKey(name: string): string {
  return `${RUNS_KEY}:${name}:workers`;
}

/** Every queue's name starts so; BullMQ's keys then start `bull:conc101-…`. */
export const QUEUE_PREFIX = "conc101-";

/** The name of a job: there is one kind. */
export const JOB_NAME = "task";

/** One task as a job's data. */
export interface JobData {
  /** The conc101 version that enqueued it: a worker runs only its own version's tasks. */
  readonly version: string;
  readonly id: number;
  readonly workload: string;
  readonly input: unknown;
  /** Hosts of the run: a download follows redirects to these only. */
  readonly netHosts: readonly string[];
}

/** A job's progress: the worker that runs it (`host:pid`) and how far it is. */
export interface JobProgress {
  readonly lane: string;
  readonly done: number;
  readonly total: number;
}

/** A job's return value. */
export interface JobResult {
  readonly lane: string;
  readonly result: unknown;
}

/** The job id of task `id` (BullMQ refuses ids that are plain integers). */
export function jobId(id: number): string {
  return `t${id}`;
}

/** The task id of a job id, or undefined for a job that is not ours. */
export function taskIdOf(jobId: string): number | undefined {
  const m = /^t(\d+)$/.exec(jobId);
  return m ? Number(m[1]) : undefined;
}

/** The message a worker fails a job of another version with. */
export function versionRefusal(workerVersion: string, jobVersion: unknown): string {
  return `refused by a conc101 ${workerVersion} worker: this task comes from conc101 ${
    String(jobVersion).slice(0, 40)
  }; run the same version on every machine`;
}

/** How a connection gives up: after `attempts` failed reconnects, it ends and says why. */
function redisOptions(attempts: number, delayMs = 200): RedisOptions {
  return {
    // BullMQ's blocking commands need this; a lost server is noticed by `retryStrategy`.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (times: number) => (times > attempts ? null : delayMs),
    lazyConnect: false,
  };
}

/** One connection to `url`; errors are reported through `onError` (once per message). */
export function connect(url: string, attempts: number, onError?: (message: string) => void) {
  const redis = new Redis(url, redisOptions(attempts));
  let last = "";
  redis.on("error", (err: unknown) => {
    const message = errorMessage(err);
    if (message === last) return;
    last = message;
    onError?.(message);
  });
  return redis;
}

/**
 * Checks that Redis answers at `url` within `timeoutMs`; throws an error whose message never
 * holds the URL (so a password cannot leak through it).
 */
export async function pingRedis(url: string, timeoutMs = 3_000): Promise<void> {
  let lastError = "";
  const redis = new Redis(url, {
    ...redisOptions(0),
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    lazyConnect: true,
  });
  redis.on("error", (err: unknown) => (lastError = errorMessage(err)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    throw new Error(lastError || errorMessage(err));
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
