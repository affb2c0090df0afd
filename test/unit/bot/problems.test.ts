import { describe, expect, it } from "vitest";
import { configProblems, invalidConfigStatus } from "../../../bot/forge/problems.js";
import { parseConfig } from "../../../src/config/load.js";
import { TinyforgeError } from "../../../src/errors.js";

function errorOf(text: string, file: string): TinyforgeError {
  try {
    parseConfig(text, file);
  } catch (e) {
    return e as TinyforgeError;
  }
  throw new Error("config parsed");
}

describe("invalid config, as the bot reports it", () => {
  it("one line per problem with its key path; the status leads with the first and counts them", () => {
    const e = errorOf(
      "project: shop\nstages: { production: { branch: main } }\nworkloads:\n  web: { source: image, image: x, port: nope, deploy_strategy: rolling }\n",
      "/tmp/tinyforge-bot-Ab12/tinyforge.yml",
    );
    const lines = configProblems(e);
    expect(lines.some((l) => l.startsWith("workloads.web.deploy_strategy: "))).toBe(true);
    expect(lines.some((l) => l.startsWith("workloads.web.port: "))).toBe(true);
    const st = invalidConfigStatus("abc", "tinyforge.yml", lines, 140);
    expect(st).toMatchObject({ sha: "abc", state: "failure", context: "tinyforge" });
    expect(st.description).toMatch(/^Invalid tinyforge\.yml \(2 errors\): workloads\.web\./);
    expect(Array.from(st.description).length).toBeLessThanOrEqual(140);
  });

  it("a YAML error keeps its excerpt and never shows the bot's temp path", () => {
    const e = errorOf("project: [shop\n", "/tmp/tinyforge-bot-Zz9/tinyforge.yml");
    const lines = configProblems(e);
    expect(lines[0]).toMatch(/^tinyforge\.yml:\d+:\d+: invalid YAML/);
    expect(lines.join("\n")).not.toContain("/tmp/");
    expect(invalidConfigStatus("abc", "tinyforge.yml", lines, 140).description).toMatch(
      /^Invalid tinyforge\.yml \(\d+ errors\): \d+:\d+: invalid YAML/,
    );
  });

  it("a message without details is one line", () => {
    expect(configProblems(new TinyforgeError("config_invalid", "config file is empty: x"))).toEqual([
      "config file is empty: x",
    ]);
  });
});
