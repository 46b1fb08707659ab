/// <reference lib="deno.worker" />
// The I/O workload's server, in a worker of its own so main-thread work cannot delay replies.
import { createHandler, type ServerOptions } from "../lib/http_server.ts";

self.onmessage = (event: MessageEvent<ServerOptions & { port: number }>) => {
  const { port, ...options } = event.data;
  try {
    Deno.serve({
      hostname: "127.0.0.1",
      port,
      onListen: ({ port }) => self.postMessage({ kind: "listening", port }),
      onError: () => new Response("server error\n", { status: 500 }),
    }, createHandler(options));
  } catch (err) {
    self.postMessage({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
  }
};
