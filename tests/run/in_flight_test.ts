import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { CLI_PERMISSIONS, decodeOutput, ROOT } from "../helpers.ts";
import { capInFlight, freeDescriptors, type TaskCost } from "../../lib/run/in_flight.ts";

const local: TaskCost = { descriptors: 2, serverDescriptors: 2, bytes: 16 * 1024 };
const remote: TaskCost = { descriptors: 2, serverDescriptors: 0, bytes: 0 };

Deno.test("capInFlight() leaves runs alone while their downloads fit", () => {
  assertEquals(capInFlight("async", 160, 1, 160, local, () => 10_000), { lanes: 160, perLane: 1 });
  assertEquals(capInFlight("workers", 64, 256, 10_000, undefined, () => 0), {
    lanes: 64,
    perLane: 256,
  });
});

Deno.test("capInFlight() lowers async lanes to the descriptors left, and says so", () => {
  const capped = capInFlight("async", 10_000, 1, 10_000, local, () => 248);
  // (248 free - 48 reserved) / 4 descriptors a download.
  assertEquals(capped.lanes, 50);
  assertMatch(capped.note!, /^async: 50 downloads at once instead of 10000: .*`ulimit -n`/);
});

Deno.test("capInFlight() lowers per-lane downloads first, then lanes, for pools", () => {
  const perLane = capInFlight("workers", 2, 200, 1000, local, () => 448);
  // (448 free - 48 reserved - 2 workers × 4) / 4 a download = 98, over two lanes.
  assertEquals([perLane.lanes, perLane.perLane], [2, 49]);
  // A child's own connections are its own; only the server's count here.
  const children = capInFlight("subprocess", 4, 256, 1000, remote, () => 0);
  assertEquals([children.lanes, children.perLane, children.note], [4, 256, undefined]);
});

Deno.test("capInFlight() bounds the memory of large pages in flight", () => {
  const big: TaskCost = { descriptors: 0, serverDescriptors: 0, bytes: 2 * 1024 * 1024 };
  const capped = capInFlight("async", 10_000, 1, 10_000, big);
  assertEquals(capped.lanes, 512);
  assertMatch(capped.note!, /each download holds about 2 MB and all of them at most 1024 MB/);
});

Deno.test("freeDescriptors() counts up to what was asked and closes every file again", () => {
  assertEquals(freeDescriptors(20, new URL(import.meta.url)), 20);
  assertEquals(freeDescriptors(20, "/no/such/file"), undefined);
});

Deno.test("cli: with `ulimit -n 256` the default io compare and 10,000 async downloads all succeed", async () => {
  const deno = Deno.execPath();
  const args = (extra: string[]) =>
    [deno, "run", "--quiet", "--no-prompt", ...CLI_PERMISSIONS, `${ROOT}main.ts`, ...extra]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const run = async (extra: string[]) =>
    decodeOutput(
      await new Deno.Command("sh", {
        args: ["-c", `ulimit -n 256 && exec ${args(extra)}`],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
        cwd: ROOT,
      }).output(),
    );
  const compare = await run(["compare", "--workload", "io", "--latency", "5", "--json"]);
  assertEquals(compare.code, 0, compare.stderr);
  for (const r of JSON.parse(compare.stdout).runs) assertEquals(r.verifiedCount, 160, r.mode);
  const many = await run([
    "run",
    "--mode",
    "async",
    "--workload",
    "io",
    "--tasks",
    "10000",
    "--latency",
    "0",
    "--jitter",
    "0",
    "--json",
  ]);
  assertEquals(many.code, 0, many.stderr.slice(0, 500));
  const result = JSON.parse(many.stdout);
  assertEquals(result.verifiedCount, 10_000);
  assert_(result.lanes < 10_000);
  assertMatch(many.stderr, /^conc101: async: \d+ downloads at once instead of 10000: /m);
});
