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
