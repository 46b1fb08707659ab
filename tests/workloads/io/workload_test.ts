import { assert_, assertEquals, assertMatch } from "../../assert.ts";
import {
  runMain,
  waitFor,
  waitNoDescendants,
  withProjectTempDir,
  workerThreads,
} from "../../helpers.ts";
import { startServer } from "../../../lib/workloads/io/server_host.ts";
import { defaultModeNames } from "../../../lib/modes/mod.ts";

import { runWorkload } from "../../../lib/run/runner.ts";
import { ioWorkload } from "../../../lib/workloads/io/workload.ts";
import type { Workload } from "../../../lib/workloads/types.ts";
import { parseUrlList } from "../../../lib/workloads/io/urls.ts";
import { UsageError } from "../../../lib/cli/errors.ts";
import { runSummary } from "../../../lib/report/text.ts";
import { toRunResult } from "../../../lib/run/result.ts";
import { type TestServer, withRawServer, withServer } from "../../hostile_server.ts";
import { gzipSync } from "node:zlib";

const io = ioWorkload as Workload;

for (const mode of defaultModeNames()) {
  Deno.test(`io ${mode}: downloads the default 160 pages, every one verified`, async () => {
    const prepared = await io.prepare({ latencyMs: 2, jitterMs: 1, pageKb: 4 });
    try {
      assertEquals(prepared.tasks.length, 160);
      const state = await runWorkload({
        mode,
        workload: io,
        tasks: prepared.tasks,
        lanes: mode === "async" ? 160 : 2,
        perLane: 4,
        netHosts: prepared.netHosts,
      });
      assertEquals(state.status, "done");
      assertEquals(state.tasks.every((t) => t.verified), true);
      assertEquals(state.tasks[0].result, { status: 200, bytes: 4096, expectedBytes: 4096 });
    } finally {
      await prepared.close();
    }
    assertEquals(await waitNoDescendants(Deno.pid), []);
    // The server's worker and the lanes' workers are gone too.
    assert_(await waitFor(async () => await workerThreads(Deno.pid) === 0));
  });

  Deno.test(`io ${mode}: a refused connection, a 404 and a timeout fail alone with readable errors`, async () => {
    const server = await startServer({ latencyMs: 2000, jitterMs: 0, pageKb: 1 });
    const fast = await startServer({ latencyMs: 0, jitterMs: 0, pageKb: 1 });
    const closed = await startServer({ latencyMs: 0, jitterMs: 0, pageKb: 1 });
    await closed.close();
    try {
      const prepared = await io.prepare({
        urls: [
          `${closed.url}/page/0`,
          `${fast.url}/status/404`,
          `${server.url}/page/0`,
          `${fast.url}/page/1`,
        ],
        timeoutMs: 300,
      });
      const state = await runWorkload({
        mode,
        workload: io,
        tasks: prepared.tasks,
        lanes: 2,
        netHosts: prepared.netHosts,
      });
      assertEquals(state.status, "failed");
      assertEquals(state.tasks.map((t) => t.status), ["failed", "failed", "failed", "done"]);
      // A port just closed refuses, unless a pooled connection to it is reset first.
      assertMatch(state.tasks[0].error!, /^download failed: Connection (refused|reset by peer)$/);
      assertEquals(state.tasks[1].error, "HTTP 404 Not Found");
      assertEquals(state.tasks[2].error, "timed out after 300 ms");
    } finally {
      await server.close();
      await fast.close();
    }
  });
}

Deno.test("io: the embedded server ends with the run", async () => {
  const prepared = await io.prepare({ latencyMs: 0, jitterMs: 0, pageKb: 1, tasks: 2 });
  const url = (prepared.tasks[0].input as { url: string }).url;
  await runWorkload({ mode: "async", workload: io, tasks: prepared.tasks, lanes: 2 });
  await prepared.close();
  let refused = false;
  try {
    await fetch(url);
  } catch {
    refused = true;
  }
  assert_(refused);
});

Deno.test("parseUrlList() skips blanks and comments and names the line of a bad URL", () => {
  assertEquals(
    parseUrlList("# pages\nhttp://a.test/x\n\n  https://b.test/y  # second\n", "u.txt"),
    [
      "http://a.test/x",
      "https://b.test/y",
    ],
  );
  let message = "";
  try {
    parseUrlList("http://a.test/\nnot a url\n", "u.txt");
  } catch (err) {
    assert_(err instanceof UsageError);
    message = err.message;
  }
  assertEquals(
    message,
    '--urls u.txt line 2: not a valid URL: "not a url" (allowed: http:// or https:// URLs)',
  );
});

Deno.test("cli: --urls errors are one line with exit code 2 and nothing runs", async () => {
  // Inside the project, which the CLI may read; elsewhere it would need --allow-read.
  await withProjectTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.txt`, "http://127.0.0.1:9/ok\nftp://example.test/file\n");
    const cases: [string[], RegExp][] = [
      [["--urls", `${dir}/missing.txt`], /--urls .*missing\.txt does not exist/],
      [["--urls", dir], /is a directory/],
      [
        ["--urls", `${dir}/bad.txt`],
        /bad\.txt line 2: "ftp:\/\/example\.test\/file" is not http or https/,
      ],
      [["--url", "nope"], /--url: not a valid URL: "nope"/],
      [
        ["--url", "https://example.test/"],
        /network access to example\.test:443 is not granted: run deno with --allow-net=/,
      ],
      [["--latency", "abc"], /--latency must be a whole number from 0 to 60,000, got "abc"/],
      [
        ["--urls", "/etc/hostname"],
        /--urls \/etc\/hostname cannot be read: run deno with --allow-read=\/etc\/hostname/,
      ],
    ];
    for (const [flags, message] of cases) {
      const out = await runMain(["run", "--mode", "async", "--workload", "io", ...flags]);
      assertEquals(out.code, 2, `${flags.join(" ")}: ${out.stderr}`);
      assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
      assertMatch(out.stderr, message);
      assertEquals(out.stdout, "");
    }
  });
});

Deno.test("cli: cpu flags with io and io flags with cpu are refused", async () => {
  const a = await runMain(["run", "--mode", "async", "--workload", "io", "--size", "5"]);
  assertEquals(a.code, 2);
  assertMatch(a.stderr, /--size applies to --workload cpu or race only/);
  const b = await runMain(["run", "--mode", "async", "--latency", "5"]);
  assertEquals(b.code, 2);
  assertMatch(b.stderr, /--latency applies to --workload io only/);
});

Deno.test("cli: compare --workload io --json runs all four modes against the local server", async () => {
  const out = await runMain([
    "compare",
    "--workload",
    "io",
    "--tasks",
    "12",
    "--latency",
    "5",
    "--json",
  ]);
  assertEquals(out.code, 0, out.stderr);
  const report = JSON.parse(out.stdout);
  assertEquals(report.runs.length, 4);
  for (const run of report.runs) assertEquals(run.verifiedCount, 12);
});

/** A hostile little site: redirects of every kind, a compressed page and a plain one. */
function hostileSite(other: TestServer) {
  const gzipped = new Uint8Array(gzipSync(new TextEncoder().encode("a".repeat(5000))));
  return (req: Request, self: TestServer): Response => {
    const path = new URL(req.url).pathname;
    const redirect = (location: string) =>
      new Response(null, { status: 302, headers: { location } });
    if (path === "/same") return redirect("/page");
    if (path === "/twice") return redirect(`${self.url}/same`);
    if (path === "/away") return redirect(`${other.url}/page`);
    if (path === "/creds") return redirect(`http://user:hunter2@127.0.0.1:${other.port}/x`);
    if (path === "/file") return redirect("file:///etc/passwd");
    if (path === "/loop") return redirect("/loop");
    if (path === "/gzip") {
      return new Response(gzipped, {
        headers: { "content-encoding": "gzip", "content-length": String(gzipped.length) },
      });
    }
    return new Response("hello\n");
  };
}

for (const mode of defaultModeNames()) {
  Deno.test(`io ${mode}: redirects are followed within the run's hosts only, the same in every mode`, async () => {
    await withServer(() => new Response("other\n"), async (other) => {
      await withServer(hostileSite(other), async (site) => {
        const paths = ["/same", "/twice", "/away", "/creds", "/file", "/loop", "/gzip"];
        const prepared = await io.prepare({ urls: paths.map((p) => `${site.url}${p}`) });
        assertEquals(prepared.netHosts, [site.host]);
        const state = await runWorkload({
          mode,
          workload: io,
          tasks: prepared.tasks,
          lanes: 2,
          netHosts: prepared.netHosts,
        });
        const [same, twice, away, creds, file, loop, gzip] = state.tasks;
        assertEquals([same.verified, twice.verified], [true, true], JSON.stringify(same.error));
        assertEquals(
          away.error,
          `redirect to "${other.url}/page" refused: ${other.host} is not a host of this run`,
        );
        assertEquals(
          creds.error,
          `redirect to "http://***@${other.host}/x" refused: ${other.host} is not a host of this run`,
        );
        assertEquals(file.error, 'redirect to "file:///etc/passwd" refused: not http or https');
        assertEquals(loop.error, `more than 5 redirects, the last to "${site.url}/loop"`);
        // fetch decodes the body, so its length is not the header's: only the status counts.
        assertEquals(gzip.result, { status: 200, bytes: 5000, encoding: "gzip" });
        assertEquals(gzip.verified, true);
      });
    });
  });
}

Deno.test("io: a body that does not match its Content-Length fails with the reason", async () => {
  const reply = new TextEncoder().encode(
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nabcde",
  );
  await withRawServer(reply, async (server) => {
    const prepared = await io.prepare({ urls: [`${server.url}/short`] });
    const state = await runWorkload({
      mode: "sequential",
      workload: io,
      tasks: prepared.tasks,
      lanes: 1,
      netHosts: prepared.netHosts,
    });
    assertEquals(state.tasks[0].verified, false);
    assertMatch(state.tasks[0].error ?? "(no reason given)", /download failed|Content-Length/);
  });
});

Deno.test("io: children are granted only the hosts of the tasks that run", async () => {
  const urls = [1, 2, 3, 4].map((i) => `http://127.0.0.1:${8000 + i}/`);
  const prepared = await io.prepare({ urls, tasks: 2 });
  assertEquals(prepared.netHosts, ["127.0.0.1:8001", "127.0.0.1:8002"]);
  assertEquals(prepared.summary, "2 downloads from 2 hosts");
  const one = await io.prepare({ urls: [urls[0]], tasks: 1 });
  assertEquals(one.summary, "1 download from 1 host");
});

Deno.test("io subprocess: 9,000 hosts on distinct ports still start children", async () => {
  const server = await startServer({ latencyMs: 0, jitterMs: 0, pageKb: 1 });
  try {
    const many = Array.from({ length: 9000 }, (_, i) => `127.0.0.1:${20_000 + i}`);
    const prepared = await io.prepare({ urls: [`${server.url}/page/0`, `${server.url}/page/1`] });
    const state = await runWorkload({
      mode: "subprocess",
      workload: io,
      tasks: prepared.tasks,
      lanes: 2,
      netHosts: [...prepared.netHosts, ...many],
    });
    assertEquals(state.tasks.map((t) => t.error), [undefined, undefined]);
    assertEquals(state.status, "done");
  } finally {
    await server.close();
  }
});

Deno.test("io: a 100 KB URL gets a short label and a short error line", async () => {
  const long = `http://127.0.0.1:9/${"x".repeat(100_000)}`;
  const prepared = await io.prepare({ urls: [long], timeoutMs: 2000 });
  const state = await runWorkload({
    mode: "sequential",
    workload: io,
    tasks: prepared.tasks,
    lanes: 1,
    netHosts: prepared.netHosts,
  });
  assert_(state.tasks[0].label.length <= 80, `label of ${state.tasks[0].label.length}`);
  const summary = runSummary(toRunResult(state));
  for (const line of summary.split("\n")) assert_(line.length < 300, `a line of ${line.length}`);
});
