/** A mistake in what the user asked for: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes, one meaning each. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  cancelled: 130,
} as const;

/**
 * What to do about a missing permission, the one place this advice is worded: with the
 * script, the flag to add; the binary's grant is fixed when it is built, so there the advice
 * is to run the script instead.
 */
export function missingGrant(flags: string, standalone = Deno.build.standalone === true): string {
  return standalone
    ? `the conc101 binary is built without ${flags}; run the script instead (deno task cli, or deno run ${flags} main.ts)`
    : `run deno with ${flags}`;
}
