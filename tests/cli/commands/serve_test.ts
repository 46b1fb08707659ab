import { assert_, assertEquals } from "../../assert.ts";
import { mainCommand } from "../../helpers.ts";
import { readLines } from "../../../lib/process/lines.ts";

Deno.test("serve prints its URL, serves pages there, and Ctrl-C stops it with exit 0", async () => {
  const child = mainCommand(["serve", "--latency", "0", "--jitter", "0", "--page-kb", "2"])
    .spawn();
  const lines = readLines(child.stdout)[Symbol.asyncIterator]();
  const first = (await lines.next()).value as string;
  const url = first.match(/serving (http:\/\/127\.0\.0\.1:\d+)\/page\/<n>/)?.[1];
  assert_(url, first);
  const page = await fetch(`${url}/page/3`);
  assertEquals(page.status, 200);
  assertEquals((await page.arrayBuffer()).byteLength, 2048);
  const missing = await fetch(`${url}/status/404`);
  await missing.body?.cancel();
  assertEquals(missing.status, 404);
  const t0 = performance.now();
  child.kill("SIGINT");
  const status = await child.status;
  assert_(performance.now() - t0 < 2000, `took ${performance.now() - t0} ms`);
  assertEquals(status.code, 0);
  await child.stderr.cancel();
  // The port is closed once it has stopped.
  await fetch(`${url}/page/1`).then(
    () => assert_(false, "the server still answers"),
    (err) => assert_(err instanceof TypeError, String(err)),
  );
});
