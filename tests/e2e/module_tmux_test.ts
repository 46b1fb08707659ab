/**
 * A user's module under a real terminal: the dashboard runs it with live bars and `w` reaches
 * it; a module outside the project asks for its folder with Deno's prompt (and nothing else
 * prompts), and runs once allowed; without a terminal it is one line.
 */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { CLI_PERMISSIONS, ROOT } from "../helpers.ts";
import { allowFolder, E2E, sh, shellQuote, TmuxDashboard } from "./tmux_driver.ts";

Deno.test({
  name: "e2e: the dashboard runs a module with live bars, and w cycles to it among the built-ins",
  ...E2E,
  async fn() {
    const d = new TmuxDashboard();
    try {
      await d.start([
        "--workload",
        "examples/timers.ts",
        "--tasks",
        "4",
        "--size",
        "3000",
        "--mode",
        "async",
      ]);
      await d.until(/conc101 · timers ·[^]*idle/);
      await d.press("Enter");
      // A bar per task, moving: its label from describe() and a percentage under way.
      await d.until(/running async[^]*wait 3000 ms +[^\n]*\b([1-9]\d?) ?%/);
      await d.until(/done: async[^]*4 verified/);
      for (const next of ["cpu", "io", "race", "timers"]) {
        await d.press("w");
        await d.until(new RegExp(`conc101 · ${next} ·`));
      }
      await d.press("q");
      await d.until(/EXITED:0/);
    } finally {
      await d.close();
    }
  },
});

Deno.test({
  name: "e2e: a module outside the project asks with Deno's prompt for its folder alone, then runs",
  ...E2E,
  async fn() {
    // A folder outside the project, made by the test's own shell (the suite may write only
    // under .cache), removed at the end.
    const dir = await sh("mktemp -d");
    assert_(!dir.startsWith(ROOT), dir);
    const module = `${dir}/mine.ts`;
    await sh(
      `sed 's#"../workload.ts"#${JSON.stringify(`${ROOT}workload.ts`)}#' ${
        shellQuote(`${ROOT}examples/timers.ts`)
      } > ${shellQuote(module)}`,
    );
    const d = new TmuxDashboard();
    try {
      // The cli task's command line: its grants, --no-prompt, and nothing for the module.
      const cli = [Deno.execPath(), "run", "--quiet", ...CLI_PERMISSIONS, `${ROOT}main.ts`]
        .map(shellQuote).join(" ");
      const args = `compare --workload ${shellQuote(module)} --tasks 3 --size 50`;
      const script = `cd ${shellQuote(ROOT)} && env NO_COLOR=1 ${cli} ${args}; echo "YES:$?"; ` +
        `${cli} ${args}; echo "NO:$?"; ${cli} ${args} </dev/null; echo "HEADLESS:$?"; sleep 60`;
      await d.tmux("new-session", "-d", "-s", "e2e", "-x", "150", "-y", "60", script);
      const asked = await d.until(/Allow\? \[y\/n\/A\]/);
      assertMatch(asked, new RegExp(`Deno requests read access to "${dir}"`));
      // Nothing ran before the answer.
      assert_(!/sequential/.test(asked), asked);
      // Deno reads the answer a key at a time: y, then Enter, as a person types them.
      await d.press("y");
      await d.press("Enter");
      const ran = await d.until(/YES:\d+/, 60_000);
      assertMatch(ran, /YES:0/);
      assertMatch(ran, /subprocess +\d+ .* 3\/3 .*done/);
      // Deno replaces its prompt with the answer: that one was the only one, the run never asks.
      assertMatch(ran, new RegExp(`Granted read access to "${dir}"`));
      assertEquals(ran.split("YES:")[0].match(/Granted|Denied|Deno requests/g)?.length, 1, ran);
      // Denied: the one line naming the flag, exit 2, nothing run.
      await d.until(/YES:0[^]*Allow\? \[y\/n\/A\]/);
      await d.press("n");
      await d.press("Enter");
      const denied = await d.until(/HEADLESS:\d+/, 30_000);
      const no = denied.split("YES:0")[1].split("NO:")[0];
      assertMatch(no, /reading its folder is not granted: run deno with --allow-read=/);
      assertMatch(denied, /NO:2/);
      // Without a terminal on standard input: no prompt, the one line, exit 2.
      const headless = denied.split(/NO:2/)[1];
      assert_(!/Deno requests/.test(headless), headless);
      assertMatch(headless, /reading its folder is not granted[^]*HEADLESS:2/);
    } finally {
      await d.close();
      await sh(`rm -rf ${shellQuote(dir)}`);
    }
  },
});

Deno.test({
  name: "e2e: an --export folder outside the cli task's grant is asked for (read, then write)",
  ...E2E,
  async fn() {
    const dir = await sh("mktemp -d");
    const d = new TmuxDashboard();
    try {
      const cli = [Deno.execPath(), "run", "--quiet", ...CLI_PERMISSIONS, `${ROOT}main.ts`]
        .map(shellQuote).join(" ");
      const args = `compare --tasks 2 --size 1000 --export ${shellQuote(`${dir}/r.json`)}`;
      const script = `cd ${shellQuote(ROOT)} && env NO_COLOR=1 ${cli} ${args}; echo "EXIT:$?"; ` +
        `sleep 60`;
      await d.tmux("new-session", "-d", "-s", "e2e", "-x", "150", "-y", "60", script);
      await allowFolder(d, dir);
      const done = await d.until(/EXIT:\d+/, 60_000);
      assertMatch(done, /EXIT:0/);
      assertMatch(done, /subprocess +\d+ .* 2\/2 .*done/);
      const written = JSON.parse(await sh(`cat ${shellQuote(`${dir}/r.json`)}`));
      assertEquals(written.runs.length, 4);
    } finally {
      await d.close();
      await sh(`rm -rf ${shellQuote(dir)}`);
    }
  },
});
