/** The `worker` subcommand's flags, registered on the program by one call. */
import { type Command, Option } from "@commander-js/extra-typings";
import { intInRange } from "../cli/program.ts";

/** A worker's default lock: BullMQ's own. */
const DEFAULT_LOCK_MS = 30_000;

/** Bounds of the worker's flags. */
const WORKER_LIMITS = {
  concurrency: { min: 1, max: 256 },
  lockMs: { min: 500, max: 600_000 },
} as const;

// deno-lint-ignore no-explicit-any
export function addWorkerCommand(program: Command<any, any, any>, setExit: (code: number) => void) {
  const { concurrency, lockMs } = WORKER_LIMITS;
  program.command("worker")
    .description(
      "join the cluster on a Redis and run the tasks of its runs, on this machine or another",
    )
    .addOption(
      new Option("--redis <url>", "the Redis of the runs: redis://[:password@]host:port")
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--concurrency <n>",
        `tasks at once (${concurrency.min}-${concurrency.max}; default 1: CPU tasks share one thread)`,
      ).default(1).argParser(intInRange("--concurrency", concurrency.min, concurrency.max)),
    )
    .addOption(
      new Option(
        "--lock-ms <ms>",
        `how long a job stays with a worker that stops answering before another takes it (${lockMs.min}-${
          lockMs.max.toLocaleString("en-US")
        }; default ${DEFAULT_LOCK_MS.toLocaleString("en-US")})`,
      ).default(DEFAULT_LOCK_MS).argParser(intInRange("--lock-ms", lockMs.min, lockMs.max)),
    )
    .addOption(new Option("--parent").hideHelp())
    .addOption(new Option("--claim-version <v>").hideHelp())
    .action(async (o) => {
      // Loaded on demand: no other command pays for BullMQ.
      const { workerCommand } = await import("./worker.ts");
      setExit(
        await workerCommand({
          redis: o.redis,
          concurrency: o.concurrency,
          lockMs: o.lockMs,
          parent: o.parent === true,
          claimVersion: o.claimVersion,
        }),
      );
    });
}
