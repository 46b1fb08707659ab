import { assertEquals } from "../assert.ts";
import {
  escapeControl,
  quote,
  redactCredentials,
  redactDeep,
  safeText,
  shorten,
} from "../../lib/process/safe_text.ts";

Deno.test("escapeControl() shows terminal escapes, NUL bytes and bidi overrides as text", () => {
  assertEquals(escapeControl("\x1b]0;pwned\x07\x1b[2J"), "\\x1b]0;pwned\\x07\\x1b[2J");
  assertEquals(escapeControl("h\x00t\x00"), "h\\x00t\\x00");
  assertEquals(escapeControl("a\tb\r\nc\x7f\x9b"), "a\\tb\\r\\nc\\x7f\\x9b");
  assertEquals(escapeControl("abc\u202edef"), "abc\\u202edef");
  assertEquals(escapeControl("plain ünïcode ✓"), "plain ünïcode ✓");
});

Deno.test("redactCredentials() hides user and password of every URL in the text", () => {
  assertEquals(
    redactCredentials("GET http://user:secret@h.test/x and https://tok@b.test:8443/"),
    "GET http://***@h.test/x and https://***@b.test:8443/",
  );
  assertEquals(redactCredentials("http://a:p@ss@h.test/"), "http://***@h.test/");
  assertEquals(redactCredentials("http://h.test/path@x"), "http://h.test/path@x");
  assertEquals(
    redactDeep({ url: "http://u:pw@h.test/", n: 3, list: ["ftp://x:y@z/"] }),
    { url: "http://***@h.test/", n: 3, list: ["ftp://***@z/"] },
  );
});

Deno.test("shorten() keeps the head and tail of long text and leaves short text alone", () => {
  assertEquals(shorten("abcdef", 10), "abcdef");
  assertEquals(shorten("abcdefghijkl", 7), "abc…jkl");
  assertEquals(shorten("x".repeat(100_000)).length, 200);
});

Deno.test("safeText() and quote() redact, escape and shorten together", () => {
  assertEquals(safeText("http://u:p@h/\x1b[2J"), "http://***@h/\\x1b[2J");
  assertEquals(quote("a\nb"), '"a\\nb"');
});
