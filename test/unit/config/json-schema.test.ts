import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../src/config/duration.js";
import { configJsonSchema, configJsonSchemaText, DURATION_PATTERN } from "../../../src/config/json-schema.js";

describe("schema/tinyforge.schema.json", () => {
  it("is fresh (run `npm run schema` after changing src/config/schema.ts)", async () => {
    const committed = await readFile(
      join(import.meta.dirname, "../../../schema/tinyforge.schema.json"),
      "utf8",
    );
    expect(committed).toBe(configJsonSchemaText());
  });

  it("describes input: durations are strings with their shape and a readable default", () => {
    const schema = configJsonSchema() as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.lock_timeout).toMatchObject({
      type: "string",
      pattern: DURATION_PATTERN,
      default: "1m",
    });
    expect(schema.properties.project).toMatchObject({ type: "string" });
  });

  it.each(["500ms", "5s", "2m", "1m30s", "1.5h", "5 sec", "10", "1d", "", "s"])(
    "DURATION_PATTERN agrees with parseDuration on %j",
    (text) => {
      expect(new RegExp(DURATION_PATTERN).test(text)).toBe(parseDuration(text) !== undefined);
    },
  );
});
