import { assertEquals } from "../assert.ts";
import { readLines } from "../../lib/process/lines.ts";

/** The lines of `chunks`, fed as a byte stream one chunk at a time. */
async function linesOf(chunks: string[]): Promise<string[]> {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  const lines: string[] = [];
  for await (const line of readLines(stream)) lines.push(line);
  return lines;
}

Deno.test("readLines() cuts many lines from one chunk and joins a line split across chunks", async () => {
  assertEquals(await linesOf(["a\nb\n\nc", "d\ne", "\n", "f"]), ["a", "b", "", "cd", "e", "f"]);
  assertEquals(await linesOf(["x\n"]), ["x"]);
  assertEquals(await linesOf([]), []);
  // A character split between chunks comes out whole.
  const bytes = new TextEncoder().encode("é\n");
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, 1));
      controller.enqueue(bytes.slice(1));
      controller.close();
    },
  });
  const lines: string[] = [];
  for await (const line of readLines(stream)) lines.push(line);
  assertEquals(lines, ["é"]);
});
