// dockerfile source: the checkout is packed (honouring .dockerignore), uploaded over the deploy's
// SSH connection, built on the host and tagged with the SHA.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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
import { sshdLoginCount } from "./testbed.js";

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
  writeFileSync(join(dir, ".dockerignore"), "www/*.log\n");
  writeFileSync(join(dir, "www", "index.html"), `${version}\n`);
  writeFileSync(join(dir, "www", "healthz"), "ok\n");
  writeFileSync(join(dir, "www", "debug.log"), "must not reach the image\n");
}

describe.each([["" as const], ["blue-green" as const]])("dockerfile source, strategy %j", (strategy) => {
  it("builds each commit on the host and swaps v1 → v2", async () => {
    const app = makeApp({
      web: {
        source: "dockerfile",
        port: 8080,
        deploy_strategy: strategy,
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "1s",
      },
    });
    apps.push(app.project);
    writeSite(app.dir, "site v1");
    const sha1 = commitAll(app.dir, "v1");
    const logins0 = sshdLoginCount();
    const d1 = await app.cli(["deploy", "web", "--stage", "production", "--json"]);
    expect(d1.code).toBe(0);
    expect(sshdLoginCount() - logins0).toBe(1);
    const r1 = parseJsonLines(d1.stdout)[0]!;
    expect(r1).toMatchObject({
      outcome: "success",
      sha: sha1,
      strategy: strategy === "" ? "recreate" : "blue-green",
    });
    expect((r1.steps as Array<{ name: string }>)[1]?.name).toBe("build");
    expect((await get(r1.url as string)).body).toBe("site v1");
    // .dockerignore is honoured: the ignored file never reached the build context.
    expect((await get(`${r1.url}/debug.log`)).status).toBe(404);
    expect(await docker.getImage(`tinyforge/${app.project}_web:${sha1}`).inspect()).toBeTruthy();

    writeSite(app.dir, "site v2");
    const sha2 = commitAll(app.dir, "v2");
    const d2 = await app.cli(["deploy", "web", "--stage", "production", "--json"]);
    expect(d2.code).toBe(0);
    const r2 = parseJsonLines(d2.stdout)[0]!;
    expect(r2).toMatchObject({ outcome: "success", sha: sha2, previous: r1.container });
    expect((await get(r2.url as string)).body).toBe("site v2");
    const left = await projectContainers(app.project);
    expect(left.map((c) => [c.Names[0]?.slice(1), c.State])).toEqual([[r2.container, "running"]]);

    // Build output is streamed into the deploy's events on the host.
    const events = readFileSync(join(app.stateDir, app.project, "events", `${r2.deployId}.jsonl`), "utf8");
    expect(events).toMatch(/"step":"build".*COPY www/);
    expect(readdirSync(join(app.stateDir, app.project, "deploys"))).toHaveLength(2);
  });
});
