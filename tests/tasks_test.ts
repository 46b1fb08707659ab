import { assert_, assertEquals } from "./assert.ts";
import { ENV_VARS, V8_FLAGS } from "../lib/lanes/permissions.ts";

const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
const tasks: Record<string, string> = config.tasks;

Deno.test("deno.json has the tasks the README names, none with -A", () => {
  for (const name of ["tui", "cli", "test", "bench", "check"]) assert_(name in tasks, name);
  for (const [name, command] of Object.entries(tasks)) {
    assert_(!/(^|\s)(-A|--allow-all)(\s|$)/.test(command), `${name} grants everything`);
  }
});

Deno.test("the tui, cli and bench tasks grant exactly the program's narrow permissions", () => {
  for (const name of ["tui", "cli", "bench"]) {
    const command = tasks[name];
    assert_(command.includes(`--allow-env=${ENV_VARS.join(",")} --ignore-env`), name);
    assert_(command.includes("--allow-net=127.0.0.1 "), name);
    assert_(command.includes(`--allow-run="$(deno eval 'console.log(Deno.execPath())')"`), name);
    assert_(command.includes("--allow-sys=cpus"), name);
    assert_(/^NODE_ENV=production deno run --no-prompt /.test(command), `${name} may prompt`);
    // What the bench measures (it runs the program with programPermissions) is what users run.
    if (name !== "bench") assert_(command.includes(` ${V8_FLAGS} `), `${name}: ${V8_FLAGS}`);
    assert_(
      !/--allow-(net|read|write|run|env|sys)(\s|$)/.test(command),
      `${name} grants a blanket permission`,
    );
    const write = command.match(/--allow-write=(\S+)/)?.[1];
    assert_(
      write === undefined || ["out", "bench"].includes(write),
      `${name} may write to ${write}`,
    );
  }
});

Deno.test("one Deno version everywhere: .deno-version, the README and .ci/run agree", async () => {
  const version = (await Deno.readTextFile(new URL("../.deno-version", import.meta.url))).trim();
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const found = [...readme.matchAll(/deno@(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
  assert_(found.length >= 2, "the README names the npx commands");
  assertEquals([...new Set(found)], [version]);
  assertEquals(Deno.version.deno, version);
  const ci = await Deno.readTextFile(new URL("../.ci/run", import.meta.url));
  assert_(ci.includes("cat .deno-version"));
});

Deno.test("test:one is the test task without its folder, so a path appended narrows it", () => {
  assertEquals(`${tasks["test:one"]} tests/`, tasks.test);
});
