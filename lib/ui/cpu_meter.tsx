import { memo } from "react";
import { Text } from "ink";
import { paint, type Theme } from "./theme.ts";
import { bar } from "./view_model.ts";

export interface CpuMeterProps {
  readonly loads: readonly number[];
  readonly width: number;
  readonly theme: Theme;
}

/** One small bar per core, as busy as the OS says it is: one line. */
export const CpuMeter = memo(function CpuMeter({ loads, width, theme }: CpuMeterProps) {
  if (loads.length === 0) {
    return <Text color={theme.muted} wrap="truncate">cpu (no per-core data)</Text>;
  }
  const per = Math.max(4, Math.min(12, Math.floor((width - 5) / loads.length) - 10));
  const cores = loads.map((load, i) =>
    `${paint(theme.muted, `  ${i} `)}${
      paint(load > 0.75 ? theme.bad : load > 0.35 ? theme.warn : theme.ok, bar(load, per))
    }${`${Math.round(load * 100)}%`.padStart(5)}`
  );
  return <Text wrap="truncate">{paint(theme.muted, "cpu") + cores.join("")}</Text>;
});
