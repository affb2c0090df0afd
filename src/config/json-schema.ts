// The JSON Schema editors use to check tinyforge.yml as it is typed. Generated from the zod schema
// (never written by hand) and describing the input side: durations are the strings users write.
import { toJSONSchema } from "zod/mini";
import { configSchema, duration } from "./schema.js";

// Mirrors the grammar of parseDuration in duration.ts (a test keeps the two in step).
export const DURATION_PATTERN = "^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+$";

export function configJsonSchema(): Record<string, unknown> {
  const generated = toJSONSchema(configSchema, {
    io: "input",
    target: "draft-2020-12",
    override: ({ zodSchema, jsonSchema }) => {
      // A duration is a transform, which zod renders as a bare string: give editors its shape.
      if (zodSchema === duration) jsonSchema.pattern = DURATION_PATTERN;
      // Its default is stored in milliseconds (the output side), which zod leaves out of an input schema.
      const def = zodSchema._zod.def;
      if (def.type === "default" && def.innerType === duration)
        jsonSchema.default = msText(def.defaultValue as number);
    },
  });
  const { $schema, ...rest } = generated;
  return { $schema, title: "tinyforge.yml", ...rest };
}

/** 90000 → "90s", 500 → "500ms": the largest unit that divides evenly, as a user would write it. */
function msText(ms: number): string {
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ] as const) {
    if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** The committed file's exact text: pretty-printed with a trailing newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
