// The paged history behind GET /api/workloads/{id}/events, read from where every deploy keeps its
// events: the hosts' state directories (so deploys by the CLI and the action show up too). The
// hosts and state_dir are the bot config's (as for a deploy: the repo's are ignored); the rest of
// the project's tinyforge.yml is read at its default branch; keys from the bot's env.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lockTtlFromEnv } from "../../src/app/env.js";
import { forEachHost, openSession, type Session } from "../../src/app/session.js";
import { allHosts } from "../../src/app/stages.js";
import { hasOwn } from "../../src/config/lookup.js";
import { TinyforgeError } from "../../src/errors.js";
import type { DeployEvent, Level } from "../../src/state/model.js";
import { Store } from "../../src/state/store.js";
import { configText } from "../../src/app/boundary/index.js";
import { type BotConfig, projectNamed } from "../config.js";
import { botCredentials, botGrants, type RepoSource } from "../runner.js";
import { atLeast, type IdentifiedEvent } from "./hub.js";

export interface EventsQuery {
  stage?: string;
  min: Level;
  limit: number;
  /** Only events older than this id (DEPLOYID.N): the next page. */
  before?: { deployId: string; n: number };
}

export interface EventsPage {
  events: IdentifiedEvent[];
  /** The `before` of the next page; null on the last one. */
  next: string | null;
}

const CONFIG_TTL_MS = 30_000;

export class HostHistory {
  private readonly sessions = new Map<string, { at: number; session: Promise<Session> }>();

  constructor(
    private readonly deps: {
      config: BotConfig;
      env: Record<string, string | undefined>;
      source: (project: string) => RepoSource;
    },
  ) {}

  async page(project: string, workload: string, q: EventsQuery): Promise<EventsPage> {
    const s = await this.session(project);
    if (!hasOwn(s.config.workloads, workload))
      throw new TinyforgeError("not_found", `project ${project} has no workload "${workload}"`);
    const found: IdentifiedEvent[] = [];
    await forEachHost(s, allHosts(s.config), async (host) => {
      found.push(
        ...(await collect(new Store(host.files, s.config.state_dir, s.config.project), workload, q)),
      );
      return true;
    });
    // Several hosts: merge their pages by id (ULIDs sort by time), newest first.
    found.sort((a, b) =>
      a.deployId === b.deployId ? order(b) - order(a) : a.deployId < b.deployId ? 1 : -1,
    );
    const events = found.slice(0, q.limit);
    return { events, next: events.length === q.limit ? events.at(-1)!.id : null };
  }

  /** The project's config at its default branch's head, kept for a short while. */
  session(project: string): Promise<Session> {
    const p = projectNamed(this.deps.config, project);
    if (!p)
      return Promise.reject(new TinyforgeError("not_found", `no project "${project}" in the bot's config`));
    const hit = this.sessions.get(project);
    if (hit && Date.now() - hit.at < CONFIG_TTL_MS) return hit.session;
    const session = (async () => {
      const source = this.deps.source(project);
      const sha = await source.resolveRef(p.repo, "HEAD");
      const text = await source.readFile(p.repo, p.config_path, sha);
      if (text === undefined)
        throw new TinyforgeError(
          "not_found",
          `${p.config_path} not found in ${p.repo} at ${sha.slice(0, 12)}`,
        );
      const dir = mkdtempSync(join(tmpdir(), "tinyforge-bot-"));
      try {
        // The operator's hosts and state_dir, never the repo's: a push must not aim these reads.
        writeFileSync(join(dir, "tinyforge.yml"), configText(text, p, project).text);
        const env = this.deps.env;
        return await openSession(
          join(dir, "tinyforge.yml"),
          {
            credentials: botCredentials(env, undefined),
            grants: botGrants(),
            lockTtlMs: lockTtlFromEnv(env),
          },
          p.config_path,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    this.sessions.set(project, { at: Date.now(), session });
    session.catch(() => this.sessions.delete(project));
    return session;
  }
}

/** Position within a deploy, for sorting ids of one deploy. */
function order(e: IdentifiedEvent): number {
  return Number(e.id.slice(e.id.lastIndexOf(".") + 1));
}

/** Up to q.limit of one host's events for the workload, newest first, after the cursor. */
async function collect(store: Store, workload: string, q: EventsQuery): Promise<IdentifiedEvent[]> {
  const out: IdentifiedEvent[] = [];
  for (const id of await store.listDeployIds()) {
    if (q.before && id > q.before.deployId) continue;
    const rec = await store.readDeploy(id);
    if (!rec || rec.workload !== workload || (q.stage && rec.stage !== q.stage)) continue;
    const events: DeployEvent[] = await store.readEvents(id);
    for (let n = events.length - 1; n >= 0; n--) {
      if (q.before && id === q.before.deployId && n >= q.before.n) continue;
      const e = events[n]!;
      if (!atLeast(e.level, q.min)) continue;
      out.push({ ...e, id: `${id}.${n}` });
      if (out.length >= q.limit) return out;
    }
  }
  return out;
}
