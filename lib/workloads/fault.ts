import { sampleCores } from "../run/cpu_usage.ts";
import { sleep } from "../process/concurrency.ts";
import { TaskAborted, type Workload } from "./types.ts";

/** What a fault task does; tests use it to prove each failure is contained. */
export type FaultInput =
  | { readonly kind: "ok"; readonly ms: number }
  | { readonly kind: "throw"; readonly message: string }
  | { readonly kind: "exit"; readonly code: number }
  | { readonly kind: "crash" }
  | { readonly kind: "garbage" }
  | { readonly kind: "hang" }
  | { readonly kind: "stall" }
  | { readonly kind: "read"; readonly path: string }
  | { readonly kind: "write"; readonly path: string }
  | { readonly kind: "env"; readonly name: string }
  | { readonly kind: "spawn"; readonly command: string; readonly args?: readonly string[] }
  | { readonly kind: "sys" };

/**
 * A workload of declared behaviours, hidden from `--workload`: it lets the test suite make a
 * task sleep, throw, exit its process, crash its worker, print garbage, never finish, or try
 * what workers and children may not: read or write a file, read an environment variable,
 * start a process (such as a child of its own), or read system information; the same way in
 * every mode (like hyperfine's mock executor).
 */
export const faultWorkload: Workload<FaultInput, string> = {
  name: "fault",
  hidden: true,
  bound: "cpu",
  flags: [],
  taskCount: (options) => options.tasks ?? 0,
  prepare: () => Promise.reject(new Error("the fault workload is built by tests only")),
  async run(input, ctx) {
    switch (input.kind) {
      case "ok":
        await sleep(input.ms, ctx.signal);
        if (ctx.signal.aborted) throw new TaskAborted();
        return "ok";
      case "throw":
        throw new Error(input.message);
      case "exit":
        Deno.exit(input.code);
        break;
      case "crash":
        // Thrown outside the task's promise chain: an uncaught error in its thread or process.
        setTimeout(() => {
          throw new Error("crashed on purpose");
        });
        await sleep(60_000, ctx.signal);
        throw new TaskAborted();
      case "garbage":
        console.log("this is not a protocol message");
        await sleep(60_000, ctx.signal);
        throw new TaskAborted();
      // These prove a lane's permissions: each throws where the permission is missing.
      case "read":
        await Deno.readTextFile(input.path);
        return "ok";
      case "write":
        await Deno.writeTextFile(input.path, "written by a lane");
        return "ok";
      case "env":
        return Deno.env.get(input.name) ?? "unset";
      case "spawn":
        await new Deno.Command(input.command, {
          args: [...(input.args ?? [])],
          stdout: "null",
          stderr: "null",
        }).output();
        return "ok";
      case "sys":
        // The one system read the program itself is granted (`--allow-sys=cpus`).
        return String(sampleCores().length);
      case "stall":
        // Waits forever and ignores its signal, but leaves its thread's event loop free.
        await new Promise(() => {});
        throw new Error("unreachable");
      case "hang": {
        // Never yields: only terminating the thread or process ends it.
        let spins = 0;
        for (;;) spins++;
      }
    }
    throw new Error("unreachable");
  },
  verify: (input, result) => input.kind === "ok" && result === "ok",
  describe: (input) => input.kind,
};
