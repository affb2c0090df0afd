// Day two on the real engine over sshd: tags side by side and eviction, teardown, rollback to a
// kept image, history and logs (including --follow of a deploy still running).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  commitAll,
  docker,
  fastHealth,
  get,
  makeApp,
  parseJsonLines,
  projectContainers,
  readState,
  sshEnv,
  tb,
  spawnCli,
  removeProjectAndImages,
} from "./harness.js";

const _root = join(import.meta.dirname, "..", "..");
const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProjectAndImages(p);
});
const web = {
  source: "image",
  image: `${tb.registry}/tinyforge/web:{ref}`,
  port: 8080,
  healthcheck: fastHealth,
  drain: "100ms",
  stop_timeout: "1s",
};

describe("tags and previews", () => {
  it("run side by side; max_instances evicts the oldest (container and state); teardown removes one", async () => {
    const a = makeApp(
      { web },
      { stages: { production: { branch: "main" }, preview: { pull_requests: true, max_instances: 2 } } },
    );
    apps.push(a.project);
    const at = async (tag: string, ref: string, sha: string) => {
      const r = await a.cli([
        "deploy",
        "web",
        "--stage",
        "preview",
        "--tag",
        tag,
        "--sha",
        sha,
        "--ref",
        ref,
        "--json",
      ]);
      expect(r.code).toBe(0);
      return parseJsonLines(r.stdout)[0]!;
    };
    const one = await at("pr-1", "v1", "1111111");
    const two = await at("PR_2.x", "v2", "2222222");
    expect(two.container).toMatch(/-preview-pr-2-x-[a-z0-9]+$/); // tag sanitized for DNS and names
    expect((await get(one.url as string)).body).toBe("v1");
    expect((await get(two.url as string)).body).toBe("v2");
    expect(await projectContainers(a.project)).toHaveLength(2);

    const three = await at("pr-3", "v1", "3333333");
    const names = (await projectContainers(a.project)).map((c) => c.Names[0]!.slice(1)).sort();
    expect(names).toEqual([two.container, three.container].sort());
    expect(readState(a, "web.preview.pr-1")).toBeUndefined();
    const st = JSON.parse((await a.cli(["status", "web", "--stage", "preview", "--json"])).stdout);
    expect(st.map((s: { tag: string }) => s.tag).sort()).toEqual(["PR_2.x", "pr-3"]);
    expect(st).toHaveLength(2);

    const td = await a.cli(["teardown", "web", "--stage", "preview", "--tag", "PR_2.x"]);
    expect(td.code).toBe(0);
    expect(td.stdout).toContain(`removed ${two.container}`);
    expect((await projectContainers(a.project)).map((c) => c.Names[0]!.slice(1))).toEqual([three.container]);
    expect(readState(a, "web.preview.pr-2-x")).toBeUndefined();
    expect((await a.cli(["teardown", "web", "--stage", "preview", "--tag", "PR_2.x"])).stdout).toContain(
      "nothing deployed",
    );
  });
});

function writeSite(dir: string, version: string) {
  mkdirSync(join(dir, "www"), { recursive: true });
  writeFileSync(
    join(dir, "Dockerfile"),
    'FROM tinyforge/busybox:latest\nCOPY www /www\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
  );
  writeFileSync(join(dir, "www", "index.html"), `${version}\n`);
  writeFileSync(join(dir, "www", "healthz"), "ok\n");
}

describe("rollback and history", () => {
  it("rolls back to the kept image of the previous release, as a deploy of its own; old images are pruned", async () => {
    const a = makeApp({
      web: {
        source: "dockerfile",
        port: 8080,
        deploy_strategy: "blue-green",
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "1s",
        keep_releases: 1,
      },
    });
    apps.push(a.project);
    const shas: string[] = [];
    for (const v of ["one", "two", "three"]) {
      writeSite(a.dir, `site ${v}`);
      shas.push(commitAll(a.dir, v));
      expect((await a.cli(["deploy", "web", "--stage", "production"])).code).toBe(0);
    }
    const tags = async () =>
      (await docker.listImages({ filters: { reference: [`tinyforge/${a.project}_web`] } }))
        .flatMap((i) => i.RepoTags ?? [])
        .sort();
    // keep_releases 1: the active release and one to roll back to; the first image is gone.
    expect(await tags()).toEqual(
      [`tinyforge/${a.project}_web:${shas[1]}`, `tinyforge/${a.project}_web:${shas[2]}`].sort(),
    );

    const rb = await a.cli(["rollback", "web", "--stage", "production", "--json"]);
    expect(rb.code).toBe(0);
    const r = parseJsonLines(rb.stdout)[0]!;
    expect(r).toMatchObject({ outcome: "success", sha: shas[1], strategy: "blue-green" });
    expect((r.steps as Array<{ name: string }>).map((s) => s.name)).toContain("image");
    expect((await get(r.url as string)).body).toBe("site two");
    expect(readState(a, "web.production")?.previous.map((p) => p.sha)).toEqual([shas[2]]);

    const h = await a.cli(["history", "web", "--json"]);
    const recs = JSON.parse(h.stdout) as Array<{ sha: string; outcome: string; trigger?: string }>;
    expect(recs.map((x) => [x.sha, x.outcome, x.trigger ?? ""])).toEqual([
      [shas[1], "success", "rollback"],
      [shas[2], "success", ""],
      [shas[1], "success", ""],
      [shas[0], "success", ""],
    ]);
    const page = await a.cli(["history", "web", "--limit", "2"]);
    expect(page.stdout.trim().split("\n")).toHaveLength(3);
    expect(page.stdout).toMatch(/next page: --before [0-9A-Z]{26}/);
    const before = /--before ([0-9A-Z]{26})/.exec(page.stdout)![1]!;
    const page2 = JSON.parse(
      (await a.cli(["history", "web", "--limit", "2", "--before", before, "--json"])).stdout,
    );
    expect(page2.map((x: { sha: string }) => x.sha)).toEqual([shas[1], shas[0]]);

    // Nothing earlier than the first release: rolling back past it is a clear usage error.
    const b = makeApp({ web });
    apps.push(b.project);
    expect(
      (await b.cli(["deploy", "web", "--stage", "production", "--sha", "1111111", "--ref", "v1"])).code,
    ).toBe(0);
    const none = await b.cli(["rollback", "web", "--stage", "production"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no kept release older than the serving one");
  });

  it("logs prints a deploy's events; --follow shows them while the deploy runs", async () => {
    const a = makeApp({
      web: {
        ...web,
        image: "tinyforge/web:{ref}",
        pull: "missing",
        healthcheck: { path: "/healthz", retries: 6, interval: "500ms", timeout: "1s" },
      },
    });
    apps.push(a.project);
    const { done } = spawnCli(a, [
      "deploy",
      "web",
      "--stage",
      "production",
      "--sha",
      "2222222",
      "--ref",
      "unhealthy",
    ]);
    const ended = done.then((r) => r.code);
    const deploys = join(a.stateDir, a.project, "deploys");
    const t0 = Date.now();
    // Only a finished write: an atomic write's temp file sits beside it for a moment.
    const records = () =>
      existsSync(deploys) ? readdirSync(deploys).filter((n) => /^\w{26}\.json$/.test(n)) : [];
    while (records().length === 0) {
      if (Date.now() - t0 > 60_000) throw new Error("the deploy never started");
      await new Promise((r) => setTimeout(r, 50));
    }
    const id = records()[0]!.replace(/\.json$/, "");
    const lines: Array<{ at: number; text: string }> = [];
    let endedAt = 0;
    void ended.then(() => {
      endedAt = Date.now();
    });
    const { main } = await import("../../src/cli/main.js");
    const code = await main(["-c", join(a.dir, "tinyforge.yml"), "logs", id, "--follow"], {
      io: { out: (t) => void lines.push({ at: Date.now(), text: t }), err: () => {} },
      env: { ...process.env, ...sshEnv },
      isTTY: false,
    });
    expect(code).toBe(0);
    expect(await ended).toBe(1);
    const text = lines.map((l) => l.text).join("");
    expect(text).toMatch(/ info {2}gate +attempt 1: \/healthz HTTP 404/);
    expect(text).toMatch(/ error deploy +failed: .*failed its health check/);
    // Followed live: the first gate attempt was printed while the deploy still ran (events reach
    // the host about once a second, so how long before depends on the machine's load).
    const firstAttempt = lines.find((l) => l.text.includes("attempt 1:"))!;
    expect(endedAt - firstAttempt.at).toBeGreaterThan(0);

    const once = await a.cli(["logs", id]);
    expect(once.stdout).toBe(text);
    expect((await a.cli(["logs", "01ARZ3NDEKTSV4RRFFQ69G5FAV"])).code).toBe(2);
  });
});
