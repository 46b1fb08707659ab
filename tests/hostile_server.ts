/** A server written by the test, on 127.0.0.1 only, that answers however the test says. */

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/** Serves `handler` on 127.0.0.1 for the length of `fn`, then shuts down. */
export async function withServer(
  handler: (req: Request, server: TestServer) => Response | Promise<Response>,
  fn: (server: TestServer) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  // Requests arrive only once the address is known.
  const holder: { info?: TestServer } = {};
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen: () => {} },
    (req) => handler(req, holder.info!),
  );
  const port = server.addr.port;
  const info = { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, port };
  holder.info = info;
  try {
    await fn(info);
  } finally {
    controller.abort();
    await server.finished;
  }
}

/** A raw TCP server on 127.0.0.1 that writes `reply` to every connection and closes it. */
export async function withRawServer(
  reply: Uint8Array,
  fn: (server: TestServer) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const serving = (async () => {
    for await (const conn of listener) {
      (async () => {
        // Wait for the request before answering, as a server would.
        await conn.read(new Uint8Array(4096)).catch(() => null);
        await conn.write(reply).catch(() => 0);
        conn.close();
      })();
    }
  })().catch(() => {});
  try {
    await fn({ url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, port });
  } finally {
    listener.close();
    await serving;
  }
}
