/**
 * The compiled binary's way of asking, without building one (that needs Deno's runtime for the
 * target, which this machine cannot download): the binary's baked grants, no `--no-prompt`, and
 * the in-process ask. Deno's prompt asks for the user-named folder alone, the command then runs,
 * and nothing else prompts, in the program or in its workers. (Subprocess mode is left out: the
 * binary starts itself, which a script cannot stand in for.)
 */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { ROOT } from "../helpers.ts";
import { allowFolder, E2E, sh, shellQuote, TmuxDashboard } from "./tmux_driver.ts";
import { compileArgs } from "../../tools/compile.ts";

/** The binary's grants, with this script's files readable. */
function binaryGrants(): string[] {
  const baked = compileArgs(Deno.build.target, "/nowhere/conc101").filter((a) =>
    /^--(allow-|ignore-env|v8-flags|no-prompt)/.test(a)
  );
  assert_(!baked.includes("--no-prompt"), "the binary is built not to ask");
  // The binary embeds its modules; the script reads them. Its run grant stays the binary's
  // (not deno), so the script's way, asking in a process of its own and starting again, is
  // closed here: only the in-process ask can pass this test.
  return [...baked, `--allow-read=${ROOT}`];
}

Deno.test({
  name: "e2e: the binary's grants ask in-process for an --export folder alone, then run",
  ...E2E,
  async fn() {
    const dir = await sh("mktemp -d");
    assert_(!dir.startsWith(ROOT), dir);
    const d = new TmuxDashboard();
    try {
      const cli = [
        Deno.execPath(),
        "run",
        "--quiet",
        ...binaryGrants(),
        `${ROOT}tests/cli/ask_here_fixture.ts`,
      ].map(shellQuote).join(" ");
      const args = `compare --modes sequential,async,workers --tasks 2 --size 1000 --export ${
        shellQuote(`${dir}/r.json`)
      }`;
      const script = `cd ${shellQuote(ROOT)} && env NO_COLOR=1 ${cli} ${args}; echo "EXIT:$?"; ` +
        `${cli} ${args} </dev/null; echo "HEADLESS:$?"; sleep 60`;
      await d.tmux("new-session", "-d", "-s", "e2e", "-x", "150", "-y", "60", script);
      await allowFolder(d, dir);
      const done = await d.until(/HEADLESS:\d+/, 60_000);
      const first = done.split("EXIT:")[0];
      assertMatch(done, /EXIT:0/);
      for (const mode of ["sequential", "async", "workers"]) {
        assertMatch(first, new RegExp(`${mode} +\\d+ .* 2/2 .*done`));
      }
      // Deno replaces each prompt with its answer: those two were the only ones.
      assertEquals(first.match(/Granted|Denied|Deno requests/g)?.length, 2, first);
      const written = JSON.parse(await sh(`cat ${shellQuote(`${dir}/r.json`)}`));
      assertEquals(written.runs.length, 3);
      // Without a terminal: no prompt, the one line, exit 2.
      const headless = done.split(/EXIT:0/)[1];
      assert_(!/Deno requests/.test(headless), headless);
      assertMatch(headless, /--export[^\n]*not granted[^]*HEADLESS:2/);
    } finally {
      await d.close();
      await sh(`rm -rf ${shellQuote(dir)}`);
    }
  },
});
