import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { UsageError } from "../../lib/cli/errors.ts";
import { childPermissions, NET_FLAG_MAX, programPermissions } from "../../lib/lanes/permissions.ts";
import { ROOT } from "../helpers.ts";

Deno.test("childPermissions() grants exactly the hosts given while they fit", () => {
  assertEquals(childPermissions([]), []);
  assertEquals(childPermissions(["127.0.0.1:8080", "example.com:443", "127.0.0.1:8080"]), [
    "--allow-net=127.0.0.1:8080,example.com:443",
  ]);
});

Deno.test("childPermissions() keeps 9,000 ports within one argument by granting their host whole", () => {
  const hosts = Array.from({ length: 9000 }, (_, i) => `127.0.0.1:${20_000 + i}`);
  hosts.push("[::1]:8080");
  const flags = childPermissions(hosts);
  assertEquals(flags, ["--allow-net=127.0.0.1,[::1]"]);
  assert_(flags[0].length <= NET_FLAG_MAX);
});

Deno.test("childPermissions() refuses hosts that cannot fit on a command line, in one line", () => {
  const hosts = Array.from({ length: 5000 }, (_, i) => `host-${i}.example.test:443`);
  let message = "";
  try {
    childPermissions(hosts);
  } catch (err) {
    assert_(err instanceof UsageError);
    message = err.message;
  }
  assertMatch(message, /^subprocess mode: the 5,000 hosts of these tasks do not fit/);
});

Deno.test("programPermissions() never lets Deno prompt", () => {
  assert_(programPermissions("/src/", "/bin/deno").includes("--no-prompt"));
});

Deno.test("a child holding every permission (as the binary's do) drops them before any task", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${ROOT}deno.json`,
      "--allow-read",
      "--allow-env",
      "--allow-sys",
      "--allow-net",
      `${ROOT}main.ts`,
      "child",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const send = (msg: unknown) => writer.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
  await send({ kind: "config", perLane: 1 });
  await send({
    kind: "tasks",
    workload: "fault",
    tasks: [{ id: 0, input: { kind: "read", path: `${ROOT}deno.json` } }],
  });
  await writer.close();
  const out = new TextDecoder().decode((await child.output()).stdout);
  const messages = out.trim().split("\n").map((line) => JSON.parse(line));
  const error = messages.find((m) => m.kind === "error");
  assertMatch(error?.message ?? out, /read access/);
});
