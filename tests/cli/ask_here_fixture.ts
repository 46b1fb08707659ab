/** `main.ts` as the compiled binary runs it: asking for user-named resources in-process. */
import { main } from "../../lib/cli/program.ts";
import { exitNow } from "../../lib/process/cleanup.ts";

exitNow(await main(Deno.args, false, true));
