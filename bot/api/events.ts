// GET /api/workloads/{id}/events — a workload's deploy events, newest first, paged with ?before=
// and filtered with ?level= (that severity and above) and ?stage=; with Accept: text/event-stream,
// the same events live as they happen. The id is PROJECT.WORKLOAD and is taken from the path only:
// nothing in the query or headers can widen what a request sees.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage, isTinyforgeError } from "../../src/errors.js";
import type { Level } from "../../src/state/model.js";
import { type BotConfig, projectNamed } from "../config.js";
import type { EventsQuery, HostHistory } from "./history.js";
import { type EventHub, type IdentifiedEvent, LEVELS, type Subscription } from "./hub.js";

export const EVENTS_PATH = /^\/api\/workloads\/([^/]+)\/events\/?$/;

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CURSOR = /^([0-9A-HJKMNP-TV-Z]{26})\.(\d{1,9})$/;

export interface EventsApiDeps {
  config: BotConfig;
  history: HostHistory;
  hub: EventHub;
  /** TINYFORGE_API_TOKEN: when set, requests must carry it as a bearer token. */
  token?: string;
  heartbeatMs?: number;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(`${JSON.stringify(body)}\n`);
}

export function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const got = Buffer.from(/^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ""))?.[1] ?? "");
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

type Parsed = { project: string; workload: string; q: EventsQuery } | { error: string };

/** The workload id from the path, the filters from the query; every value checked. */
export function parseEventsRequest(rawId: string, query: URLSearchParams): Parsed {
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return { error: "workload id is not valid percent-encoding" };
  }
  const [project = "", workload = "", ...rest] = id.split(".");
  if (rest.length > 0 || !NAME.test(project) || !NAME.test(workload))
    return { error: `workload id must be PROJECT.WORKLOAD (got ${JSON.stringify(id)})` };
  const level = query.get("level") ?? "debug";
  if (!LEVELS.includes(level as Level)) return { error: `level must be one of ${LEVELS.join(", ")}` };
  const limitText = query.get("limit") ?? "50";
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500)
    return { error: "limit must be a whole number from 1 to 500" };
  const stage = query.get("stage") ?? undefined;
  if (stage !== undefined && !NAME.test(stage)) return { error: "stage is not a stage name" };
  const before = query.get("before");
  const m = before === null ? null : CURSOR.exec(before);
  if (before !== null && !m) return { error: "before must be an event id (DEPLOYID.N) from a previous page" };
  return {
    project,
    workload,
    q: {
      min: level as Level,
      limit,
      ...(stage ? { stage } : {}),
      ...(m ? { before: { deployId: m[1]!, n: Number(m[2]) } } : {}),
    },
  };
}

export function eventsApi(deps: EventsApiDeps) {
  return async (req: IncomingMessage, res: ServerResponse, rawId: string, query: URLSearchParams) => {
    if (!authorized(req, deps.token)) return json(res, 401, { error: "missing or wrong bearer token" });
    const p = parseEventsRequest(rawId, query);
    if ("error" in p) return json(res, 400, { error: p.error });
    if (!projectNamed(deps.config, p.project)) return json(res, 404, { error: `no project "${p.project}"` });
    if (String(req.headers.accept ?? "").includes("text/event-stream")) return stream(deps, req, res, p);
    try {
      const page = await deps.history.page(p.project, p.workload, p.q);
      json(res, 200, { workload: `${p.project}.${p.workload}`, ...page });
    } catch (e) {
      if (isTinyforgeError(e) && e.code === "not_found") return json(res, 404, { error: e.message });
      // The hosts or the forge did not answer: say which, as the CLI would.
      json(res, 502, { error: errorMessage(e) });
    }
  };
}

function stream(
  deps: EventsApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  p: { project: string; workload: string; q: EventsQuery },
): void {
  streamEvents(deps.hub, req, res, {
    project: p.project,
    workload: p.workload,
    min: p.q.min,
    ...(p.q.stage ? { stage: p.q.stage } : {}),
    heartbeatMs: deps.heartbeatMs,
  });
}

/** The SSE stream of the hub's events that match: one workload, or (the dashboard) all of a project's. */
export function streamEvents(
  hub: EventHub,
  req: IncomingMessage,
  res: ServerResponse,
  f: Omit<Subscription, "send"> & { heartbeatMs?: number },
): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no", // nginx in front must not buffer the stream
  });
  res.write("retry: 3000\n: tinyforge events\n\n");
  const send = (e: IdentifiedEvent) =>
    res.write(`id: ${e.id}\nevent: deploy-event\ndata: ${JSON.stringify(e)}\n\n`);
  const { heartbeatMs, ...filter } = f;
  const unsubscribe = hub.subscribe({ ...filter, send });
  // Comments keep idle proxies from closing the stream.
  const beat = setInterval(() => res.write(": ping\n\n"), heartbeatMs ?? 15_000);
  const close = () => {
    clearInterval(beat);
    unsubscribe();
  };
  req.on("close", close);
  res.on("error", close);
}
