import { afterEach, describe, expect, it, vi } from "vitest";
import { disposeAll, harness, imageOf, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

describe("deploy: the request", () => {
  it("an unknown workload is a usage error naming the ones there are, and touches nothing", async () => {
    const h = harness();
    await expect(h.deploy(V1, { workload: "wbe" })).rejects.toMatchObject({
      code: "usage",
      message: 'no workload "wbe" in the config (have: web)',
    });
    expect(await h.host.dump()).toEqual(new Map());
    expect(h.docker.calls).toEqual([]);
  });

  it("an unknown stage is a usage error naming the ones there are", async () => {
    const h = harness();
    await expect(h.deploy(V1, { stage: "prod" })).rejects.toMatchObject({
      code: "usage",
      message: expect.stringContaining("(have: production)"),
    });
    expect(h.docker.calls).toEqual([]);
  });

  it("a tagged deploy gets its own container name, hostname, state key and TINYFORGE_TAG", async () => {
    const h = harness();
    const r = await h.deploy(V1, { tag: "pr-12" });
    expect(r.tag).toBe("pr-12");
    expect(r.container).toMatch(/^shop-web-production-pr-12-[a-z2-7]{8}$/);
    expect(r.url).toBe("http://stage-production-shop-pr-12");
    expect(h.docker.specOf(r.container!)?.env).toContain("TINYFORGE_TAG=pr-12");
    expect(await h.store.readInstance("web.production.pr-12")).toMatchObject({
      tag: "pr-12",
      active: { sha: V1 },
    });
    expect(await h.state()).toBeUndefined();
  });
});

describe("deploy: history on the host", () => {
  it("writes the deploy record with outcome, steps, names and timing", async () => {
    const h = harness();
    const first = await h.deploy(V1);
    const r = await h.deploy(V2, { ref: "refs/heads/main" });
    const rec = await h.store.readDeploy(r.deployId);
    expect(rec).toMatchObject({
      deployId: r.deployId,
      project: "shop",
      workload: "web",
      stage: "production",
      sha: V2,
      ref: "refs/heads/main",
      strategy: "blue-green",
      host: "fake",
      outcome: "success",
      container: r.container,
      previous: first.container,
      url: r.url,
      durationMs: r.durationMs,
      steps: r.steps,
    });
    expect(rec).not.toHaveProperty("tag");
    expect(rec).not.toHaveProperty("error");
    expect(Date.parse(rec!.finishedAt!) - Date.parse(rec!.startedAt)).toBe(r.durationMs);
    expect(await h.store.listDeployIds()).toEqual([r.deployId, first.deployId].sort().reverse());
  });

  it("releases its lock while it writes its outcome, both on the host before it answers", async () => {
    const h = harness();
    await h.deploy(V1);
    const files = h.host.files;
    const [write, remove] = [files.writeAtomic.bind(files), files.remove.bind(files)];
    let outcomeWritten!: () => void;
    const outcome = new Promise<boolean>((r) => (outcomeWritten = () => r(true)));
    files.writeAtomic = (path, data) => {
      if (path.includes("/deploys/") && data.includes('"outcome": "success"')) outcomeWritten();
      return write(path, data);
    };
    let overlapped: boolean | undefined;
    files.remove = async (path) => {
      // The lease goes once the outcome is on its way too (else after 1 s: one after the other).
      if (/\/locks\/.*\/gen-\d+\.json$/.test(path))
        overlapped = await Promise.race([
          outcome,
          new Promise<boolean>((r) => setTimeout(() => r(false), 1000)),
        ]);
      return remove(path);
    };
    const r = await h.deploy(V2);
    expect(overlapped).toBe(true);
    expect(await h.store.readDeploy(r.deployId)).toMatchObject({ outcome: "success" });
    expect(
      (await files.list(h.store.lockDir("web", "production"))).filter((f) => f.startsWith("gen-")),
    ).toEqual([]);
  });

  it("reads its instance's state file once before it starts: what reconcile read under the lock", async () => {
    const h = harness();
    const first = await h.deploy(V1);
    const files = h.host.files;
    const read = files.read.bind(files);
    files.read = (path) => {
      if (path.includes("/instances/")) h.timeline.push(`files read ${path}`);
      return read(path);
    };
    const t0 = h.timeline.length;
    const r = await h.deploy(V2);
    const before = h.timeline.slice(
      t0,
      h.timeline.findIndex((l, i) => i >= t0 && l.startsWith("docker create")),
    );
    expect(before.filter((l) => l.startsWith("files read"))).toEqual([
      expect.stringMatching(/\/instances\/web\.production\.json$/),
    ]);
    expect(r.previous).toBe(first.container);
    expect(await h.state()).toMatchObject({ active: { sha: V2 }, previous: [{ sha: V1 }] });
  });

  it("keeps the same events on the host that listeners saw, in order", async () => {
    const h = harness();
    const r = await h.deploy(V1);
    const mine = h.events.filter((e) => e.deployId === r.deployId);
    expect(await h.store.readEvents(r.deployId)).toEqual(mine);
    expect(mine.at(-1)).toMatchObject({
      level: "info",
      step: "deploy",
      msg: expect.stringContaining(`serves ${V1.slice(0, 12)}`),
    });
  });

  it("records a failed deploy with its error code and message", async () => {
    const h = harness();
    h.docker.behaviour = () => "unhealthy";
    const r = await h.deploy(V1);
    expect(await h.store.readDeploy(r.deployId)).toMatchObject({
      outcome: "failed",
      error: { code: "health_timeout" },
    });
    expect(r.durationMs).toBeGreaterThanOrEqual(2000); // two 1 s retry intervals on the clock
  });
});

describe("deploy: getting the image", () => {
  it("does not pull an image named by its SHA that the host already has", async () => {
    const h = harness();
    h.docker.images.add(imageOf(V1));
    const r = await h.deploy(V1);
    expect(r.outcome).toBe("success");
    expect(h.docker.calls.some((c) => c.startsWith("pull"))).toBe(false);
    expect(r.steps.map((s) => s.name)).toContain("pull");
  });

  it("pulls a mutable tag every time by default, even when present", async () => {
    const h = harness({ workload: { image: "registry.example.com/shop/web:latest" } });
    h.docker.images.add("registry.example.com/shop/web:latest");
    await h.deploy(V1);
    expect(h.docker.calls[0]).toBe("pull registry.example.com/shop/web:latest");
  });

  it("asks once whether the image is on the host, while it reconciles rather than after", async () => {
    const h = harness();
    h.docker.images.add(imageOf(V1));
    const asked: string[] = [];
    const exists = h.docker.imageExists.bind(h.docker);
    const list = h.docker.list.bind(h.docker);
    vi.spyOn(h.docker, "imageExists").mockImplementation((ref) => {
      asked.push("image");
      return exists(ref);
    });
    vi.spyOn(h.docker, "list").mockImplementation((labels) => {
      asked.push("list");
      return list(labels);
    });
    expect((await h.deploy(V1)).outcome).toBe("success");
    expect(asked.filter((a) => a === "image")).toHaveLength(1);
    expect(asked.indexOf("image")).toBeLessThan(asked.indexOf("list"));
  });

  it("with pull: missing uses the local copy of a mutable tag", async () => {
    const h = harness({ workload: { image: "registry.example.com/shop/web:latest", pull: "missing" } });
    h.docker.images.add("registry.example.com/shop/web:latest");
    await h.deploy(V1);
    expect(h.docker.calls.some((c) => c.startsWith("pull"))).toBe(false);
  });
});
