// `tinyforge accessory up|down|restart|logs NAME`: the lifecycle of a long-lived service beside the
// app. `up` converges: it creates the container when missing, starts it when stopped, replaces it
// when its config changed, and otherwise leaves it alone; a deploy never touches it.
import type { AccessoryConfig } from "../config/accessory.js";
import { accessoryOf, stageOf } from "../config/lookup.js";
import { TinyforgeError } from "../errors.js";
import { redactingLines } from "../events/redact-stream.js";
import {
  ACCESSORY_LABEL,
  type AccessoryScope,
  accessoryHash,
  accessorySpec,
  accessoryContainer,
  accessoryNetwork,
  ownedVolumes,
} from "../plan/accessory.js";
import { LABEL } from "../plan/labels.js";
import type { LogOptions } from "../ports/docker.js";
import type { TextOut } from "./app-logs.js";
import { ensureOwnNetwork } from "./networks.js";
import type { EngineContext } from "./types.js";

export interface AccessoryRef {
  name: string;
  stage: string;
  tag?: string;
}

/** How long a new accessory must keep running before `up` calls it up. */
const SETTLE_MS = 1500;

function resolve(ctx: EngineContext, ref: AccessoryRef): { a: AccessoryConfig; scope: AccessoryScope } {
  const a = accessoryOf(ctx.config, ref.name);
  stageOf(ctx.config, ref.stage);
  if (ref.tag && !a.per_tag) {
    throw new TinyforgeError(
      "usage",
      `accessories.${ref.name} is shared by every tag of a stage (per_tag is false): leave out --tag`,
    );
  }
  return {
    a,
    scope: { project: ctx.config.project, stage: ref.stage, ...(ref.tag ? { tag: ref.tag } : {}) },
  };
}

export async function accessoryUp(ctx: EngineContext, ref: AccessoryRef): Promise<string[]> {
  const { a, scope } = resolve(ctx, ref);
  const docker = ctx.host.docker;
  const hash = accessoryHash(a, ctx.secrets, accessoryNetwork(scope));
  const spec = accessorySpec(ref.name, a, scope, ctx.secrets, hash);
  const existing = await docker.inspect(spec.name);
  if (existing && existing.labels[`${ACCESSORY_LABEL}.config`] === hash) {
    if (existing.running) return [`${spec.name} runs, unchanged`];
    await docker.start(existing.id);
    await settled(ctx, existing.id, spec.name, ref);
    return [`${spec.name} started`];
  }
  if (!(await docker.imageExists(a.image))) await docker.pull(a.image, () => undefined);
  await ensureOwnNetwork(ctx, docker, spec.network!, {
    [LABEL.project]: scope.project,
    [LABEL.stage]: scope.stage,
  });
  const lines: string[] = [];
  if (existing) {
    await docker.stop(existing.id, spec.stopTimeoutSec);
    await docker.remove(existing.id);
    lines.push(`${spec.name}: config changed, replaced (its volumes are kept)`);
  }
  const id = await docker.create(spec);
  await docker.start(id);
  await settled(ctx, id, spec.name, ref);
  lines.push(
    `${spec.name} up on network ${spec.network} as "${ref.name}"${a.port ? ` (port ${a.port})` : ""}`,
  );
  return lines;
}

// An accessory that exits at once (a bad command, a missing secret) is an error with its output.
async function settled(ctx: EngineContext, id: string, name: string, ref: AccessoryRef): Promise<void> {
  await ctx.clock.sleep(SETTLE_MS);
  const info = await ctx.host.docker.inspect(id);
  if (info?.running) return;
  const tail = ctx.redact((await ctx.host.docker.logs(id, 20)).trim());
  throw new TinyforgeError(
    "container_exited",
    `${name} did not stay up (exit code ${info?.exitCode ?? "?"})`,
    {
      details: tail ? tail.split("\n") : [],
      hint: `tinyforge accessory logs ${ref.name} --stage ${ref.stage} shows its output`,
    },
  );
}

export async function accessoryDown(
  ctx: EngineContext,
  ref: AccessoryRef,
  opts: { removeData: boolean },
): Promise<string[]> {
  const { a, scope } = resolve(ctx, ref);
  const docker = ctx.host.docker;
  const name = accessoryContainer(ref.name, scope);
  const lines: string[] = [];
  const existing = await docker.inspect(name);
  if (existing) {
    await docker.stop(existing.id, 30);
    await docker.remove(existing.id);
    lines.push(`removed ${name}`);
  } else lines.push(`${name}: not running`);
  const volumes = ownedVolumes(a, scope);
  if (opts.removeData) {
    for (const v of volumes) {
      await docker.removeVolume(v);
      lines.push(`removed volume ${v}`);
    }
  } else if (volumes.length) lines.push(`kept volume${volumes.length > 1 ? "s" : ""} ${volumes.join(", ")}`);
  return lines;
}

export async function accessoryRestart(ctx: EngineContext, ref: AccessoryRef): Promise<string[]> {
  const { scope } = resolve(ctx, ref);
  const name = accessoryContainer(ref.name, scope);
  const existing = await ctx.host.docker.inspect(name);
  if (!existing) throw notUp(ref, name);
  await ctx.host.docker.stop(existing.id, 30);
  await ctx.host.docker.start(existing.id);
  await settled(ctx, existing.id, name, ref);
  return [`${name} restarted`];
}

export async function accessoryLogs(
  ctx: EngineContext,
  ref: AccessoryRef,
  opts: LogOptions,
  io: TextOut,
): Promise<void> {
  const { scope } = resolve(ctx, ref);
  const name = accessoryContainer(ref.name, scope);
  const existing = await ctx.host.docker.inspect(name);
  if (!existing) throw notUp(ref, name);
  const stdout = redactingLines(ctx.redact, io.out);
  const stderr = redactingLines(ctx.redact, io.err);
  try {
    await ctx.host.docker.streamLogs(existing.id, opts, { stdout, stderr });
  } finally {
    await Promise.all([stdout, stderr].map((w) => new Promise((r) => w.end(r))));
  }
}

function notUp(ref: AccessoryRef, name: string): TinyforgeError {
  return new TinyforgeError("not_found", `${name} does not exist`, {
    hint: `tinyforge accessory up ${ref.name} --stage ${ref.stage}${ref.tag ? ` --tag ${ref.tag}` : ""}`,
  });
}
