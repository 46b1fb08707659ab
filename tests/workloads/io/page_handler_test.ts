import { assert_, assertEquals, assertMatch } from "../../assert.ts";
import { runMain } from "../../helpers.ts";
import { trackedCount } from "../../../lib/process/cleanup.ts";
import { createHandler, jitterFor, PIECE_BYTES } from "../../../lib/workloads/io/page_handler.ts";
import { startServer } from "../../../lib/workloads/io/server_host.ts";

async function download(url: string) {
  const t0 = performance.now();
  const response = await fetch(url);
  const body = new Uint8Array(await response.arrayBuffer());
  return { response, body, ms: performance.now() - t0 };
}

Deno.test("server: a page waits its latency and streams page-kb KB with a Content-Length", async () => {
  const server = await startServer({ latencyMs: 120, jitterMs: 0, pageKb: 8 });
  try {
    const { response, body, ms } = await download(`${server.url}/page/1`);
    assertEquals(response.status, 200);
    assertEquals(response.headers.get("content-length"), "8192");
    assertEquals(body.length, 8192);
    assert_(ms >= 115, `took ${ms} ms`);
    assert_(ms < 1000, `took ${ms} ms`);
  } finally {
    await server.close();
  }
});

Deno.test("server: unknown paths are 404 and /status/<code> answers that code", async () => {
  const server = await startServer({ latencyMs: 0, jitterMs: 0, pageKb: 1 });
  try {
    const missing = await download(`${server.url}/nothing`);
    assertEquals(missing.response.status, 404);
    const teapot = await download(`${server.url}/status/418`);
    assertEquals(teapot.response.status, 418);
  } finally {
    await server.close();
  }
});

Deno.test("server: closing it frees the port (no open resources left)", async () => {
  const server = await startServer({ latencyMs: 0, jitterMs: 0, pageKb: 1 });
  await download(`${server.url}/page/0`);
  await server.close();
  let refused = false;
  try {
    await fetch(`${server.url}/page/0`);
  } catch {
    refused = true;
  }
  assert_(refused, "the server still answered after close");
});

Deno.test("jitterFor() is deterministic, bounded, and spread", () => {
  const values = Array.from({ length: 200 }, (_, i) => jitterFor(i, 10));
  assertEquals(values, Array.from({ length: 200 }, (_, i) => jitterFor(i, 10)));
  assert_(values.every((v) => v >= -10 && v <= 10));
  assert_(new Set(values).size > 10);
  assertEquals(jitterFor(5, 0), 0);
});

Deno.test("server: a port in use fails with one line, and nothing is left running", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  try {
    let message = "";
    try {
      await startServer({ latencyMs: 0, jitterMs: 0, pageKb: 1 }, port);
    } catch (err) {
      message = (err as Error).message;
    }
    assertMatch(message, /^the local server could not start: .*in use/);
    assertEquals(trackedCount(), 0);
    const out = await runMain(["serve", "--port", String(port)]);
    assertEquals(out.code, 2);
    assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
    assertMatch(
      out.stderr,
      new RegExp(`^conc101: --port ${port}: 127\\.0\\.0\\.1:${port} is taken`),
    );
  } finally {
    taken.close();
  }
});

Deno.test("server: /status serves 2xx-5xx (204 and 304 without a body) and refuses others with 400", async () => {
  const server = await startServer({ latencyMs: 0, jitterMs: 0, pageKb: 1 });
  try {
    const cases: [string, number][] = [
      ["100", 400],
      ["101", 400],
      ["199", 400],
      ["204", 204],
      ["205", 205],
      ["304", 304],
      ["999", 400],
      ["600", 400],
      ["0", 400],
      ["503", 503],
    ];
    for (const [code, want] of cases) {
      const { response, body } = await download(`${server.url}/status/${code}`);
      assertEquals(response.status, want, `/status/${code}`);
      if (want === 204 || want === 304) assertEquals(body.length, 0);
    }
  } finally {
    await server.close();
  }
});

Deno.test("server: a 64 MB page is streamed in pieces of at most 64 KB, whatever its size", async () => {
  const handler = createHandler({ latencyMs: 0, jitterMs: 0, pageKb: 65_536 });
  const response = await handler(new Request("http://127.0.0.1/page/0"));
  let total = 0;
  let largest = 0;
  for await (const chunk of response.body!) {
    total += chunk.byteLength;
    largest = Math.max(largest, chunk.byteLength);
  }
  assertEquals(total, 65_536 * 1024);
  assert_(largest <= PIECE_BYTES, `a piece of ${largest} bytes`);
});
