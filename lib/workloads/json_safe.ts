/** Checks that a value crosses to workers, children, exports and back unchanged as JSON. */

/**
 * Why `value` would not survive `JSON.stringify` and `JSON.parse` unchanged, naming where
 * inside it (`result.items[2]`), or undefined when it would.
 */
export function jsonProblem(value: unknown, where: string, depth = 0): string | undefined {
  if (depth > 64) return `${where} is nested more than 64 levels deep`;
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") {
    return Number.isFinite(value) ? undefined : `${where} is ${value}, which JSON turns into null`;
  }
  if (typeof value === "bigint") return `${where} is a bigint (send it as a string)`;
  if (typeof value !== "object") return `${where} is ${describeType(value)}, which JSON drops`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return `${where}[${i}] is a hole, which JSON turns into null`;
      const problem = jsonProblem(value[i], `${where}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const kind = (value as object).constructor?.name ?? "an object with a prototype";
    return `${where} is a ${kind}, not a plain object`;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const problem = jsonProblem(item, `${where}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function describeType(value: unknown): string {
  return value === undefined ? "undefined" : `a ${typeof value}`;
}
