/// <reference lib="deno.worker" />
// The I/O workload's server, in a worker of its own so main-thread work cannot delay replies.
import { createHandler, type ServerOptions } from "../lib/workloads/io/page_handler.ts";
import { dropPermissions } from "../lib/lanes/permissions.ts";

dropPermissions(true);

/** Pause before listening again after the accept loop failed (say, out of descriptors). */
const RELISTEN_MS = 50;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

self.onmessage = (event: MessageEvent<ServerOptions & { port: number }>) => {
  const { port, ...options } = event.data;
  const handler = createHandler(options);
  // Out of descriptors, `accept` fails and Deno.serve ends: listen again on the same port, so
  // the server outlives the shortage instead of dying with a stack trace over the dashboard.
  const listen = (port: number, first: boolean) => {
    try {
      const server = Deno.serve({
        hostname: "127.0.0.1",
        port,
        onListen: ({ port }) => {
          if (first) self.postMessage({ kind: "listening", port });
        },
        onError: () => new Response("server error\n", { status: 500 }),
      }, handler);
      server.finished.catch(() => setTimeout(() => listen(server.addr.port, false), RELISTEN_MS));
    } catch (err) {
      if (first) self.postMessage({ kind: "failed", message: message(err) });
      else setTimeout(() => listen(port, false), RELISTEN_MS);
    }
  };
  listen(port, true);
};
