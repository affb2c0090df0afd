// examples/shop end to end on the real engine over sshd: a Postgres accessory per stage, the web
// and the api built from their Dockerfiles and routed through Caddy on their own domains, the
// release step migrating each stage's database before the new api serves, and staging and
// production each serving their own data and settings.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { CaddyProxy } from "../../src/adapters/proxy/caddy.js";
import { main } from "../../src/cli/main.js";
import type { Host } from "../../src/ports/host.js";
import { commitAll, docker, parseJsonLines, removeProjectAndImages, sshEnv, sshHost } from "./harness.js";
import { openTestHost, ptb, viaProxy } from "./proxy-harness.js";
import { uniqueName } from "./testbed.js";

const example = join(import.meta.dirname, "..", "..", "examples", "shop");
const dir = mkdtempSync(join(tmpdir(), "tf-shop-"));
cpSync(example, dir, { recursive: true });
const project = uniqueName("shop");
const { caddy } = ptb;
// The example's domains under a name of this run's own: the testbed's Caddy is shared.
const DOMAIN = `${project}.test`;
const text = readFileSync(join(dir, "tinyforge.yml"), "utf8").replaceAll("example.com", DOMAIN);
const config = parse(text);
// The example as written, aimed at this test's own project name, state directory and the
// testbed's Caddy.
writeFileSync(
  join(dir, "tinyforge.yml"),
  stringify({
    ...config,
    project,
    hosts: [sshHost],
    state_dir: mkdtempSync(join(tmpdir(), "tf-state-")),
    proxy: { driver: "caddy", admin: caddy.admin, server: caddy.server },
  }),
);
const DOMAINS: Record<string, { web: string[]; api: string }> = {
  production: { web: [`shop.${DOMAIN}`, `www.shop.${DOMAIN}`], api: `api.shop.${DOMAIN}` },
  staging: { web: [`staging.shop.${DOMAIN}`], api: `api.staging.shop.${DOMAIN}` },
};
// A route is named by its first hostname.
const routes = Object.values(DOMAINS).flatMap((d) => [d.web[0]!, d.api]);
const sha = commitAll(dir, "shop");

const PASSWORD = "pg-password-for-the-example";
const env = {
  ...sshEnv,
  POSTGRES_PASSWORD: PASSWORD,
  DATABASE_URL: `postgres://postgres:${PASSWORD}@db:5432/postgres`,
};

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["-c", join(dir, "tinyforge.yml"), ...args], {
    io: {
      out: (t) => {
        stdout += t;
      },
      err: (t) => {
        stderr += t;
      },
    },
    env: { ...process.env, ...env },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

let host: Host;
beforeAll(async () => {
  host = await openTestHost();
});

afterAll(async () => {
  const proxy = new CaddyProxy(host, { admin: caddy.admin, server: caddy.server, tls: false });
  for (const r of routes) await proxy.remove(r).catch(() => undefined);
  await host?.close();
  await removeProjectAndImages(project);
  for (const stage of ["staging", "production"]) {
    await docker
      .getNetwork(`tf_${project}_${stage}`)
      .remove()
      .catch(() => undefined);
    await docker
      .getVolume(`${project}-${stage}-pgdata`)
      .remove()
      .catch(() => undefined);
  }
});

/** GET through the testbed's Caddy as a client of `hostname` would. */
const viaCaddy = (hostname: string, path: string) => viaProxy(caddy.port, hostname, path);

describe("examples/shop", () => {
  it("deploys web and api on their own domains, the database migrated by the release step, each stage with its own env and data", async () => {
    for (const stage of ["staging", "production"]) {
      const up = await cli(["accessory", "up", "db", "--stage", stage]);
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);

      const deployed = await cli(["deploy", "--stage", stage, "--sha", sha, "--json"]);
      expect(deployed.code, deployed.stderr).toBe(0);
      const results = parseJsonLines(deployed.stdout);
      expect(results.map((r) => r.outcome)).toEqual(["success", "success"]);
      const { web, api } = DOMAINS[stage]!;
      expect(results.map((r) => r.url)).toEqual([`http://${web[0]}`, `http://${api}`]);

      // The release step migrated the stage's database before the new api served.
      const apiDeploy = results.find((r) => r.workload === "api")!;
      const events = await cli(["logs", apiDeploy.deployId as string]);
      expect(events.stdout).toContain("applied 001_items.sql");
      expect((await viaCaddy(api, "/cgi-bin/items")).body).toBe("widget\ngadget");

      // The web answers on each of its names, with the stage's env over its own and its own URL.
      for (const name of web)
        expect((await viaCaddy(name, "/cgi-bin/about")).body).toBe(
          `Tiny Shop on ${stage} at ${sha}\nlog level ${stage === "production" ? "info" : "debug"}, url http://${web[0]}`,
        );
    }
    // Each stage has its own database: a row added in staging is not in production.
    await cli([
      "exec",
      "api",
      "--stage",
      "staging",
      "--",
      "psql",
      env.DATABASE_URL,
      "-c",
      "INSERT INTO items (name) VALUES ('staging-only')",
    ]);
    const count = async (stage: string) =>
      (
        await cli([
          "exec",
          "api",
          "--stage",
          stage,
          "--",
          "psql",
          env.DATABASE_URL,
          "-tAc",
          "SELECT count(*) FROM items",
        ])
      ).stdout.trim();
    expect(await count("staging")).toBe("3");
    expect(await count("production")).toBe("2");
  }, 600_000);
});
