import { assert_, assertEquals, assertMatch } from "./assert.ts";
import { runMain } from "./helpers.ts";
import { trackedCount } from "../lib/cleanup.ts";
import { jitterFor } from "../lib/http_server.ts";
import { startServer } from "../lib/io_server.ts";

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
    assertMatch(out.stderr, /^conc101: the local server could not start: .*in use/);
  } finally {
    taken.close();
  }
});
