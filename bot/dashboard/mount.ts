// Where the bot's start wires the dashboard: who may see it (TINYFORGE_API_TOKEN, or
// TINYFORGE_DASHBOARD=proxy for an operator's own auth proxy, or =off), and the forges' web
// addresses for commit and pull request links.
import { TinyforgeError } from "../../src/errors.js";
import type { HostHistory } from "../api/history.js";
import type { EventHub } from "../api/hub.js";
import type { BotSettings, Env } from "../env.js";
import type { Handler } from "../server.js";
import type { Access } from "./auth.js";
import { dashboard } from "./index.js";
import type { Forge } from "./layout.js";

export function dashboardAccess(s: BotSettings, env: Env): Access | "off" {
  const mode = env.TINYFORGE_DASHBOARD ?? "";
  if (!["", "proxy", "off"].includes(mode))
    throw new TinyforgeError(
      "usage",
      `TINYFORGE_DASHBOARD: must be proxy or off (got ${JSON.stringify(mode)})`,
    );
  if (mode === "off") return "off";
  if (s.apiToken) return { kind: "token", token: s.apiToken };
  return mode === "proxy" ? { kind: "proxy" } : "off";
}

function forges(s: BotSettings, env: Env): Partial<Record<"github" | "gitea", Forge>> {
  const out: Partial<Record<"github" | "gitea", Forge>> = {};
  if (s.github)
    out.github = {
      kind: "github",
      web: env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}` : "https://github.com",
    };
  if (s.gitea) out.gitea = { kind: "gitea", web: s.gitea.url.replace(/\/+$/, "") };
  return out;
}

export function mountDashboard(s: BotSettings, env: Env, history: HostHistory, hub: EventHub): Handler {
  const access = dashboardAccess(s, env);
  if (access === "off")
    return (_req, res) => {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(
        "The dashboard is off: set TINYFORGE_API_TOKEN (a login form), or TINYFORGE_DASHBOARD=proxy behind your own auth proxy.\n",
      );
    };
  return dashboard({
    config: s.config,
    access,
    forges: forges(s, env),
    session: (project) => history.session(project),
    hub,
  });
}
