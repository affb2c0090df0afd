// The dashboard's three views: every project's stages and instances; one project with its locks,
// recent deploys and history charts; one deploy with its timeline and events.
import { freezeText } from "../../src/deploy/freeze.js";
import type { ChatThread, DeployRecord, Freeze } from "../../src/state/model.js";
import type { DeployData, InstanceView, LockView, ProjectData } from "./data.js";
import { type Html, html, safeUrl } from "./html.js";
import { ago, commitLink, dashPath, type Forge, outcomeBadge, page, prLink, urlLink } from "./layout.js";
import { duration, historyChart, timeline } from "./svg.js";

export interface ProjectInfo {
  name: string;
  repo: string;
  forge?: Forge;
}

/** A project's data, or why it could not be read (the hosts or the forge did not answer). */
export type Loaded = { info: ProjectInfo; data: ProjectData } | { info: ProjectInfo; error: string };

/** Whether the instance's stage is frozen and whether its release is being baked, on any host. */
function gateState(v: InstanceView, freeze: Freeze | undefined): Html {
  const bake = v.hosts.find((h) => h.state.bake)?.state.bake;
  const parts = [
    freeze ? html`<span class="badge failed" data-freeze title="${freezeText(freeze)}">frozen</span>` : "",
    bake
      ? html`<span class="badge running" data-bake title="old release ${bake.previous} stands by">baking until ${bake.until}</span>`
      : "",
  ].filter((p) => p !== "");
  return parts.length > 0 ? html`${parts.map((p) => html`${p} `)}` : html`<span class="muted">–</span>`;
}

function lockCell(locks: LockView[], v: InstanceView): Html {
  const held = locks.filter((l) => l.workload === v.workload && l.stage === v.stage);
  if (held.length === 0) return html`<span class="muted">free</span>`;
  return html`${held.map(
    (l) =>
      html`<span class="lock" title="${l.lease.owner}">locked by deploy <code>${l.lease.deployId}</code> since ${ago(l.lease.acquiredAt)}</span> `,
  )}`;
}

function instanceRow(info: ProjectInfo, d: ProjectData, v: InstanceView, freeze?: Freeze): Html {
  const first = v.hosts[0]!.state.active;
  const shas = [...new Set(v.hosts.map((h) => h.state.active?.sha))];
  return html`<tr data-instance="${v.key}">
<th scope="row">${v.workload}</th>
<td>${v.tag ? html`${prLink(info.forge, info.repo, v.tag)} <span class="muted">up ${ago(first?.deployedAt)}</span>` : html`<span class="muted">stage</span>`}</td>
<td>${shas.map((s) => html`${commitLink(info.forge, info.repo, s)} `)}</td>
<td>${urlLink(first?.url)}</td>
<td>${ago(first?.deployedAt)}</td>
<td>${v.hosts.map((h) => h.host).join(", ")}${v.agree ? "" : html` <span class="badge failed">hosts disagree</span>`}</td>
<td>${lockCell(d.locks, v)}</td>
<td>${gateState(v, freeze)}</td>
</tr>`;
}

function stagesSection(info: ProjectInfo, d: ProjectData, level: 2 | 3): Html {
  return html`${d.stages.map((stage) => {
    const rows = d.instances.filter((v) => v.stage === stage);
    const heading = level === 2 ? html`<h2>${stage}</h2>` : html`<h3>${stage}</h3>`;
    const freeze = d.freezes.find((f) => f.stage === stage);
    const frozen = freeze ? html`<p class="error" data-frozen="${stage}">❄ ${freezeText(freeze)}</p>` : "";
    return html`<section class="stage" data-stage="${stage}">${heading}${frozen}${
      rows.length === 0
        ? html`<p class="muted">nothing deployed</p>`
        : html`<div class="scroll"><table>
<thead><tr><th scope="col">Workload</th><th scope="col">Preview</th><th scope="col">Commit</th><th scope="col">URL</th><th scope="col">Since</th><th scope="col">Hosts</th><th scope="col">Lock</th><th scope="col">Freeze / bake</th></tr></thead>
<tbody>${rows.map((v) => instanceRow(info, d, v, freeze))}</tbody></table></div>`
    }</section>`;
  })}`;
}

export function overviewPage(projects: Loaded[]): string {
  const body = html`<h1>Projects</h1>
${projects.length === 0 ? html`<p class="muted">The bot's config names no projects.</p>` : ""}
${projects.map(
  (p) => html`<section class="project" data-project="${p.info.name}">
<h2><a href="${dashPath(p.info.name)}">${p.info.name}</a> <span class="muted">${p.info.repo}</span></h2>
${"error" in p ? html`<p class="error">${p.error}</p>` : stagesSection(p.info, p.data, 3)}
</section>`,
)}`;
  return page("Projects", body);
}

function deployRow(info: ProjectInfo, d: DeployRecord): Html {
  return html`<tr data-deploy-id="${d.deployId}">
<td><a href="${dashPath(info.name, d.deployId)}"><code>${d.deployId}</code></a></td>
<td>${d.workload}</td><td>${d.stage}${d.tag ? html` ${prLink(info.forge, info.repo, d.tag)}` : ""}</td>
<td>${commitLink(info.forge, info.repo, d.sha)} ${d.ref ?? ""}</td>
<td class="outcome">${outcomeBadge(d.outcome)}</td>
<td>${duration(d.durationMs)}</td><td>${ago(d.startedAt)}</td>
<td class="steps">${d.steps.map((s) => html`<span class="chip ${s.ok ? "ok" : "failed"}" data-step="${s.name}">${s.name}</span>`)}</td>
</tr>`;
}

export function projectPage(loaded: Loaded): string {
  const { info } = loaded;
  if ("error" in loaded)
    return page(info.name, html`<h1>${info.name}</h1><p class="error">${loaded.error}</p>`);
  const d = loaded.data;
  const body = html`<h1>${info.name} <span class="muted">${info.repo}</span></h1>
<p class="muted">Hosts: ${d.hostNames.join(", ")} · workloads: ${d.workloads.join(", ")}</p>
${stagesSection(info, d, 2)}
<h2>History</h2>
${d.stages.map((s) => html`<figure class="chart"><figcaption>${s}</figcaption>${historyChart(s, d.deploys, (x) => dashPath(info.name, x.deployId))}</figure>`)}
<h2>Deploys <span class="live-dot" hidden>live</span></h2>
<div class="scroll"><table class="deploys">
<thead><tr><th scope="col">Deploy</th><th scope="col">Workload</th><th scope="col">Stage</th><th scope="col">Commit</th><th scope="col">Outcome</th><th scope="col">Took</th><th scope="col">Started</th><th scope="col">Steps</th></tr></thead>
<tbody id="deploys" data-project="${info.name}">${d.deploys.map((x) => deployRow(info, x))}</tbody></table></div>`;
  return page(info.name, body, { live: `${dashPath(info.name)}/live` });
}

/** Where else this deploy shows: its commit status and pull request on the forge, its Slack thread. */
function links(info: ProjectInfo, r: DeployRecord): Html {
  const thread = r.thread ? slackPermalink(r.thread) : undefined;
  const slack = thread ? html`<a href="${safeUrl(thread)}" data-link="slack">Slack thread</a>` : undefined;
  if (!info.forge) return slack ?? html`–`;
  const status = html`<a href="${safeUrl(`${info.forge.web}/${info.repo}/commit/${r.sha}`)}">commit status</a>`;
  const pr = r.tag?.startsWith("pr-") ? html` · ${prLink(info.forge, info.repo, r.tag)}` : "";
  return html`${status}${pr}${slack ? html` · ${slack}` : ""}`;
}

/**
 * Slack's permalink form, https://WORKSPACE.slack.com/archives/CHANNEL/pTS (the ts without its
 * dot), as chat.getPermalink answers it; without the workspace's domain, Slack's documented
 * app_redirect link to the channel. Undefined for values that are not Slack ids.
 */
export function slackPermalink(t: ChatThread): string | undefined {
  if (!/^[A-Z0-9]+$/.test(t.channel) || !/^\d+\.\d+$/.test(t.ts)) return undefined;
  if (t.domain && /^[a-z0-9][a-z0-9-]*$/i.test(t.domain))
    return `https://${t.domain}.slack.com/archives/${t.channel}/p${t.ts.replace(".", "")}`;
  return `https://slack.com/app_redirect?channel=${t.channel}`;
}

export function deployPage(info: ProjectInfo, { record: r, events }: DeployData): string {
  const body = html`<p><a href="${dashPath(info.name)}">← ${info.name}</a></p>
<h1>Deploy <code>${r.deployId}</code> ${outcomeBadge(r.outcome)}</h1>
<dl class="facts">
<dt>Workload</dt><dd>${r.workload}</dd>
<dt>Stage</dt><dd>${r.stage}${r.tag ? html` · ${prLink(info.forge, info.repo, r.tag)}` : ""}</dd>
<dt>Commit</dt><dd>${commitLink(info.forge, info.repo, r.sha)} ${r.ref ?? ""}</dd>
<dt>Trigger</dt><dd>${r.trigger ?? "–"}</dd>
<dt>Host</dt><dd>${r.host}</dd>
<dt>Started</dt><dd>${ago(r.startedAt)}</dd>
<dt>Took</dt><dd>${duration(r.durationMs)}</dd>
<dt>URL</dt><dd>${urlLink(r.url)}</dd>
<dt>Links</dt><dd>${links(info, r)}</dd>
</dl>
${r.error ? html`<p class="error" role="alert"><strong>${r.error.code}</strong>: ${r.error.message}</p>` : ""}
<h2>Steps <span class="live-dot" hidden>live</span></h2>
${timeline(r.steps)}
<ol id="live-steps" class="chips">${r.steps.map((s) => html`<li class="chip ${s.ok ? "ok" : "failed"}" data-step="${s.name}">${s.name} ${duration(s.ms)}</li>`)}</ol>
<h2>Events</h2>
<div class="scroll"><table class="events"><thead><tr><th scope="col">Time</th><th scope="col">Level</th><th scope="col">Step</th><th scope="col">Message</th></tr></thead>
<tbody id="events">${events.map(
    (e, n) =>
      html`<tr class="lvl-${e.level}" data-event-id="${r.deployId}.${n}"><td><time datetime="${e.ts}">${e.ts.slice(11, 23)}</time></td><td>${e.level}</td><td>${e.step}</td><td>${e.msg}</td></tr>`,
  )}</tbody></table></div>`;
  return page(`Deploy ${r.deployId}`, body, {
    // Always subscribed: a record still says "running" until its last step is written.
    live: `${dashPath(info.name)}/live`,
    deploy: r.deployId,
  });
}

export function errorPage(status: number, message: string): string {
  return page(String(status), html`<h1>${status}</h1><p>${message}</p>`);
}
