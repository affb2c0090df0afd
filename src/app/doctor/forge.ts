// The forge token, when one is set: does the forge accept it, and (GitHub's classic tokens list
// them in X-OAuth-Scopes) may it write commit statuses. A job token or a fine-grained token lists
// no scopes: accepted is all that can be told.
import { safeFetch } from "../../net/fetch.js";
import type { Session } from "../session.js";
import { forgePlan } from "../reporters.js";
import { attempt, type Finding, ok, problem, skipped } from "./finding.js";

/** Any of these lets a GitHub token set commit statuses. */
const STATUS_SCOPES = ["repo", "repo:status"];

export async function checkForge(s: Session): Promise<Finding[]> {
  const plan = forgePlan(s.config.forge, s.credentials.forge);
  if (!plan.token) {
    if (!s.config.forge) return [];
    return [
      {
        scope: "forge",
        check: "forge token",
        ...skipped(`no ${plan.tokenName} set: deploys from here send no commit status`),
      },
    ];
  }
  const api = (plan.api ?? "").replace(/\/+$/, "");
  const hint = `check ${plan.tokenName} (expired or revoked?) and forge.api (${api || "unset"})`;
  return [
    await attempt("forge", "forge token", hint, async () => {
      if (!api) return problem(`no API address for ${plan.kind}`, "set forge.api in the config");
      const path = plan.kind === "github" ? (plan.repo ? `/repos/${plan.repo}` : "/") : "/user";
      const auth = plan.kind === "gitlab" ? `Bearer ${plan.token}` : `token ${plan.token}`;
      const res = await safeFetch(`${api}${path}`, {
        headers: { authorization: auth, accept: "application/json" },
        timeoutMs: 10_000,
      });
      if (res.status === 401 || res.status === 403)
        return problem(`${plan.kind} refuses ${plan.tokenName}: HTTP ${res.status}`, hint);
      if (res.status >= 400) return problem(`${plan.kind} answered HTTP ${res.status} for ${path}`, hint);
      const scopes = res.headers.get("x-oauth-scopes");
      if (plan.kind !== "github" || scopes === null) return ok(`${plan.kind} accepts ${plan.tokenName}`);
      const list = scopes
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      if (!list.some((x) => STATUS_SCOPES.includes(x)))
        return problem(
          `${plan.tokenName} has scopes ${list.join(", ") || "(none)"}: none lets it set commit statuses`,
          "give the token the repo:status scope (repo for a private repository), or use the workflow's job token",
        );
      return ok(`${plan.tokenName} accepted, scopes ${list.join(", ")}`);
    }),
  ];
}
