/**
 * Every shell command the README shows is run here: as written, or with flags appended that
 * keep it small (`--tasks 4 --size 1000`). The few that cannot run as written are listed in
 * HANDLERS with the reason and what is checked instead; a command no handler knows fails.
 */
import { assert_, assertEquals, assertMatch } from "./assert.ts";
import { descendants, ROOT } from "./helpers.ts";
import { RANGES } from "../lib/cli/limits.ts";
import { versionLine } from "../lib/cli/version.ts";

/** One command of a fenced `sh` block, continuation lines joined, and its comment. */
export interface ReadmeCommand {
  readonly command: string;
  readonly comment: string;
}

/** The commands of every fenced `sh` block of `markdown`. */
export function shellCommands(markdown: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let pending = "";
    for (const line of block[1].split("\n")) {
      if (line.trim() === "" || line.trim().startsWith("#")) continue;
      const text = pending + line;
      if (/\\\s*$/.test(text)) {
        pending = text.replace(/\\\s*$/, " ");
        continue;
      }
      pending = "";
      const comment = text.match(/\s#\s*(.*)$/)?.[1] ?? "";
      commands.push({ command: text.replace(/\s+#.*$/, "").replace(/\s+/g, " ").trim(), comment });
    }
  }
  return commands;
}

const readme = await Deno.readTextFile(`${ROOT}README.md`);
const version = (await Deno.readTextFile(`${ROOT}.deno-version`)).trim();
const decoder = new TextDecoder();

/** The folder of the deno running this test, put first on the PATH of every command. */
const DENO_DIR = Deno.execPath().replace(/\/[^/]*$/, "");

/**
 * `command` as a shell script at the project root, with this deno first on the PATH and the
 * variables `unset` removed. The shell reads its own PATH: under the test task's
 * `--ignore-env` this process sees only the variables it was granted.
 */
function script(command: string, unset: readonly string[] = []): string {
  const removed = unset.map((name) => `unset ${name}; `).join("");
  return `${removed}PATH=${shellQuote(DENO_DIR)}:"$PATH"; export PATH; ${command}`;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Runs `command` in a shell at the project root (see {@link script}). */
async function sh(command: string, unset: readonly string[] = []) {
  const out = await new Deno.Command("sh", {
    args: ["-c", script(command, unset)],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Appended to a CPU command so it runs in a moment; the last `--size` wins. */
const SMALL_CPU = " --tasks 4 --size 1000";
/** Appended to an I/O command on the local server. */
const SMALL_IO = " --tasks 8 --latency 0";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

/** Marks where a command's output ends and the file it wrote begins. */
const FILE_MARK = "--- file written by the command ---";

/**
 * Runs `command` in a shell (see {@link sh}) after `setup`, then prints the file `show` if the
 * command succeeded, then removes each of `paths` that did not exist before. Files are handled
 * by the shell: the test task may write only under .cache.
 */
async function shCleaning(
  command: string,
  paths: readonly string[],
  options: { setup?: string; show?: string } = {},
) {
  const before = paths.map((p, i) =>
    `if [ -e ${shellQuote(p)} ]; then k${i}=1; else k${i}=0; fi; `
  );
  const after = paths.map((p, i) => `[ "$k${i}" = 1 ] || rm -f ${shellQuote(p)}; `);
  const show = options.show
    ? `[ "$rc" -eq 0 ] && { echo ${shellQuote(FILE_MARK)}; cat ${shellQuote(options.show)}; }; `
    : "";
  const out = await sh(
    `${before.join("")}${options.setup ?? ""}${command}; rc=$?; ${show}${after.join("")}exit $rc`,
  );
  const [stdout, file] = out.stdout.split(`${FILE_MARK}\n`);
  return { ...out, stdout, file };
}

interface Handler {
  readonly match: RegExp;
  /** Why the command is not run exactly as written; absent when it is (small flags aside). */
  readonly instead?: string;
  check(c: ReadmeCommand): Promise<void>;
}

/**
 * The "Several machines" commands, run together on this machine: Redis on 127.0.0.1 at a free
 * port instead of every interface at 6379, `redis-host:6379` replaced by that address, and a
 * password made up here. The worker must take the cluster tasks of the compare, and leave with
 * 0 on Ctrl-C. Run once, whichever of the three commands comes first.
 */
let severalMachines: Promise<void> | undefined;
function runSeveralMachines(): Promise<void> {
  return severalMachines ??= (async () => {
    const block = shellCommands(readme);
    const find = (re: RegExp) => {
      const found = block.find((c) => re.test(c.command));
      assert_(found, `no README command matches ${re}`);
      return found.command;
    };
    const redis = find(/^redis-server --bind 0\.0\.0\.0 --port 6379 /);
    const worker = find(/^deno run .* main\.ts worker --redis /);
    const compare = find(/^deno run .* main\.ts compare --redis /);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const password = `pw${crypto.randomUUID().slice(0, 8)}`;
    const local = (command: string) =>
      `REDIS_PASSWORD=${password}; export REDIS_PASSWORD; exec ` +
      command.replace("--bind 0.0.0.0", "--bind 127.0.0.1").replace("--port 6379", `--port ${port}`)
        .replaceAll("redis-host:6379", `127.0.0.1:${port}`);
    const spawn = (command: string) =>
      new Deno.Command("sh", {
        args: ["-c", script(local(command))],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    const server = spawn(redis);
    const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!/Ready to accept connections/.test(seen)) {
      const { value, done } = await reader.read();
      assert_(!done, `redis-server did not start: ${seen}`);
      seen += value;
    }
    reader.releaseLock();
    const workerChild = spawn(worker);
    try {
      const out = await sh(local(compare) + SMALL_CPU);
      assertEquals(out.code, 0, out.stderr);
      assertMatch(out.stdout, /^cluster +\d+ .* 4\/4/m);
      assert_(!out.stdout.includes(password) && !out.stderr.includes(password), "password shown");
    } finally {
      workerChild.kill("SIGINT");
      const status = await workerChild.status;
      const workerErr = new TextDecoder().decode(
        new Uint8Array(await new Response(workerChild.stderr).arrayBuffer()),
      );
      await workerChild.stdout.cancel();
      server.kill("SIGTERM");
      await server.status;
      await server.stdout.cancel().catch(() => {});
      await server.stderr.cancel();
      assertEquals(status.code, 0, workerErr);
      assert_(!workerErr.includes(password), "the worker showed the password");
    }
  })();
}

const SEVERAL_MACHINES = "runs with the other two 'Several machines' commands on this machine: " +
  "Redis on 127.0.0.1 at a free port for redis-host:6379, a made-up password; the worker must " +
  "take the compare's cluster tasks and leave with 0 on Ctrl-C";

const HANDLERS: Handler[] = [
  {
    match: /^redis-server --bind 0\.0\.0\.0 --port 6379 /,
    instead: SEVERAL_MACHINES,
    check: () => runSeveralMachines(),
  },
  {
    match: /^deno run .* main\.ts (worker|compare) --redis /,
    instead: SEVERAL_MACHINES,
    check: () => runSeveralMachines(),
  },
  {
    match: /^deno task tui$/,
    instead: "the dashboard needs a terminal: run without one, it must say so in one line, exit 2",
    async check() {
      const out = await sh("deno task --quiet tui");
      assertEquals(out.code, 2, out.stderr);
      assertMatch(out.stderr.trim(), /^conc101: the dashboard needs a terminal/);
    },
  },
  {
    match: /^npx -y deno@(\S+) task tui$/,
    instead: "npx would fetch Deno again and the dashboard needs a terminal: the version is " +
      "checked against .deno-version and `deno task tui` is run without a terminal",
    async check(c) {
      assertEquals(c.command.match(this.match)![1], version);
      const out = await sh("deno task --quiet tui");
      assertEquals(out.code, 2, out.stderr);
      assertMatch(out.stderr.trim(), /^conc101: the dashboard needs a terminal/);
    },
  },
  {
    match: /^npx -y deno@(\S+) task test$/,
    instead: "the suite cannot run itself from inside; the version is checked against " +
      ".deno-version and the running Deno, and the task against deno.json",
    async check(c) {
      assertEquals(c.command.match(this.match)![1], version);
      assertEquals(Deno.version.deno, version);
      const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
      assertMatch(config.tasks.test, /^deno test .* tests\/$/);
    },
  },
  {
    match: /^deno task cli serve --port 8080$/,
    instead: "runs until Ctrl-C: started, stopped with SIGINT once it serves, exit 0; if " +
      "another program holds port 8080, the one line that says so, exit 2",
    async check(c) {
      const child = new Deno.Command("sh", {
        args: ["-c", script(`exec ${c.command}`)],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const reader = child.stdout.getReader();
      let text = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
        if (/serving http:\/\/127\.0\.0\.1:8080\/page\/<n>/.test(text)) {
          // Ctrl-C reaches the server itself: `deno task` would answer a signal with 130 of
          // its own, so the signal goes to the program the task started.
          // Deno.kill needs run permission for every pid; the test task may run `kill`.
          const server = (await descendants(child.pid)).filter((p) =>
            /main\.ts serve\b/.test(p.args)
          );
          const pids = server.map((p) => String(p.pid));
          await new Deno.Command("kill", { args: ["-INT", ...pids] }).output();
          break;
        }
      }
      reader.releaseLock();
      const status = await child.status;
      const stderr = decoder.decode(
        new Uint8Array(await new Response(child.stderr).arrayBuffer()),
      );
      await child.stdout.cancel().catch(() => {});
      if (text.includes("serving")) assertEquals(status.code, 0, stderr);
      else {
        assertEquals(status.code, 2, stderr);
        // `deno task` names the task on the line before.
        assertMatch(stderr.trim().split("\n").at(-1)!, /^conc101: --port 8080: .* is taken/);
      }
    },
  },
  {
    match: /^deno task cli --help$/,
    async check(c) {
      const out = await sh(c.command);
      assertEquals(out.code, 0, out.stderr);
      const text = out.stdout.replace(/\s+/g, " ");
      for (const [flag, range] of Object.entries(RANGES)) {
        assert_(text.includes(flag) && text.includes(range), `${flag} ${range}`);
      }
    },
  },
  {
    match: /^deno task cli compare --workload \.\.\/mine\.ts$/,
    instead: "Deno's prompt needs a terminal (e2e/module_tmux_test.ts answers it): without " +
      "one, a module outside the project is the one line naming --allow-read, exit 2",
    async check(c) {
      const out = await sh(c.command.replace("deno task", "deno task --quiet"));
      assertEquals(out.code, 2, out.stderr);
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assertMatch(out.stderr, /^conc101: --workload \.\.\/mine\.ts: .*--allow-read=/);
    },
  },
  {
    match: /^deno task cli (run|compare)( |$)/,
    async check(c) {
      const io = c.command.includes("--workload io");
      const exported = c.command.match(/--export (\S+)/)?.[1];
      // The tutorial's size is small already; only the task count is cut.
      const small = io
        ? SMALL_IO
        : c.command.includes("--size tutorial")
        ? " --tasks 4"
        : SMALL_CPU;
      const out = await shCleaning(c.command + small, exported ? [exported] : [], {
        show: exported,
      });
      if (exported) assert_(out.file, `${exported} was not written`);
      assertEquals(out.code, 0, out.stderr);
      if (c.command.includes("--json")) assertEquals(JSON.parse(out.stdout).status, "done");
      if (c.command.includes("--size tutorial")) assertMatch(out.stdout, /n=5,000,000\+x/);
    },
  },
  {
    match: /^deno task test:one (tests\/\S+_test\.tsx?)$/,
    async check(c) {
      const out = await sh(c.command);
      assertEquals(out.code, 0, out.stdout + out.stderr);
      // That file alone: no other file's tests ran.
      const file = c.command.match(this.match)![1];
      // deno-lint-ignore no-control-regex -- deno test colours its report; the colours go.
      const plain = out.stdout.replace(/\x1b\[[0-9;]*m/g, "");
      const ran = [
        ...new Set([...plain.matchAll(/running \d+ tests? from \.\/(\S+)/g)].map((m) => m[1])),
      ];
      assertEquals(ran, [file]);
    },
  },
  {
    match: /^deno task bench$/,
    instead: "the full benchmark takes minutes: run with --quick (the same code, small sizes)",
    async check(c) {
      const out = await sh(`${c.command} --quick`);
      assertEquals(out.code, 0, out.stderr);
      assertMatch(out.stdout, /## 5\. Memory/);
    },
  },
  {
    match: /^deno task compile( --target \S+)?$/,
    instead: "Deno's runtime (denort) cannot be downloaded here: with DENORT_BIN unset the " +
      "build either succeeds or fails with its one line naming DENORT_BIN",
    async check(c) {
      const out = await sh(`${c.command.replace("deno task", "deno task --quiet")}`, [
        "DENORT_BIN",
      ]);
      if (out.code === 0) {
        assertMatch(out.stdout, /^built dist\/conc101/);
        return;
      }
      assertEquals(out.code, 1);
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assertMatch(out.stderr, /^compile: .*could not download it: set DENORT_BIN=/);
    },
  },
  {
    match: /^\.\/dist\/conc101( --version)?$/,
    instead: "needs the binary, which cannot be built here (compile_test.ts runs it when " +
      "DENORT_BIN is set): the comment's version line is checked against the program's",
    async check(c) {
      if (c.command.endsWith("--version")) {
        assertEquals(c.comment, versionLine());
        if (await exists(`${ROOT}dist/conc101`)) {
          const out = await sh(c.command);
          assertEquals(out.stdout.trim(), versionLine());
        }
      } else if (await exists(`${ROOT}dist/conc101`)) {
        assertEquals((await sh(c.command)).code, 2, "no terminal: exit 2");
      }
    },
  },
  {
    match: /^deno run .* main\.ts (run|compare) /,
    instead: "example.com cannot be reached here, so its downloads fail (exit 1): what is " +
      "checked is that the permissions suffice, no line asking for a flag, no exit 2",
    async check(c) {
      const io = c.command.includes("--workload io");
      const written = c.command.match(/--export (\S+)/)?.[1];
      const urls = c.command.includes("urls.txt");
      const files = [...(urls ? ["urls.txt"] : []), ...(written ? [written] : [])];
      const out = await shCleaning(c.command + (io ? "" : SMALL_CPU), files, {
        setup: urls ? "[ -e urls.txt ] || printf 'https://example.com/\\n' > urls.txt; " : "",
        show: written,
      });
      if (written && out.code === 0) JSON.parse(out.file ?? "");
      assert_(out.code === 0 || (io && out.code === 1), `exit ${out.code}: ${out.stderr}`);
      assert_(!/not granted|--allow-/.test(out.stderr), out.stderr);
    },
  },
];

const commands = shellCommands(readme);

Deno.test("the README shows shell commands, and a handler knows each", () => {
  assert_(commands.length >= 15, `only ${commands.length} commands`);
  const unknown = commands.filter((c) => !HANDLERS.some((h) => h.match.test(c.command)));
  assertEquals(unknown.map((c) => c.command), []);
});

for (const c of commands) {
  const handler = HANDLERS.find((h) => h.match.test(c.command));
  if (handler === undefined) continue; // Reported by the test above.
  Deno.test({
    name: `README command \`${c.command}\`${
      handler.instead ? ` (instead: ${handler.instead})` : ""
    }`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => handler.check(c),
  });
}

Deno.test("the README's flag table gives every range exactly as --help does", () => {
  const rows = new Map<string, string>();
  for (const line of readme.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const flag = cells[1]?.match(/^`(?:-\w, )?(--[\w-]+)/)?.[1];
    if (flag !== undefined && cells.length >= 5) rows.set(flag, cells[3]);
  }
  for (const [flag, range] of Object.entries(RANGES)) assertEquals(rows.get(flag), range, flag);
});
