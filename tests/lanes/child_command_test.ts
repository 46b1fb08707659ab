import { assertEquals } from "../assert.ts";
import { childCommand } from "../../lib/lanes/child_command.ts";

const base = {
  execPath: "/opt/deno/bin/deno",
  mainModule: "/src/conc101/main.ts",
  configPath: "/src/conc101/deno.json",
  permissions: ["--allow-net=127.0.0.1"],
  perLane: 1,
};

Deno.test("childCommand() runs the script with deno, narrow permissions and the child subcommand", () => {
  assertEquals(childCommand({ ...base, standalone: false }), {
    command: "/opt/deno/bin/deno",
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--config=/src/conc101/deno.json",
      "--allow-net=127.0.0.1",
      "/src/conc101/main.ts",
      "child",
      "--per-lane",
      "1",
      "--keep-net",
    ],
  });
});

Deno.test("childCommand() tells a child without network grant to drop the network too", () => {
  const { args } = childCommand({ ...base, permissions: [], standalone: true });
  assertEquals(args, ["child", "--per-lane", "1"]);
});

Deno.test("childCommand() re-executes a compiled binary itself, without deno's run", () => {
  assertEquals(
    childCommand({ ...base, execPath: "/usr/local/bin/conc101", standalone: true, perLane: 4 }),
    {
      command: "/usr/local/bin/conc101",
      args: ["child", "--per-lane", "4", "--keep-net"],
    },
  );
});
