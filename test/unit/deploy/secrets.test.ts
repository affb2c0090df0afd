import { afterEach, describe, expect, it } from "vitest";
import { TinyforgeError } from "../../../src/errors.js";
import { disposeAll, harness, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

const SECRET = "tf-s3cr3t-9f8e7d6c5b4a";

function withSecret() {
  return harness({
    workload: { secrets: ["API_TOKEN"], env: { MODE: "production" } },
    secrets: { API_TOKEN: SECRET },
  });
}

/** Everything the deploy left behind or handed back, as text. */
async function everything(h: ReturnType<typeof withSecret>, results: unknown[]) {
  const files = await h.host.dump();
  return { files, events: JSON.stringify(h.events), results: JSON.stringify(results) };
}

describe("secrets", () => {
  it("reach the container's env through the create call", async () => {
    const h = withSecret();
    const r = await h.deploy(V1);
    expect(h.docker.specOf(r.container!)?.env).toEqual([
      "MODE=production",
      // No proxy, no route: the URL is empty (it is known only once a port is published).
      "TINYFORGE_URL=",
      `API_TOKEN=${SECRET}`,
      `TINYFORGE_SHA=${V1}`,
      "TINYFORGE_STAGE=production",
      `TINYFORGE_DEPLOY_ID=${r.deployId}`,
    ]);
  });

  it("appear in no event, state file, deploy record, lock, or result of a successful swap", async () => {
    const h = withSecret();
    const results = [await h.deploy(V1), await h.deploy(V2)];
    const { files, events, results: out } = await everything(h, results);

    // The places a leak would land all exist and are non-empty: the check below is not vacuous.
    const paths = [...files.keys()];
    expect(paths).toEqual(
      expect.arrayContaining([
        ".tinyforge/shop/instances/web.production.json",
        `.tinyforge/shop/deploys/${results[1]!.deployId}.json`,
        `.tinyforge/shop/events/${results[1]!.deployId}.jsonl`,
      ]),
    );
    expect(h.events.length).toBeGreaterThan(10);
    for (const [path, text] of files) expect(text, path).not.toContain(SECRET);
    expect(events).not.toContain(SECRET);
    expect(out).not.toContain(SECRET);
  });

  it("are masked in a failure message that carries one: result, events and the deploy record", async () => {
    const h = withSecret();
    h.docker.beforeCall = (call) => {
      if (call.startsWith("create "))
        throw new Error(`invalid environment variable: API_TOKEN=${SECRET} contains a newline`);
    };
    const r = await h.deploy(V1);

    expect(r.outcome).toBe("failed");
    expect(r.error).toEqual({
      code: "deploy_failed",
      message: "invalid environment variable: API_TOKEN=*** contains a newline",
    });
    const errors = h.events.filter((e) => e.level === "error");
    expect(errors.map((e) => e.step)).toEqual(["create", "deploy"]);
    for (const e of errors) expect(e.msg).toContain("API_TOKEN=*** contains");
    expect((await h.store.readDeploy(r.deployId))?.error?.message).toBe(r.error?.message);
    expect((await h.store.readEvents(r.deployId)).filter((e) => e.level === "error")).toHaveLength(2);

    const { files, events, results } = await everything(h, [r]);
    for (const [path, text] of files) expect(text, path).not.toContain(SECRET);
    expect(events).not.toContain(SECRET);
    expect(results).not.toContain(SECRET);
  });

  it("are masked in a coded failure too, e.g. a registry error echoing a credential", async () => {
    const h = withSecret();
    h.docker.beforeCall = (call) => {
      if (call.startsWith("pull "))
        throw new TinyforgeError("pull_failed", `pulling failed: unauthorized: token ${SECRET} rejected`);
    };
    const r = await h.deploy(V1);
    expect(r.error).toEqual({
      code: "pull_failed",
      message: "pulling failed: unauthorized: token *** rejected",
    });
    expect(JSON.stringify(h.events)).not.toContain(SECRET);
    expect(JSON.stringify(await h.store.readDeploy(r.deployId))).not.toContain(SECRET);
  });

  it("a multi-line secret printed by a crashing container is masked on every line it spans", async () => {
    const lines = Array.from(
      { length: 26 },
      (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${String(i).padStart(4, "0")}`,
    );
    const pem = ["-----BEGIN PRIVATE KEY-----", ...lines, "-----END PRIVATE KEY-----"].join("\n");
    const h = harness({ workload: { secrets: ["TLS_KEY"] }, secrets: { TLS_KEY: pem } });
    h.docker.behaviour = () => "crash";
    // Printed with CRLF line ends and cut by the log tail in the middle of the key.
    h.docker.output = `booting\r\n${pem.replaceAll("\n", "\r\n")}\r\nfatal: bad key\r\n`;
    const r = await h.deploy(V1);

    expect(r.outcome).toBe("failed");
    const logged = h.events.filter((e) => e.step === "container-log").map((e) => e.msg);
    expect(logged).toContain("fatal: bad key");
    expect(logged.length).toBeGreaterThan(10);
    const { files, events } = await everything(h as ReturnType<typeof withSecret>, [r]);
    for (const line of pem.split("\n").slice(1, -1)) {
      expect(events).not.toContain(line);
      for (const [path, text] of files) expect(text, path).not.toContain(line);
    }
  });
});
