// What runs now, for a person: a serving container's output (`logs WORKLOAD`) and a command
// against the serving release (`exec`). Both act on the instance the state file names; secrets
// are redacted from the output, never from an exec's (its user could read them with `env`).
import { appLogs } from "../deploy/app-logs.js";
import { storeFor } from "../deploy/deploy.js";
import { execInstance } from "../deploy/exec.js";
import { TinyforgeError } from "../errors.js";
import { validateTag } from "../plan/names.js";
import type { AppLogsOp, ExecOp, Observers, ResultOf } from "./operation.js";
import { engineContext, forEachHost, type Session } from "./session.js";
import { resolveStage, resolveWorkloads, stageHosts } from "./stages.js";

/** The instance named: its workload and stage exist, its tag is one. */
function instanceOf(s: Session, op: AppLogsOp | ExecOp) {
  const [workload] = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  if (op.tag !== undefined) validateTag(op.tag);
  return { workload: workload!, stage, ...(op.tag !== undefined ? { tag: op.tag } : {}) };
}

/** Following or attaching is to one container: a config with several hosts is refused. */
function oneHost(s: Session, stage: string, what: string): void {
  if (stageHosts(s.config, stage).length > 1)
    throw new TinyforgeError("usage", `${what} acts on one host; this config has several`, {
      hint: "run it with a config naming the one host you mean",
    });
}

export async function appLogsOf(s: Session, op: AppLogsOp, obs: Observers): Promise<ResultOf["app-logs"]> {
  const who = instanceOf(s, op);
  if (op.follow) oneHost(s, who.stage, "logs --follow");
  const out: ResultOf["app-logs"] = [];
  await forEachHost(s, stageHosts(s.config, who.stage), async (host) => {
    const ctx = engineContext(s, host, { workload: who.workload, stage: who.stage });
    const at = { host: host.name };
    const container = await appLogs(
      ctx,
      storeFor(ctx),
      who,
      { follow: op.follow === true, tail: op.tail, sinceSec: op.sinceSec, signal: obs.signal },
      {
        out: (t) => obs.onOutput?.(t, "stdout", at),
        err: (t) => obs.onOutput?.(t, "stderr", at),
      },
    );
    out.push({ host: host.name, container });
    return true;
  });
  return out;
}

export async function execIn(s: Session, op: ExecOp, obs: Observers): Promise<ResultOf["exec"]> {
  const who = instanceOf(s, op);
  if (op.argv.length === 0) throw new TinyforgeError("usage", "exec: give the command after --");
  oneHost(s, who.stage, "exec");
  const io = obs.attach;
  if (!io) throw new TinyforgeError("usage", "exec: nowhere to attach the command's streams");
  let code = 0;
  await forEachHost(s, stageHosts(s.config, who.stage), async (host) => {
    const ctx = engineContext(s, host, { workload: who.workload, stage: who.stage });
    code = await execInstance(ctx, storeFor(ctx), who, [...op.argv], { running: op.running === true }, io);
    return false;
  });
  return code;
}
