import { assert_, assertEquals } from "../../assert.ts";
import { withSession } from "../../../lib/cli/commands/session.ts";
import { UsageError } from "../../../lib/cli/errors.ts";

Deno.test("withSession() checks lanes before the io workload starts its server", async () => {
  // The local server runs in a Worker: count the Workers made while the session starts.
  const RealWorker = globalThis.Worker;
  let made = 0;
  globalThis.Worker = class extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      made++;
      super(url, options);
    }
  };
  try {
    const error = await withSession({ workload: "io", lanes: 100 }, ["workers"], () => {
      throw new Error("the run started");
    }).catch((err) => err);
    assert_(error instanceof UsageError, String(error));
    assert_(error.message.includes("--lanes must be from 1 to 64"), error.message);
  } finally {
    globalThis.Worker = RealWorker;
  }
  assertEquals(made, 0);
});
