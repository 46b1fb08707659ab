import { assert_, assertEquals, assertMatch } from "../../assert.ts";
import {
  decodeOutput,
  mainCommand,
  type Output,
  runMain,
  withProjectTempDir,
} from "../../helpers.ts";
import { UsageError } from "../../../lib/cli/errors.ts";
import { LIMITS } from "../../../lib/cli/limits.ts";
import { netGrant, parseUrlList } from "../../../lib/workloads/io/urls.ts";

/** The message `fn` throws as a UsageError, or "" when it does not throw. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert_(err instanceof UsageError, String(err));
    return err.message;
  }
  return "";
}

/** Runs the program, killing it after `ms` so a run that never ends fails instead of hanging. */
async function runMainWithin(
  args: readonly string[],
  ms: number,
  extraPermissions: readonly string[] = [],
): Promise<Output> {
  const child = mainCommand(args, { extraPermissions }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  try {
    return decodeOutput(await child.output());
  } finally {
    clearTimeout(timer);
  }
}

/** True when the text holds a control character other than the line end it closes with. */
function hasControl(text: string): boolean {
  // deno-lint-ignore no-control-regex -- finding control characters is the point.
  return /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text.replace(/\n$/, ""));
}

Deno.test("parseUrlList() ends a line at a lone CR, as at LF and CRLF", () => {
  assertEquals(parseUrlList("http://a.test/1\rhttp://b.test/2\r\nhttp://c.test/3\n", "u"), [
    "http://a.test/1",
    "http://b.test/2",
    "http://c.test/3",
  ]);
});

Deno.test("parseUrlList() refuses a line where a tab or space joins two URLs", () => {
  for (const sep of ["\t", " ", "\v", "\f"]) {
    const message = usageMessage(() => parseUrlList(`http://a.test/x${sep}http://b.test/y\n`, "u"));
    assertMatch(message, /^--urls u line 1: ".*" holds whitespace or a control character/);
    assert_(!hasControl(message), message);
  }
});

Deno.test("cli: escapes in a --urls file are shown escaped, never sent to the terminal", async () => {
  await withProjectTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/title.txt`, "\x1b]0;pwned\x07\x1b[2Jhttp://x\n");
    // UTF-16 with a byte order mark: every other byte is NUL.
    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...[..."http://a/"].flatMap((c) => [c.charCodeAt(0), 0]),
    ]);
    await Deno.writeFile(`${dir}/utf16.txt`, utf16);
    for (
      const [file, shown] of [["title.txt", /\\x1b\]0;pwned\\x07\\x1b\[2J/], [
        "utf16.txt",
        /\\x00/,
      ]] as const
    ) {
      const out = await runMain([
        "run",
        "--mode",
        "async",
        "--workload",
        "io",
        "--urls",
        `${dir}/${file}`,
      ]);
      assertEquals(out.code, 2, out.stderr);
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assert_(!hasControl(out.stderr), JSON.stringify(out.stderr));
      assertMatch(out.stderr, shown);
    }
  });
});

Deno.test("cli: a file name with escapes is shown escaped", async () => {
  const out = await runMain([
    "run",
    "--mode",
    "async",
    "--workload",
    "io",
    "--urls",
    "\x1b[2J.txt",
  ]);
  assertEquals(out.code, 2);
  assert_(!hasControl(out.stderr), JSON.stringify(out.stderr));
  assertMatch(out.stderr, /--urls \\x1b\[2J\.txt does not exist/);
});

Deno.test("cli: a --urls file over the size cap is refused without reading it all", async () => {
  await withProjectTempDir(async (dir) => {
    // Sparse: costs no disk, but reads as 16 MB of NUL bytes and more.
    await Deno.writeTextFile(`${dir}/big.txt`, "");
    await Deno.truncate(`${dir}/big.txt`, LIMITS.urlsFileBytes + 1);
    const out = await runMainWithin(
      ["run", "--mode", "async", "--workload", "io", "--urls", `${dir}/big.txt`],
      30_000,
    );
    assertEquals(out.code, 2, out.stderr);
    assertMatch(out.stderr.trim(), /^conc101: --urls \S+big\.txt is larger than 16 MB/);
  });
});

Deno.test("cli: --urls refuses a device and a FIFO instead of reading forever", async () => {
  await withProjectTempDir(async (dir) => {
    const fifo = `${dir}/fifo`;
    const made = await new Deno.Command("sh", { args: ["-c", 'mkfifo "$1"', "sh", fifo] }).output();
    assert_(made.success, "mkfifo failed");
    for (const file of ["/dev/zero", fifo]) {
      const out = await runMainWithin(
        ["run", "--mode", "async", "--workload", "io", "--urls", file],
        30_000,
        [`--allow-read=/dev/zero`],
      );
      assertEquals(out.code, 2, `${file}: ${out.stderr}`);
      assertMatch(out.stderr.trim(), /is not a regular file \(allowed: a text file of URLs\)$/);
    }
  });
});

Deno.test("cli: --url and --urls together may not pass the 10,000-URL cap", async () => {
  await withProjectTempDir(async (dir) => {
    const lines = Array.from({ length: LIMITS.urls }, (_, i) => `http://127.0.0.1:9/${i}`);
    await Deno.writeTextFile(`${dir}/full.txt`, lines.join("\n") + "\n");
    const out = await runMainWithin(
      [
        "run",
        "--mode",
        "async",
        "--workload",
        "io",
        "--urls",
        `${dir}/full.txt`,
        "--url",
        "http://127.0.0.1:9/extra",
      ],
      60_000,
    );
    assertEquals(out.code, 2, out.stderr);
    assertEquals(out.stdout, "");
    assertMatch(
      out.stderr.trim(),
      /^conc101: --url and --urls hold 10,001 URLs together; at most 10,000 are allowed$/,
    );
  });
});

Deno.test("netGrant() names each host once: port 0 as the host, no port of a host granted whole", () => {
  assertEquals(netGrant(["127.0.0.1:0"]), "127.0.0.1");
  assertEquals(netGrant(["127.0.0.1", "127.0.0.1:8080"]), "127.0.0.1");
  assertEquals(
    netGrant(["example.com:443", "example.com:443", "[::1]:80"]),
    "127.0.0.1,example.com:443,[::1]:80",
  );
});
