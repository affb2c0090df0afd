// static source: a directory served by a web-server image built on the host. httpd mode serves
// files; deno mode with storage mounts one persistent volume and is forced to recreate.
import { mkdirSync, writeFileSync } from "node:fs";
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
  for (const p of apps) {
    await removeProjectAndImages(p);
    for (const v of (await docker.listVolumes()).Volumes ?? []) {
      // Scoped names (PROJECT_…) and the ones this file makes the old way (PROJECT-…).
      if (v.Name.startsWith(`${p}_`) || v.Name.startsWith(`${p}-`))
        await docker
          .getVolume(v.Name)
          .remove()
          .catch(() => undefined);
    }
  }
});

function writeSite(dir: string, version: string) {
  mkdirSync(join(dir, "public"), { recursive: true });
  writeFileSync(join(dir, "public", "index.html"), `${version}\n`);
  writeFileSync(join(dir, "public", "healthz"), "ok\n");
}

/** A deno site with storage; busybox stands in for deno (no deno image offline). */
function denoSite() {
  return makeApp({
    site: {
      source: "static",
      mode: "deno",
      storage: true,
      deploy_strategy: "blue-green",
      context: "public",
      // Writes to the storage like an app would.
      base_image: "tinyforge/busybox:latest",
      command: [
        "sh",
        "-c",
        "echo boot >> /app/data/boots; trap 'exit 0' TERM; httpd -f -p 8080 -h /app & wait",
      ],
      port: 8080,
      healthcheck: fastHealth,
      drain: "100ms",
      stop_timeout: "2s",
    },
  });
}

describe("static source", () => {
  it("httpd mode: builds the site into an image on the host and swaps v1 → v2", async () => {
    const a = makeApp({
      site: {
        source: "static",
        context: "public",
        base_image: "tinyforge/busybox:latest",
        healthcheck: fastHealth,
        drain: "100ms",
        stop_timeout: "2s",
      },
    });
    apps.push(a.project);
    writeSite(a.dir, "static v1");
    const sha1 = commitAll(a.dir, "v1");
    const r1 = parseJsonLines(
      (await a.cli(["deploy", "site", "--stage", "production", "--json"])).stdout,
    )[0]!;
    expect(r1).toMatchObject({ outcome: "success", sha: sha1, strategy: "recreate" });
    expect((await get(r1.url as string)).body).toBe("static v1");
    // The generated Dockerfile sits beside the site in the context, never inside what is served.
    expect((await get(`${r1.url}/Dockerfile`)).status).toBe(404);

    writeSite(a.dir, "static v2");
    commitAll(a.dir, "v2");
    const t0 = Date.now();
    const r2 = parseJsonLines(
      (await a.cli(["deploy", "site", "--stage", "production", "--json"])).stdout,
    )[0]!;
    expect(r2).toMatchObject({ outcome: "success", previous: r1.container });
    expect((await get(r2.url as string)).body).toBe("static v2");
    expect((await projectContainers(a.project)).map((c) => c.Names[0]!.slice(1))).toEqual([r2.container]);
    // The image's shell traps SIGTERM: stopping the old site does not wait for stop_timeout's kill.
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it("deno mode with storage: forced to recreate, one volume kept across releases", async () => {
    const a = denoSite();
    apps.push(a.project);
    for (const v of ["deno v1", "deno v2"]) {
      writeSite(a.dir, v);
      commitAll(a.dir, v);
      const r = parseJsonLines(
        (await a.cli(["deploy", "site", "--stage", "production", "--json"])).stdout,
      )[0]!;
      // One RW volume, one writer: blue-green was asked for, recreate is what ran.
      expect(r).toMatchObject({ outcome: "success", strategy: "recreate" });
      expect((await get(r.url as string)).body).toBe(v);
    }
    const [c] = await projectContainers(a.project);
    const info = await docker.getContainer(c!.Id).inspect();
    expect(info.Mounts.map((m) => [m.Type, m.Name, m.Destination])).toEqual([
      ["volume", `${a.project}_site-production-data`, "/app/data"],
    ]);
    const url = JSON.parse((await a.cli(["status", "--json"])).stdout)[0].url;
    expect((await get(`${url}/data/boots`)).body).toBe("boot\nboot");
  });

  it("deno mode with storage: the next release mounts the volume the serving container mounts, whatever its name", async () => {
    const a = denoSite();
    apps.push(a.project);
    writeSite(a.dir, "deno v1");
    commitAll(a.dir, "v1");
    const deploy = async () =>
      parseJsonLines((await a.cli(["deploy", "site", "--stage", "production", "--json"])).stdout)[0]!;
    expect(await deploy()).toMatchObject({ outcome: "success" });

    // The site as something else left it (an older tinyforge named it PROJECT-WORKLOAD-STAGE-data):
    // the same container, its storage under a name no rule gives. The state's container is gone,
    // so the next deploy adopts this one, and only its mounts can say which volume is the site's.
    const legacy = `${a.project}-kept-data`;
    const [v1] = await projectContainers(a.project);
    const old = await docker.getContainer(v1!.Id).inspect();
    const made = await docker.createContainer({
      name: `${a.project}-site-production-legacy`,
      Image: old.Config.Image,
      Labels: old.Config.Labels,
      Env: old.Config.Env,
      Cmd: old.Config.Cmd,
      ExposedPorts: old.Config.ExposedPorts,
      HostConfig: { Binds: [`${legacy}:/app/data`], PortBindings: old.HostConfig.PortBindings },
    });
    await made.start();
    await docker.getContainer(v1!.Id).remove({ force: true });

    writeSite(a.dir, "deno v2");
    commitAll(a.dir, "v2");
    const r2 = await deploy();
    expect(r2).toMatchObject({ outcome: "success" });
    expect((await get(r2.url as string)).body).toBe("deno v2");
    const [c] = await projectContainers(a.project);
    const info = await docker.getContainer(c!.Id).inspect();
    expect(info.Mounts.map((m) => [m.Type, m.Name, m.Destination])).toEqual([
      ["volume", legacy, "/app/data"],
    ]);
    // Two boots in the kept volume (the hand-made container's, v2's); v1's went to a volume of its own.
    expect((await get(`${r2.url}/data/boots`)).body).toBe("boot\nboot");
  });
});
