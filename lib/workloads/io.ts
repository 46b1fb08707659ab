import { SERVER_DEFAULTS } from "../http_server.ts";
import { startServer } from "../io_server.ts";
import { anySignal } from "../pool.ts";
import { checkNetPermission } from "../urls.ts";
import {
  TaskAborted,
  type TaskContext,
  type TaskSpec,
  type Workload,
  type WorkloadOptions,
} from "./types.ts";

/** The tutorial downloads 160 pages. */
export const DEFAULT_DOWNLOADS = 160;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** One download. */
export interface IoInput {
  readonly url: string;
  readonly timeoutMs: number;
}

/** What a download got: its HTTP status and bytes, and the `Content-Length` if sent. */
export interface IoResult {
  readonly status: number;
  readonly bytes: number;
  readonly expectedBytes?: number;
}

/** `host:port` of a URL, as Deno's net permission wants it. */
export function hostOf(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  return `${u.hostname}:${port}`;
}

/** The task list for `urls`, `tasks` downloads in all (cycling through the list). */
export function ioTasks(
  urls: readonly string[],
  tasks: number,
  timeoutMs: number,
): TaskSpec<IoInput>[] {
  return Array.from(
    { length: tasks },
    (_, id) => ({ id, input: { url: urls[id % urls.length], timeoutMs } }),
  );
}

/** The useful part of a fetch error: its cause's last clause ("Connection refused"). */
function fetchFailure(err: TypeError): string {
  const cause = err.cause instanceof Error ? err.cause.message : err.message;
  const last = cause.split(": ").pop() ?? cause;
  return last.replace(/ \(os error \d+\)$/, "").split("\n")[0];
}

async function run(input: IoInput, ctx: TaskContext): Promise<IoResult> {
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = anySignal(ctx.signal, timeout);
  try {
    const response = await fetch(input.url, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
      );
    }
    const length = response.headers.get("content-length");
    const expectedBytes = length === null ? undefined : Number(length);
    let bytes = 0;
    // The whole body is read, so the connection goes back to the pool for the next download.
    for await (const chunk of response.body ?? []) {
      bytes += chunk.byteLength;
      ctx.progress(bytes, expectedBytes ?? 0);
    }
    ctx.progress(bytes, expectedBytes ?? bytes);
    return {
      status: response.status,
      bytes,
      ...(expectedBytes === undefined ? {} : { expectedBytes }),
    };
  } catch (err) {
    if (ctx.signal.aborted) throw new TaskAborted();
    if (timeout.aborted) throw new Error(`timed out after ${input.timeoutMs} ms`);
    if (err instanceof TypeError) throw new Error(`download failed: ${fetchFailure(err)}`);
    throw err;
  }
}

/** The tutorial's I/O-bound job: download many pages; by default from a local slow server. */
export const ioWorkload: Workload<IoInput, IoResult> = {
  name: "io",
  async prepare(options: WorkloadOptions) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.urls && options.urls.length > 0) {
      const tasks = options.tasks ?? options.urls.length;
      const hosts = [...new Set(options.urls.map(hostOf))];
      checkNetPermission(hosts);
      return {
        tasks: ioTasks(options.urls, tasks, timeoutMs),
        netHosts: hosts,
        summary: `${tasks} downloads from ${hosts.length} host${hosts.length === 1 ? "" : "s"}`,
        close: () => Promise.resolve(),
      };
    }
    const server = {
      latencyMs: options.latencyMs ?? SERVER_DEFAULTS.latencyMs,
      jitterMs: options.jitterMs ?? SERVER_DEFAULTS.jitterMs,
      pageKb: options.pageKb ?? SERVER_DEFAULTS.pageKb,
    };
    checkNetPermission(["127.0.0.1"]);
    const running = await startServer(server);
    const tasks = options.tasks ?? DEFAULT_DOWNLOADS;
    const pages = Array.from({ length: tasks }, (_, i) => `${running.url}/page/${i}`);
    return {
      tasks: ioTasks(pages, tasks, timeoutMs),
      netHosts: [running.host],
      summary:
        `${tasks} downloads of ${server.pageKb} KB, ${server.latencyMs}±${server.jitterMs} ms, local server`,
      close: () => running.close(),
    };
  },
  run,
  verify: (_input, result) =>
    result.status >= 200 && result.status < 300 &&
    (result.expectedBytes === undefined || result.bytes === result.expectedBytes),
  describe: (input) => {
    const u = new URL(input.url);
    return `${u.host}${u.pathname}`;
  },
  summarize: (result) => `${result.bytes} B, HTTP ${result.status}`,
};
