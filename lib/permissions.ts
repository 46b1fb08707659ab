/** The permissions we hand to workers and children: network to the given hosts, nothing else. */

/** A worker's permissions (needs `--unstable-worker-options`, set in deno.json). */
export function workerPermissions(net: readonly string[]): Deno.PermissionOptionsObject {
  return {
    read: false,
    write: false,
    net: net.length > 0 ? [...net] : false,
    env: false,
    run: false,
    sys: false,
    ffi: false,
    import: false,
  };
}

/** A child's permission flags: none, or network access to `net` only. No `--allow-run`. */
export function childPermissions(net: readonly string[]): string[] {
  return net.length > 0 ? [`--allow-net=${net.join(",")}`] : [];
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

/** The flags the `cli` and `tui` tasks of deno.json grant, for a checkout at `root`. */
export function programPermissions(root: string, execPath: string): string[] {
  return [
    `--allow-read=${root}`,
    "--allow-sys=cpus",
    `--allow-env=${ENV_VARS.join(",")}`,
    "--ignore-env",
    `--allow-run=${execPath}`,
    "--allow-net=127.0.0.1",
  ];
}
