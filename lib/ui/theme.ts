import chalk from "chalk";

/** Semantic colours, in one place; with colour off every token is undefined. */
export interface Theme {
  readonly accent?: string;
  readonly muted?: string;
  readonly ok?: string;
  readonly bad?: string;
  readonly warn?: string;
  readonly running?: string;
  readonly barDone?: string;
  readonly barAlt?: string;
}

const COLOR: Theme = {
  accent: "cyan",
  muted: "gray",
  ok: "green",
  bad: "red",
  warn: "yellow",
  running: "blue",
  barDone: "green",
  barAlt: "magenta",
};

/** The theme for a terminal with or without colour. */
export function themeFor(color: boolean): Theme {
  return color ? COLOR : {};
}

/** Colour is off when `NO_COLOR` is set to anything non-empty, or `--no-color` was given. */
export function colorWanted(noColorFlag: boolean, noColorEnv: string | undefined): boolean {
  return !noColorFlag && (noColorEnv === undefined || noColorEnv === "");
}

/**
 * `text` in `color` as an ANSI string (unchanged when the colour is undefined). Rows built as
 * one string are one Ink node instead of several: layout is most of a frame's cost.
 */
export function paint(
  color: string | undefined,
  text: string,
  modifiers: readonly ("bold" | "inverse")[] = [],
): string {
  if (text === "" || (color === undefined && modifiers.length === 0)) return text;
  // deno-lint-ignore no-explicit-any
  let style: any = chalk;
  for (const m of modifiers) style = style[m];
  if (color !== undefined && style[color]) style = style[color];
  return style(text);
}
