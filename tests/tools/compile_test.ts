import { assert_, assertEquals, assertMatch } from "../assert.ts";
import { ROOT } from "../helpers.ts";
import { compileArgs, explainFailure, INCLUDES, outputFor } from "../../tools/compile.ts";
import { V8_FLAGS } from "../../lib/lanes/permissions.ts";
import { closedForm } from "../../lib/workloads/cpu/sum_squares.ts";

async function sources(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(`${ROOT}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await sources(path));
    else if (/\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files;
}

Deno.test("compile embeds every module loaded by URL: each worker, and the dashboard", async () => {
  const loaded = new Set<string>();
  for (const file of await sources("lib")) {
    const text = await Deno.readTextFile(`${ROOT}${file}`);
    const base = new URL(file, `file://${ROOT}`);
    for (const m of text.matchAll(/new URL\("([^"]+\.tsx?)", import\.meta\.url\)/g)) {
      loaded.add(new URL(m[1], base).pathname.slice(ROOT.length));
    }
    for (const m of text.matchAll(/await import\("([^"]+\.tsx?)"\)/g)) {
      loaded.add(new URL(m[1], base).pathname.slice(ROOT.length));
    }
  }
  // main.ts is the entry point itself; everything else loaded by URL must be embedded.
  loaded.delete("main.ts");
  loaded.delete("deno.json");
  // Named by URL but never loaded by the binary: the prompt's own process is started by the
  // script only (the binary asks in-process), and `workload.ts` is a path the lanes of a
  // user's module may read (the binary refuses modules).
  loaded.delete("lib/cli/ask_entry.ts");
  loaded.delete("workload.ts");
  assertEquals([...loaded].sort(), [...INCLUDES].sort());
});

Deno.test("compileArgs() bakes in the narrow permissions and never -A", () => {
  const args = compileArgs(
    "x86_64-unknown-linux-gnu",
    "/src/dist/conc101",
    "x86_64-unknown-linux-gnu",
  );
  assert_(args.includes("--target=x86_64-unknown-linux-gnu"));
  assert_(args.includes("--output=/src/dist/conc101"));
  assert_(args.includes("--allow-run=/src/dist/conc101,conc101"));
  assert_(args.includes("--allow-net=127.0.0.1"));
  // It asks for user-named resources itself (lib/cli/grants.ts), so Deno's prompt stays on.
  assert_(!args.includes("--no-prompt"), "the binary could not ask for an --export folder");
  assert_(args.includes(V8_FLAGS), "the binary runs with other V8 flags than the tasks");
  for (const path of INCLUDES) assert_(args.includes(`--include=${path}`), path);
  assert_(!args.some((a) => /^(-A|--allow-all|--allow-(read|write|net|run|env|sys))$/.test(a)));
  assertEquals(args.at(-1), "main.ts");
});

Deno.test("compileArgs() for another target bakes in no path of the build machine", () => {
  const args = compileArgs(
    "aarch64-apple-darwin",
    "/src/dist/conc101-aarch64-apple-darwin",
    "x86_64-unknown-linux-gnu",
  );
  assert_(args.includes("--allow-run=conc101"));
  assert_(!args.some((a) => a.startsWith("--allow") && a.includes("/src/")), args.join(" "));
  // No read or write grant: the binary cannot read --urls or write --export, and says so.
  assert_(!args.some((a) => /^--allow-(read|write)/.test(a)));
});

Deno.test("outputFor() names the host build dist/conc101 and others by target", () => {
  assertEquals(outputFor("x86_64-unknown-linux-gnu", "x86_64-unknown-linux-gnu"), "dist/conc101");
  assertEquals(
    outputFor("aarch64-apple-darwin", "x86_64-unknown-linux-gnu"),
    "dist/conc101-aarch64-apple-darwin",
  );
  assertEquals(
    outputFor("x86_64-pc-windows-msvc", "x86_64-unknown-linux-gnu"),
    "dist/conc101-x86_64-pc-windows-msvc.exe",
  );
});

Deno.test("explainFailure() turns deno compile's errors into one line with what to do", () => {
  const download =
    "error: Writing deno compile executable\n\nCaused by:\n    0: Setting up base binary.\n" +
    "    1: error sending request for url (https://example.invalid/denort.zip): client error (Connect): dns error";
  assertMatch(
    explainFailure(download, "x86_64-unknown-linux-gnu"),
    /could not download it: set DENORT_BIN=/,
  );
  const missing = "error: Writing\n\nCaused by:\n    0: Could not find denort at '/nope'";
  assertMatch(
    explainFailure(missing, "x86_64-unknown-linux-gnu"),
    /^DENORT_BIN=\/nope: no Deno runtime there/,
  );
});

Deno.test("deno task compile with a missing DENORT_BIN fails with one clear line", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "compile"],
    cwd: ROOT,
    env: { DENORT_BIN: "/nonexistent/denort" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 1);
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  assertEquals(lines, [
    "compile: DENORT_BIN=/nonexistent/denort: no Deno runtime there; point DENORT_BIN at denort " +
    `${Deno.version.deno} for ${Deno.build.target}`,
  ]);
});

const denort = Deno.env.get("DENORT_BIN");
const runtimeAvailable = denort !== undefined &&
  (await Deno.stat(denort).then((s) => s.isFile, () => false));

Deno.test({
  name: `compiled binary runs compare --json and subprocess mode${
    runtimeAvailable
      ? ""
      : " (ignored: deno compile's runtime cannot be had here; set DENORT_BIN to run it)"
  }`,
  ignore: !runtimeAvailable,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "compile"],
      cwd: ROOT,
    }).output();
    assertEquals(build.code, 0, new TextDecoder().decode(build.stderr));
    const binary = `${ROOT}dist/conc101`;
    const run = async (args: string[]) => {
      const out = await new Deno.Command(binary, { args, stdout: "piped", stderr: "piped" })
        .output();
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      return JSON.parse(new TextDecoder().decode(out.stdout));
    };
    const compare = await run(["compare", "--tasks", "4", "--size", "100000", "--json"]);
    assertEquals(compare.runs.length, 4);
    for (const r of compare.runs) assertEquals(r.verifiedCount, 4);
    const sub = await run([
      "run",
      "--mode",
      "subprocess",
      "--tasks",
      "4",
      "--size",
      "100000",
      "--json",
    ]);
    assertEquals(sub.status, "done");
    assertEquals(sub.tasks[0].result, closedForm(100000).toString());
    // A module cannot be imported by a binary; without a terminal, an --export folder it was
    // not granted is the one line, never a prompt.
    for (
      const [args, pattern] of [
        [
          ["compare", "--workload", "examples/primes.ts"],
          /cannot import files that were not embedded/,
        ],
        [["compare", "--export", ".cache/r.json"], /writing there is not granted/],
      ] as const
    ) {
      const out = await new Deno.Command(binary, {
        args: [...args],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assertEquals(out.code, 2, stderr);
      assertEquals(stderr.trim().split("\n").length, 1, stderr);
      assertMatch(stderr, pattern);
    }
    const version = new TextDecoder().decode(
      (await new Deno.Command(binary, { args: ["--version"] }).output()).stdout,
    );
    assertMatch(version, /^conc101 \d+\.\d+\.\d+ \(deno \d+\.\d+\.\d+\)/);
  },
});
