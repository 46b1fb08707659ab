/**
 * `deno task compile [--target T]`: builds `dist/conc101` (or `dist/conc101-<target>`), one
 * file with the worker modules embedded and narrow permissions baked in (no file access).
 */
import { ENV_VARS, V8_FLAGS } from "../lib/lanes/permissions.ts";

/** The targets `deno compile` supports. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/**
 * Modules loaded by URL rather than by import, which `deno compile` must be told to embed:
 * every `new Worker(new URL(...))` target, and the dashboard loaded on demand.
 */
export const INCLUDES = [
  "workers/task_worker.ts",
  "workers/server_worker.ts",
  "lib/cli/commands/tui.tsx",
  "lib/cluster/jobs.ts",
  "lib/cluster/queue_run.ts",
  "lib/cluster/worker.ts",
];

/** Where the binary for `target` goes; the host's own build is plain `dist/conc101`. */
export function outputFor(target: string, host: string): string {
  const name = target === host ? "conc101" : `conc101-${target}`;
  return `dist/${name}${target.includes("windows") ? ".exe" : ""}`;
}

/**
 * The arguments of `deno compile` for `target`, writing to `output` (absolute) on a machine
 * of target `host`. Subprocess mode starts the binary itself, by the path it runs from; a
 * grant can only name files, so the binary may start `conc101` on the PATH and, built for
 * this machine, the file it is built as. A binary for another target names no path of ours.
 */
export function compileArgs(target: string, output: string, host = target): string[] {
  return [
    "compile",
    "--quiet",
    `--target=${target}`,
    `--output=${output}`,
    ...INCLUDES.map((path) => `--include=${path}`),
    // The tui task's grants but read, baked in: the modules are embedded, and a user file
    // (--urls, --export, --trace) is read or written only when the user allows it.
    "--allow-sys=cpus",
    `--allow-env=${ENV_VARS.join(",")}`,
    "--ignore-env",
    `--allow-run=${target === host ? `${output},` : ""}conc101`,
    "--allow-net=127.0.0.1",
    // No --no-prompt: the binary cannot start itself with a wider grant, so it asks for what
    // the user names (an --export folder, --url hosts) with Deno's prompt before anything starts.
    V8_FLAGS,
    "main.ts",
  ];
}

/** One line that says what went wrong with `deno compile`, and what to do about it. */
export function explainFailure(stderr: string, target: string): string {
  // deno-lint-ignore no-control-regex -- deno colours its errors; the colour codes go.
  const text = stderr.replace(/\x1b\[[0-9;]*m/g, "");
  const version = Deno.version.deno;
  const missing = text.match(/Could not find denort at '([^']*)'/);
  if (missing) {
    return `DENORT_BIN=${
      missing[1]
    }: no Deno runtime there; point DENORT_BIN at denort ${version} for ${target}`;
  }
  if (/error sending request|dns error|Connect|download/i.test(text)) {
    return `deno compile needs Deno's runtime (denort ${version} for ${target}) and could not download it: ` +
      `set DENORT_BIN=/path/to/denort (the same version and target) and run again`;
  }
  const causes = text.split("\n").map((l) => l.trim()).filter((l) =>
    /^\d+: /.test(l) || /^error: /.test(l)
  );
  return `deno compile failed: ${
    (causes.at(-1) ?? text.trim().split("\n")[0] ?? "").replace(/^\d+: |^error: /, "")
  }`;
}

async function main(args: string[]): Promise<number> {
  const host = Deno.build.target;
  const at = args.indexOf("--target");
  const target = at >= 0 ? args[at + 1] : host;
  if (!target || !(TARGETS as readonly string[]).includes(target)) {
    console.error(`compile: --target must be one of ${TARGETS.join(", ")}, got "${target ?? ""}"`);
    return 2;
  }
  const root = new URL("../", import.meta.url).pathname;
  const output = `${root}${outputFor(target, host)}`;
  await Deno.mkdir(`${root}dist`, { recursive: true });
  const out = await new Deno.Command(Deno.execPath(), {
    args: compileArgs(target, output, host),
    cwd: root,
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (!out.success) {
    console.error(`compile: ${explainFailure(new TextDecoder().decode(out.stderr), target)}`);
    return 1;
  }
  const size = (await Deno.stat(output)).size;
  console.log(
    `built ${output.slice(root.length)} (${(size / 2 ** 20).toFixed(1)} MiB) for ${target}`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
