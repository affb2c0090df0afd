// What is recorded is what serves: a dockerfile source builds the commit its deploy records
// (`--sha` of an older commit builds that commit's files, not the checkout), under its full SHA;
// a checkout with changes is refused, or deployed with --allow-dirty and marked dirty.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
  removeProjectAndImages,
} from "./harness.js";

const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProjectAndImages(p);
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

function webApp() {
  const app = makeApp({
    web: { source: "dockerfile", port: 8080, healthcheck: fastHealth, drain: "100ms", stop_timeout: "1s" },
  });
  apps.push(app.project);
  return app;
}

describe("the built tree is the recorded commit", () => {
  it("--sha of an older commit (a short prefix) serves that commit's files, recorded and tagged by its full SHA", async () => {
    const app = webApp();
    writeSite(app.dir, "v1");
    const sha1 = commitAll(app.dir, "v1");
    writeSite(app.dir, "v2");
    commitAll(app.dir, "v2");

    const d = await app.cli(["deploy", "web", "--stage", "production", "--sha", sha1.slice(0, 9), "--json"]);
    expect(d.code, d.stderr).toBe(0);
    const r = parseJsonLines(d.stdout)[0]!;
    expect(r).toMatchObject({ outcome: "success", sha: sha1 });
    expect((await get(r.url as string)).body).toBe("v1");
    const record = JSON.parse(
      readFileSync(join(app.stateDir, app.project, "deploys", `${r.deployId}.json`), "utf8"),
    );
    expect(record.sha).toBe(sha1);
    const [c] = await projectContainers(app.project);
    expect(c?.Image).toBe(`tinyforge/${app.project}_web:${sha1}`);
  });

  it("a short SHA the checkout does not have is refused before anything is touched", async () => {
    const app = webApp();
    writeSite(app.dir, "v1");
    commitAll(app.dir, "v1");
    const d = await app.cli(["deploy", "web", "--stage", "production", "--sha", "abcdef1234"]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--sha abcdef1234: no such commit/);
    expect(await projectContainers(app.project)).toEqual([]);
  });

  it("a checkout with changes is refused, naming them; --allow-dirty deploys it marked dirty", async () => {
    const app = webApp();
    writeSite(app.dir, "v1");
    const sha1 = commitAll(app.dir, "v1");
    writeSite(app.dir, "v1 edited");
    writeFileSync(join(app.dir, "www", "new.html"), "new\n");

    const refused = await app.cli(["deploy", "web", "--stage", "production"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("changes that are not in");
    expect(refused.stderr).toContain("www/index.html");
    expect(refused.stderr).toContain("www/new.html");
    expect(refused.stderr).toContain("--allow-dirty");
    expect(await projectContainers(app.project)).toEqual([]);

    const d = await app.cli(["deploy", "web", "--stage", "production", "--allow-dirty", "--json"]);
    expect(d.code, d.stderr).toBe(0);
    const r = parseJsonLines(d.stdout)[0]!;
    expect(r).toMatchObject({ outcome: "success", sha: sha1, dirty: true });
    expect((await get(r.url as string)).body).toBe("v1 edited");
    const record = JSON.parse(
      readFileSync(join(app.stateDir, app.project, "deploys", `${r.deployId}.json`), "utf8"),
    );
    expect(record).toMatchObject({ sha: sha1, dirty: true });
    const [c] = await projectContainers(app.project);
    expect(c?.Image).toBe(`tinyforge/${app.project}_web:${sha1}-dirty-${String(r.deployId).toLowerCase()}`);

    // Committing the same content is a new commit; deploying the dirty build's SHA again is not
    // "unchanged": a dirty build is never taken for the commit.
    const again = await app.cli(["deploy", "web", "--stage", "production", "--sha", sha1, "--json"]);
    const r2 = parseJsonLines(again.stdout)[0]!;
    expect(r2).toMatchObject({ outcome: "success", sha: sha1 });
    expect(r2.dirty).toBeUndefined();
    expect((await get(r2.url as string)).body).toBe("v1");
    await docker.getImage(`tinyforge/${app.project}_web:${sha1}`).inspect();
  });
});
