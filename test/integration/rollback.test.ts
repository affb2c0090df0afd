// Rollback you can aim: by default back to the release deployed before the serving one (repeated
// rollbacks walk back, they do not toggle), `--to` any kept release, refused naming what is kept
// otherwise; history marks each rollback with where it went from and to.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  commitAll,
  fastHealth,
  get,
  makeApp,
  parseJsonLines,
  removeProjectAndImages,
  tb,
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

const production = ["--stage", "production"];

describe("rollback", () => {
  it("three deploys then two rollbacks serve the first release, each marked in history", async () => {
    const app = makeApp({
      web: { source: "dockerfile", port: 8080, healthcheck: fastHealth, drain: "100ms", stop_timeout: "1s" },
    });
    apps.push(app.project);
    const shas: string[] = [];
    let url = "";
    for (const v of ["v1", "v2", "v3"]) {
      writeSite(app.dir, v);
      shas.push(commitAll(app.dir, v));
      const d = await app.cli(["deploy", "web", ...production, "--json"]);
      expect(d.code, d.stderr).toBe(0);
      url = parseJsonLines(d.stdout)[0]!.url as string;
    }
    expect((await get(url)).body).toBe("v3");

    const first = await app.cli(["rollback", "web", ...production]);
    expect(first.code, first.stderr).toBe(0);
    // The same header a deploy prints, then the steps.
    expect(first.stderr).toMatch(/^web → production on \S+ \(rollback\)\n/);
    expect(first.stdout).toContain(`rolled back web ${shas[2]!.slice(0, 12)} → ${shas[1]!.slice(0, 12)}`);
    expect((await get(url)).body).toBe("v2");

    const second = await app.cli(["rollback", "web", ...production, "--json"]);
    expect(second.code, second.stderr).toBe(0);
    const r = parseJsonLines(second.stdout)[0]!;
    expect(r).toMatchObject({ outcome: "success", sha: shas[0] });
    expect((await get(url)).body).toBe("v1");

    const history = await app.cli(["history", "web", ...production, "--json"]);
    const rows = JSON.parse(history.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((h) => h.kind)).toEqual(["rollback", "rollback", "deploy", "deploy", "deploy"]);
    expect(rows[0]).toMatchObject({
      sha: shas[0],
      rollback: { from: { sha: shas[1] }, to: { sha: shas[0] } },
    });
    expect(rows[1]).toMatchObject({ rollback: { from: { sha: shas[2] }, to: { sha: shas[1] } } });
    // The releases keep the ids of the deploys that built them.
    expect((rows[0]!.rollback as { to: { deployId: string } }).to.deployId).toBe(rows[4]!.deployId);
    const text = await app.cli(["history", "web", ...production]);
    expect(text.stdout.split("\n")[0]).toContain(
      `rollback ${shas[1]!.slice(0, 12)} → ${shas[0]!.slice(0, 12)}`,
    );

    // Nothing older is kept than the first release: said, with what there is.
    const third = await app.cli(["rollback", "web", ...production]);
    expect(third.code).toBe(2);
    expect(third.stderr).toContain("no kept release older than the serving one");
    expect(third.stderr).toContain(shas[2]!.slice(0, 12));
  });

  it("--to a release whose image is no longer kept is refused, naming the kept ones", async () => {
    const app = makeApp({
      web: {
        source: "image",
        image: "tinyforge/web:{ref}",
        pull: "missing",
        port: tb.webPort,
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "1s",
        keep_releases: 1,
      },
    });
    apps.push(app.project);
    const deploys: Array<[string, string]> = [
      ["1111111", "v1"],
      ["2222222", "v2"],
      ["3333333", "v1"],
    ];
    for (const [sha, ref] of deploys) {
      const d = await app.cli(["deploy", "web", ...production, "--sha", sha, "--ref", ref]);
      expect(d.code, d.stderr).toBe(0);
    }
    const state = JSON.parse(
      readFileSync(join(app.stateDir, app.project, "instances", "web.production.json"), "utf8"),
    );
    expect(state.previous.map((p: { sha: string }) => p.sha)).toEqual(["2222222"]);

    const refused = await app.cli(["rollback", "web", ...production, "--to", "1111111"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("1111111 is not a kept release of web in production");
    expect(refused.stderr).toContain(`kept: ${state.previous[0].deployId} (2222222`);
    expect(refused.stderr).toContain("keep_releases");

    const aimed = await app.cli([
      "rollback",
      "web",
      ...production,
      "--to",
      state.previous[0].deployId,
      "--json",
    ]);
    expect(aimed.code, aimed.stderr).toBe(0);
    const r = parseJsonLines(aimed.stdout)[0]!;
    expect(r).toMatchObject({ outcome: "success", sha: "2222222" });
    expect((await get(r.url as string)).body).toBe("v2");
  });
});
