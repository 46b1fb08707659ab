import { memo } from "react";
import { Box, Text } from "ink";
import { modes } from "../modes/mod.ts";
import { bindings } from "./keys.ts";
import type { Theme } from "./theme.ts";

/** Each mode's own help lines, then what the kinds of work gain from. */
function modesExplained(): string[][] {
  const all = modes();
  const concurrent = all.filter((m) => !m.parallel && !m.baseline).map((m) => m.name);
  // What this machine alone gains from: the cluster spreads work over machines.
  const parallel = all.filter((m) => m.parallel && m.local).map((m) => m.name);
  return [
    ...all.flatMap((m) => m.help.map((line, i) => [i === 0 ? m.name : "", line])),
    [
      "",
      `I/O-bound work (w) gains from ${concurrent.join("/")}; CPU-bound work only from ${
        parallel.join("/")
      }.`,
    ],
  ];
}

/** The help panel: what each mode is and what each key does. */
export function Help({ theme, rows }: { readonly theme: Theme; readonly rows: number }) {
  const lines = [
    ...modesExplained().map(([name, text]) => ({ key: name, text })),
    ...bindings().map((b) => ({ key: b.label, text: b.help })),
  ].slice(0, Math.max(0, rows));
  return (
    <Box flexDirection="column" height={rows}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          <Text bold color={theme.accent}>{line.key.padEnd(12)}</Text>
          <Text>{line.text}</Text>
        </Text>
      ))}
    </Box>
  );
}

/** The key line at the bottom. */
export const Footer = memo(function Footer({ theme }: { readonly theme: Theme }) {
  return (
    <Text color={theme.muted} wrap="truncate">
      {bindings().map((b) => `${b.label} ${b.short}`).join(" · ")}
    </Text>
  );
});
