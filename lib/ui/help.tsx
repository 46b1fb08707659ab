import { memo } from "react";
import { Box, Text } from "ink";
import { BINDINGS } from "./keys.ts";
import type { Theme } from "./theme.ts";

const MODES_EXPLAINED = [
  ["sequential", "one task after another on the main thread: the baseline."],
  ["async", "all tasks take turns on the main thread, switching only where they await;"],
  ["", "waits overlap, computation does not: one core."],
  ["workers", "a pool of Web Workers, each an isolate on its own OS thread: all cores."],
  ["subprocess", "a pool of child processes of this program: all cores, more start-up."],
  ["cluster", "a queue in Redis and conc101 workers on any machine: a hop per task."],
  ["", "I/O-bound work (w) gains from async; CPU-bound work only from workers/subprocess."],
];

/** The help panel: what each mode is and what each key does. */
export function Help({ theme, rows }: { readonly theme: Theme; readonly rows: number }) {
  const lines = [
    ...MODES_EXPLAINED.map(([name, text]) => ({ key: name, text })),
    ...BINDINGS.map((b) => ({ key: b.label, text: b.help })),
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
      {BINDINGS.map((b) => `${b.label} ${b.short}`).join(" · ")}
    </Text>
  );
});
