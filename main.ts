/** conc101: one workload, four concurrency modes, watched live. */
import { main } from "./lib/cli/program.ts";
import { exitNow } from "./lib/process/cleanup.ts";

if (import.meta.main) exitNow(await main(Deno.args));
