// The NPM fake must reject what real NPM rejects, or the driver's tests against it prove nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeNpm } from "../../fakes/npm-server.js";

const npm = new FakeNpm();
let base = "";
beforeAll(async () => {
  base = `http://127.0.0.1:${await npm.start()}/api`;
});
afterAll(() => npm.stop());

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read NPM's JSON answers field by field
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

const valid = {
  domain_names: ["a.fake.test"],
  forward_scheme: "http",
  forward_host: "127.0.0.1",
  forward_port: 8080,
};

describe("FakeNpm: tokens", () => {
  it("logs in with identity and secret, answering {token, expires}", async () => {
    const r = await call("POST", "/tokens", { identity: "admin@example.com", secret: "changeme" });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(["expires", "token"]);
    expect(Date.parse(r.json.expires)).toBeGreaterThan(Date.now());
  });

  it("refuses a wrong password with 400 and NPM's error shape", async () => {
    const r = await call("POST", "/tokens", { identity: "admin@example.com", secret: "nope" });
    expect(r).toEqual({ status: 400, json: { error: { code: 400, message: "Invalid email or password" } } });
  });

  it("answers 403 without a token, 400 'Token has expired' with an expired one, 500 with garbage", async () => {
    expect(await call("GET", "/nginx/proxy-hosts")).toEqual({
      status: 403,
      json: { error: { code: 403, message: "Permission Denied" } },
    });
    const old = npm.issueToken(-1);
    expect(await call("GET", "/nginx/proxy-hosts", undefined, old)).toEqual({
      status: 400,
      json: { error: { code: 400, message: "Token has expired" } },
    });
    expect((await call("GET", "/nginx/proxy-hosts", undefined, "junk")).status).toBe(500);
  });

  it("refreshes a valid token with GET /tokens", async () => {
    const r = await call("GET", "/tokens", undefined, npm.issueToken());
    expect(r.status).toBe(200);
    expect(typeof r.json.token).toBe("string");
  });
});

describe("FakeNpm: proxy hosts", () => {
  const token = () => npm.issueToken();

  it("creates with 201 and the row as it was before nginx was configured; GET shows the new meta", async () => {
    const r = await call("POST", "/nginx/proxy-hosts", valid, token());
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      domain_names: ["a.fake.test"],
      forward_port: 8080,
      enabled: true,
      meta: {},
    });
    expect(r.json).not.toHaveProperty("is_deleted");
    const got = await call("GET", `/nginx/proxy-hosts/${r.json.id}`, undefined, token());
    expect(got.json.meta).toEqual({ nginx_online: true, nginx_err: null });
    expect(npm.served.get("a.fake.test")).toBe("127.0.0.1:8080");
  });

  it("rejects additional properties, like a fetched row sent back as is", async () => {
    const row = (await call("GET", "/nginx/proxy-hosts?query=a.fake.test", undefined, token())).json[0];
    const r = await call("PUT", `/nginx/proxy-hosts/${row.id}`, row, token());
    expect(r).toEqual({
      status: 400,
      json: { error: { code: 400, message: "data must NOT have additional properties" } },
    });
    const c = await call(
      "POST",
      "/nginx/proxy-hosts",
      { ...valid, domain_names: ["z.fake.test"], id: 9 },
      token(),
    );
    expect(c.json.error.message).toBe("data must NOT have additional properties");
  });

  it("rejects missing required fields, wrong types and an empty update", async () => {
    const { forward_host: _, ...noHost } = valid;
    expect((await call("POST", "/nginx/proxy-hosts", noHost, token())).json.error.message).toBe(
      "data must have required property 'forward_host'",
    );
    expect(
      (await call("POST", "/nginx/proxy-hosts", { ...valid, forward_port: "x" }, token())).json.error.message,
    ).toBe("data/forward_port must be integer");
    expect((await call("PUT", "/nginx/proxy-hosts/1", {}, token())).status).toBe(400);
  });

  it("refuses a domain another host holds: 400 'X is already in use'", async () => {
    const r = await call("POST", "/nginx/proxy-hosts", valid, token());
    expect(r).toEqual({
      status: 400,
      json: { error: { code: 400, message: "a.fake.test is already in use" } },
    });
    npm.otherDomains.push("redirect.fake.test");
    const o = await call(
      "POST",
      "/nginx/proxy-hosts",
      { ...valid, domain_names: ["redirect.fake.test"] },
      token(),
    );
    expect(o.json.error.message).toBe("redirect.fake.test is already in use");
  });

  it("?query= is a substring (LIKE) match, not an exact one", async () => {
    await call("POST", "/nginx/proxy-hosts", { ...valid, domain_names: ["data.fake.test"] }, token());
    const r = await call("GET", "/nginx/proxy-hosts?query=a.fake.test", undefined, token());
    expect(r.json.map((h: { domain_names: string[] }) => h.domain_names[0]).sort()).toEqual([
      "a.fake.test",
      "data.fake.test",
    ]);
  });

  it("a PUT is partial; a rejected config marks the host offline and drops what nginx served", async () => {
    const row = (await call("GET", "/nginx/proxy-hosts?query=a.fake.test", undefined, token())).json.find(
      (h: { domain_names: string[] }) => h.domain_names[0] === "a.fake.test",
    );
    const ok = await call("PUT", `/nginx/proxy-hosts/${row.id}`, { forward_port: 9090 }, token());
    expect(ok.json).toMatchObject({
      forward_host: "127.0.0.1",
      forward_port: 9090,
      meta: { nginx_online: true },
    });
    npm.rejects.add("a.fake.test");
    const bad = await call("PUT", `/nginx/proxy-hosts/${row.id}`, { forward_port: 9091 }, token());
    expect(bad.status).toBe(200);
    expect(bad.json.meta.nginx_online).toBe(false);
    expect(npm.served.has("a.fake.test")).toBe(false);
    npm.rejects.delete("a.fake.test");
  });

  it("a disabled host serves nothing until /enable; /enable on an enabled host is a 400", async () => {
    const row = npm.seed({
      domain_names: ["off.fake.test"],
      forward_host: "10.0.0.1",
      forward_port: 80,
      enabled: false,
    });
    expect(npm.served.has("off.fake.test")).toBe(false);
    expect((await call("POST", `/nginx/proxy-hosts/${row.id}/enable`, undefined, token())).json).toBe(true);
    expect(npm.served.get("off.fake.test")).toBe("10.0.0.1:80");
    expect((await call("POST", `/nginx/proxy-hosts/${row.id}/enable`, undefined, token())).json).toEqual({
      error: { code: 400, message: "Host is already enabled" },
    });
  });

  it("records every request with its auth and body, and deletes with 200 true", async () => {
    const row = npm.seed({ domain_names: ["gone.fake.test"], forward_host: "h", forward_port: 1 });
    const t = token();
    expect((await call("DELETE", `/nginx/proxy-hosts/${row.id}`, undefined, t)).json).toBe(true);
    expect(npm.served.has("gone.fake.test")).toBe(false);
    expect(npm.requests.at(-1)).toEqual({
      method: "DELETE",
      path: `/api/nginx/proxy-hosts/${row.id}`,
      query: {},
      auth: `Bearer ${t}`,
    });
    expect((await call("GET", `/nginx/proxy-hosts/${row.id}`, undefined, t)).status).toBe(404);
  });
});
