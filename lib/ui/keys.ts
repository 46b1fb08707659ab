/** Key bindings as data: the dashboard, its footer and its help panel all read this table. */
import { defaultModeNames, modeNames } from "../modes/mod.ts";
import { inWords } from "../report/format.ts";
import { coreCount } from "../cli/settings.ts";
import { LIMITS } from "../cli/limits.ts";
import { workloadNames } from "../workloads/registry.ts";

export type Action =
  | { readonly type: "select-mode"; readonly index: number }
  | { readonly type: "next-mode" }
  | { readonly type: "prev-mode" }
  | { readonly type: "toggle-workload" }
  | { readonly type: "toggle-tutorial" }
  | { readonly type: "run" }
  | { readonly type: "run-all" }
  | { readonly type: "sweep" }
  | { readonly type: "lanes"; readonly delta: 1 | -1 }
  | { readonly type: "cancel" }
  | { readonly type: "help" }
  /** `interrupted`: Ctrl-C rather than `q`; the exit code says which. */
  | { readonly type: "quit"; readonly interrupted: boolean };

/** The parts of Ink's key object we read. */
export interface KeyInfo {
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly tab?: boolean;
  readonly shift?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
}

export interface Binding {
  /** How the key is shown in the footer and help. */
  readonly label: string;
  /** One word for the footer. */
  readonly short: string;
  readonly help: string;
  readonly matches: (input: string, key: KeyInfo) => boolean;
  readonly action: (input: string, key: KeyInfo) => Action;
}

/** The key bindings, with one number key a registered mode (up to nine). */
export function bindings(): readonly Binding[] {
  const count = Math.min(9, modeNames().length);
  const names = workloadNames();
  return [
    {
      label: `1-${count}`,
      short: "mode",
      help: "select a mode",
      matches: (i) => /^[1-9]$/.test(i) && Number(i) <= count,
      action: (i) => ({ type: "select-mode", index: Number(i) - 1 }),
    },
    {
      label: "←/→ Tab",
      short: "prev/next",
      help: "previous / next mode",
      matches: (_, k) => !!(k.leftArrow || k.rightArrow || k.tab),
      action: (_, k) => ({ type: k.leftArrow || (k.tab && k.shift) ? "prev-mode" : "next-mode" }),
    },
    {
      label: "Enter r",
      short: "run",
      help: "run the selected mode",
      matches: (i, k) => !!k.return || i === "r",
      action: () => ({ type: "run" }),
    },
    {
      label: "a",
      short: "all",
      // The local modes: cluster needs Redis, so it runs on its own key only.
      help: `run all ${inWords(defaultModeNames().length)} modes in turn`,
      matches: (i) => i === "a",
      action: () => ({ type: "run-all" }),
    },
    {
      label: "w",
      short: "workload",
      help: `switch workload: ${names.join(" / ")}`,
      matches: (i) => i === "w",
      action: () => ({ type: "toggle-workload" }),
    },
    {
      label: "t",
      short: "tutorial",
      help: "toggle the tutorial's exact 20 tasks / calibrated tasks",
      matches: (i) => i === "t",
      action: () => ({ type: "toggle-tutorial" }),
    },
    {
      label: "+/-",
      short: "lanes",
      help: "more / fewer lanes",
      matches: (i) => i === "+" || i === "=" || i === "-",
      action: (i) => ({ type: "lanes", delta: i === "-" ? -1 : 1 }),
    },
    {
      label: "s",
      short: "sweep",
      help: `sweep lanes: every mode with lanes at ${
        sweepCounts(coreCount()).join(", ")
      }, then speedup against lanes`,
      matches: (i) => i === "s",
      action: () => ({ type: "sweep" }),
    },
    {
      label: "Esc c",
      short: "cancel",
      help: "cancel the run",
      // Plain "c" only: Ctrl-C quits.
      matches: (i, k) => !!k.escape || (i === "c" && !k.ctrl),
      action: () => ({ type: "cancel" }),
    },
    {
      label: "?",
      short: "help",
      help: "help",
      matches: (i) => i === "?",
      action: () => ({ type: "help" }),
    },
    {
      label: "q",
      short: "quit",
      help: "quit",
      matches: (i, k) => i === "q" || (!!k.ctrl && i === "c"),
      action: (i) => ({ type: "quit", interrupted: i !== "q" }),
    },
  ];
}

/** The action a key press asks for, if any. */
export function actionFor(
  input: string,
  key: KeyInfo,
  table: readonly Binding[] = bindings(),
): Action | undefined {
  return table.find((b) => b.matches(input, key))?.action(input, key);
}

/** The key a single character of a multi-key read stands for. */
function keyOf(char: string): [string, KeyInfo] {
  if (char === "\r" || char === "\n") return ["", { return: true }];
  if (char === "\t") return ["", { tab: true }];
  if (char === "\x1b") return ["", { escape: true }];
  if (char === "\x03") return ["c", { ctrl: true }];
  return [char, {}];
}

/**
 * The actions of one read of the terminal, in order. Keys typed fast, over a slow link or
 * pasted arrive together (`3` and Enter as "3\r"), and Ink passes such a read on whole
 * (it splits escape sequences and Ctrl-C, not Enter or text).
 */
export function actionsFor(input: string, key: KeyInfo): Action[] {
  const chars = [...input];
  // A lone "\n" is Enter typed before raw mode was on (the terminal turned "\r" into it),
  // which Ink passes on as text.
  const keys = chars.length > 1 || input === "\n" ? chars.map(keyOf) : [[input, key] as const];
  // One table a read: it is built from the registries, which a loaded module may extend.
  const table = bindings();
  return keys.flatMap(([i, k]) => actionFor(i, k, table) ?? []);
}

/**
 * The dashboard's sweep: 1, 2, 4, … up to twice the cores, so the chart shows the knee, and
 * within a pool's lane limit.
 */
export function sweepCounts(cores: number): number[] {
  const counts = [1];
  while (counts.at(-1)! < 2 * cores && counts.at(-1)! * 2 <= LIMITS.poolLanes.max) {
    counts.push(counts.at(-1)! * 2);
  }
  return counts;
}
