// What makes a pull request's preview behave, decided in one place for every entry point: whether
// a commit's checks let it deploy (stages.S.wait_for_checks), whether a pull request asked for a
// preview (stages.S.preview_label), and which previews went too long without a deploy
// (stages.S.preview_ttl). Pure, but for expirePreviews, which tears the expired ones down.
import { own } from "../config/lookup.js";
import type { Config, StageConfig } from "../config/schema.js";
import { formatDuration } from "../config/duration.js";
import { storeFor } from "../deploy/deploy.js";
import { withLock } from "../deploy/locked.js";
import { teardownInstance } from "../deploy/teardown.js";
import type { InstanceState } from "../state/model.js";
import type { Removed } from "./operation.js";
import { engineContext, forEachHost, type Session } from "./session.js";
import { allHosts } from "./stages.js";

/** One commit status (its latest, per context) or check run (its latest run, per name). */
export interface ObservedCheck {
  name: string;
  state: "pending" | "success" | "failure";
}

export type ChecksVerdict =
  /** Every awaited check passed: deploy, and tell the forge which ones (required_contexts). */
  | { kind: "green"; contexts: string[] }
  | { kind: "waiting"; contexts: string[]; pending: string[] }
  | { kind: "failed"; contexts: string[]; failed: string[] };

/** The status contexts tinyforge itself writes: never waited for (it would wait for itself). */
export function ownContexts(config: Config): string[] {
  const stages = Object.values(config.stages).map((s) => s.status_context ?? "tinyforge");
  return [...new Set(["tinyforge", "tinyforge/config", ...stages])];
}

/**
 * What the checks on a commit say for a stage that waits for them. `true` waits for every check
 * reported on the commit but tinyforge's own — and for at least one: a commit with none yet (CI
 * has not registered) waits rather than deploy before CI started. A list waits for each name,
 * reported or not.
 */
export function checksVerdict(
  want: true | readonly string[],
  observed: readonly ObservedCheck[],
  own: readonly string[],
): ChecksVerdict {
  const latest = new Map<string, ObservedCheck["state"]>();
  for (const c of observed) if (!own.includes(c.name)) latest.set(c.name, worse(latest.get(c.name), c.state));
  const contexts = want === true ? [...latest.keys()].sort() : [...new Set(want)];
  const failed = contexts.filter((c) => latest.get(c) === "failure");
  if (failed.length > 0) return { kind: "failed", contexts, failed };
  const pending = contexts.filter((c) => latest.get(c) !== "success");
  if (pending.length > 0 || contexts.length === 0) return { kind: "waiting", contexts, pending };
  return { kind: "green", contexts };
}

// Two reports under one name (a status context and a check run both called "build"): the worse wins.
const RANK = { success: 0, pending: 1, failure: 2 } as const;
function worse(a: ObservedCheck["state"] | undefined, b: ObservedCheck["state"]): ObservedCheck["state"] {
  return a === undefined || RANK[b] > RANK[a] ? b : a;
}

/** The one line a comment or status says about a verdict that is not green. */
export function verdictNote(v: ChecksVerdict): string {
  if (v.kind === "failed") return `not deployed: ${listOf(v.failed)} failed`;
  if (v.kind === "waiting")
    return v.contexts.length === 0
      ? "waiting for CI: no check reported yet"
      : `waiting for CI: ${listOf(v.pending)}`;
  return `checks passed: ${listOf(v.contexts)}`;
}

function listOf(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** Does this pull request get a preview: the stage asks for no label, or the PR carries it. */
export function previewWanted(stage: StageConfig, labels: readonly string[]): boolean {
  const want = stage.preview_label;
  // Forges treat label names case-insensitively (one "Preview" per repository, whatever the case).
  return want === undefined || labels.some((l) => l.toLowerCase() === want.toLowerCase());
}

const PR_TAG = /^pr-(\d+)$/;

/** The pull request a preview's tag names, or undefined for other tags. */
export function pullOfTag(tag: string | undefined | null): number | undefined {
  const m = tag ? PR_TAG.exec(tag) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Previews (instances tagged pr-N in a stage with pull_requests and preview_ttl) whose serving
 * release was deployed at least preview_ttl before `now`.
 */
export function expiredPreviews(config: Config, instances: readonly InstanceState[], now: number) {
  return instances.filter((i) => expiredFor(config, i, now) !== undefined);
}

/** The preview's ttl when it has expired at `now`; undefined when it has not (or is no preview). */
function expiredFor(config: Config, i: InstanceState, now: number): number | undefined {
  const stage = own(config.stages, i.stage);
  const ttl = stage?.pull_requests ? stage.preview_ttl : undefined;
  if (ttl === undefined || pullOfTag(i.tag) === undefined || !i.active) return undefined;
  const at = Date.parse(i.active.deployedAt);
  return Number.isFinite(at) && now - at >= ttl ? ttl : undefined;
}

export interface Expired extends Removed {
  tag: string;
  /** The commit the preview served. */
  sha: string;
  /** The stage's preview_ttl. */
  ttlMs: number;
}

/**
 * Tears down every expired preview on the config's hosts. Each is checked again under its
 * workload+stage lock: a push deployed while the lock was awaited keeps the preview.
 */
export async function expirePreviews(s: Session, now: number): Promise<Expired[]> {
  const out: Expired[] = [];
  const hasTtl = Object.values(s.config.stages).some((st) => st.pull_requests && st.preview_ttl);
  if (!hasTtl) return out;
  await forEachHost(s, allHosts(s.config), async (host) => {
    const ctx = engineContext(s, host);
    const store = storeFor(ctx);
    for (const found of expiredPreviews(s.config, await store.listInstances(), now)) {
      const { workload, stage, key } = found;
      const tag = found.tag!;
      const removed = await withLock(ctx, store, { workload, stage }, async () => {
        const now2 = await store.readInstance(key);
        const ttlMs = now2 ? expiredFor(s.config, now2, now) : undefined;
        if (ttlMs === undefined || !now2?.active) return undefined;
        const sha = now2.active.sha;
        return { ttlMs, sha, lines: await teardownInstance(ctx, store, { workload, stage, tag, key }) };
      });
      if (removed) out.push({ host: host.name, workload, stage, tag, key, ...removed });
    }
    return true;
  });
  return out;
}

/** How an expiry reads in a reconcile's report and on the pull request. */
export function expiredLine(e: Expired): string {
  return `${e.key}: no deploy for ${formatTtl(e.ttlMs)} (preview_ttl), torn down${e.lines.length ? `: ${e.lines.join(", ")}` : ""}`;
}

/** 72h as "72h", 90m as "90m": how the user wrote it, near enough. */
export function formatTtl(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return formatDuration(ms);
}
