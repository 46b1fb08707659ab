import { assertEquals, assertMatch } from "../assert.ts";
import { missingGrant } from "../../lib/cli/errors.ts";

Deno.test("missingGrant() names the flag for the script, and the script for the binary", () => {
  assertEquals(
    missingGrant("--allow-net=example.com", false),
    "run deno with --allow-net=example.com",
  );
  assertMatch(
    missingGrant("--allow-net=example.com", true),
    /^the conc101 binary is built without --allow-net=example.com; run the script instead/,
  );
});
