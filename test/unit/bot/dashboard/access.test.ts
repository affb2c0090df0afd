// Who gets in: the token (bearer or the login cookie), or everyone behind the operator's proxy;
// and what a stranger sees: a 401 login form that names nothing.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventHub } from "../../../../bot/api/hub.js";
import { allowed, loginCookie, sessionValue } from "../../../../bot/dashboard/auth.js";
import { dashboard } from "../../../../bot/dashboard/index.js";
import { dashboardAccess } from "../../../../bot/dashboard/mount.js";
import type { BotSettings } from "../../../../bot/env.js";

const TOKEN = "s3cret-token";
const req = (headers: Record<string, string>, encrypted = false) =>
  ({ headers, socket: { encrypted } }) as unknown as IncomingMessage;

describe("dashboard access", () => {
  const access = { kind: "token" as const, token: TOKEN };

  it("takes the token as a bearer or as the session cookie, and nothing else", () => {
    expect(allowed(req({ authorization: `Bearer ${TOKEN}` }), access)).toBe(true);
    expect(allowed(req({ cookie: `a=b; tinyforge_session=${sessionValue(TOKEN)}` }), access)).toBe(true);
    expect(allowed(req({}), access)).toBe(false);
    expect(allowed(req({ authorization: "Bearer nope" }), access)).toBe(false);
    expect(allowed(req({ cookie: `tinyforge_session=${TOKEN}` }), access)).toBe(false);
    expect(allowed(req({ cookie: `tinyforge_session=${sessionValue("other")}` }), access)).toBe(false);
    expect(allowed(req({}), { kind: "proxy" })).toBe(true);
  });

  it("sets an HttpOnly SameSite=Strict cookie that is Secure over TLS only", () => {
    const plain = loginCookie(req({}), TOKEN);
    expect(plain).toContain("HttpOnly");
    expect(plain).toContain("SameSite=Strict");
    expect(plain).not.toContain("Secure");
    expect(plain).not.toContain(TOKEN);
    expect(loginCookie(req({}, true), TOKEN)).toContain("; Secure");
    expect(loginCookie(req({ "x-forwarded-proto": "https" }), TOKEN)).toContain("; Secure");
  });

  it("is on with the API token, open only when asked for (proxy), else off", () => {
    const s = (apiToken?: string) => ({ ...(apiToken ? { apiToken } : {}) }) as BotSettings;
    expect(dashboardAccess(s(TOKEN), {})).toEqual({ kind: "token", token: TOKEN });
    expect(dashboardAccess(s(), {})).toBe("off");
    expect(dashboardAccess(s(), { TINYFORGE_DASHBOARD: "proxy" })).toEqual({ kind: "proxy" });
    expect(dashboardAccess(s(TOKEN), { TINYFORGE_DASHBOARD: "off" })).toBe("off");
    expect(() => dashboardAccess(s(), { TINYFORGE_DASHBOARD: "yes" })).toThrow(
      /TINYFORGE_DASHBOARD: must be proxy or off/,
    );
  });
});

describe("dashboard pages", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(
      dashboard({
        config: {
          projects: {
            "secret-shop": { forge: "github", repo: "acme/secret-shop", config_path: "tinyforge.yml" },
          },
        } as never,
        access: { kind: "token", token: TOKEN },
        forges: {},
        session: () => Promise.reject(new Error("hosts unreachable <b>x</b>")),
        hub: new EventHub(),
      }),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("answers 401 with the login form and no project name to a stranger", async () => {
    for (const path of [
      "/",
      "/projects/secret-shop",
      "/projects/secret-shop/deploys/01JAAAAAAAAAAAAAAAAAAAAAAA",
      "/projects/secret-shop/live",
      "/projects/x",
    ]) {
      const res = await fetch(`${url}${path}`);
      const body = await res.text();
      expect(res.status).toBe(401);
      expect(body).toContain('action="/login"');
      expect(body).not.toContain("secret-shop");
    }
  });

  it("logs in with the right token only, then shows the projects", async () => {
    const wrong = await fetch(`${url}/login`, {
      method: "POST",
      body: new URLSearchParams({ token: "nope" }),
      redirect: "manual",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const right = await fetch(`${url}/login`, {
      method: "POST",
      body: new URLSearchParams({ token: TOKEN }),
      redirect: "manual",
    });
    expect(right.status).toBe(303);
    const cookie = right.headers.get("set-cookie")!.split(";")[0]!;
    const home = await fetch(`${url}/`, { headers: { cookie } });
    expect(home.status).toBe(200);
    expect(home.headers.get("content-security-policy")).toContain("script-src 'self'");
    const body = await home.text();
    expect(body).toContain("secret-shop");
    expect(body).toContain("hosts unreachable &lt;b&gt;x&lt;/b&gt;");
    expect((await fetch(`${url}/projects/other`, { headers: { cookie } })).status).toBe(404);
    expect(
      (await fetch(`${url}/projects/secret-shop/deploys/not-an-id`, { headers: { cookie } })).status,
    ).toBe(404);
    expect((await fetch(`${url}/`, { method: "DELETE", headers: { cookie } })).status).toBe(405);
  });

  it("serves its stylesheet and script, and no other file", async () => {
    const css = await fetch(`${url}/assets/dashboard.css`);
    expect(css.headers.get("content-type")).toContain("text/css");
    expect((await fetch(`${url}/assets/dashboard.js`)).status).toBe(200);
    expect((await fetch(`${url}/assets/..%2Fauth.ts`)).status).toBe(404);
  });
});
