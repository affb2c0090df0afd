import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import type { Strategy } from "../../../src/config/schema.js";
import { parseStrategyOption, resolveStrategy, type StrategyInput } from "../../../src/plan/strategy.js";

const w = (
  source: StrategyInput["source"],
  deploy_strategy: StrategyInput["deploy_strategy"] = "",
  more: Partial<StrategyInput> = {},
) => ({ source, deploy_strategy, storage: false, ...more }) as StrategyInput;

describe("resolveStrategy matrix", () => {
  const rows: [string, StrategyInput, Strategy | undefined, Strategy][] = [
    ['image, "" → blue-green', w("image"), undefined, "blue-green"],
    ['dockerfile, "" → recreate', w("dockerfile"), undefined, "recreate"],
    ['static, "" → recreate', w("static"), undefined, "recreate"],
    ['compose, "" → recreate', w("compose"), undefined, "recreate"],
    ["image, explicit recreate is honoured", w("image", "recreate"), undefined, "recreate"],
    ["dockerfile, explicit blue-green", w("dockerfile", "blue-green"), undefined, "blue-green"],
    ["static, explicit blue-green", w("static", "blue-green"), undefined, "blue-green"],
    ["compose, explicit recreate", w("compose", "recreate"), undefined, "recreate"],
    [
      "static deno + storage, blue-green is forced to recreate",
      w("static", "blue-green", { mode: "deno", storage: true }),
      undefined,
      "recreate",
    ],
    [
      "static deno without storage honours blue-green",
      w("static", "blue-green", { mode: "deno" }),
      undefined,
      "blue-green",
    ],
    [
      "static httpd + storage honours blue-green",
      w("static", "blue-green", { mode: "httpd", storage: true }),
      undefined,
      "blue-green",
    ],
    ["override wins over the config", w("image"), "recreate", "recreate"],
    ["override wins over explicit config", w("dockerfile", "recreate"), "blue-green", "blue-green"],
    [
      "override obeys the deno storage rule",
      w("static", "", { mode: "deno", storage: true }),
      "blue-green",
      "recreate",
    ],
  ];
  it.each(rows)("%s", (_name, workload, override, want) => {
    expect(resolveStrategy(workload, override)).toBe(want);
  });
});

describe("refused strategies", () => {
  it("compose + blue-green in the config", () => {
    expect(() => resolveStrategy(w("compose", "blue-green"))).toThrow(
      expect.objectContaining({
        code: "config_invalid",
        message:
          'deploy_strategy "blue-green" cannot be used with source compose: the stack manages its own containers',
        hint: 'use "recreate" or leave deploy_strategy empty',
      }),
    );
  });

  it("compose + --strategy blue-green from the CLI", () => {
    let err: unknown;
    try {
      resolveStrategy(w("compose"), "blue-green");
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: "config_invalid",
      message:
        "--strategy blue-green cannot be used with source compose: the stack manages its own containers",
      exitCode: 2,
    });
  });

  it.each(["rolling", "junk"])("%s in a hand-built workload", (value) => {
    expect(() => resolveStrategy(w("image", value as Strategy))).toThrow(
      `deploy_strategy: must be one of "", "recreate", "blue-green" (got "${value}")`,
    );
  });

  it.each(["rolling", "junk"])("%s in the config file names the key path", (value) => {
    const text = `project: shop\nstages: { p: {} }\nworkloads: { web: { source: static, deploy_strategy: ${value} } }\n`;
    expect(() => parseConfig(text)).toThrow(
      expect.objectContaining({
        code: "config_invalid",
        details: [
          `workloads.web.deploy_strategy: must be one of "", "recreate", "blue-green" (got "${value}")`,
        ],
      }),
    );
  });

  it.each(["rolling", "", "Blue-Green"])("--strategy %j is a usage error", (value) => {
    expect(() => parseStrategyOption(value)).toThrow(
      `--strategy must be one of "recreate", "blue-green" (got ${JSON.stringify(value)})`,
    );
    expect(() => resolveStrategy(w("image"), value as Strategy)).toThrow(
      expect.objectContaining({ code: "usage" }),
    );
  });
});
