import { errorMessage } from "../../process/safe_text.ts";
import { EXIT, UsageError } from "../errors.ts";
import { SERVER_DEFAULTS } from "../../workloads/io/page_handler.ts";
import { startServer } from "../../workloads/io/server_host.ts";
import { checkNetPermission } from "../../workloads/io/urls.ts";

/** Options of `serve`. */
export interface ServeCommandOptions {
  readonly port?: number;
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  readonly pageKb?: number;
}

/** `conc101 serve`: the I/O workload's slow server in the foreground, until Ctrl-C. */
export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  checkNetPermission([`127.0.0.1:${options.port ?? 0}`]);
  let server;
  try {
    server = await startServer({
      latencyMs: options.latencyMs ?? SERVER_DEFAULTS.latencyMs,
      jitterMs: options.jitterMs ?? SERVER_DEFAULTS.jitterMs,
      pageKb: options.pageKb ?? SERVER_DEFAULTS.pageKb,
    }, options.port ?? 0);
  } catch (err) {
    const message = errorMessage(err);
    if (/address already in use/i.test(message)) {
      throw new UsageError(
        `--port ${options.port}: 127.0.0.1:${options.port} is taken by another program; ` +
          `choose another port (0-65,535), or 0 for any free one`,
      );
    }
    throw new UsageError(message);
  }
  console.log(`serving ${server.url}/page/<n> (and /status/<code>); Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
  await server.close();
  return EXIT.ok;
}
