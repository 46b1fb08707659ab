/** The program's version; `--version` prints it with the Deno version it runs on. */
export const VERSION = "0.1.0";

/** `conc101 0.1.0 (deno 2.9.6)`. */
export function versionLine(): string {
  return `conc101 ${VERSION} (deno ${Deno.version.deno})`;
}
