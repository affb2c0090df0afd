// Accessories on the real engine over sshd: a long-lived service beside the app, on its stage's
// network, reached by its name; app deploys never restart it; its named volume outlives restarts
// and `down`, and goes only with --remove-data.
import { afterAll, describe, expect, it } from "vitest";
import { docker, makeApp, removeProject, tb } from "./harness.js";

const SECRET = "accessory-secret-value-42";
// Counts its own starts in its volume and serves the count on port 80.
const store = {
  image: tb.images.busybox,
  port: 80,
  secrets: ["STORE_TOKEN"],
  volumes: ["data:/data"],
  command: [
    "/bin/sh",
    "-c",
    'trap "exit 0" TERM; mkdir -p /data/www; n=$(( $(cat /data/count 2>/dev/null || echo 0) + 1 )); echo $n > /data/count; cp /data/count /data/www/count; echo "start $n token=$STORE_TOKEN"; busybox httpd -f -p 80 -h /data/www & wait',
  ],
};
const a = makeApp(
  {
    web: {
      source: "image",
      image: tb.images.webV1,
      pull: "missing",
      port: 8080,
      liveness_window: "500ms",
      drain: "100ms",
      stop_timeout: "1s",
    },
  },
  { accessories: { store } },
);
const env = { STORE_TOKEN: SECRET };
const container = `${a.project}-accessory-store-production`;
const volume = `${a.project}-production-data`;

afterAll(async () => {
  await removeProject(a.project);
  await docker
    .getNetwork(`tf_${a.project}_production`)
    .remove()
    .catch(() => undefined);
  await docker
    .getNetwork(`tf_${a.project}_preview`)
    .remove()
    .catch(() => undefined);
  await docker
    .getVolume(volume)
    .remove()
    .catch(() => undefined);
});

const fromApp = () =>
  a.cli(["exec", "web", "--stage", "production", "--running", "--", "wget", "-qO-", "http://store/count"]);

describe("accessories", () => {
  it("survive three app deploys with their data, and the app reaches them by name", async () => {
    const up = await a.cli(["accessory", "up", "store", "--stage", "production"], env);
    expect(up.stderr).toBe("");
    expect(up.stdout).toContain(`${container} up on network tf_${a.project}_production as "store"`);
    const id = (await docker.getContainer(container).inspect()).Id;

    for (const sha of ["1111111", "2222222", "3333333"]) {
      const r = await a.cli(["deploy", "web", "--stage", "production", "--sha", sha], env);
      expect(r.code).toBe(0);
    }
    const after = await docker.getContainer(container).inspect();
    expect(after.Id).toBe(id);
    expect(after.State.Running).toBe(true);
    expect(after.RestartCount).toBe(0);
    const reached = await fromApp();
    expect(reached.stdout.trim()).toBe("1"); // started once, never restarted by a deploy
    expect(reached.code).toBe(0);

    const again = await a.cli(["accessory", "up", "store", "--stage", "production"], env);
    expect(again.stdout).toContain("runs, unchanged");
  }, 300_000);

  it("logs are redacted; restart and down keep the volume; --remove-data drops it", async () => {
    const logs = await a.cli(["accessory", "logs", "store", "--stage", "production"], env);
    expect(logs.stdout).toContain("start 1 token=***");
    expect(logs.stdout).not.toContain(SECRET);

    expect((await a.cli(["accessory", "restart", "store", "--stage", "production"], env)).code).toBe(0);
    expect((await fromApp()).stdout.trim()).toBe("2");

    const down = await a.cli(["accessory", "down", "store", "--stage", "production"], env);
    expect(down.stdout).toContain(`kept volume ${volume}`);
    await expect(docker.getContainer(container).inspect()).rejects.toThrow();
    expect((await a.cli(["accessory", "up", "store", "--stage", "production"], env)).code).toBe(0);
    expect((await fromApp()).stdout.trim()).toBe("3");

    const gone = await a.cli(["accessory", "down", "store", "--stage", "production", "--remove-data"], env);
    expect(gone.stdout).toContain(`removed volume ${volume}`);
    await expect(docker.getVolume(volume).inspect()).rejects.toThrow();
    expect((await a.cli(["accessory", "up", "store", "--stage", "production"], env)).code).toBe(0);
    expect((await fromApp()).stdout.trim()).toBe("1");
  }, 300_000);

  it("refuses an accessory the config does not name, and --tag on a shared one", async () => {
    const none = await a.cli(["accessory", "up", "cache", "--stage", "production"], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no accessory "cache" in the config (have: store)');
    const tagged = await a.cli(["accessory", "up", "store", "--stage", "preview", "--tag", "pr-1"], env);
    expect(tagged.code).toBe(2);
    expect(tagged.stderr).toContain("per_tag is false");
  });

  it("a stage's network that belongs to another project is never joined: the deploy is refused before any container", async () => {
    // What a project whose name and stage spell the same network would have made.
    await docker.createNetwork({
      Name: `tf_${a.project}_preview`,
      Labels: { "dev.tinyforge.project": `${a.project}-admin`, "dev.tinyforge.stage": "preview" },
    });
    const r = await a.cli(["deploy", "web", "--stage", "preview", "--sha", "1111111", "--json"], env);
    expect(r.code).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toContain(
      `network tf_${a.project}_preview belongs to ${a.project}-admin/preview, not ${a.project}/preview`,
    );
    const previews = await docker.listContainers({
      all: true,
      filters: { label: [`dev.tinyforge.project=${a.project}`, "dev.tinyforge.stage=preview"] },
    });
    expect(previews).toEqual([]);
  });
});
