import { resolve } from "node:path";
import { missingGrant, UsageError } from "../../cli/errors.ts";
import { LIMITS } from "../../cli/limits.ts";
import { requireGrant } from "../../cli/grants.ts";
import { quote, safeText } from "../../process/safe_text.ts";

/** Checks one URL: it must parse, be http or https, and hold no whitespace or control character. */
export function checkUrl(text: string, where: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${where}: not a valid URL: ${quote(text)} (allowed: http:// or https:// URLs)`,
    );
  }
  // The URL parser drops tabs and line breaks, which would merge two URLs into one.
  // deno-lint-ignore no-control-regex -- finding control characters is the point.
  if (/[\s\u0000-\u001f\u007f]/.test(text)) {
    throw new UsageError(
      `${where}: ${
        quote(text)
      } holds whitespace or a control character (allowed: one http:// or https:// URL)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `${where}: ${quote(text)} is not http or https (allowed: http:// or https:// URLs)`,
    );
  }
  return url.href;
}

/**
 * Parses a URL list: one URL a line (LF, CRLF or a lone CR ends a line); blank lines and `#`
 * comments are skipped.
 */
export function parseUrlList(text: string, file: string): string[] {
  const urls: string[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line !== "") urls.push(checkUrl(line, `--urls ${safeText(file)} line ${i + 1}`));
  });
  if (urls.length === 0) {
    throw new UsageError(`--urls ${safeText(file)} holds no URL (one http(s) URL a line)`);
  }
  if (urls.length > LIMITS.urls) {
    throw new UsageError(
      `--urls ${safeText(file)} holds ${urls.length} URLs; at most ${LIMITS.urls} are allowed`,
    );
  }
  return urls;
}

/** Reads at most `max` bytes of an open file; undefined when it holds more. */
function readCapped(file: Deno.FsFile, max: number): Uint8Array | undefined {
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length <= max) {
    const chunk = new Uint8Array(64 * 1024);
    const n = file.readSync(chunk);
    if (n === null) break;
    chunks.push(chunk.subarray(0, n));
    length += n;
  }
  if (length > max) return undefined;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Reads a `--urls` file, with one-line errors for a missing file, a folder, a device or FIFO,
 * a file over the size cap, or no permission. Only regular files are opened (a FIFO would
 * block, `/dev/zero` never ends), and never more than the cap is read.
 */
function readUrlFile(file: string): string[] {
  const name = `--urls ${safeText(file)}`;
  const max = LIMITS.urlsFileBytes;
  let bytes: Uint8Array | undefined;
  requireGrant(
    [{ name: "read", path: resolve(file) }],
    `${name} cannot be read: ${missingGrant(`--allow-read=${safeText(file)}`)}`,
  );
  try {
    const info = Deno.statSync(file);
    if (info.isDirectory) throw new UsageError(`${name} is a directory, not a file of URLs`);
    if (!info.isFile) {
      throw new UsageError(`${name} is not a regular file (allowed: a text file of URLs)`);
    }
    using handle = Deno.openSync(file, { read: true });
    // Checked again on the open file: the name may have been swapped since.
    if (!handle.statSync().isFile) {
      throw new UsageError(`${name} is not a regular file (allowed: a text file of URLs)`);
    }
    bytes = readCapped(handle, max);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof Deno.errors.NotFound) throw new UsageError(`${name} does not exist`);
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(
        `${name} cannot be read: ${missingGrant(`--allow-read=${safeText(file)}`)}`,
      );
    }
    throw new UsageError(`${name} cannot be read: ${(err as Error).message}`);
  }
  if (bytes === undefined) {
    throw new UsageError(
      `${name} is larger than ${max / 1024 / 1024} MB (allowed: up to ${LIMITS.urls} URLs in ${
        max / 1024 / 1024
      } MB)`,
    );
  }
  return parseUrlList(new TextDecoder().decode(bytes), file);
}

/** Fails with the flag to add when the program may not reach `hosts`. */
export function checkNetPermission(hosts: readonly string[]): void {
  requireGrant(hosts.map((host) => ({ name: "net", host })), (missing) => {
    const shown = missing.map((d) => (d as Deno.NetPermissionDescriptor).host ?? "");
    return `network access to ${shown.join(", ")} is not granted: ${
      missingGrant(`--allow-net=${netGrant(shown)}`)
    }`;
  });
}

/**
 * The `--allow-net` list that grants `hosts` besides the local server's `127.0.0.1`: each
 * entry once, port 0 (any free port) as the bare host, and no `host:port` whose host is
 * already granted whole.
 */
export function netGrant(hosts: readonly string[]): string {
  const list = [...new Set(["127.0.0.1", ...hosts.map((h) => h.replace(/:0$/, ""))])];
  const whole = new Set(list.filter((h) => !/:\d+$/.test(h)));
  return list.filter((h) => whole.has(h) || !whole.has(h.replace(/:\d+$/, ""))).join(",");
}

/** Folds `--url` and `--urls` into one list of URLs, or undefined when neither was given. */
export function collectUrls(options: { url?: unknown; urls?: unknown }): string[] | undefined {
  const fromFile = typeof options.urls === "string" ? readUrlFile(options.urls) : [];
  const all = [...(options.url as string[] | undefined ?? []), ...fromFile];
  if (all.length > LIMITS.urls) {
    throw new UsageError(
      `--url and --urls hold ${all.length.toLocaleString("en-US")} URLs together; at most ${
        LIMITS.urls.toLocaleString("en-US")
      } are allowed`,
    );
  }
  return all.length > 0 ? all : undefined;
}
