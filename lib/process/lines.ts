/** Splits a byte stream into text lines; the last line needs no newline. */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffered = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    buffered += text;
    // Lines are cut from the text as it came; the rest is copied once a chunk, not once a line.
    let start = 0;
    let newline;
    while ((newline = buffered.indexOf("\n", start)) >= 0) {
      yield buffered.slice(start, newline);
      start = newline + 1;
    }
    buffered = buffered.slice(start);
  }
  if (buffered !== "") yield buffered;
}
