import { describe, expect, it } from "vitest";
import { parseBotConfig } from "../../../bot/config.js";
import { configText } from "../../../src/app/boundary/index.js";
import { parseConfig } from "../../../src/config/load.js";

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
      notify_channels: [],
      notify_webhook_origins: [],
      limits: { checkout_bytes: 512 * 1024 * 1024, checkout_entries: 100_000 },
      allow: { production: { slack_users: ["U1"], slack_channels: [] } },
      forks: false,
    });
  });

  it("the load balancer is the operator's: the bot config's reaches the deploy, the repo's is ignored", () => {
    const bot = parseBotConfig(`projects:
  shop:
    repo: octo/shop
    hosts: ["ssh://d@10.0.0.5:22", "ssh://d@10.0.0.6:22"]
    load_balancer:
      host: "ssh://d@10.0.0.4:22"
      driver: nginx
      health_interval: 5s
      private_addresses: { "ssh://d@10.0.0.6:22": 192.168.0.6 }
`);
    const repo = `project: shop
domain: example.com
load_balancer: { host: "ssh://evil@198.51.100.1:22", driver: caddy }
stages: { production: {} }
workloads: { web: { source: image, image: "x:{sha}", port: 8080 } }
`;
    const { text, ignored } = configText(repo, bot.projects.shop!, "shop");
    expect(ignored).toEqual(["load_balancer"]);
    expect(parseConfig(text, "tinyforge.yml").load_balancer).toEqual({
      host: "ssh://d@10.0.0.4:22",
      driver: "nginx",
      tls: false,
      health_interval: 5000,
      private_addresses: { "ssh://d@10.0.0.6:22": "192.168.0.6" },
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

  it("notify grants: channels as written, webhook origins without a path (it could hold a token)", () => {
    const c = parseBotConfig(
      'projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    notify_channels: [C0DEPLOYS]\n    notify_webhook_origins: ["http://10.0.0.9:8080", "https://hooks.internal/"]\n',
    );
    expect(c.projects.shop).toMatchObject({
      notify_channels: ["C0DEPLOYS"],
      notify_webhook_origins: ["http://10.0.0.9:8080", "https://hooks.internal/"],
    });
    for (const bad of [
      "http://10.0.0.9:8080/hooks/T0KEN",
      "ftp://h",
      "https://u:p@h",
      "h:80",
      "https://h/?a=1",
    ])
      expect(() =>
        parseBotConfig(
          `projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    notify_webhook_origins: ["${bad}"]\n`,
        ),
      ).toThrow(
        expect.objectContaining({
          details: [
            expect.stringMatching(
              /^projects\.shop\.notify_webhook_origins\[0\]: must be an origin like "http:\/\/10\.0\.0\.9:8080" \(scheme, host and port; no path\)$/,
            ),
          ],
        }),
      );
  });

  it("limits take the containers' caps and the longest durations a repo may set; bad values name their key", () => {
    const c = parseBotConfig(
      "projects:\n  shop:\n    repo: octo/shop\n    hosts: [local]\n    limits: { memory: 1g, cpus: 2, replicas: 4, release_timeout: 45m, swarm_monitor: 30s, healthcheck_window: 1h, healthcheck_timeout: 2m, liveness_window: 1m, drain: 10m, stop_timeout: 1m }\n",
    );
    expect(c.projects.shop!.limits).toEqual({
      checkout_bytes: 512 * 1024 * 1024,
      checkout_entries: 100_000,
      memory: "1g",
      cpus: 2,
      replicas: 4,
      release_timeout: 45 * 60_000,
      swarm_monitor: 30_000,
      healthcheck_window: 3_600_000,
      healthcheck_timeout: 120_000,
      liveness_window: 60_000,
      drain: 600_000,
      stop_timeout: 60_000,
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
