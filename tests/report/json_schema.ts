/**
 * A validator for the part of JSON Schema (2020-12) that schema/report.schema.json uses:
 * `type`, `enum`, `required`, `properties`, `additionalProperties: false`, `items`,
 * `minimum`, `oneOf` and local `$ref`s. Any other keyword is refused, so the schema cannot
 * come to rely on one that this file would silently skip.
 */

export type Schema = Record<string, unknown>;

/** Keywords that only annotate or hold definitions. */
const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "$defs"]);
const KEYWORDS = new Set([
  "type",
  "enum",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "minimum",
  "oneOf",
  "$ref",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === "integer") return Number.isInteger(value);
  return typeOf(value) === type;
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = (node as Schema)?.[part];
  if (typeof node !== "object" || node === null) throw new Error(`$ref ${ref} points nowhere`);
  return node as Schema;
}

/** The errors of `value` against `schema`, each with its JSON path; empty when it conforms. */
export function validate(
  value: unknown,
  schema: Schema,
  root: Schema = schema,
  path = "$",
): string[] {
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !KEYWORDS.has(key)) {
      throw new Error(`json_schema.ts does not implement "${key}" (at ${path})`);
    }
  }
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    throw new Error(`only additionalProperties: false is supported (at ${path})`);
  }
  const errors: string[] = [];
  if (typeof schema.$ref === "string") {
    errors.push(...validate(value, resolveRef(root, schema.$ref), root, path));
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) {
      errors.push(`${path}: expected ${types.join(" or ")}, got ${typeOf(value)}`);
      return errors;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) {
    errors.push(`${path}: ${value} is below the minimum ${schema.minimum}`);
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in object)) errors.push(`${path}: missing "${key}"`);
    }
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, item] of Object.entries(object)) {
      if (key in properties) {
        errors.push(...validate(item, properties[key], root, `${path}.${key}`));
      } else if (schema.additionalProperties === false) {
        errors.push(`${path}: unexpected "${key}"`);
      }
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => {
      errors.push(...validate(item, schema.items as Schema, root, `${path}[${i}]`));
    });
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as Schema[]).filter((s) =>
      validate(value, s, root, path).length === 0
    );
    if (matching.length !== 1) {
      errors.push(`${path}: matches ${matching.length} of the oneOf schemas, not exactly 1`);
    }
  }
  return errors;
}
