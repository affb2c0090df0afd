// `tinyforge init` without a network: what it detects in a checkout, the files it writes (the
// config `validate` accepts, the workflow whose inputs action.yml has), and what it refuses.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { detect, exposedPort, projectName } from "../../../src/app/init/detect.js";
import { init, type InitFlags, type Prompter } from "../../../src/app/init/index.js";
import { main } from "../../../src/cli/main.js";
import { loadConfig } from "../../../src/config/load.js";

const root = join(import.meta.dirname, "..", "..", "..");

/** A checkout of examples/hello without its config, as a newcomer's app would be. */
function helloApp(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "tf-init-")), "hello");
  cpSync(join(root, "examples/hello"), dir, { recursive: true });
  rmSync(join(dir, "tinyforge.yml"));
  return dir;
}

function appWith(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), "tf-init-")), "My_App");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const flags = (extra: Partial<InitFlags> = {}): InitFlags => ({
  host: "local",
  yes: true,
  knownHosts: join(tmpdir(), "tf-init-unused-known-hosts"),
  ...extra,
});

/** Action inputs a workflow's tinyforge step passes that action.yml does not declare. */
function unknownInputs(workflowText: string): string[] {
  const inputs = Object.keys(
    (parse(readFileSync(join(root, "action.yml"), "utf8")) as { inputs: object }).inputs,
  );
  const wf = parse(workflowText) as { jobs: Record<string, { steps: Array<Record<string, unknown>> }> };
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const step = steps.find((s) => /tinyforge\/tinyforge@v\d+\.\d+\.\d+$/.test(String(s.uses)));
  if (!step) throw new Error("no step uses a release of tinyforge/tinyforge");
  return Object.keys((step.with ?? {}) as object).filter((k) => !inputs.includes(k));
}

describe("init: detection", () => {
  it("reads the first port of the last stage's EXPOSE, skipping variables", () => {
    expect(exposedPort("FROM a\nEXPOSE 3000\n")).toBe(3000);
    expect(exposedPort("FROM a AS build\nEXPOSE 9999\nFROM b\nexpose $PORT 8080/tcp 9229\n")).toBe(8080);
    expect(exposedPort("FROM a\nEXPOSE \\\n  5000\n")).toBe(5000);
    expect(exposedPort("FROM a\nEXPOSE $PORT\n")).toBeUndefined();
  });

  it("names the project after the directory, DNS-safe", () => {
    expect(projectName("My_App 2")).toBe("my-app-2");
    expect(projectName("___")).toBe("app");
  });

  it("finds a Dockerfile first, then a compose file, then a static site", async () => {
    expect(await detect(appWith({ Dockerfile: "FROM x\nEXPOSE 4000\n", "compose.yaml": "" }))).toMatchObject({
      source: "dockerfile",
      port: 4000,
    });
    expect(await detect(appWith({ "docker-compose.yml": "services: {}\n" }))).toMatchObject({
      source: "compose",
      composeFile: "docker-compose.yml",
    });
    expect(await detect(appWith({ "public/index.html": "<h1>hi</h1>" }))).toMatchObject({
      source: "static",
      staticDir: "public",
    });
  });

  it("takes the checkout's branch as the production branch", async () => {
    const dir = appWith({ "index.html": "hi" });
    execFileSync("git", ["init", "-q", "-b", "trunk", dir]);
    expect((await detect(dir)).branch).toBe("trunk");
  });
});

describe("init: the files it writes", () => {
  it("writes for examples/hello a config validate accepts and a workflow whose inputs action.yml has", async () => {
    const dir = helloApp();
    const host = `ssh://deploy@127.0.0.1:${await closedPort()}`;
    const r = await init(dir, flags({ host, domain: "example.com", proxy: "caddy" }), undefined);
    // Nobody listens there: the key scan fails, and init still writes (pinning can follow).
    expect(r.pin.kind).toBe("unreachable");
    expect(r.written).toEqual(["tinyforge.yml", ".github/workflows/deploy.yml"]);
    const { config } = await loadConfig(join(dir, "tinyforge.yml"));
    expect(config).toMatchObject({
      project: "hello",
      hosts: [host],
      proxy: { driver: "caddy" },
      domain: "example.com",
      stages: { production: { branch: "main" }, preview: { pull_requests: true } },
      workloads: { web: { source: "dockerfile", port: 8080 } },
    });
    const text = readFileSync(join(dir, ".github/workflows/deploy.yml"), "utf8");
    expect(unknownInputs(text)).toEqual([]);
    expect(parse(text).on.push.branches).toEqual(["main"]);
  }, 30_000);

  it("writes a valid config for a compose app and for a static site", async () => {
    const apps: Array<Record<string, string>> = [
      { "compose.yaml": "services: {}\n" },
      { "site/index.html": "hi" },
    ];
    for (const files of apps) {
      const dir = appWith(files);
      await init(dir, flags(), undefined);
      const { config } = await loadConfig(join(dir, "tinyforge.yml"));
      expect(config.project).toBe("my-app");
      expect(config.workloads.web!.source).toBe(
        Object.keys(files)[0]!.includes("compose") ? "compose" : "static",
      );
    }
  });

  it("writes the Gitea workflow when .gitea/ exists, with the action's full URL", async () => {
    const dir = appWith({ Dockerfile: "FROM x\nEXPOSE 80\n", ".gitea/.keep": "" });
    const r = await init(dir, flags(), undefined);
    expect(r.written).toContain(".gitea/workflows/deploy.yml");
    const text = readFileSync(join(dir, ".gitea/workflows/deploy.yml"), "utf8");
    expect(text).toMatch(/uses: https:\/\/github\.com\/tinyforge\/tinyforge@v\d+\.\d+\.\d+/);
    expect(existsSync(join(dir, ".github"))).toBe(false);
  });

  it("asks what the flags do not say, and takes the detected value for an empty answer", async () => {
    const dir = appWith({ Dockerfile: "FROM x\n" });
    const asked: string[] = [];
    const answers: Record<string, string> = {
      host: "local",
      domain: "shop.example.com",
      proxy: "nginx",
      port: "3000",
    };
    const prompter: Prompter = {
      ask: async (q, fallback) => {
        asked.push(`${q} [${fallback}]`);
        const key = Object.keys(answers).find((k) =>
          q.toLowerCase().includes(k === "host" ? "docker host" : k),
        );
        return key ? answers[key]! : "";
      },
      confirm: async () => false,
    };
    await init(dir, flags({ host: undefined, yes: false }), prompter);
    expect(asked).toHaveLength(4);
    const { config } = await loadConfig(join(dir, "tinyforge.yml"));
    expect(config).toMatchObject({ domain: "shop.example.com", proxy: { driver: "nginx" } });
    expect(config.workloads.web!.port).toBe(3000);
  });
});

describe("init: what it refuses", () => {
  async function cli(dir: string, args: string[]) {
    let out = "";
    let err = "";
    const code = await main(["init", dir, ...args], {
      io: { out: (t) => (out += t), err: (t) => (err += t) },
      env: { HOME: mkdtempSync(join(tmpdir(), "tf-home-")) },
      isTTY: false,
    });
    return { code, out, err };
  }

  it("never replaces an existing file without --force", async () => {
    const dir = helloApp();
    writeFileSync(join(dir, "tinyforge.yml"), "# mine\n");
    const r = await cli(dir, ["--yes", "--host", "local"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("init would replace tinyforge.yml; nothing written");
    expect(r.err).toContain("--force");
    expect(readFileSync(join(dir, "tinyforge.yml"), "utf8")).toBe("# mine\n");
    expect(existsSync(join(dir, ".github"))).toBe(false);
    const forced = await cli(dir, ["--yes", "--host", "local", "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "tinyforge.yml"), "utf8")).toContain("source: dockerfile");
  });

  it("refuses a proxy without a domain, and an unknown proxy, writing nothing", async () => {
    const dir = helloApp();
    expect((await cli(dir, ["--yes", "--host", "local", "--proxy", "caddy"])).err).toContain(
      "--proxy caddy needs a --domain",
    );
    const r = await cli(dir, ["--yes", "--host", "local", "--domain", "x.example", "--proxy", "traefik"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--proxy: must be one of caddy, npm, nginx, none (got "traefik")');
    expect(existsSync(join(dir, "tinyforge.yml"))).toBe(false);
  });

  it("refuses a host that is not ssh://USER@HOST[:PORT] or local", async () => {
    const r = await cli(helloApp(), ["--yes", "--host", "deploy@example.com"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('hosts: must be "local", "ssh://USER@HOST[:PORT]');
  });
});
