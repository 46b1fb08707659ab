/**
 * Drives the real dashboard in tmux, as a person would: keys in, screen out. Skipped (and
 * reported as ignored) where tmux is missing; `.ci/run` installs it.
 */
import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { childCommandPids, CLI_PERMISSIONS, ROOT, waitFor } from "../helpers.ts";

const hasTmux = await new Deno.Command("sh", { args: ["-c", "command -v tmux"], stdout: "null" })
  .output().then((o) => o.success, () => false);

// A fresh tmux server for each test: reusing one that is still shutting down races.
let socket = "";
let sockets = 0;

async function tmux(...args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args: ["-L", socket, ...args], stderr: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout);
}

const screen = () => tmux("capture-pane", "-p", "-t", "e2e");

async function until(pattern: RegExp, ms = 20_000): Promise<string> {
  let last = "";
  const ok = await waitFor(async () => pattern.test(last = await screen()), ms);
  assert_(ok, `screen never matched ${pattern}:\n${last}`);
  return last;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

async function startDashboard(extra: string[]) {
  socket = `conc101-test-${Deno.pid}-${++sockets}`;
  const command = [
    Deno.execPath(),
    "run",
    "--quiet",
    ...CLI_PERMISSIONS,
    `${ROOT}main.ts`,
    "tui",
    ...extra,
  ].map(shellQuote).join(" ");
  // CI=true makes Ink draw only the last frame; the dashboard must be seen as a person sees it.
  const script = `cd ${shellQuote(ROOT)} && env -u CI NO_COLOR=1 ${command}; ` +
    `echo "EXITED:$?"; stty -a | grep -o -- '-\\?icanon' | head -n1; sleep 60`;
  await tmux("new-session", "-d", "-s", "e2e", "-x", "110", "-y", "32", script);
}

Deno.test({
  name: "e2e: the dashboard in tmux switches modes, runs workers, shows results and quits clean",
  ignore: !hasTmux,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    try {
      await startDashboard(["--tasks", "6", "--size", "3000000"]);
      await until(/idle/);
      await tmux("send-keys", "-t", "e2e", "2");
      await until(/\[2 async\]/);
      await tmux("send-keys", "-t", "e2e", "3");
      await until(/\[3 workers\]/);
      await tmux("send-keys", "-t", "e2e", "Enter");
      const done = await until(/done: workers in .* · 6 verified/);
      assertMatch(done, /workers +\d+ +[\d.]+ m?s .* 6\/6/);
      assertMatch(done, /worker #\d/);
      await tmux("send-keys", "-t", "e2e", "q");
      const after = await until(/EXITED:0/);
      // Raw mode is off again (icanon, not -icanon) and the cursor is visible.
      await until(/EXITED:0\s+icanon/);
      assertMatch((await tmux("display", "-p", "-t", "e2e", "#{cursor_flag}")).trim(), /^1$/);
      assert_(!/conc101 ·/.test(after.split("EXITED")[1] ?? ""), after);
      assert_(await waitFor(async () => (await childCommandPids()).length === 0, 3000));
    } finally {
      await tmux("kill-server");
    }
  },
});

/** Pid of the dashboard process started by `startDashboard`. */
async function dashboardPid(): Promise<number | undefined> {
  const out = await new Deno.Command("ps", { args: ["-eo", "pid=,args="], stdout: "piped" })
    .output();
  const line = new TextDecoder().decode(out.stdout).split("\n")
    .find((l) => /main\.ts tui\b/.test(l) && !/\bsh -c\b|env -u/.test(l));
  return line ? Number(line.trim().split(/\s+/)[0]) : undefined;
}

const STOPS: [string, "C-c" | "SIGTERM" | "q"][] = [
  ["sequential", "C-c"],
  ["async", "SIGTERM"],
  ["workers", "C-c"],
  ["subprocess", "SIGTERM"],
  ["workers", "SIGTERM"],
  ["subprocess", "C-c"],
];

for (const [mode, stop] of STOPS) {
  Deno.test({
    name: `e2e: ${
      stop === "C-c" ? "Ctrl-C" : stop
    } mid-run in ${mode} mode ends every worker and child and restores the terminal`,
    ignore: !hasTmux,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      try {
        await startDashboard([
          "--mode",
          mode,
          "--tasks",
          "4",
          "--size",
          "2000000000",
          "--lanes",
          "2",
        ]);
        await until(/idle/);
        await tmux("send-keys", "-t", "e2e", "Enter");
        await until(new RegExp(`running ${mode}`));
        if (mode === "subprocess") {
          assert_(await waitFor(async () => (await childCommandPids()).length === 2, 5000));
        }
        await new Promise((r) => setTimeout(r, 300));
        const t0 = performance.now();
        if (stop === "SIGTERM") {
          const pid = await dashboardPid();
          assert_(pid !== undefined, "the dashboard process was not found");
          await new Deno.Command("kill", { args: ["-TERM", String(pid)] }).output();
        } else {
          await tmux("send-keys", "-t", "e2e", stop);
        }
        // Interrupted, not quit: 130 as for the headless commands.
        await until(/EXITED:130\s+icanon/, 5000);
        assert_(performance.now() - t0 < 2500, `took ${performance.now() - t0} ms`);
        assertMatch((await tmux("display", "-p", "-t", "e2e", "#{cursor_flag}")).trim(), /^1$/);
        assert_(
          await waitFor(async () => (await childCommandPids()).length === 0, 2000),
          "a child was left",
        );
        assertEquals(await dashboardPid(), undefined);
      } finally {
        await tmux("kill-server");
      }
    },
  });
}

Deno.test({
  name: "e2e: the dashboard follows a resize and says when the terminal is too small",
  ignore: !hasTmux,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    try {
      await startDashboard(["--tasks", "4", "--size", "1000"]);
      await until(/idle/);
      await tmux("resize-window", "-t", "e2e", "-x", "50", "-y", "20");
      await until(/terminal too small \(need 60x16\)/);
      await tmux("resize-window", "-t", "e2e", "-x", "100", "-y", "30");
      await until(/idle/);
      await tmux("send-keys", "-t", "e2e", "q");
      await until(/EXITED:0/);
    } finally {
      await tmux("kill-server");
    }
  },
});
