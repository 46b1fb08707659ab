/**
 * Text from users and servers (URLs, file names, error messages) passes through here before
 * it is shown or stored: control characters escaped, credentials in URLs redacted, and long
 * text shortened, so a crafted file or reply cannot drive the terminal or leak a password.
 */

/** Longest quoted text shown in a message; a 100 KB URL is cut in the middle. */
const SHOWN_MAX = 200;

/** C0, DEL, C1, line and paragraph separators and bidirectional overrides. */
// deno-lint-ignore no-control-regex -- finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** `ESC [ 2 J` becomes the visible `\x1b[2J`; tabs and line ends become `\t`, `\n`, `\r`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (NAMED[c]) return NAMED[c];
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** The user-info part of any `scheme://user:pass@` in the text. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** `http://user:secret@host/` becomes `http://***@host/`, anywhere in the text. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, "$1***@");
}

/** Keeps the head and the tail, which tell long URLs apart, with `…` between. */
export function shorten(text: string, max = SHOWN_MAX): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}

/** Text safe to show: credentials redacted, control characters escaped, at most `max` long. */
export function safeText(text: string, max = SHOWN_MAX): string {
  return shorten(escapeControl(redactCredentials(text)), max);
}

/** Quotes user or server text for a message: `"…"`, made safe. */
export function quote(text: string, max = SHOWN_MAX): string {
  return `"${safeText(text, max)}"`;
}

/** A copy of plain data with every string's credentials redacted: for JSON, exports, traces. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redactCredentials(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactDeep(v)]),
    ) as T;
  }
  return value;
}

/** Longest error kept for a task or shown on a line. */
const ERROR_MAX = 500;

/** The message of any thrown value, as one line, safe to show. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return safeText(text.split("\n")[0], ERROR_MAX);
}
