// Pictures drawn on the server as inline SVG (no script, no library, visible with JavaScript off):
// a deploy's steps on a timeline, and a stage's deploys as bars of duration coloured by outcome.
import type { DeployRecord, StepRecord } from "../../src/state/model.js";
import { type Html, html } from "./html.js";

const W = 640;
const ROW = 26;
const LABEL = 150;

export function duration(ms: number | undefined): string {
  if (ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** Steps one after another on a shared time axis: where the time went, and which step failed. */
export function timeline(steps: StepRecord[]): Html {
  const total = Math.max(
    1,
    steps.reduce((n, s) => n + s.ms, 0),
  );
  const scale = (W - LABEL - 70) / total;
  const h = Math.max(1, steps.length) * ROW + 8;
  let at = 0;
  const rows = steps.map((s, i) => {
    const x = LABEL + at * scale;
    const w = Math.max(2, s.ms * scale);
    at += s.ms;
    const y = 4 + i * ROW;
    return html`<g class="step ${s.ok ? "ok" : "failed"}" data-step="${s.name}">
<title>${s.name}: ${s.ok ? "ok" : "failed"} in ${duration(s.ms)}</title>
<text x="${LABEL - 8}" y="${y + 16}" text-anchor="end">${s.name}</text>
<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 8}" rx="3"></rect>
<text x="${(x + w + 6).toFixed(1)}" y="${y + 16}" class="dur">${duration(s.ms)}${s.ok ? "" : " ✗"}</text>
</g>`;
  });
  return html`<svg class="timeline" viewBox="0 0 ${W} ${h}" role="img" aria-label="${steps.length} steps, ${duration(total)} in all">${rows}</svg>`;
}

/** One bar per deploy of a stage, oldest left: height is the duration, colour the outcome. */
export function historyChart(
  stage: string,
  deploys: DeployRecord[],
  href: (d: DeployRecord) => string,
): Html {
  const shown = deploys
    .filter((d) => d.stage === stage)
    .slice(0, 30)
    .reverse();
  const H = 120;
  const max = Math.max(1000, ...shown.map((d) => d.durationMs ?? 0));
  const bw = Math.min(28, (W - 60) / Math.max(1, shown.length));
  const bars = shown.map((d, i) => {
    const bh = Math.max(3, ((d.durationMs ?? 0) / max) * (H - 20));
    const x = 50 + i * bw;
    return html`<a href="${href(d)}"><rect class="bar ${d.outcome}" x="${x.toFixed(1)}" y="${(H - bh).toFixed(1)}" width="${(bw - 3).toFixed(1)}" height="${bh.toFixed(1)}"><title>${d.deployId} ${d.workload}${d.tag ? ` ${d.tag}` : ""} ${d.sha.slice(0, 7)}: ${d.outcome} in ${duration(d.durationMs)}</title></rect></a>`;
  });
  return html`<svg class="history" viewBox="0 0 ${W} ${H + 4}" role="img" aria-label="${stage}: ${shown.length} deploys, longest ${duration(max)}">
<line x1="48" y1="${H}" x2="${W}" y2="${H}" class="axis"></line>
<text x="44" y="14" text-anchor="end" class="dur">${duration(max)}</text>
<text x="44" y="${H}" text-anchor="end" class="dur">0</text>
${bars}</svg>`;
}
