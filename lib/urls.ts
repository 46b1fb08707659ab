import { UsageError } from "./errors.ts";
import { LIMITS } from "./limits.ts";

/** Checks one URL: it must parse and be http or https. */
export function checkUrl(text: string, where: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${where}: not a valid URL: "${text}" (allowed: http:// or https:// URLs)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `${where}: "${text}" is not http or https (allowed: http:// or https:// URLs)`,
    );
  }
  return url.href;
}

/** Parses a URL list: one URL a line; blank lines and `#` comments are skipped. */
export function parseUrlList(text: string, file: string): string[] {
  const urls: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line !== "") urls.push(checkUrl(line, `--urls ${file} line ${i + 1}`));
  });
  if (urls.length === 0) {
    throw new UsageError(`--urls ${file} holds no URL (one http(s) URL a line)`);
  }
  if (urls.length > LIMITS.urls) {
    throw new UsageError(
      `--urls ${file} holds ${urls.length} URLs; at most ${LIMITS.urls} are allowed`,
    );
  }
  return urls;
}

/** Reads a `--urls` file, with one-line errors for a missing file, a folder or no permission. */
export function readUrlFile(file: string): string[] {
  let text: string;
  try {
    const info = Deno.statSync(file);
    if (info.isDirectory) throw new UsageError(`--urls ${file} is a directory, not a file of URLs`);
    text = Deno.readTextFileSync(file);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof Deno.errors.NotFound) throw new UsageError(`--urls ${file} does not exist`);
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(`--urls ${file} cannot be read: run deno with --allow-read=${file}`);
    }
    throw new UsageError(`--urls ${file} cannot be read: ${(err as Error).message}`);
  }
  return parseUrlList(text, file);
}

/** Fails with the flag to add when the program may not reach `hosts`. */
export function checkNetPermission(hosts: readonly string[]): void {
  const missing = hosts.filter((host) =>
    Deno.permissions.querySync({ name: "net", host }).state !== "granted"
  );
  if (missing.length > 0) {
    throw new UsageError(
      `network access to ${
        missing.join(", ")
      } is not granted: run deno with --allow-net=127.0.0.1,${missing.join(",")}`,
    );
  }
}
