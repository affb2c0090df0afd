// `tinyforge accessory up|down|restart|logs NAME`: a long-lived service of the project, run by a
// person. Its secrets come from the operator's grants (only `up` needs them all; the others read
// what is set, to redact it); where the grants have none (the bot), accessories are not run.
import { accessoryDown, accessoryLogs, accessoryRestart, accessoryUp } from "../deploy/accessory.js";
import { TinyforgeError } from "../errors.js";
import { makeRedactor } from "../events/redact.js";
import { validateTag } from "../plan/names.js";
import { credentialValues } from "./credentials.js";
import type { AccessoryOp, HostLines, Observers } from "./operation.js";
import { engineContext, forEachHost, type Session } from "./session.js";
import { resolveAccessory, resolveStage, stageHosts } from "./stages.js";

export async function accessoryAction(s: Session, op: AccessoryOp, obs: Observers): Promise<HostLines[]> {
  const name = resolveAccessory(s.config, op.name);
  const stage = resolveStage(s.config, op.stage);
  if (op.tag !== undefined) validateTag(op.tag);
  if (op.action === "logs" && op.follow && s.config.hosts.length > 1)
    throw new TinyforgeError("usage", "accessory logs --follow acts on one host; this config has several", {
      hint: "run it with a config naming the one host you mean",
    });
  const grant = s.grants.accessorySecrets;
  if (!grant) throw new TinyforgeError("usage", "accessories are run by a person: tinyforge accessory");
  const secrets = grant(s.config, name, op.action === "up");
  const ref = { name, stage, ...(op.tag !== undefined ? { tag: op.tag } : {}) };
  const out: HostLines[] = [];
  await forEachHost(s, stageHosts(s.config, stage), async (host) => {
    const ctx = {
      ...engineContext(s, host),
      secrets,
      redact: makeRedactor([...credentialValues(s.credentials), ...Object.values(secrets)]),
    };
    const at = { host: host.name };
    const lines =
      op.action === "up"
        ? await accessoryUp(ctx, ref)
        : op.action === "down"
          ? await accessoryDown(ctx, ref, { removeData: op.removeData === true })
          : op.action === "restart"
            ? await accessoryRestart(ctx, ref)
            : await accessoryLogs(
                ctx,
                ref,
                { follow: op.follow === true, tail: op.tail, signal: obs.signal },
                {
                  out: (t) => obs.onOutput?.(t, "stdout", at),
                  err: (t) => obs.onOutput?.(t, "stderr", at),
                },
              ).then(() => []);
    out.push({ host: host.name, lines });
    return true;
  });
  return out;
}
