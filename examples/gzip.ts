/**
 * A mixed job: each task generates a text (CPU), gzips it with the web-standard
 * CompressionStream (native code, fed and drained through promises) and reports the sizes.
 * Whether threads, processes or the event loop win is not obvious: try it.
 */
import { defineWorkload } from "../workload.ts";

interface Job {
  readonly seed: number;
  readonly kb: number;
}

/** A seeded, repetitive text: compresses well, and the same in every isolate. */
function text(seed: number, kb: number): Uint8Array<ArrayBuffer> {
  const words = ["lane", "task", "worker", "child", "event", "loop", "core", "queue"];
  let x = seed || 1;
  const parts: string[] = [];
  let length = 0;
  while (length <= kb * 1024) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const word = words[(x >>> 0) % words.length];
    parts.push(word);
    length += word.length + 1;
  }
  return new TextEncoder().encode(parts.join(" ").slice(0, kb * 1024));
}

async function gzipLength(
  bytes: Uint8Array<ArrayBuffer>,
  ctx: { checkpoint(): unknown },
): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    await ctx.checkpoint();
  }
  return total;
}

export default defineWorkload({
  name: "gzip",
  // --size: KB of text a task (default 2,048); --tasks: tasks (default 16).
  tasks: ({ tasks = 16, size = 2048 }) =>
    Array.from({ length: tasks }, (_, i): Job => ({ seed: i + 1, kb: size })),
  async run({ seed, kb }: Job, ctx) {
    const bytes = text(seed, kb);
    ctx.progress(1, 2);
    await ctx.checkpoint();
    const gzipped = await gzipLength(bytes, ctx);
    ctx.progress(2, 2);
    return { bytes: bytes.length, gzipped };
  },
  verify: ({ kb }: Job, r: { bytes: number; gzipped: number }) =>
    r.bytes === kb * 1024 && r.gzipped > 0 && r.gzipped < r.bytes,
  describe: ({ seed, kb }: Job) => `#${seed} ${kb} KB`,
});
