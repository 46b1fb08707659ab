/** The permissions we hand to workers and children: network to the given hosts, nothing else. */
import { UsageError } from "../cli/errors.ts";
import type { LaneGrants } from "../workloads/module.ts";

/** A worker's permissions (needs `--unstable-worker-options`, set in deno.json). */
export function workerPermissions(
  net: readonly string[],
  grants?: LaneGrants,
): Deno.PermissionOptionsObject {
  const list = (values: readonly string[] | undefined) =>
    values && values.length > 0 ? [...values] : false;
  const hosts = [...net, ...(grants?.net ?? [])];
  return {
    read: list(grants?.read),
    write: list(grants?.write),
    net: list(hosts),
    env: list(grants?.env),
    run: false,
    sys: false,
    ffi: false,
    import: false,
  };
}

/**
 * Longest `--allow-net=…` we put on a child's command line. Linux takes 128 KB in one
 * argument, Windows 32 K characters for the whole line; this leaves room for the rest.
 */
export const NET_FLAG_MAX = 16 * 1024;

/** `127.0.0.1` of `127.0.0.1:4507`, `[::1]` of `[::1]:80`. */
function hostname(host: string): string {
  return host.replace(/:\d+$/, "");
}

/**
 * A child's permission flags: none, or network access to `net` only. No `--allow-run`.
 * When `host:port` pairs would make the flag too long (thousands of ports), the hosts are
 * granted whole: still only those hosts, any port. Downloads check redirects against the
 * exact list themselves, so every mode follows the same ones.
 */
export function childPermissions(net: readonly string[], grants?: LaneGrants): string[] {
  const granted = grants
    ? (["read", "write", "env"] as const).filter((name) => grants[name].length > 0)
      .map((name) => `--allow-${name}=${grants[name].join(",")}`)
    : [];
  const hosts = [...net, ...(grants?.net ?? [])];
  if (hosts.length === 0) return granted;
  let list = [...new Set(hosts)];
  if (list.join(",").length > NET_FLAG_MAX) list = [...new Set(list.map(hostname))];
  const flag = `--allow-net=${list.join(",")}`;
  if (flag.length > NET_FLAG_MAX) {
    throw new UsageError(
      `subprocess mode: the ${list.length.toLocaleString("en-US")} hosts of these tasks ` +
        `do not fit on a child's command line (at most ${NET_FLAG_MAX / 1024} KB); ` +
        `use fewer hosts or another mode`,
    );
  }
  return [...granted, flag];
}

/** Everything a lane may hold and never needs: it downloads, or computes, and nothing else. */
const DROPPED = ["read", "write", "run", "env", "sys", "ffi"] as const;

/**
 * What a lane of a user's module keeps: exactly what its creator granted, which is the
 * module's folder and what the module declares (a module never runs in the binary, whose
 * children hold more).
 */
const MODULE_KEEPS: readonly string[] = ["read", "write", "env"];

/**
 * Called first thing in every worker and child: gives back every permission a lane does not
 * need, and the network too unless its tasks download (`keepModule`: a module's grants stay). A child of the script holds little to
 * give back; a child of the binary holds the binary's whole grant, and drops it here.
 */
export function dropPermissions(keepNet: boolean, keepModule = false): void {
  const dropped = keepModule ? DROPPED.filter((n) => !MODULE_KEEPS.includes(n)) : DROPPED;
  for (const name of [...dropped, ...(keepNet ? [] : ["net"] as const)]) {
    Deno.permissions.revokeSync({ name });
  }
}

/** Environment variables the program (and Ink, chalk, commander) may read; all else reads unset. */
export const ENV_VARS = [
  "NO_COLOR",
  "FORCE_COLOR",
  "CLICOLOR_FORCE",
  "TERM",
  "COLORTERM",
  "TERM_PROGRAM",
  "TMUX",
  "CI",
  "CONTINUOUS_INTEGRATION",
  "NODE_ENV",
];

/**
 * V8's young generation capped at 4 MB a half instead of 16, for the program and its workers:
 * tiny tasks allocate fast enough to grow it to the maximum in every isolate, and a compare
 * over 10,000 tasks peaked at 181 MB resident instead of 137, at no cost in time beyond the
 * noise of a shared machine (bench section 8 measures memory and time a task with it).
 */
export const V8_FLAGS = "--v8-flags=--max-semi-space-size=4";

/**
 * The flags the `cli` and `tui` tasks of deno.json grant, for a checkout at `root`, and the
 * runtime's own (see {@link V8_FLAGS}). With
 * `--no-prompt` a permission nobody granted fails at once: no hostile server can stop a run
 * at Deno's "Allow? [y/n/A]" (past every timeout, under the dashboard's raw mode).
 */
export function programPermissions(root: string, execPath: string): string[] {
  return [
    "--no-prompt",
    V8_FLAGS,
    `--allow-read=${root}`,
    "--allow-sys=cpus",
    `--allow-env=${ENV_VARS.join(",")}`,
    "--ignore-env",
    `--allow-run=${execPath},redis-server`,
    "--allow-net=127.0.0.1",
  ];
}
