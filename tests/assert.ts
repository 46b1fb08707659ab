/**
 * The few assertions the suite needs. `@std/assert` lives on JSR, which cannot be reached
 * here; `node:assert` ships with Deno and says what differed.
 */
import assert from "node:assert/strict";

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

export function assert_(condition: unknown, message?: string): asserts condition {
  assert.ok(condition, message);
}

export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  assert.match(text, pattern, message);
}

export function assertThrows(fn: () => unknown, type?: new (...args: never[]) => Error): void {
  assert.throws(fn, type as never);
}
