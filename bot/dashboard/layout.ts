// The frame every dashboard page shares, the login page, and small renderers (times, links to
// the forge). Server-rendered: the pages are complete without JavaScript; /assets/dashboard.js
// only adds the live updates.
import { type Html, html, safeUrl } from "./html.js";

export interface Forge {
  /** The forge's web address for repos: https://github.com, or the Gitea URL. */
  web: string;
  kind: "github" | "gitea";
}

export function page(
  title: string,
  body: Html,
  opts: { live?: string; deploy?: string; nav?: boolean } = {},
): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · tinyforge</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body data-live="${opts.live ?? ""}" data-deploy="${opts.deploy ?? ""}">
<a class="skip" href="#main">Skip to content</a>
<header><a class="brand" href="/">tinyforge</a>${
    opts.nav === false
      ? ""
      : html`<form method="post" action="/logout"><button type="submit">Log out</button></form>`
  }</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`}\n`;
}

export function loginPage(failed: boolean): string {
  return page(
    "Log in",
    html`<h1>Log in</h1>
<p>Enter the bot's <code>TINYFORGE_API_TOKEN</code>.</p>
${failed ? html`<p class="error" role="alert">That token is not the bot's token.</p>` : ""}
<form method="post" action="/login" class="login">
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>`,
    { nav: false },
  );
}

/** "3m ago", with the exact time for hover and for machines. */
export function ago(iso: string | undefined, now = Date.now()): Html {
  if (!iso) return html`–`;
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const text =
    s < 60
      ? `${s}s ago`
      : s < 3600
        ? `${Math.floor(s / 60)}m ago`
        : s < 86400
          ? `${Math.floor(s / 3600)}h ago`
          : `${Math.floor(s / 86400)}d ago`;
  return html`<time datetime="${iso}" title="${iso}">${text}</time>`;
}

export function commitLink(forge: Forge | undefined, repo: string, sha: string | undefined): Html {
  if (!sha) return html`–`;
  if (!forge) return html`<code>${sha.slice(0, 7)}</code>`;
  return html`<a href="${safeUrl(`${forge.web}/${repo}/commit/${sha}`)}"><code>${sha.slice(0, 7)}</code></a>`;
}

/** The pull request a preview tag (pr-N) was deployed for, linked on its forge. */
export function prLink(forge: Forge | undefined, repo: string, tag: string | undefined): Html {
  const n = tag ? /^pr-(\d+)$/.exec(tag)?.[1] : undefined;
  if (!n) return html`${tag ?? ""}`;
  if (!forge) return html`PR #${n}`;
  const path = forge.kind === "gitea" ? "pulls" : "pull";
  return html`<a href="${safeUrl(`${forge.web}/${repo}/${path}/${n}`)}">PR #${n}</a>`;
}

export function urlLink(url: string | undefined): Html {
  return url ? html`<a href="${safeUrl(url)}">${url}</a>` : html`–`;
}

export function outcomeBadge(outcome: string): Html {
  return html`<span class="badge ${outcome}">${outcome}</span>`;
}

export function dashPath(project: string, deployId?: string): string {
  const p = `/projects/${encodeURIComponent(project)}`;
  return deployId ? `${p}/deploys/${encodeURIComponent(deployId)}` : p;
}
