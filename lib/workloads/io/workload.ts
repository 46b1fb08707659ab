import { SERVER_DEFAULTS, type ServerOptions } from "./page_handler.ts";
import { startServer } from "./server_host.ts";
import { quote } from "../../process/safe_text.ts";
import { LIMITS } from "../../cli/limits.ts";
import { optionsFromFlags } from "../flags.ts";
import { checkNetPermission, checkUrl, collectUrls } from "./urls.ts";
import {
  TaskAborted,
  type TaskContext,
  type TaskSpec,
  type Workload,
  type WorkloadFlag,
  type WorkloadOptions,
} from "../types.ts";

/** The tutorial downloads 160 pages. */
const DEFAULT_DOWNLOADS = 160;
const DEFAULT_TIMEOUT_MS = 10_000;

/** One download. */
export interface IoInput {
  readonly url: string;
  readonly timeoutMs: number;
}

/**
 * What a download got: its HTTP status and bytes, and the `Content-Length` if sent and
 * comparable. With a `Content-Encoding` `fetch` hands over the decoded body, whose length is
 * not the one the header gives: then `encoding` is set and only the status is checked.
 */
export interface IoResult {
  readonly status: number;
  readonly bytes: number;
  readonly expectedBytes?: number;
  readonly encoding?: string;
}

/** Redirects a download follows at most, like a browser's much larger 20, but sooner. */
const MAX_REDIRECTS = 5;

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

/** `1 download`, `2 downloads`. */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The useful part of a fetch error: its cause's last clause ("Connection refused"). */
function fetchFailure(err: TypeError): string {
  const cause = err.cause instanceof Error ? err.cause.message : err.message;
  const last = cause.split(": ").pop() ?? cause;
  return last.replace(/ \(os error \d+\)$/, "").split("\n")[0];
}

/**
 * Fetches `url`, following redirects by hand: at most {@link MAX_REDIRECTS}, and only to
 * `hosts`, the hosts of this run. Every mode applies the same rule, whatever its own grant
 * (a worker's is narrower than the main thread's), and no redirect can ask Deno for a
 * permission; any other redirect ends the task with an error naming its target.
 */
async function fetchWithin(
  url: string,
  hosts: readonly string[],
  signal: AbortSignal,
): Promise<Response> {
  let current = url;
  for (let hop = 0;; hop++) {
    const response = await fetch(current, { signal, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || location === null) return response;
    await response.body?.cancel();
    let target: URL;
    try {
      target = new URL(location, current);
    } catch {
      throw new Error(`redirect to ${quote(location)} refused: not a valid URL`);
    }
    const shown = quote(target.href);
    if (target.protocol !== "http:" && target.protocol !== "https:") {
      throw new Error(`redirect to ${shown} refused: not http or https`);
    }
    const host = hostOf(target.href);
    if (!hosts.includes(host)) {
      throw new Error(`redirect to ${shown} refused: ${host} is not a host of this run`);
    }
    if (hop >= MAX_REDIRECTS) {
      throw new Error(`more than ${MAX_REDIRECTS} redirects, the last to ${shown}`);
    }
    current = target.href;
  }
}

/** `127.0.0.1:4507/page/3`: host and path. */
function describe(input: IoInput): string {
  const u = new URL(input.url);
  return `${u.host}${u.pathname}`;
}

async function run(input: IoInput, ctx: TaskContext): Promise<IoResult> {
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const response = await fetchWithin(input.url, ctx.netHosts ?? [], signal);
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
      );
    }
    const encoding = response.headers.get("content-encoding")?.trim().toLowerCase();
    const encoded = encoding !== undefined && encoding !== "" && encoding !== "identity";
    const length = response.headers.get("content-length");
    // A decoded body's length cannot be held against the encoded length in the header.
    const expectedBytes = length === null || encoded ? undefined : Number(length);
    let bytes = 0;
    // The whole body is read, so the connection goes back to the pool for the next download.
    for await (const chunk of response.body ?? []) {
      bytes += chunk.byteLength;
      ctx.progress(bytes, expectedBytes ?? 0);
    }
    ctx.progress(bytes, expectedBytes ?? bytes);
    // A failed check says why, rather than leaving an unverified task without a reason.
    if (expectedBytes !== undefined && bytes !== expectedBytes) {
      throw new Error(`got ${bytes} bytes, but Content-Length said ${expectedBytes}`);
    }
    return {
      status: response.status,
      bytes,
      ...(expectedBytes === undefined ? {} : { expectedBytes }),
      ...(encoded ? { encoding } : {}),
    };
  } catch (err) {
    if (ctx.signal.aborted) throw new TaskAborted();
    if (timeout.aborted) throw new Error(`timed out after ${input.timeoutMs} ms`);
    if (err instanceof TypeError) throw new Error(`download failed: ${fetchFailure(err)}`);
    throw err;
  }
}

/** The local server's settings from the options. */
function serverOptions(options: WorkloadOptions): ServerOptions {
  return {
    latencyMs: options.latencyMs ?? SERVER_DEFAULTS.latencyMs,
    jitterMs: options.jitterMs ?? SERVER_DEFAULTS.jitterMs,
    pageKb: options.pageKb ?? SERVER_DEFAULTS.pageKb,
  };
}

/** `160 downloads of 16 KB, 100±10 ms, local server`. */
function localSummary(tasks: number, server: ServerOptions): string {
  return `${
    plural(tasks, "download")
  } of ${server.pageKb} KB, ${server.latencyMs}±${server.jitterMs} ms, local server`;
}

/** `2 downloads from 1 host`. */
function urlSummary(tasks: readonly TaskSpec<IoInput>[]): string {
  const hosts = new Set(tasks.map((t) => hostOf(t.input.url)));
  return `${plural(tasks.length, "download")} from ${plural(hosts.size, "host")}`;
}

const n = (x: number) => x.toLocaleString("en-US");

const FLAGS: readonly WorkloadFlag[] = [
  {
    flag: "--latency <ms>",
    option: "latencyMs",
    help: "the local server's delay per page",
    limits: LIMITS.latencyMs,
    byDefault: n(SERVER_DEFAULTS.latencyMs),
  },
  {
    flag: "--jitter <ms>",
    option: "jitterMs",
    help: "seeded jitter around the latency",
    limits: LIMITS.jitterMs,
    byDefault: n(SERVER_DEFAULTS.jitterMs),
  },
  {
    flag: "--page-kb <n>",
    option: "pageKb",
    help: "page size in KB",
    limits: LIMITS.pageKb,
    byDefault: n(SERVER_DEFAULTS.pageKb),
  },
  {
    flag: "--url <url>",
    option: "urls",
    help: "download this URL instead of the local server (repeatable; http and https)",
    shownAs: "--url/--urls",
    parse: (
      value,
      previous,
    ) => [...(previous as string[] | undefined ?? []), checkUrl(value, "--url")],
  },
  {
    flag: "--urls <file>",
    option: "urls",
    help: `a file of URLs, one a line, # comments (with --url up to ${n(LIMITS.urls)} URLs; ${
      LIMITS.urlsFileBytes / 2 ** 20
    } MB)`,
  },
  {
    flag: "--timeout <ms>",
    option: "timeoutMs",
    help: "per-download timeout",
    limits: LIMITS.timeoutMs,
    byDefault: n(DEFAULT_TIMEOUT_MS),
  },
  {
    flag: "--per-lane <n>",
    option: "perLane",
    help: "downloads each worker or child runs at once",
    limits: LIMITS.perLane,
    byDefault: "1",
  },
];

/** The tutorial's I/O-bound job: download many pages; by default from a local slow server. */
export const ioWorkload: Workload<IoInput, IoResult> = {
  name: "io",
  bound: "io",
  flags: FLAGS,
  // `--url` and `--urls` fill one list, the file read once the flags are parsed.
  readOptions: (parsed) => ({ ...optionsFromFlags(FLAGS, parsed), urls: collectUrls(parsed) }),
  tasksHelp: `${DEFAULT_DOWNLOADS} or one per URL`,
  taskCount: (options) => options.tasks ?? options.urls?.length ?? DEFAULT_DOWNLOADS,
  preview(options) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.urls && options.urls.length > 0) {
      const tasks = ioTasks(options.urls, options.tasks ?? options.urls.length, timeoutMs);
      return { summary: urlSummary(tasks), labels: tasks.map((t) => describe(t.input)) };
    }
    const count = options.tasks ?? DEFAULT_DOWNLOADS;
    return {
      summary: localSummary(count, serverOptions(options)),
      labels: Array.from({ length: count }, (_, i) => `/page/${i}`),
    };
  },
  checkGrants(options: WorkloadOptions) {
    if (!options.urls || options.urls.length === 0) return;
    const tasks = ioTasks(options.urls, options.tasks ?? options.urls.length, DEFAULT_TIMEOUT_MS);
    checkNetPermission([...new Set(tasks.map((t) => hostOf(t.input.url)))]);
  },
  async prepare(options: WorkloadOptions) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.urls && options.urls.length > 0) {
      const tasks = ioTasks(options.urls, options.tasks ?? options.urls.length, timeoutMs);
      // Only the hosts these tasks download from: `--tasks 4` of 9,000 URLs needs four.
      const hosts = [...new Set(tasks.map((t) => hostOf(t.input.url)))];
      checkNetPermission(hosts);
      return {
        tasks,
        netHosts: hosts,
        // Two connections a download (one going back to the pool as the next opens).
        cost: { descriptors: 2, serverDescriptors: 0, bytes: 0 },
        summary: urlSummary(tasks),
        close: () => Promise.resolve(),
      };
    }
    const server = serverOptions(options);
    checkNetPermission(["127.0.0.1"]);
    const running = await startServer(server);
    const tasks = options.tasks ?? DEFAULT_DOWNLOADS;
    const pages = Array.from({ length: tasks }, (_, i) => `${running.url}/page/${i}`);
    return {
      tasks: ioTasks(pages, tasks, timeoutMs),
      netHosts: [running.host],
      // Two connections a download, each with both ends in this process; buffers on both
      // ends hold up to about 2 MB of a large page (measured), whatever its size.
      cost: {
        descriptors: 2,
        serverDescriptors: 2,
        bytes: Math.min(server.pageKb * 1024, 2 * 1024 * 1024),
      },
      summary: localSummary(tasks, server),
      close: () => running.close(),
    };
  },
  run,
  verify: (_input, result) =>
    result.status >= 200 && result.status < 300 &&
    (result.expectedBytes === undefined || result.bytes === result.expectedBytes),
  describe,
};
