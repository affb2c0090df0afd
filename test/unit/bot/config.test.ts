import { describe, expect, it } from "vitest";
import { parseBotConfig } from "../../../bot/config.js";

describe("bot config", () => {
  it("parses projects with defaults", () => {
    const c = parseBotConfig(
      "projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    allow:\n      production: { slack_users: [U1] }\n",
    );
    expect(c.projects.shop).toEqual({
      forge: "github",
      repo: "octo/shop",
      config_path: "tinyforge.yml",
      hosts: ["local"],
      domains: [],
      secrets: {},
      allow_host_volumes: false,
      networks: [],
      limits: { checkout_bytes: 512 * 1024 * 1024, checkout_entries: 100_000 },
      allow: { production: { slack_users: ["U1"], slack_channels: [] } },
      forks: false,
    });
  });

  it("a project without hosts is refused, naming projects.NAME.hosts", () => {
    expect(() => parseBotConfig("projects:\n  shop:\n    repo: octo/shop\n")).toThrow(
      expect.objectContaining({ details: ["projects.shop.hosts: is required"] }),
    );
  });

  it("reports every error with its key path", () => {
    try {
      parseBotConfig("projects:\n  shop:\n    repo: nope\n    forge: gitlab\n    extra: 1\n");
      expect.unreachable();
    } catch (e) {
      const details = (e as { details: string[] }).details;
      expect(details).toContain('projects.shop: unknown key "extra"');
      expect(details.some((d) => d.startsWith('projects.shop.repo: must be "owner/name"'))).toBe(true);
      expect(details.some((d) => d.startsWith('projects.shop.forge: must be one of "github", "gitea"'))).toBe(
        true,
      );
    }
  });

  it("limits take the containers' caps and the longest durations a repo may set; bad values name their key", () => {
    const c = parseBotConfig(
      "projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    limits: { memory: 1g, cpus: 2, replicas: 4, release_timeout: 45m, swarm_monitor: 30s }\n",
    );
    expect(c.projects.shop!.limits).toEqual({
      checkout_bytes: 512 * 1024 * 1024,
      checkout_entries: 100_000,
      memory: "1g",
      cpus: 2,
      replicas: 4,
      release_timeout: 45 * 60_000,
      swarm_monitor: 30_000,
    });
    expect(() =>
      parseBotConfig(
        "projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    limits: { memory: lots, replicas: 0 }\n",
      ),
    ).toThrow(
      expect.objectContaining({
        details: [
          expect.stringMatching(/^projects\.shop\.limits\.memory: must be a size/),
          expect.stringMatching(/^projects\.shop\.limits\.replicas: /),
        ],
      }),
    );
  });
});
