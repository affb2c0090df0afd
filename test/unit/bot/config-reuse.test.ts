// A push whose tinyforge.yml is the same text as a push before reuses the config validated then
// (no YAML parse, no validation on its way to the pending status) — only under the same project and
// the same operator settings, and only a valid one.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { parseBotConfig } from "../../../bot/config.js";
import { KeyedQueue } from "../../../bot/queue.js";
import { BotRunner, type RepoSource, type Trigger } from "../../../bot/runner.js";

const counts = vi.hoisted(() => ({ parsed: 0, validated: 0 }));

vi.mock("../../../src/app/boundary/index.js", async (original) => {
  const m = await original<typeof import("../../../src/app/boundary/index.js")>();
  return {
    ...m,
    configText: (...a: Parameters<typeof m.configText>) => {
      counts.parsed++;
      return m.configText(...a);
    },
  };
});

vi.mock("../../../src/config/load.js", async (original) => {
  const m = await original<typeof import("../../../src/config/load.js")>();
  return {
    ...m,
    validateConfig: (...a: Parameters<typeof m.validateConfig>) => {
      counts.validated++;
      return m.validateConfig(...a);
    },
  };
});

const SHA = "f".repeat(40);
const config = (project = "shop", image = "x:{sha}") => ({
  project,
  stages: { production: { branch: "main" } },
  workloads: { web: { source: "image", image, port: 80 } },
});

function setup(files: Record<string, string>) {
  const source: RepoSource = {
    resolveRef: async () => SHA,
    readFile: async () => files.current,
    fetchTree: async () => {},
  };
  const bot = parseBotConfig(
    [
      "projects:",
      "  shop:",
      "    repo: octo/shop",
      '    hosts: ["ssh://deploy@app-1.example:22"]',
      "  other:",
      "    repo: octo/other",
      '    hosts: ["ssh://deploy@other-1.example:22"]',
      "",
    ].join("\n"),
  );
  const runner = new BotRunner({ config: bot, env: {}, source: () => source, queue: new KeyedQueue() });
  const trigger = (project = "shop"): Trigger => ({
    project,
    sha: SHA,
    ref: "main",
    kind: "deploy",
    trigger: "push",
  });
  return { runner, trigger, bot };
}

beforeEach(() => {
  counts.parsed = 0;
  counts.validated = 0;
});

describe("a config validated before", () => {
  it("is reused for the same text: parsed and validated once, each push with a config of its own", async () => {
    const files = { current: stringify(config()) };
    const { runner, trigger } = setup(files);
    const first = (await runner.prepare(trigger()))!;
    const second = (await runner.prepare(trigger()))!;
    expect(counts).toEqual({ parsed: 1, validated: 1 });
    expect(second.stage).toBe("production");
    expect(second.session.config).toEqual(first.session.config);
    // What one push's deploy does to its config is not the next push's.
    (first.session.config.workloads.web as { image: string }).image = "changed";
    const third = (await runner.prepare(trigger()))!;
    expect((third.session.config.workloads.web as { image: string }).image).toBe("x:{sha}");
  });

  it("is validated again for a different text", async () => {
    const files = { current: stringify(config()) };
    const { runner, trigger } = setup(files);
    await runner.prepare(trigger());
    files.current = stringify(config("shop", "y:{sha}"));
    const p = (await runner.prepare(trigger()))!;
    expect(counts).toEqual({ parsed: 2, validated: 2 });
    expect((p.session.config.workloads.web as { image: string }).image).toBe("y:{sha}");
  });

  it("is not reused for another repo: the same text there is validated there (and refused)", async () => {
    const files = { current: stringify(config()) };
    const { runner, trigger } = setup(files);
    await runner.prepare(trigger("shop"));
    await expect(runner.prepare(trigger("other"))).rejects.toMatchObject({ code: "config_invalid" });
    expect(counts.parsed).toBe(2);
  });

  it("is validated again when the operator's settings for the project changed", async () => {
    const files = { current: stringify(config()) };
    const { runner, trigger, bot } = setup(files);
    await runner.prepare(trigger());
    bot.projects.shop!.hosts = ["ssh://deploy@app-2.example:22"];
    const p = (await runner.prepare(trigger()))!;
    expect(counts).toEqual({ parsed: 2, validated: 2 });
    expect(p.session.config.hosts).toEqual(["ssh://deploy@app-2.example:22"]);
  });

  it("is kept only when valid: an invalid text is refused each time it comes", async () => {
    const files = { current: stringify({ ...config(), stages: { production: { branch: 7 } } }) };
    const { runner, trigger } = setup(files);
    await expect(runner.prepare(trigger())).rejects.toMatchObject({ code: "config_invalid" });
    await expect(runner.prepare(trigger())).rejects.toMatchObject({ code: "config_invalid" });
    expect(counts).toEqual({ parsed: 2, validated: 2 });
  });
});
