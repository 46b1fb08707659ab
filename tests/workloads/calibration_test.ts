import { assertEquals } from "../assert.ts";
import {
  type Calibration,
  calibrationNote,
  pendingResizeNote,
  recheckCalibration,
} from "../../lib/workloads/calibration.ts";

const limits = { min: 1, max: 2_000_000_000 };
const planned: Calibration = { size: 100_000_000, tasks: 20, targetMs: 6000, predictedMs: 6100 };

Deno.test("recheckCalibration() keeps the size when the run is within 25 % of the target", () => {
  for (const measuredMs of [4500, 6000, 7500]) {
    assertEquals(recheckCalibration(planned, measuredMs, limits), { ...planned, checked: true });
  }
});

Deno.test("recheckCalibration() scales the size by target over measured beyond 25 %", () => {
  // 4.0 s for 6 s: a third too fast, so 1.5 times the size.
  assertEquals(recheckCalibration(planned, 4000, limits), {
    size: 150_000_000,
    tasks: 20,
    targetMs: 6000,
    predictedMs: 6000,
    checked: true,
    resizedFrom: { size: 100_000_000, measuredMs: 4000 },
  });
  // 12 s: twice too slow, half the size.
  assertEquals(recheckCalibration(planned, 12_000, limits).size, 50_000_000);
});

Deno.test("recheckCalibration() rounds to three digits and stays within the workload's limits", () => {
  assertEquals(recheckCalibration(planned, 3700, limits).size, 162_000_000);
  const big = { ...planned, size: 1_500_000_000 };
  const clamped = recheckCalibration(big, 1000, limits);
  assertEquals(clamped.size, 2_000_000_000);
  // What the clamped size should take, at the measured speed.
  assertEquals(clamped.predictedMs, 1000 * 2_000_000_000 / 1_500_000_000);
  assertEquals(recheckCalibration({ ...planned, size: 3 }, 60_000, limits).size, 1);
});

Deno.test("recheckCalibration() checks once: a checked calibration stays as it is", () => {
  const checked = recheckCalibration(planned, 4000, limits);
  assertEquals(recheckCalibration(checked, 1000, limits), checked);
  const kept = recheckCalibration(planned, 6000, limits);
  assertEquals(recheckCalibration(kept, 1000, limits), kept);
});

Deno.test("recheckCalibration() leaves the size when nothing was measured", () => {
  assertEquals(recheckCalibration(planned, 0, limits), { ...planned, checked: true });
});

Deno.test("calibrationNote() says the prediction, then the real figure, then any re-size", () => {
  assertEquals(calibrationNote(planned), "auto: ~6.1 s sequential predicted");
  assertEquals(
    calibrationNote(planned, 5840),
    "auto: sequential took 5.8 s, ~6.1 s sequential predicted",
  );
  assertEquals(
    calibrationNote(planned, 850),
    "auto: sequential took 850 ms, ~6.1 s sequential predicted",
  );
  const resized = recheckCalibration(planned, 4000, limits);
  assertEquals(
    calibrationNote(resized, 6020),
    "auto: sequential took 6.0 s, ~6.0 s sequential predicted, re-sized from 100,000,000, " +
      "where sequential took 4.0 s",
  );
  assertEquals(
    pendingResizeNote(resized),
    "auto: sequential took 4.0 s, ~6.0 s was the target: the next run is re-sized to " +
      "150,000,000 (~6.0 s)",
  );
});
