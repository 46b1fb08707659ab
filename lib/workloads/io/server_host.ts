import { track } from "../../process/cleanup.ts";
import { workerPermissions } from "../../lanes/permissions.ts";
import type { ServerOptions } from "./page_handler.ts";

/** The server worker; a static URL so `deno compile` can embed it. */
const SERVER_WORKER_URL = new URL("../../../workers/server_worker.ts", import.meta.url);

/** Time the server gets to start listening. */
const START_TIMEOUT_MS = 5000;

/** A running server: its base URL and how to stop it. */
export interface RunningServer {
  readonly url: string;
  readonly host: string;
  close(): Promise<void>;
}

/** Starts the slow server in its own worker on 127.0.0.1 and resolves once it listens. */
export function startServer(options: ServerOptions, port = 0): Promise<RunningServer> {
  const worker = new Worker(SERVER_WORKER_URL, {
    type: "module",
    name: "conc101 server",
    deno: { permissions: workerPermissions([`127.0.0.1${port ? `:${port}` : ""}`]) },
  } as WorkerOptions);
  const untrack = track(() => worker.terminate());
  const stop = () => {
    worker.terminate();
    untrack();
    return Promise.resolve();
  };
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      stop();
      reject(new Error(`the local server could not start: ${message}`));
    };
    const timer = setTimeout(() => fail(`no answer in ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    worker.onerror = (event) => {
      event.preventDefault();
      fail(event.message);
    };
    worker.onmessage = (event: MessageEvent<{ kind: string; port?: number; message?: string }>) => {
      if (event.data.kind === "failed") return fail(event.data.message ?? "unknown error");
      clearTimeout(timer);
      const host = `127.0.0.1:${event.data.port}`;
      resolve({ url: `http://${host}`, host, close: stop });
    };
    worker.postMessage({ ...options, port });
  });
}
