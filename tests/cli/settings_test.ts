import { assertEquals } from "../assert.ts";
import { LIMITS } from "../../lib/cli/limits.ts";
import { defaultPoolLanes, lanesFor } from "../../lib/cli/settings.ts";

/** Runs `fn` while the runtime reports `cores` cores. */
function withCores(cores: number, fn: () => void): void {
  const own = Object.getOwnPropertyDescriptor(navigator, "hardwareConcurrency");
  Object.defineProperty(navigator, "hardwareConcurrency", { value: cores, configurable: true });
  try {
    fn();
  } finally {
    if (own) Object.defineProperty(navigator, "hardwareConcurrency", own);
    else delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

Deno.test("pools default to one lane per core, capped at the limit on a 96-core machine", () => {
  withCores(96, () => {
    assertEquals(defaultPoolLanes(), LIMITS.poolLanes.max);
    assertEquals(lanesFor("workers", undefined, 20), 64);
    assertEquals(lanesFor("subprocess", undefined, 20), 64);
  });
  withCores(8, () => assertEquals(lanesFor("workers", undefined, 20), 8));
});
