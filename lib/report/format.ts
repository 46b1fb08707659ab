/** Number formatting shared by the terminal reports and the dashboard. */

/** `850 ms`, `1.23 s`, `2 m 05 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, "0")} s`;
}

/** `1.85x`. */
export function formatRatio(x: number): string {
  return `${x.toFixed(2)}x`;
}

/** Pads each column to its widest cell; the first row is the header. */
export function table(
  rows: readonly (readonly string[])[],
  rightAlign: readonly boolean[] = [],
): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ").trimEnd();
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)]
    .join("\n");
}

const WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** `four`: small counts in words, as prose says them; larger ones in digits. */
export function inWords(n: number): string {
  return WORDS[n] ?? String(n);
}

/** `lost 1,234 (3.08 %)`: a workload's figure of a run. */
export function formatFigure(f: { name: string; value: number; percent?: number }): string {
  return `${f.name} ${f.value.toLocaleString("en-US")}${
    f.percent === undefined ? "" : ` (${f.percent.toFixed(2)} %)`
  }`;
}
