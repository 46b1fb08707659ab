/**
 * The I/O workload's slow web server. Each page answers after a latency (with a small seeded
 * jitter) and streams its body in chunks with a `Content-Length`, so a download's bar moves
 * by bytes. It runs in its own Web Worker, so work on the main thread cannot distort its
 * latency; `serve` runs the same handler in the foreground.
 */
import { sleep } from "../../process/concurrency.ts";

/** What the server serves. */
export interface ServerOptions {
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly pageKb: number;
}

export const SERVER_DEFAULTS: ServerOptions = { latencyMs: 100, jitterMs: 10, pageKb: 16 };

/** Steps a page body is paced in: enough for a moving bar; each costs the server a timer. */
const STEPS = 4;

/**
 * Largest piece handed to the connection at once. A step of a 64 MB page is sent in pieces
 * of this size, so what a download in flight holds in memory does not grow with the page.
 */
export const PIECE_BYTES = 64 * 1024;

/** Statuses a `Response` carries without a body. */
const NULL_BODY = new Set([204, 205, 304]);

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

/**
 * `/status/<code>`: that status, for 200-599 (with no body where HTTP allows none);
 * 1xx and anything else cannot be a final answer, so they get 400 saying so.
 */
function statusResponse(code: number): Response {
  if (code < 200 || code > 599) {
    return new Response(`status ${code} cannot be served: allowed 200-599\n`, { status: 400 });
  }
  return new Response(NULL_BODY.has(code) ? null : `status ${code}\n`, { status: code });
}

/** The request handler: `/page/<id>` pages; `/status/<code>` answers that status; else 404. */
export function createHandler(options: ServerOptions): (req: Request) => Promise<Response> {
  const size = options.pageKb * 1024;
  const step = Math.ceil(size / STEPS);
  const piece = new Uint8Array(Math.min(PIECE_BYTES, size)).fill(0x61);
  return async (req) => {
    const url = new URL(req.url);
    const status = url.pathname.match(/^\/status\/(\d{1,4})$/);
    if (status) return statusResponse(Number(status[1]));
    const page = url.pathname.match(/^\/page\/(\d+)$/);
    if (!page) return new Response("not found\n", { status: 404 });
    const id = Number(page[1]);
    // Jitter larger than the latency would make a negative wait.
    const latency = Math.max(0, options.latencyMs + jitterFor(id, options.jitterMs));
    await sleep(latency / 2);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= size) return controller.close();
        // The second half of the latency is spread over the steps, like a slow link.
        if (sent % step === 0) await sleep(latency / 2 / STEPS);
        // Pull is called again only when the connection has taken this piece.
        const n = Math.min(piece.length, size - sent, step - (sent % step));
        controller.enqueue(piece.subarray(0, n));
        sent += n;
      },
    }, { highWaterMark: 0 });
    return new Response(body, {
      headers: { "content-length": String(size), "content-type": "text/plain" },
    });
  };
}
