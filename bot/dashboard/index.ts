// The dashboard's routes: GET / (every project), /projects/P, /projects/P/deploys/ID, the login
// form, and its static assets. Everything but the login form and the assets answers 401 without
// the token, before any project is looked at: a stranger learns nothing, not even the names.
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage } from "../../src/errors.js";
import type { Session } from "../../src/app/session.js";
import { streamEvents } from "../api/events.js";
import type { EventHub } from "../api/hub.js";
import { type BotConfig, projectNamed } from "../config.js";
import { serveAsset } from "./assets.js";
import { type Access, allowed, loginCookie, logoutCookie, tokenMatches } from "./auth.js";
import { readDeploy, readProject } from "./data.js";
import { type Forge, loginPage } from "./layout.js";
import { deployPage, errorPage, type Loaded, overviewPage, type ProjectInfo, projectPage } from "./pages.js";

/** Paths the dashboard owns on the bot's server. */
export const DASHBOARD_PATH = /^\/(?:$|login$|logout$|assets\/|projects(?:\/|$))/;

export interface DashboardDeps {
  config: BotConfig;
  access: Access;
  forges: Partial<Record<"github" | "gitea", Forge>>;
  /** The project's config at its default branch, as the events API reads it. */
  session: (project: string) => Promise<Session>;
  /** Live events of the deploys this bot runs, for the pages' stream. */
  hub: EventHub;
}

const DEPLOY_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // Nothing inline runs: even markup that slipped through escaping could not execute.
    "content-security-policy":
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const c of req) {
    text += c;
    if (text.length > 4096) break;
  }
  return new URLSearchParams(text);
}

export function dashboard(deps: DashboardDeps) {
  const info = (name: string): ProjectInfo => {
    const p = projectNamed(deps.config, name);
    if (!p) throw new Error(`no project "${name}"`);
    return { name, repo: p.repo, ...(deps.forges[p.forge] ? { forge: deps.forges[p.forge] } : {}) };
  };
  const load = async (name: string, recent?: number): Promise<Loaded> => {
    try {
      return { info: info(name), data: await readProject(await deps.session(name), recent) };
    } catch (e) {
      return { info: info(name), error: errorMessage(e) };
    }
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://bot");
    const path = url.pathname;
    if (path.startsWith("/assets/")) return serveAsset(res, path.slice("/assets/".length));
    if (path === "/login") {
      if (req.method === "POST") {
        const token = (await readForm(req)).get("token") ?? "";
        if (deps.access.kind !== "token" || !tokenMatches(token, deps.access))
          return send(res, 401, loginPage(true));
        return send(res, 303, "", { location: "/", "set-cookie": loginCookie(req, deps.access.token) });
      }
      return send(res, 200, loginPage(false));
    }
    if (path === "/logout" && req.method === "POST")
      return send(res, 303, "", { location: "/login", "set-cookie": logoutCookie(req) });
    if (!allowed(req, deps.access)) return send(res, 401, loginPage(false));
    if (req.method !== "GET" && req.method !== "HEAD")
      return send(res, 405, errorPage(405, "The dashboard is read-only."), { allow: "GET" });

    if (path === "/") {
      const names = Object.keys(deps.config.projects);
      return send(res, 200, overviewPage(await Promise.all(names.map((n) => load(n, 0)))));
    }
    const m = /^\/projects\/([^/]+)(?:\/deploys\/([^/]+)|\/(live))?\/?$/.exec(path);
    const name = m ? decode(m[1]!) : undefined;
    if (!name || !Object.hasOwn(deps.config.projects, name))
      return send(res, 404, errorPage(404, "No such page."));
    // Every deploy event of the project as it happens: one stream per page, whatever the workloads.
    if (m![3]) return streamEvents(deps.hub, req, res, { project: name, min: "debug" });
    if (!m![2]) return send(res, 200, projectPage(await load(name)));
    const id = decode(m![2]);
    if (!id || !DEPLOY_ID.test(id)) return send(res, 404, errorPage(404, "No such deploy."));
    try {
      const found = await readDeploy(await deps.session(name), id);
      if (!found) return send(res, 404, errorPage(404, "No such deploy."));
      return send(res, 200, deployPage(info(name), found));
    } catch (e) {
      return send(res, 502, errorPage(502, errorMessage(e)));
    }
  };
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
