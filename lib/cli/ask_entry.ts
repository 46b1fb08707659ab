/**
 * Started without any grant and without `--no-prompt`, only to show Deno's own permission
 * prompt for the resources given as JSON: exits 0 when every one was allowed, 1 otherwise.
 * It imports nothing and touches nothing else, so nothing but these resources can prompt.
 */
if (import.meta.main) {
  let wanted: Deno.PermissionDescriptor[] = [];
  try {
    wanted = JSON.parse(Deno.args[0] ?? "[]");
  } catch { /* nothing to ask */ }
  let allowed = wanted.length > 0;
  for (const descriptor of wanted) {
    if ((await Deno.permissions.request(descriptor)).state !== "granted") {
      allowed = false;
      break;
    }
  }
  Deno.exit(allowed ? 0 : 1);
}
