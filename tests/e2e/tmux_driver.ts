/** Drives the real dashboard in a private tmux server, as a person would: keys in, screen out. */
import { assert_ } from "../assert.ts";
import { CLI_PERMISSIONS, descendants, type Proc, ROOT, waitFor } from "../helpers.ts";

const hasTmux = await new Deno.Command("sh", { args: ["-c", "command -v tmux"], stdout: "null" })
  .output().then((o) => o.success, () => false);

/**
 * Options of every tmux test. A missing tmux fails them, saying how to install it, unless
 * CONC101_NO_TMUX=1 opts out: then they are reported as ignored, never passed in silence.
 */
export const E2E = {
  ignore: !hasTmux && Deno.env.get("CONC101_NO_TMUX") === "1",
  sanitizeOps: false,
  sanitizeResources: false,
};

let sockets = 0;

export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** What a shell command the test runs itself prints (a temporary folder, a file). */
export async function sh(script: string): Promise<string> {
  const out = await new Deno.Command("sh", { args: ["-c", script], stdout: "piped" }).output();
  if (!out.success) throw new Error(`sh failed: ${script}`);
  return new TextDecoder().decode(out.stdout).trim();
}

/** One dashboard in its own tmux server (a fresh one each: one still shutting down races). */
export class TmuxDashboard {
  readonly socket = `conc101-test-${Deno.pid}-${++sockets}`;

  async tmux(...args: string[]): Promise<string> {
    if (!hasTmux) {
      throw new Error(
        "tmux is not installed: install it (apt-get install tmux), or set CONC101_NO_TMUX=1 " +
          "to skip the dashboard's end-to-end tests",
      );
    }
    const out = await new Deno.Command("tmux", {
      args: ["-L", this.socket, ...args],
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout);
  }

  /** Starts `main.ts tui` with `extra` in a 110x32 window; the shell prints its exit code. */
  async start(extra: readonly string[]): Promise<void> {
    const command = [Deno.execPath(), "run", "--quiet", ...CLI_PERMISSIONS, `${ROOT}main.ts`]
      .concat("tui", ...extra).map(shellQuote).join(" ");
    // CI=true makes Ink draw only the last frame; the dashboard must be seen as a person sees it.
    const script = `cd ${shellQuote(ROOT)} && env -u CI NO_COLOR=1 ${command}; ` +
      `echo "EXITED:$?"; stty -a | grep -o -- '-\\?icanon' | head -n1; sleep 60`;
    await this.tmux("new-session", "-d", "-s", "e2e", "-x", "110", "-y", "32", script);
  }

  screen(): Promise<string> {
    return this.tmux("capture-pane", "-p", "-t", "e2e");
  }

  /** Sends keys in one `send-keys`: they reach the program in one read. */
  keys(...keys: string[]): Promise<string> {
    return this.tmux("send-keys", "-t", "e2e", ...keys);
  }

  /** Waits until the screen matches `pattern` and returns it; fails after `ms`. */
  async until(pattern: RegExp, ms = 20_000): Promise<string> {
    let last = "";
    const ok = await waitFor(async () => pattern.test(last = await this.screen()), ms);
    assert_(ok, `screen never matched ${pattern}:\n${last}`);
    return last;
  }

  /**
   * Sends one key and waits a little, so that it reaches the dashboard in a read of its own
   * (keys that arrive together have a test of their own).
   */
  async press(key: string): Promise<void> {
    await this.keys(key);
    await new Promise((r) => setTimeout(r, 150));
  }

  /** The dashboard's process: the `tui` program below the tmux pane's shell. */
  async dashboard(): Promise<Proc> {
    const pane = Number((await this.tmux("display", "-p", "-t", "e2e", "#{pane_pid}")).trim());
    let found: Proc | undefined;
    const ok = await waitFor(async () =>
      (found = (await descendants(pane)).find((p) => /main\.ts tui\b/.test(p.args))) !==
        undefined
    );
    assert_(ok && found, "the dashboard process was not found");
    return found;
  }

  close(): Promise<string> {
    return this.tmux("kill-server");
  }
}

/**
 * Answers Deno's prompts for `dir` (read, then write) with y, as a person types it, and checks
 * that nothing ran before the answers.
 */
export async function allowFolder(d: TmuxDashboard, dir: string): Promise<void> {
  for (const access of ["read", "write"]) {
    const asked = await d.until(
      new RegExp(`Deno requests ${access} access to "${dir}"[^]*Allow\\? \\[y/n/A\\]`),
    );
    if (/sequential/.test(asked)) throw new Error(`a run started before the answer:\n${asked}`);
    await d.press("y");
    await d.press("Enter");
  }
}
