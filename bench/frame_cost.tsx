/**
 * What one dashboard frame costs the main thread: the whole view rendered and laid out by
 * Ink (through ink-testing-library, so no terminal is needed) after a workers run of 20 tasks,
 * bars, timeline and results on screen, timed from the render call to the frame's text. No
 * run is under way while it is timed, so other threads do not slow what is measured.
 */
import { render } from "ink-testing-library";
import { median } from "../lib/report/stats.ts";
import { Dashboard } from "../lib/ui/app.tsx";
import { themeFor } from "../lib/ui/theme.ts";

/** Milliseconds per frame, one sample per rerender of the whole dashboard. */
export async function frameCostMs(
  samples: number,
  size: number,
): Promise<{ medianMs: number; samplesMs: number[] }> {
  const element = (tick: number) => (
    <Dashboard
      key="dashboard"
      initial={{ mode: "workers", workload: "cpu", tutorial: false, help: false }}
      options={{ workload: "cpu", tasks: 20, size, taskTimeoutMs: tick * 0 }}
      theme={themeFor(true)}
      terminalSize={{ columns: 110, rows: 32 }}
    />
  );
  const app = render(element(0));
  const frame = () => app.lastFrame() ?? "";
  const wait = async (pattern: RegExp) => {
    for (let i = 0; i < 400 && !pattern.test(frame()); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  try {
    app.stdin.write("\r");
    await wait(/done: workers/);
    const samplesMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      // A new options object each time, as a frame tick brings new figures: a full render.
      const t0 = performance.now();
      app.rerender(element(i + 1));
      frame();
      samplesMs.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { medianMs: median(samplesMs), samplesMs };
  } finally {
    app.unmount();
  }
}
