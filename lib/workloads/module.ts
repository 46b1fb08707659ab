/**
 * A user's workload module (`--workload ./mine.ts`), checked and turned into a {@link Workload}.
 * The main thread loads it once with every check; workers and children import the same URL
 * and take it as it is, since the main thread has checked it already.
 */
import { abortable } from "../process/concurrency.ts";
import { dirname, resolve } from "node:path";
import { missingGrant, UsageError } from "../cli/errors.ts";
import { requireGrant } from "../cli/grants.ts";
import { LIMITS } from "../cli/limits.ts";
import { errorMessage } from "../process/safe_text.ts";
import { safeText } from "../process/safe_text.ts";
import type { Json, WorkloadModule, WorkloadPermissions } from "../../workload.ts";
import { jsonProblem } from "./json_safe.ts";
import type { TaskContext, Workload, WorkloadOptions } from "./types.ts";

/** The public module a user's module imports; workers and children may read it too. */
export const PUBLIC_MODULE = new URL("../../workload.ts", import.meta.url);

/** What the lanes of a module's run are granted besides the run's hosts. */
export interface LaneGrants {
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly net: readonly string[];
  readonly env: readonly string[];
}

/** A workload loaded from a user's module. */
export interface ModuleWorkload extends Workload<Json, Json> {
  /** The module's `file:` URL: workers and children import it. */
  readonly module: string;
  readonly grants: LaneGrants;
}

/** True for a `--workload` value that names a module rather than a built-in workload. */
export function isModuleSpec(value: string): boolean {
  return /^file:/i.test(value) || /\.(ts|js)$/i.test(value);
}

/** The module's path on this machine. */
function modulePath(spec: string): string {
  if (!/^file:/i.test(spec)) return resolve(spec);
  try {
    return decodeURIComponent(new URL(spec).pathname);
  } catch {
    throw new UsageError(`--workload ${safeText(spec)}: not a valid file: URL`);
  }
}

const PERMISSION_KINDS = ["read", "write", "net", "env"] as const;

/** The module's shape, checked: each mistake is one line naming what is wrong. */
function checkShape(value: unknown, shown: string): WorkloadModule {
  const bad = (what: string) => new UsageError(`--workload ${shown}: ${what}`);
  if (value === undefined) {
    throw bad("no default export (export default defineWorkload({ name, tasks, run }))");
  }
  if (typeof value !== "object" || value === null) {
    throw bad("the default export must be an object with name, tasks and run");
  }
  const m = value as Record<string, unknown>;
  if (typeof m.name !== "string" || m.name.trim() === "" || m.name.length > 40) {
    throw bad("name must be a string of 1 to 40 characters");
  }
  for (const fn of ["tasks", "run"]) {
    if (typeof m[fn] !== "function") throw bad(`the default export has no ${fn}() function`);
  }
  for (const fn of ["verify", "describe"]) {
    if (m[fn] !== undefined && typeof m[fn] !== "function") {
      throw bad(`${fn} must be a function when given`);
    }
  }
  if (m.kind !== undefined && m.kind !== "cpu" && m.kind !== "io") {
    throw bad(`kind must be "cpu" or "io", got ${safeText(String(m.kind))}`);
  }
  if (m.permissions !== undefined) {
    const p = m.permissions as Record<string, unknown>;
    if (typeof p !== "object" || p === null) throw bad("permissions must be an object");
    for (const key of Object.keys(p)) {
      if (!(PERMISSION_KINDS as readonly string[]).includes(key)) {
        throw bad(
          `permissions.${safeText(key)} is not allowed (allowed: ${PERMISSION_KINDS.join(", ")})`,
        );
      }
      const list = p[key];
      if (!Array.isArray(list) || list.some((x) => typeof x !== "string" || x === "")) {
        throw bad(`permissions.${key} must be a list of non-empty strings`);
      }
    }
  }
  return value as WorkloadModule;
}

/** The lanes' grants: the module's folder and the public module to read, and what it declares. */
function laneGrants(path: string, declared: WorkloadPermissions | undefined): LaneGrants {
  const folder = dirname(path);
  const inFolder = (p: string) => resolve(folder, p);
  return {
    read: [folder, PUBLIC_MODULE.pathname, ...(declared?.read ?? []).map(inFolder)],
    write: (declared?.write ?? []).map(inFolder),
    net: [...(declared?.net ?? [])],
    env: [...(declared?.env ?? [])],
  };
}

/** Asks for (or names the flag of) every resource the module declares. */
function requireDeclared(grants: LaneGrants, shown: string): void {
  const [, , ...read] = grants.read;
  const wanted: Deno.PermissionDescriptor[] = [
    ...read.map((path) => ({ name: "read", path }) as const),
    ...grants.write.map((path) => ({ name: "write", path }) as const),
    ...grants.net.map((host) => ({ name: "net", host }) as const),
    ...grants.env.map((variable) => ({ name: "env", variable }) as const),
  ];
  requireGrant(wanted, (missing) => {
    const flags = (["read", "write", "net", "env"] as const).map((name) => {
      const values = missing.filter((d) => d.name === name).map((d) =>
        "path" in d ? d.path : "host" in d ? d.host : "variable" in d ? d.variable : ""
      );
      return values.length > 0
        ? `--allow-${name}=${values.map((v) => safeText(String(v))).join(",")}`
        : "";
    }).filter((f) => f !== "").join(" ");
    return `--workload ${shown} declares permissions not granted: ${missingGrant(flags)}`;
  });
}

/** Each task's input, checked: an array of 1 to 10,000 values that survive JSON. */
function checkInputs(inputs: unknown, shown: string): Json[] {
  const bad = (what: string) => new UsageError(`--workload ${shown}: tasks() ${what}`);
  if (!Array.isArray(inputs)) {
    throw bad(`must return an array (or a promise of one), got ${typeOf(inputs)}`);
  }
  if (inputs.length === 0) throw bad("returned no tasks (allowed: 1 to 10,000)");
  if (inputs.length > LIMITS.tasks.max) {
    throw bad(
      `returned ${inputs.length.toLocaleString("en-US")} tasks (allowed: 1 to ${
        LIMITS.tasks.max.toLocaleString("en-US")
      })`,
    );
  }
  for (let i = 0; i < inputs.length; i++) {
    const problem = jsonProblem(inputs[i], `the input of task ${i}`);
    if (problem) throw bad(`returned an input that does not survive JSON: ${problem}`);
  }
  return inputs;
}

function typeOf(value: unknown): string {
  return value === null ? "null" : typeof value === "object" ? "an object" : typeof value;
}

/** Adapts a checked module; `inputs` are its tasks (the main thread's only). */
function adapt(
  mod: WorkloadModule,
  url: string,
  grants: LaneGrants,
  inputs: readonly Json[],
): ModuleWorkload {
  const describe = (input: Json) => {
    try {
      const label = mod.describe ? String(mod.describe(input)) : JSON.stringify(input);
      return safeText(label, 40);
    } catch (err) {
      return `(describe failed: ${errorMessage(err)})`;
    }
  };
  const summary = `${inputs.length} tasks from ${safeText(url.replace(/^.*\//, ""))}`;
  return {
    name: mod.name,
    module: url,
    grants,
    bound: mod.kind ?? "cpu",
    localOnly: true,
    // `--size` is the module's to read; `--tasks` is every workload's.
    flags: [{ flag: "-s, --size <n>", option: "size", help: "passed to the module's tasks()" }],
    taskCount: () => inputs.length,
    preview: () => ({ summary, labels: inputs.map(describe) }),
    prepare: () =>
      Promise.resolve({
        tasks: inputs.map((input, id) => ({ id, input })),
        netHosts: [],
        summary,
        close: () => Promise.resolve(),
      }),
    async run(input: Json, ctx: TaskContext) {
      let result: Json;
      try {
        // A task that awaits forever and ignores its signal still ends when the signal aborts
        // (on the main thread nothing else could end it; it cannot be killed there).
        result = await abortable(
          mod.run(input, {
            signal: ctx.signal,
            progress: ctx.progress,
            checkpoint: ctx.checkpoint,
          }),
          ctx.signal,
        );
      } catch (err) {
        throw undeclared(err) ?? err;
      }
      const problem = jsonProblem(result, "its result");
      if (problem) {
        throw new Error(`run() returned a result that does not survive JSON: ${problem}`);
      }
      return result;
    },
    verify(input: Json, result: Json) {
      if (!mod.verify) return true;
      try {
        return mod.verify(input, result) === true;
      } catch {
        return false;
      }
    },
    describe,
  };
}

/**
 * A task's use of a permission its module did not declare, as an error naming the
 * declaration to add (`permissions: { read: ["/etc/hosts"] }`); undefined for other errors.
 */
export function undeclared(err: unknown): Error | undefined {
  if (!(err instanceof Deno.errors.NotCapable) && !(err instanceof Deno.errors.PermissionDenied)) {
    return undefined;
  }
  const found = errorMessage(err).match(/Requires (\w+) access to "?([^",]+?)"?(,|$)/);
  if (!found || !(PERMISSION_KINDS as readonly string[]).includes(found[1])) {
    return new Error(`${errorMessage(err)} (a module may use only what its permissions declare)`);
  }
  return new Error(
    `${found[1]} access to ${found[2]} was not declared: add permissions: { ${found[1]}: ` +
      `[${JSON.stringify(found[2])}] } to the module`,
  );
}

/** Imports the module at `url` and returns its default export, unchecked. */
async function importDefault(url: string): Promise<unknown> {
  const loaded = await import(url);
  return loaded.default;
}

/**
 * Loads `spec` on the main thread, before anything starts: granted or asked for, type-checked,
 * its shape, declared permissions and task inputs checked. Each failure is one line (exit 2).
 */
export async function loadModuleWorkload(
  spec: string,
  options: WorkloadOptions,
  typeCheck: (path: string) => Promise<void>,
): Promise<ModuleWorkload> {
  const shown = safeText(spec);
  if (Deno.build.standalone) {
    throw new UsageError(
      `--workload ${shown}: a compiled binary cannot import files that were not embedded at ` +
        `compile time; run the script instead (deno task cli … --workload ${shown})`,
    );
  }
  const path = modulePath(spec);
  const folder = dirname(path);
  requireGrant(
    [{ name: "read", path: folder }],
    `--workload ${shown}: reading its folder is not granted: ${
      missingGrant(`--allow-read=${safeText(folder)}`)
    }`,
  );
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new UsageError(`--workload ${shown}: no such file (allowed: a .ts or .js module)`);
    }
    throw new UsageError(`--workload ${shown}: cannot be read: ${errorMessage(err)}`);
  }
  if (!info.isFile) {
    throw new UsageError(`--workload ${shown}: not a file (allowed: a .ts or .js module)`);
  }
  try {
    Deno.openSync(path, { read: true }).close();
  } catch (err) {
    throw new UsageError(`--workload ${shown}: cannot be read: ${errorMessage(err)}`);
  }
  await typeCheck(path);
  const url = new URL(`file://${path}`).href;
  let exported: unknown;
  try {
    exported = await importDefault(url);
  } catch (err) {
    throw new UsageError(`--workload ${shown}: cannot be loaded: ${errorMessage(err)}`);
  }
  const mod = checkShape(exported, shown);
  const grants = laneGrants(path, mod.permissions);
  requireDeclared(grants, shown);
  let inputs: unknown;
  try {
    inputs = await mod.tasks({ tasks: options.tasks, size: options.size });
  } catch (err) {
    throw new UsageError(`--workload ${shown}: tasks() failed: ${errorMessage(err)}`);
  }
  return adapt(mod, url, grants, checkInputs(inputs, shown));
}

const inLane = new Map<string, Promise<Workload>>();

/**
 * The module's workload inside a worker or child: imported once per isolate (so its module
 * state exists once per worker and once per child), without the main thread's checks.
 */
export function laneModuleWorkload(url: string): Promise<Workload> {
  let loaded = inLane.get(url);
  if (!loaded) {
    loaded = importDefault(url).then((exported) => {
      const mod = exported as WorkloadModule;
      if (typeof mod?.run !== "function") throw new Error(`${url} has no run() to call here`);
      return adapt(mod, url, laneGrants(new URL(url).pathname, mod.permissions), []) as Workload;
    });
    inLane.set(url, loaded);
  }
  return loaded;
}

/** The module a workload comes from, if it is a user's. */
export function moduleUrl(workload: Workload): string | undefined {
  return (workload as Partial<ModuleWorkload>).module;
}

/** What the lanes of `workload` are granted besides the run's hosts, if it is a user's module. */
export function moduleGrants(workload: Workload): LaneGrants | undefined {
  return (workload as Partial<ModuleWorkload>).grants;
}
