// The action's inputs are read once into one validated object; a bad one is refused with a line
// that says what it takes (zod's English wording: the validator sets its locale, zod/mini has none).
import { afterEach, describe, expect, it } from "vitest";
import { readInputs } from "../../../src/action/inputs.js";

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
});

describe("the action's inputs", () => {
  it("read every input, the config defaulting to tinyforge.yml", () => {
    process.env.INPUT_STAGE = "production";
    process.env.INPUT_STRATEGY = "blue-green";
    process.env["INPUT_CANCEL-BAKE"] = "true";
    expect(readInputs()).toEqual({
      config: "tinyforge.yml",
      stage: "production",
      strategy: "blue-green",
      cancelBake: "true",
    });
  });

  it("refuse a strategy they do not know, naming the ones they do", () => {
    process.env.INPUT_STRATEGY = "rolling";
    expect(() => readInputs()).toThrow(
      'input strategy: Invalid option: expected one of "recreate"|"blue-green"',
    );
  });

  it("refuse a cancel-bake that is not true or false, in their own words", () => {
    process.env["INPUT_CANCEL-BAKE"] = "yes";
    expect(() => readInputs()).toThrow('input cancelBake: must be "true" or "false"');
  });
});
