/**
 * A private `redis-server` for one run: 127.0.0.1 only, a free port, no persistence, nothing
 * written. Debian's package does not start a server by itself in containers, and we would not
 * want a shared one anyway: this one is our child, stopped by its pid when the run ends.
 */
import { errorMessage } from "../process/safe_text.ts";
import { terminate, track } from "../process/cleanup.ts";
import { missingGrant, UsageError } from "../cli/errors.ts";
import { sleep } from "../process/concurrency.ts";

/** The program we start; `--allow-run` must name it. */
const REDIS_SERVER = "redis-server";

/** What to tell someone without it. */
const NO_REDIS_SERVER = "cluster mode needs redis-server to run on this machine: " +
  "install the redis-server package (apt-get install redis-server), or pass --redis URL";

/** Time the server gets to accept connections. */
const START_MS = 10_000;

/** Time the server gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 1_000;

/** A running private server. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Resolves when the server has exited (by itself or stopped). */
  readonly exited: Promise<Deno.CommandStatus>;
  /** Stops it (SIGTERM, then SIGKILL) and resolves when it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

/** Fails with one line when `redis-server` may not be run or is not installed. */
export async function checkRedisServer(): Promise<void> {
  try {
    const out = await new Deno.Command(REDIS_SERVER, {
      args: ["--version"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) throw new Error(`exit code ${out.code}`);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw new UsageError(NO_REDIS_SERVER);
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(
        `cluster mode starts a private ${REDIS_SERVER}: ` +
          `${missingGrant(`--allow-run=${REDIS_SERVER}`)} (and this program), or pass --redis URL`,
      );
    }
    throw new UsageError(`${REDIS_SERVER} --version failed: ${errorMessage(err)}`);
  }
}

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** True once something accepts connections on 127.0.0.1:`port`. */
async function accepting(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** Starts a private server and resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  // A port taken between the probe and the server's bind makes the server exit: try again.
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = freePort();
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(REDIS_SERVER, {
        args: [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--protected-mode",
          "yes",
          "--save",
          "",
          "--appendonly",
          "no",
          "--daemonize",
          "no",
          "--loglevel",
          "warning",
          "--logfile",
          "",
        ],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) throw new UsageError(NO_REDIS_SERVER);
      throw err;
    }
    const untrack = track(() => child.kill("SIGKILL"));
    let output = "";
    const collect = async (stream: ReadableStream<Uint8Array>) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        output = (output + text).slice(-2048);
      }
    };
    collect(child.stdout).catch(() => {});
    collect(child.stderr).catch(() => {});
    let gone = false;
    const exited = child.status.then((s) => {
      gone = true;
      untrack();
      return s;
    });
    const stop = () => terminate(child, exited, STOP_GRACE_MS);
    const deadline = performance.now() + START_MS;
    while (!gone && performance.now() < deadline) {
      if (await accepting(port)) {
        return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, exited, stop };
      }
      await sleep(20);
    }
    await stop();
    lastError = output.trim().split("\n").pop() ?? "";
  }
  throw new Error(`${REDIS_SERVER} did not start${lastError ? `: ${lastError}` : ""}`);
}
