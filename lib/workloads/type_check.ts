/**
 * `deno run` does not type-check a module it imports at run time, so a user's module is
 * checked first by `deno check` in a child: a checker, granted nothing, that runs no code.
 */
import { missingGrant, UsageError } from "../cli/errors.ts";
import { safeText } from "../process/safe_text.ts";

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/** `file:line: message` of the first error in `deno check`'s output, or its first line. */
export function firstCheckError(output: string): string {
  // deno check colours its output unless NO_COLOR is set; strip codes anyway.
  const lines = output.replace(ANSI, "").split("\n");
  const at = lines.findIndex((l) => /\[ERROR\]:|^error:/.test(l.trim()));
  if (at < 0) return safeText(lines.find((l) => l.trim() !== "") ?? "type check failed");
  const message = lines[at].trim().replace(/^(TS\d+ )?\[ERROR\]: |^error: /, "");
  const where = lines.slice(at + 1).map((l) => l.match(/at (file:\/\/\S+?):(\d+):(\d+)/))
    .find((m) => m !== null);
  const place = where ? `${decodeURIComponent(new URL(where[1]).pathname)}:${where[2]}` : "";
  return safeText(place ? `${place}: ${message}` : message);
}

/** Fails with the first type or syntax error of the module at `path`, as one line. */
export async function typeCheckModule(path: string): Promise<void> {
  const command = Deno.execPath();
  if (Deno.permissions.querySync({ name: "run", command }).state !== "granted") {
    throw new UsageError(
      `--workload: type-checking the module runs deno check: ${
        missingGrant(`--allow-run=${command}`)
      }`,
    );
  }
  const checked = await new Deno.Command(command, {
    args: ["check", "--quiet", "--no-lock", `--config=${CONFIG}`, path],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (checked.code === 0) return;
  const decoder = new TextDecoder();
  const output = decoder.decode(checked.stderr) + decoder.decode(checked.stdout);
  throw new UsageError(`--workload: ${firstCheckError(output)}`);
}
