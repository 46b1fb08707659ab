/** `conc101 worker` processes a run starts on this machine: the embedded default's lanes. */
import { thisProgram } from "../lanes/child_command.ts";
import { spawnTracked, terminate } from "../process/cleanup.ts";

/** Time a worker gets to leave after its stdin closes and SIGTERM, before SIGKILL. */
const WORKER_GRACE_MS = 2_000;

/** One local worker process. */
export interface LocalWorker {
  readonly pid: number;
  /** Resolves with why it ended, when it ends. */
  readonly ended: Promise<string>;
  /** Ends it (stdin closed, SIGTERM, then SIGKILL) and resolves when it is gone. */
  stop(): Promise<void>;
}

/** What a local worker needs. */
export interface LocalWorkerOptions {
  readonly url: string;
  /** `host:port` of Redis, and the hosts the tasks reach. */
  readonly net: readonly string[];
  readonly concurrency: number;
  readonly lockMs?: number;
}

/** The command line of one worker: this program, `worker --redis -`, narrow permissions. */
function workerCommandLine(
  options: LocalWorkerOptions,
): { command: string; args: string[] } {
  const program = thisProgram([], 1);
  const workerArgs = [
    "worker",
    "--redis",
    "-",
    "--parent",
    "--concurrency",
    String(options.concurrency),
    ...(options.lockMs !== undefined ? ["--lock-ms", String(options.lockMs)] : []),
  ];
  // A compiled binary carries its own permissions; it re-executes itself.
  if (program.standalone) return { command: program.execPath, args: workerArgs };
  return {
    command: program.execPath,
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${program.configPath}`,
      // BullMQ reads NODE_ENV: with --ignore-env it reads unset, and asks nothing.
      "--ignore-env",
      `--allow-net=${[...new Set(options.net)].join(",")}`,
      "--allow-sys=hostname",
      program.mainModule,
      ...workerArgs,
    ],
  };
}

/**
 * Starts one worker. The URL goes on its stdin, never on its command line (where `ps` would
 * show a password); when stdin closes, the worker leaves.
 */
export function startLocalWorker(options: LocalWorkerOptions): LocalWorker {
  const { command, args } = workerCommandLine(options);
  const { child, untrack } = spawnTracked(command, args, "null");
  const writer = child.stdin.getWriter();
  writer.write(new TextEncoder().encode(options.url + "\n")).catch(() => {});
  let tail = "";
  (async () => {
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      tail = (tail + text).slice(-2048);
    }
  })().catch(() => {});
  let gone = false;
  const status = child.status.then((s) => {
    gone = true;
    untrack();
    return s;
  });
  const ended = status.then((s) => {
    const how = s.signal ? `was killed by ${s.signal}` : `exited with code ${s.code}`;
    const last = tail.trim().split("\n").pop();
    return `worker process ${child.pid} ${how}${last ? `: ${last}` : ""}`;
  });
  return {
    pid: child.pid,
    ended,
    async stop() {
      if (!gone) writer.close().catch(() => {});
      await terminate(child, status, WORKER_GRACE_MS);
    },
  };
}
