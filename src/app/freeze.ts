// Deploy freezes, for every entry point: `freeze` writes the stage's freeze on each of its hosts,
// `unfreeze` removes it, and every deploy, rollback and preview reads it on every host of the
// stage before any host is changed. One frozen host refuses the whole operation (all workloads):
// a stage is one release across its hosts.
import { storeFor } from "../deploy/deploy.js";
import { notRun } from "../deploy/announce.js";
import { newDeployId } from "../deploy/plan.js";
import { activeFreeze, freezeText } from "../deploy/freeze.js";
import type { DeployInfo, DeployRequest } from "../deploy/types.js";
import { TinyforgeError } from "../errors.js";
import { capRunes } from "../events/redact.js";
import { systemClock } from "../ports/clock.js";
import { resolveStrategy } from "../plan/strategy.js";
import { own } from "../config/lookup.js";
import type { Freeze } from "../state/model.js";
import type { DeployOp, FreezeOp, FrozenStage, Observers, RollbackOp, UnfreezeOp } from "./operation.js";
import { engineContext, forEachHost, reportersOf, type Session } from "./session.js";
import { checkStage, stageHosts } from "./stages.js";

/** Bounds on what a freeze carries: it is shown in statuses (140 chars on GitHub) and chat. */
const REASON_MAX = 200;
const BY_MAX = 100;
/** `--until` further than this is a typo, not a freeze (a freeze with no end is `unfreeze`d). */
const UNTIL_MAX_MS = 366 * 24 * 3600 * 1000;

/** The freeze as asked, checked: a reason, a future `until` within a year. */
export function freezeOf(op: FreezeOp, now: number): Freeze {
  const reason = op.reason.replace(/\s+/g, " ").trim();
  if (!reason) throw new TinyforgeError("usage", "a freeze needs a reason (--reason TEXT)");
  if (Array.from(reason).length > REASON_MAX)
    throw new TinyforgeError("usage", `--reason is longer than ${REASON_MAX} characters`);
  const f: Freeze = {
    stage: op.stage,
    reason,
    by: capRunes(op.by.replace(/\s+/g, " ").trim() || "someone", BY_MAX),
    at: new Date(now).toISOString(),
  };
  if (op.until !== undefined) {
    const t = parseUntil(op.until);
    if (t === undefined)
      throw new TinyforgeError("usage", `--until ${JSON.stringify(op.until)} is not an ISO 8601 time`, {
        hint: "e.g. --until 2026-12-24T18:00Z",
      });
    if (t <= now) throw new TinyforgeError("usage", `--until ${op.until} is in the past`);
    if (t - now > UNTIL_MAX_MS)
      throw new TinyforgeError("usage", `--until ${op.until} is more than a year away`);
    f.until = new Date(t).toISOString();
  }
  return f;
}

/** An ISO 8601 date-time with a zone (`2026-12-24T18:00Z`), as ms; undefined otherwise. */
function parseUntil(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  const t = Date.parse(text.replace(/(T\d{2}:\d{2})(Z|[+-])/i, "$1:00$2"));
  return Number.isNaN(t) ? undefined : t;
}

export async function freezeAll(s: Session, op: FreezeOp): Promise<FrozenStage[]> {
  checkStage(s.config, op.stage);
  const freeze = freezeOf(op, systemClock.now());
  const out: FrozenStage[] = [];
  await forEachHost(s, stageHosts(s.config, op.stage), async (host) => {
    await storeFor(engineContext(s, host)).writeFreeze(freeze);
    out.push({ host: host.name, freeze });
    return true;
  });
  return out;
}

export async function unfreezeAll(
  s: Session,
  op: UnfreezeOp,
): Promise<Array<{ host: string; freeze?: Freeze }>> {
  checkStage(s.config, op.stage);
  const out: Array<{ host: string; freeze?: Freeze }> = [];
  await forEachHost(s, stageHosts(s.config, op.stage), async (host) => {
    const store = storeFor(engineContext(s, host));
    const freeze = await store.readFreeze(op.stage);
    await store.removeFreeze(op.stage);
    out.push({ host: host.name, ...(freeze ? { freeze } : {}) });
    return true;
  });
  return out;
}

/** The stage's freeze in force on any of `hosts` (each is read), else undefined. */
export async function stageFreeze(
  s: Session,
  stage: string,
  hosts: readonly string[],
): Promise<Freeze | undefined> {
  let found: Freeze | undefined;
  await forEachHost(s, hosts, async (host) => {
    found ??= await activeFreeze(storeFor(engineContext(s, host)), stage, systemClock.now());
    return true;
  });
  return found;
}

/**
 * Before a deploy or rollback touches any host: a frozen stage refuses it (exit 5) and each
 * workload's observers hear it as a failure carrying the freeze; with `force` it goes on and
 * the override is recorded in each deploy.
 */
export async function checkFreeze(
  s: Session,
  op: DeployOp | RollbackOp,
  at: { stage: string; hosts: readonly string[]; workloads: readonly string[] },
  obs: Observers,
): Promise<DeployRequest["forced"]> {
  const freeze = await stageFreeze(s, at.stage, at.hosts);
  if (!freeze) return undefined;
  if (op.force) return { freeze, by: op.actor ?? "someone" };
  const message = freezeText(freeze);
  // An announced deploy (the bot's early "pending") is concluded by whoever announced it.
  if (!obs.announced) {
    for (const workload of at.workloads) {
      const info = infoOf(s, op, workload, at.stage, at.hosts);
      const hooks = [...reportersOf(s, workload, at.stage), ...(obs.hooks ?? [])];
      await Promise.allSettled(
        hooks.map((h) => h.finished?.(info, notRun(info, { code: "frozen", message }))),
      );
    }
  }
  throw new TinyforgeError("frozen", `${at.stage} is ${message}`, {
    // What a status and chat say: the freeze in its own words.
    publicMessage: message,
    hint: `nothing was deployed; \`tinyforge unfreeze ${at.stage}\` lifts it, --force overrides it (recorded)`,
  });
}

function infoOf(
  s: Session,
  op: DeployOp | RollbackOp,
  workload: string,
  stage: string,
  hosts: readonly string[],
): DeployInfo {
  return {
    deployId: newDeployId(),
    project: s.config.project,
    workload,
    stage,
    tag: op.tag ?? null,
    // A rollback's SHA is the kept release's, unknown until a host is read: no commit status.
    sha: op.kind === "deploy" ? op.sha : "",
    ref: op.kind === "deploy" ? (op.ref ?? null) : null,
    strategy: resolveStrategy(
      own(s.config.workloads, workload)!,
      op.kind === "deploy" ? op.strategy : undefined,
    ),
    host: hosts.join(", "),
  };
}
