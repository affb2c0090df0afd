// The bot's operator/repository boundary as pure rules, with exact values: operator-only keys
// replaced, secrets through the stage's grant, routes inside the project's domains, paths inside
// the checkout, host bind mounts refused, named volumes scoped.
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import YAML from "yaml";
import {
  admit,
  configText,
  hostnameAllowed,
  MAX_CONFIG_BYTES,
  pathsOutside,
} from "../../../src/app/boundary/index.js";
import { hostVolumeProblems, networkProblems, scopeVolumes } from "../../../src/app/boundary/files.js";
import { ignoredNote, withOperatorSettings } from "../../../src/app/boundary/operator.js";
import { projectProblem } from "../../../src/app/boundary/project.js";
import { routeProblems } from "../../../src/app/boundary/routes.js";
import { routeHostnames } from "../../../src/plan/hostnames.js";
import { grantedSecrets, grantFor, missingGrantedVars } from "../../../src/app/boundary/secrets.js";
import { parseConfig, validateConfig } from "../../../src/config/load.js";
import type { TinyforgeError } from "../../../src/errors.js";

const repo = {
  project: "shop",
  domain: "shop.example.com",
  stages: { production: { branch: "main" }, preview: { pull_requests: true } },
  workloads: { web: { source: "image", image: "x:1", port: 80, secrets: ["DATABASE_URL"] } },
};
const config = (over: Record<string, unknown> = {}, web: Record<string, unknown> = {}) =>
  parseConfig(JSON.stringify({ ...repo, ...over, workloads: { web: { ...repo.workloads.web, ...web } } }));
const grants = {
  hosts: ["ssh://deploy@app-1:22"],
  proxy: { driver: "caddy" as const, tls: false },
  domains: ["*.shop.example.com"],
  secrets: { production: { DATABASE_URL: "SHOP_PROD_DB" }, "*": { SENTRY_DSN: "SHOP_SENTRY" } },
  allow_host_volumes: false,
};
const where = { project: "shop", file: "tinyforge.yml" };

describe("operator-only keys", () => {
  it("the repo's hosts, proxy, state_dir, publish_ip, lock_timeout and stages.S.hosts give way to the operator's", () => {
    const r = withOperatorSettings(
      {
        project: "shop",
        hosts: ["local"],
        proxy: { driver: "nginx", command: ["sh"] },
        state_dir: "/etc",
        publish_ip: "0.0.0.0",
        lock_timeout: "1h",
        stages: { production: { branch: "main", hosts: ["local"] } },
      },
      { hosts: ["ssh://d@h:22"], state_dir: "/srv/tf", lock_timeout: 5000 },
    );
    expect(r).toEqual({
      data: {
        project: "shop",
        stages: { production: { branch: "main" } },
        hosts: ["ssh://d@h:22"],
        state_dir: "/srv/tf",
        lock_timeout: "5000ms",
      },
      ignored: ["hosts", "proxy", "state_dir", "publish_ip", "lock_timeout", "stages.production.hosts"],
    });
    expect(ignoredNote(r.ignored.slice(0, 1))).toBe(
      "ignored in the repo's config (the bot's operator sets it): hosts",
    );
    expect(ignoredNote([])).toBeUndefined();
  });

  it("a stage's hosts are the operator's stage_hosts, whatever the repo names", () => {
    const r = withOperatorSettings(
      {
        project: "shop",
        stages: { production: { branch: "main", hosts: ["local"] }, preview: { pull_requests: true } },
      },
      { hosts: ["ssh://d@h:22"], stage_hosts: { production: ["ssh://d@a:22", "ssh://d@b:22"] } },
    );
    expect(r.data).toMatchObject({
      stages: {
        production: { branch: "main", hosts: ["ssh://d@a:22", "ssh://d@b:22"] },
        preview: { pull_requests: true },
      },
      hosts: ["ssh://d@h:22"],
    });
    expect(r.ignored).toEqual(["stages.production.hosts"]);
  });

  it("the load balancer is the operator's: a repo's load_balancer is ignored, the bot config's put in", () => {
    const repo = { project: "shop", load_balancer: { host: "ssh://evil@198.51.100.1", driver: "caddy" } };
    expect(withOperatorSettings(repo, { hosts: ["ssh://d@h:22"] })).toEqual({
      data: { project: "shop", hosts: ["ssh://d@h:22"] },
      ignored: ["load_balancer"],
    });
    const lb = {
      host: "ssh://d@lb:22",
      driver: "caddy" as const,
      tls: false,
      private_addresses: { "ssh://d@h:22": "10.0.0.5" },
      health_interval: 2000,
    };
    const r = withOperatorSettings(repo, { hosts: ["ssh://d@h:22"], load_balancer: lb });
    expect((r.data as { load_balancer: unknown }).load_balancer).toEqual({
      ...lb,
      health_interval: "2000ms",
    });
  });

  it("configText refuses a file larger than the bot parses, before parsing it", () => {
    const big = `project: shop\n# ${"x".repeat(MAX_CONFIG_BYTES)}\n`;
    const err = (() => {
      try {
        configText(big, { hosts: ["local"] }, "shop");
      } catch (e) {
        return e as TinyforgeError;
      }
    })();
    expect(err?.code).toBe("config_invalid");
    expect(err?.details[0]).toBe(
      `(the file): ${Buffer.byteLength(big)} bytes is more than the 262144 (256 KiB) the bot parses`,
    );
    const fits = `project: shop\n# ${"x".repeat(MAX_CONFIG_BYTES - 100)}\n`;
    expect(configText(fits, { hosts: ["local"] }, "shop").data).toMatchObject({ project: "shop" });
  });

  it("configText keeps text that does not parse for the loader to report with its line", () => {
    expect(configText("a: [", { hosts: ["local"] }, "shop")).toEqual({ text: "a: [", ignored: [] });
    expect(configText("- 1\n", { hosts: ["local"] }, "shop")).toEqual({
      text: "- 1\n",
      ignored: [],
      data: [1],
    });
    const r = configText("project: shop\nhosts: [local]\n", { hosts: ["ssh://d@h:22"] }, "shop");
    expect(r).toEqual({
      text: "project: shop\nhosts:\n  - ssh://d@h:22\n",
      ignored: ["hosts"],
      data: { project: "shop", hosts: ["ssh://d@h:22"] },
    });
  });

  it("configText writes the operator's text out only when it is asked for (the bot validates the data)", () => {
    const stringify = vi.spyOn(YAML, "stringify");
    try {
      const r = configText("project: shop\nhosts: [local]\n", { hosts: ["ssh://d@h:22"] }, "shop");
      expect(r.data).toEqual({ project: "shop", hosts: ["ssh://d@h:22"] });
      expect(stringify).not.toHaveBeenCalled();
      expect(r.text).toBe("project: shop\nhosts:\n  - ssh://d@h:22\n");
      expect(r.text).toBe("project: shop\nhosts:\n  - ssh://d@h:22\n");
      expect(stringify).toHaveBeenCalledTimes(1);
    } finally {
      stringify.mockRestore();
    }
  });

  it("configText hands over the data its text parses to: validating it is validating that text, errors and all", () => {
    const op = { hosts: ["ssh://d@h:22"], state_dir: "/srv/state", lock_timeout: 5000 };
    const valid = [
      "hosts: [local]\nproxy: { driver: none }",
      "stages:\n  production: { branch: main, hosts: [x] }\nworkloads:\n  web: { source: image, image: 'a:{sha}', port: 80 }",
      "workloads:\n  web: &w { source: image, image: nginx, port: 80, env: { A: 'yes', B: 0o17 } }\n  api: *w",
    ].map((body) => `project: shop\n${body}\n`);
    for (const text of [
      ...valid,
      "project: shop\nworkloads: { web: { port: nope } }\n",
      "# nothing\n",
      "- 1\n",
    ]) {
      const r = configText(text, op, "shop");
      const outcome = (f: () => unknown) => {
        try {
          return f();
        } catch (e) {
          return { message: (e as TinyforgeError).message, details: (e as TinyforgeError).details };
        }
      };
      expect(outcome(() => validateConfig(r.data, "f.yml"))).toEqual(
        outcome(() => parseConfig(r.text, "f.yml")),
      );
    }
  });

  it("a repo naming another project than the bot's name for it is config_invalid, naming project and the expected name", () => {
    let err: TinyforgeError | undefined;
    try {
      configText("project: blog\nhosts: [local]\n", { hosts: ["ssh://d@h:22"] }, "shop");
    } catch (e) {
      err = e as TinyforgeError;
    }
    expect(err?.code).toBe("config_invalid");
    expect(err?.details).toEqual([
      'project: must be "shop" (the bot\'s name for this repository), not "blog"',
    ]);
  });

  it("projectProblem: the operator's name passes; another name or type is a problem; a missing one is the loader's", () => {
    expect(projectProblem({ project: "shop" }, "shop")).toBeUndefined();
    expect(projectProblem({ project: "Shop" }, "shop")).toMatch(/^project: must be "shop".*not "Shop"$/);
    expect(projectProblem({ project: 7 }, "shop")).toMatch(/not 7$/);
    expect(projectProblem({ stages: {} }, "shop")).toBeUndefined();
    expect(projectProblem(["project"], "shop")).toBeUndefined();
    // Inherited keys are not the repo's: only an own `project` counts.
    expect(projectProblem(Object.create({ project: "blog" }), "shop")).toBeUndefined();
  });
});

describe("status contexts: the bot posts under its own names only", () => {
  const refusal = (text: string) => {
    try {
      configText(text, { hosts: ["ssh://d@h:22"] }, "shop");
    } catch (e) {
      return { code: (e as TinyforgeError).code, details: (e as TinyforgeError).details };
    }
    return undefined;
  };

  it("a stage's status_context naming another check (a required CI context) is config_invalid, naming the key", () => {
    expect(
      refusal("project: shop\nstages:\n  production: { branch: main, status_context: ci/build }\n"),
    ).toEqual({
      code: "config_invalid",
      details: [
        'stages.production.status_context: "ci/build" is not the bot\'s own: must be "tinyforge" or start with "tinyforge/"',
      ],
    });
  });

  it("every stage is checked, not only the one deployed: wait_for_checks excepts all of them", () => {
    const r = refusal(
      "project: shop\nstages:\n  production: { branch: main }\n  preview: { pull_requests: true, status_context: build }\n",
    );
    expect(r?.details).toEqual([expect.stringMatching(/^stages\.preview\.status_context: "build" /)]);
  });

  it.each(["tinyforge", "tinyforge/production", "tinyforge/preview pr"])("%s is the bot's own", (c) => {
    expect(refusal(`project: shop\nstages:\n  production: { status_context: "${c}" }\n`)).toBeUndefined();
  });

  it.each([
    "",
    "tinyforge/",
    "Tinyforge/production",
    "tinyforge-production",
    "x/tinyforge/y",
    "tinyforge\\n/x",
  ])("%j is refused", (c) => {
    expect(refusal(`project: shop\nstages:\n  production: { status_context: "${c}" }\n`)?.code).toBe(
      "config_invalid",
    );
  });

  it("a project named wrong and a foreign context are both said at once", () => {
    expect(refusal("project: blog\nstages:\n  production: { status_context: ci }\n")?.details).toEqual([
      expect.stringMatching(/^project: /),
      expect.stringMatching(/^stages\.production\.status_context: /),
    ]);
  });
});

describe("secret grants", () => {
  it("a stage's own grant first, then '*'; own keys only", () => {
    expect(grantFor(grants.secrets, "production", "DATABASE_URL")).toBe("SHOP_PROD_DB");
    expect(grantFor(grants.secrets, "preview", "SENTRY_DSN")).toBe("SHOP_SENTRY");
    expect(grantFor(grants.secrets, "preview", "DATABASE_URL")).toBeUndefined();
    expect(grantFor(grants.secrets, "constructor", "constructor")).toBeUndefined();
    expect(grantFor(grants.secrets, "production", "toString")).toBeUndefined();
  });

  it("values by the container's name; an ungranted name is a problem naming the workload and stage", () => {
    const c = config({}, { secrets: ["DATABASE_URL", "SENTRY_DSN"] });
    const env = { SHOP_PROD_DB: "postgres://p", SHOP_SENTRY: "https://s", OTHER: "x" };
    expect(grantedSecrets(c, ["web"], "production", grants.secrets, env, "projects.shop")).toEqual({
      values: { DATABASE_URL: "postgres://p", SENTRY_DSN: "https://s" },
      problems: [],
    });
    expect(grantedSecrets(c, ["web"], "preview", grants.secrets, env, "projects.shop")).toEqual({
      values: { SENTRY_DSN: "https://s" },
      problems: [
        "workloads.web.secrets: DATABASE_URL is not granted to stage preview (projects.shop.secrets in the bot's config)",
      ],
    });
    expect(missingGrantedVars(grants.secrets, { SHOP_SENTRY: "s" }, "projects.shop")).toEqual([
      "projects.shop.secrets.production.DATABASE_URL: SHOP_PROD_DB is not set in the bot's environment",
    ]);
  });
});

describe("routes", () => {
  it.each([
    ["a.shop.example.com", true],
    ["a.b.shop.example.com", true],
    ["shop.example.com", false],
    ["evilshop.example.com", false],
    ["blog.example.com", false],
  ])("%s under *.shop.example.com: %s", (host, ok) => {
    expect(hostnameAllowed(host, ["*.shop.example.com"])).toBe(ok);
  });

  it("an exact name matches only itself", () => {
    expect(hostnameAllowed("shop.example.com", ["shop.example.com"])).toBe(true);
    expect(hostnameAllowed("x.shop.example.com", ["shop.example.com"])).toBe(false);
  });
});

describe("admit", () => {
  const env = { SHOP_PROD_DB: "postgres://p" };
  const caddy = { proxy: { driver: "caddy" } };

  it("every problem of the deploy in one config_invalid; volumes scoped when admitted", () => {
    const e = (() => {
      try {
        admit(
          config({ ...caddy, domain: "blog.example.com" }, { volumes: ["/etc:/loot:ro", "data:/data"] }),
          { stage: "preview", tag: "pr-3", workloads: ["web"], configDir: "/x" },
          grants,
          env,
          where,
        );
      } catch (x) {
        return x as TinyforgeError;
      }
    })();
    expect(e?.code).toBe("config_invalid");
    expect(e?.message).toBe("tinyforge.yml: 3 errors in config");
    expect(e?.details).toEqual([
      "workloads.web.secrets: DATABASE_URL is not granted to stage preview (projects.shop.secrets in the bot's config)",
      "domain: stage-preview-shop-pr-3.blog.example.com is not a hostname this project may route (projects.shop.domains in the bot's config: *.shop.example.com)",
      "workloads.web.volumes: host bind mounts are refused (/etc:/loot:ro); projects.shop.allow_host_volumes: true in the bot's config allows them",
    ]);
    const ok = admit(
      config(caddy, { volumes: ["data:/data", "shop_cache:/c:ro"] }),
      { stage: "production", workloads: ["web"], configDir: "/x" },
      grants,
      env,
      where,
    );
    expect(ok.secrets).toEqual({ DATABASE_URL: "postgres://p" });
    expect(ok.config.workloads.web!.volumes).toEqual(["shop_data:/data", "shop_cache:/c:ro"]);
  });

  it("a compose workload (it can bind any host path) needs allow_host_volumes; network host is never allowed", () => {
    const c = parseConfig(
      JSON.stringify({
        project: "shop",
        stages: { production: {} },
        workloads: {
          stack: { source: "compose" },
          web: { source: "image", image: "x", port: 80, network: "host" },
          api: { source: "image", image: "x", port: 80, network: "container:blog-db" },
          ok: { source: "image", image: "x", port: 80, network: "shop_net" },
        },
      }),
    );
    const e = (() => {
      try {
        admit(
          c,
          { stage: "production", workloads: Object.keys(c.workloads), configDir: "/x" },
          grants,
          env,
          where,
        );
      } catch (x) {
        return x as TinyforgeError;
      }
    })();
    expect(e?.details).toEqual([
      "workloads.stack.source: compose files can bind host paths and are refused; projects.shop.allow_host_volumes: true in the bot's config allows them",
      "workloads.web.network: host is refused (it reaches the host's loopback or another container)",
      "workloads.api.network: container:blog-db is refused (it reaches the host's loopback or another container)",
    ]);
  });

  it("a network is the project's own (P, P_NAME) or one the operator lists", () => {
    const c = parseConfig(
      JSON.stringify({
        project: "shop",
        stages: { production: {} },
        workloads: Object.fromEntries(
          ["shop", "shop_db", "shop_x", "caddy", "blog_default", "shop-admin_default"].map((n, i) => [
            `w${i}`,
            { source: "image", image: "x", port: 80, network: n },
          ]),
        ),
      }),
    );
    expect(networkProblems(c, "shop", ["caddy"], "projects.shop")).toEqual([
      "workloads.w4.network: blog_default is not this project's (shop or shop_NAME); projects.shop.networks in the bot's config allows others",
      "workloads.w5.network: shop-admin_default is not this project's (shop or shop_NAME); projects.shop.networks in the bot's config allows others",
    ]);
    expect(networkProblems(c, "shop", ["caddy"], "projects.shop", ["w0", "w3"])).toEqual([]);
    expect(networkProblems(c, "shop", [], "projects.shop", ["w3"])).toHaveLength(1);
  });

  it("Docker's default bridge (by either of its names) is refused in the bot, with the reason; the CLI takes it", () => {
    const on = (network: string) => config({}, { network });
    const refused = (network: string) => {
      try {
        admit(on(network), { stage: "production", workloads: ["web"], configDir: "/x" }, grants, env, where);
      } catch (x) {
        return (x as TinyforgeError).details;
      }
    };
    for (const n of ["bridge", "default"])
      expect(refused(n)).toEqual([
        `workloads.web.network: ${n} is refused (Docker's default bridge reaches every other project's containers on the host); leave network: out and the workload runs on its stage's own network`,
      ]);
    // Even where the operator lists it: the bridge would reach every project, not only this one.
    expect(networkProblems(on("bridge"), "shop", ["bridge"], "projects.shop")).toHaveLength(1);
    // The CLI and the action load the same file without the boundary: bridge is theirs to use.
    expect(on("bridge").workloads.web!.network).toBe("bridge");
    expect(refused("shop_net")).toBeUndefined();
  });

  it("a Swarm overlay is the project's own (tinyforge-P) or one the operator lists: never host or another project's", () => {
    const swarmOn = (network: string) =>
      parseConfig(
        JSON.stringify({
          project: "shop",
          stages: { production: {} },
          swarm: { network },
          workloads: { web: { source: "image", image: "x", port: 80 } },
        }),
      );
    expect(networkProblems(swarmOn("tinyforge-shop"), "shop", [], "projects.shop")).toEqual([]);
    expect(networkProblems(swarmOn("edge"), "shop", ["edge"], "projects.shop")).toEqual([]);
    for (const n of ["host", "ingress", "tinyforge-shop-admin"])
      expect(networkProblems(swarmOn(n), "shop", [], "projects.shop")).toEqual([
        `swarm.network: ${n} is not this project's (tinyforge-shop); projects.shop.networks in the bot's config allows others`,
      ]);
  });

  it("an accessory's host bind mount is refused like a workload's; its named volumes pass", () => {
    const c = config({
      accessories: {
        db: { image: "postgres:16", volumes: ["pgdata:/var/lib/postgresql/data", "/etc:/host-etc"] },
      },
    });
    expect(hostVolumeProblems(c, "projects.shop")).toEqual([
      "accessories.db.volumes: host bind mounts are refused (/etc:/host-etc); projects.shop.allow_host_volumes: true in the bot's config allows them",
    ]);
  });

  it("host bind mounts pass when the operator allows them; no proxy means no route to check", () => {
    const c = config({}, { volumes: ["/srv/x:/x"] });
    expect(hostVolumeProblems(c, "projects.shop")).toHaveLength(1);
    const r = admit(
      c,
      { stage: "production", workloads: ["web"], configDir: "/x" },
      { ...grants, allow_host_volumes: true },
      env,
      where,
    );
    expect(scopeVolumes(r.config, "shop").workloads.web!.volumes).toEqual(["/srv/x:/x"]);
  });
});

describe("paths", () => {
  it("context, dockerfile and compose_file must resolve inside the checkout, after symlinks", () => {
    const root = mkdtempSync(join(tmpdir(), "tf-boundary-"));
    mkdirSync(join(root, "app"));
    symlinkSync("/etc", join(root, "app", "etc-link"));
    const c = parseConfig(
      JSON.stringify({
        project: "shop",
        stages: { production: {} },
        workloads: {
          a: { source: "dockerfile", port: 80, context: "app" },
          b: { source: "dockerfile", port: 80, context: "..", dockerfile: "Dockerfile" },
          c: { source: "static", context: "app/etc-link" },
          d: { source: "compose", context: "app", compose_file: "../../x.yml" },
          e: { source: "dockerfile", port: 80, context: "app", dockerfile: "etc-link/passwd" },
        },
      }),
    );
    expect(pathsOutside(c, root, root)).toEqual([
      "workloads.b.context: resolves outside the checkout",
      "workloads.b.dockerfile: resolves outside the checkout",
      "workloads.c.context: resolves outside the checkout",
      "workloads.d.compose_file: resolves outside the checkout",
      "workloads.e.dockerfile: resolves outside the checkout",
    ]);
    expect(pathsOutside(c, root, root, ["a"])).toEqual([]);
  });

  it("a chain of relative links is judged as the kernel resolves it, not by its text", () => {
    const root = mkdtempSync(join(tmpdir(), "tf-boundary-"));
    mkdirSync(join(root, "dir1"));
    symlinkSync("..", join(root, "dir1", "l"));
    symlinkSync("dir1/l/..", join(root, "x"));
    // Node's JS realpath reads y as the checkout itself; the kernel opens its parent's parent.
    symlinkSync("x/..", join(root, "y"));
    const c = parseConfig(
      JSON.stringify({
        project: "shop",
        stages: { production: {} },
        workloads: {
          etc: { source: "static", context: "y" },
          ok: { source: "static", context: "dir1/l" },
        },
      }),
    );
    expect(pathsOutside(c, root, root)).toEqual(["workloads.etc.context: resolves outside the checkout"]);
  });
});

describe("routes: a workload's own domains", () => {
  it("every name in workloads.X.domains must be inside the project's domains; the grant's names pass", () => {
    const c = config(
      { proxy: { driver: "caddy" } },
      { domains: { production: ["www.shop.example.com", "other.example.com"] } },
    );
    const ask = { stage: "production", workloads: ["web"], configDir: "/x" };
    expect(() => admit(c, ask, grants, { SHOP_PROD_DB: "postgres://p" }, where)).toThrow(
      expect.objectContaining({
        details: [
          "workloads.web.domains.production: other.example.com is not a hostname this project may route (projects.shop.domains in the bot's config: *.shop.example.com)",
        ],
      }),
    );
    const fine = config(
      { proxy: { driver: "caddy" } },
      { domains: { production: ["www.shop.example.com"] } },
    );
    expect(() => admit(fine, ask, grants, { SHOP_PROD_DB: "postgres://p" }, where)).not.toThrow();
  });
});

describe("routes: lookups and checks that cannot be fooled", () => {
  it('a stage named "constructor" routes on the hostname pattern, not on Object.prototype', () => {
    const c = parseConfig(
      JSON.stringify({
        ...repo,
        proxy: { driver: "caddy" },
        stages: { production: {}, constructor: {} },
        workloads: {
          web: { source: "image", image: "x:1", port: 80, domains: { production: ["www.shop.example.com"] } },
        },
      }),
    );
    expect(routeHostnames(c, { project: "shop", workload: "web", stage: "constructor" })).toEqual([
      "stage-constructor-shop.shop.example.com",
    ]);
    expect(
      routeProblems(c, { stage: "constructor", workloads: ["web"] }, ["*.shop.example.com"], "p"),
    ).toEqual([]);
  });

  it("a route whose hostname cannot be worked out is refused, not skipped", () => {
    const c = { ...config({ proxy: { driver: "caddy" } }), tag_hostname_pattern: "fixed" };
    expect(routeProblems(c, { stage: "preview", tag: "pr-1", workloads: ["web"] }, [], "p")).toEqual([
      expect.stringMatching(
        /^workloads\.web: its route's hostname cannot be checked \(hostname pattern "fixed" has no \{tag\}/,
      ),
    ]);
  });
});

describe("limits: what a repo's containers may take and hold", () => {
  const env = { SHOP_PROD_DB: "postgres://p" };
  const ask = { stage: "production", workloads: ["web"], configDir: "/x" };
  const refused = (c: ReturnType<typeof config>, limits: Record<string, unknown>) => {
    try {
      admit(c, ask, { ...grants, limits }, env, where);
    } catch (e) {
      return (e as TinyforgeError).details;
    }
    return [];
  };

  it("a repo asking more than the operator's limits is refused, naming the key and the limit", () => {
    const c = config(
      { swarm: { monitor: "10m" } },
      { resources: { memory: "2g", cpus: 4 }, replicas: 50, release: { command: ["m"], timeout: "2h" } },
    );
    expect(refused(c, { memory: "1g", cpus: 2, replicas: 5 })).toEqual([
      "workloads.web.resources.memory: 2g is more than projects.shop.limits.memory (1g)",
      "workloads.web.resources.cpus: 4 is more than projects.shop.limits.cpus (2)",
      "workloads.web.replicas: 50 is more than projects.shop.limits.replicas (5)",
      "workloads.web.release.timeout: 2h is more than projects.shop.limits.release_timeout (30m)",
      "swarm.monitor: 10m is more than projects.shop.limits.swarm_monitor (2m)",
    ]);
  });

  it("without operator limits, the bot's caps still bound replicas and the durations; the operator may allow more", () => {
    const c = config(
      { swarm: { monitor: "10m" } },
      { replicas: 11, release: { command: ["m"], timeout: "1h" } },
    );
    expect(refused(c, {})).toHaveLength(3);
    expect(refused(c, { replicas: 20, release_timeout: 3_600_000, swarm_monitor: 600_000 })).toEqual([]);
  });

  it("every duration that holds a bot lane is capped: the health gate, a probe, liveness, drain, stop", () => {
    const c = config(
      {},
      {
        healthcheck: { path: "/", retries: 100, interval: "24h", timeout: "24h" },
        liveness_window: "24h",
        drain: "24h",
        stop_timeout: "24h",
      },
    );
    expect(refused(c, {})).toEqual([
      "workloads.web.healthcheck: retries × interval (100 × 24h = 2400h) is more than projects.shop.limits.healthcheck_window (30m)",
      "workloads.web.healthcheck.timeout: 24h is more than projects.shop.limits.healthcheck_timeout (1m)",
      "workloads.web.liveness_window: 24h is more than projects.shop.limits.liveness_window (30m)",
      "workloads.web.drain: 24h is more than projects.shop.limits.drain (5m)",
      "workloads.web.stop_timeout: 24h is more than projects.shop.limits.stop_timeout (5m)",
    ]);
  });

  it("the health gate is capped as a whole: each part within bounds, their product not", () => {
    const c = config({}, { healthcheck: { path: "/", retries: 61, interval: "30s" } });
    expect(refused(c, {})).toEqual([
      "workloads.web.healthcheck: retries × interval (61 × 30s = 30m30s) is more than projects.shop.limits.healthcheck_window (30m)",
    ]);
    expect(refused(config({}, { healthcheck: { path: "/", retries: 60, interval: "30s" } }), {})).toEqual([]);
    const hour = 3_600_000;
    expect(refused(c, { healthcheck_window: hour })).toEqual([]);
    const long = config({}, { drain: "10m", stop_timeout: "10m", liveness_window: "1h" });
    expect(refused(long, { drain: hour, stop_timeout: hour, liveness_window: hour })).toEqual([]);
  });

  it("the defaults are well within the caps", () => {
    expect(refused(config({}, { healthcheck: { path: "/" } }), {})).toEqual([]);
  });

  it("a repo asking nothing gets the operator's memory and CPU limits; asking less keeps its own", () => {
    const limits = { memory: "1g", cpus: 2 };
    const none = admit(config(), ask, { ...grants, limits }, env, where).config;
    expect(none.workloads.web!.resources).toEqual({ memory: "1g", cpus: 2 });
    const less = admit(config({}, { resources: { memory: "256m" } }), ask, { ...grants, limits }, env, where);
    expect(less.config.workloads.web!.resources).toEqual({ memory: "256m", cpus: 2 });
    const free = admit(config(), ask, grants, env, where).config;
    expect(free.workloads.web!.resources).toBeUndefined();
  });
});

describe("notify: where the bot posts with its own token and network", () => {
  const env = { SHOP_PROD_DB: "postgres://p" };
  const ask = { stage: "production", workloads: ["web"], configDir: "/x" };
  const notify = (n: Record<string, unknown>) => config({ notify: n });
  const run = (c: ReturnType<typeof config>, g: Record<string, unknown> = {}) => {
    try {
      return admit(c, ask, { ...grants, ...g }, env, where);
    } catch (e) {
      return (e as TinyforgeError).details;
    }
  };

  it("a Slack channel the operator did not name for the project is refused, naming the key and the grant", () => {
    expect(run(notify({ slack: { channel: "C0EXEC" } }))).toEqual([
      'notify.slack.channel: "C0EXEC" is not in projects.shop.notify_channels (nor a stage\'s allow.S.slack_channels)',
    ]);
  });

  it("a channel in notify_channels, or one a stage's deploys may come from, is the project's", () => {
    const c = notify({ slack: { channel: "C0DEPLOYS" } });
    expect(run(c, { notify_channels: ["C0DEPLOYS"] })).toMatchObject({ publicWebhook: true });
    expect(run(c, { allow: { staging: { slack_users: [], slack_channels: ["C0DEPLOYS"] } } })).toMatchObject({
      publicWebhook: true,
    });
  });

  it.each([
    ["http://127.0.0.1:2019/stop", "got http"],
    ["https://127.0.0.1:2019/stop", "127.0.0.1 is not a public address"],
    ["https://10.0.0.7/hook", "10.0.0.7 is not a public address"],
    ["https://[::1]/hook", "::1 is not a public address"],
    ["https://localhost/hook", "localhost is a loopback name"],
    ["http://hooks.example.com/tf", "got http"],
  ])("the webhook %s is refused: %s", (url, why) => {
    expect(run(notify({ webhook: url }))).toEqual([
      `notify.webhook: must be https to a public address (${why}), or its origin in projects.shop.notify_webhook_origins`,
    ]);
  });

  it("a webhook's path (it may be its credential) is never repeated", () => {
    expect(String(run(notify({ webhook: "http://10.0.0.7/T0KEN-PATH" })))).not.toContain("T0KEN");
  });

  it("https to a public name is admitted, to be sent to public addresses only (checked again as it connects)", () => {
    expect(run(notify({ webhook: "https://hooks.example.com/tf" }))).toMatchObject({ publicWebhook: true });
  });

  it("an origin the operator lists may be reached over http and at a private address", () => {
    const g = { notify_webhook_origins: ["http://127.0.0.1:9000", "https://HOOKS.internal:443"] };
    expect(run(notify({ webhook: "http://127.0.0.1:9000/tf" }), g)).toMatchObject({ publicWebhook: false });
    expect(run(notify({ webhook: "https://hooks.internal/tf" }), g)).toMatchObject({ publicWebhook: false });
    // Another port of the same host is another origin.
    expect(run(notify({ webhook: "http://127.0.0.1:2019/stop" }), g)).toEqual([
      expect.stringMatching(/^notify\.webhook: must be https/),
    ]);
  });
});
