/**
 * The main-thread modes stop at once at any size and task count: cancel keys, quit keys and
 * signals under the dashboard, and signals headless. Tasks here run for many seconds, so a
 * stop that waits for the work cannot pass.
 */
import { assert_, assertEquals } from "../assert.ts";
import { mainCommand } from "../helpers.ts";
import { E2E, TmuxDashboard } from "./tmux_driver.ts";

/** Stop guarantee: from the key or signal to the program's exit. */
const STOP_MS = 1000;

/** Twenty tasks of n = 600,000,000, and a thousand small ones. */
const LOADS = [["--size", "600000000"], ["--tasks", "1000", "--size", "20000000"]];

for (const mode of ["sequential", "async"]) {
  for (const load of LOADS) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.test(`${signal} stops a headless ${mode} run of ${load.join(" ")} within 1 s`, async () => {
        const child = mainCommand(["run", "--mode", mode, ...load, "--json"]).spawn();
        await new Promise((r) => setTimeout(r, 1500));
        const t0 = performance.now();
        child.kill(signal);
        const out = await child.output();
        const took = performance.now() - t0;
        assertEquals(out.code, 130, new TextDecoder().decode(out.stderr));
        assert_(took < STOP_MS, `took ${took.toFixed(0)} ms`);
        assertEquals(JSON.parse(new TextDecoder().decode(out.stdout)).status, "cancelled");
      });
    }
  }
}

for (const mode of ["sequential", "async"]) {
  for (const load of LOADS) {
    const args = ["--mode", mode, ...load];
    Deno.test(
      `e2e: Esc and c cancel a ${mode} run of ${load.join(" ")} within 1 s`,
      E2E,
      async () => {
        const d = new TmuxDashboard();
        try {
          await d.start(args);
          for (const key of ["Escape", "c"]) {
            await d.until(/idle|done|cancelled/);
            await d.keys("Enter");
            await d.until(new RegExp(`running ${mode}`));
            await new Promise((r) => setTimeout(r, 1000));
            const t0 = performance.now();
            await d.keys(key);
            await d.until(new RegExp(`cancelled: ${mode}`), 5000);
            const took = performance.now() - t0;
            assert_(took < STOP_MS, `${key} took ${took.toFixed(0)} ms`);
          }
          await d.keys("q");
          await d.until(/EXITED:0\s+icanon/, 5000);
        } finally {
          await d.close();
        }
      },
    );

    for (const stop of ["q", "C-c", "SIGTERM"]) {
      const code = stop === "q" ? 0 : 130;
      Deno.test(
        `e2e: ${stop} quits a ${mode} run of ${load.join(" ")} within 1 s with code ${code}`,
        E2E,
        async () => {
          const d = new TmuxDashboard();
          try {
            await d.start(args);
            await d.until(/idle/);
            const { pid } = await d.dashboard();
            await d.keys("Enter");
            await d.until(new RegExp(`running ${mode}`));
            await new Promise((r) => setTimeout(r, 1000));
            const t0 = performance.now();
            // Deno.kill needs run permission for every pid; the test task may run `kill`.
            if (stop === "SIGTERM") {
              await new Deno.Command("kill", { args: ["-TERM", String(pid)] }).output();
            } else await d.keys(stop);
            await d.until(new RegExp(`EXITED:${code}\\s+icanon`), 5000);
            const took = performance.now() - t0;
            assert_(took < STOP_MS, `took ${took.toFixed(0)} ms`);
          } finally {
            await d.close();
          }
        },
      );
    }
  }
}

Deno.test("e2e: keys that arrive in one read are all handled, in order", E2E, async () => {
  const d = new TmuxDashboard();
  try {
    await d.start(["--tasks", "4", "--size", "3000000"]);
    await d.until(/idle/);
    await d.keys("3", "Enter");
    await d.until(/done: workers in .* · 4 verified/);
    await d.keys("4r");
    await d.until(/done: subprocess in .* · 4 verified/);
    await d.keys("q");
    await d.until(/EXITED:0\s+icanon/, 5000);
  } finally {
    await d.close();
  }
});
