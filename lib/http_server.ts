/**
 * The I/O workload's slow web server. Each page answers after a latency (with a small seeded
 * jitter) and streams its body in chunks with a `Content-Length`, so a download's bar moves
 * by bytes. It runs in its own Web Worker, so work on the main thread cannot distort its
 * latency; `serve` runs the same handler in the foreground.
 */
import { sleep } from "./pool.ts";

/** What the server serves. */
export interface ServerOptions {
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly pageKb: number;
}

export const SERVER_DEFAULTS: ServerOptions = { latencyMs: 100, jitterMs: 10, pageKb: 16 };

/** Chunks a page body is streamed in: enough for a moving bar; each costs the server a timer. */
const CHUNKS = 4;

/** A deterministic jitter in `-jitterMs..jitterMs` for page `id`: the same page, the same wait. */
export function jitterFor(id: number, jitterMs: number): number {
  if (jitterMs <= 0) return 0;
  // A small integer hash (xorshift-multiply) gives a spread that needs no random state.
  let x = (id + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return Math.round(((x / 0xffffffff) * 2 - 1) * jitterMs);
}

/** The request handler: `/page/<id>` pages; `/status/<code>` answers that status; else 404. */
export function createHandler(options: ServerOptions): (req: Request) => Promise<Response> {
  const size = options.pageKb * 1024;
  const chunk = new Uint8Array(Math.ceil(size / CHUNKS)).fill(0x61);
  return async (req) => {
    const url = new URL(req.url);
    const status = url.pathname.match(/^\/status\/(\d{3})$/);
    if (status) return new Response(`status ${status[1]}\n`, { status: Number(status[1]) });
    const page = url.pathname.match(/^\/page\/(\d+)$/);
    if (!page) return new Response("not found\n", { status: 404 });
    const id = Number(page[1]);
    const latency = options.latencyMs + jitterFor(id, options.jitterMs);
    await sleep(latency / 2);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= size) return controller.close();
        // The second half of the latency is spread over the chunks, like a slow link.
        await sleep(latency / 2 / CHUNKS);
        const n = Math.min(chunk.length, size - sent);
        controller.enqueue(chunk.subarray(0, n));
        sent += n;
      },
    });
    return new Response(body, {
      headers: { "content-length": String(size), "content-type": "text/plain" },
    });
  };
}
