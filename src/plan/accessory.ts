// Names and container specs of accessories, as data. One accessory per stage (per tag with
// per_tag), on a network of that stage the stage's workloads join, where it answers to its name.
// In the bot, that network is also where a workload naming no network runs (instanceNetworks).
import { createHash } from "node:crypto";
import type { AccessoryConfig } from "../config/accessory.js";
import type { Config } from "../config/schema.js";
import type { ContainerSpec } from "../ports/docker.js";
import { LABEL } from "./labels.js";
import { containerBaseName, sanitizeLabel } from "./names.js";

export const ACCESSORY_LABEL = "dev.tinyforge.accessory";

export interface AccessoryScope {
  project: string;
  stage: string;
  /** Only for an accessory with per_tag. */
  tag?: string;
}

/**
 * The network of a stage (or of one tag): `tf_shop_production`, `tf_shop_preview_pr-12`. "_" is in
 * no project, stage or tag, so project shop's stage admin-production never lands on project
 * shop-admin's production network (where its database answers).
 */
export function accessoryNetwork(s: AccessoryScope): string {
  return `tf_${[s.project, s.stage, ...(s.tag ? [sanitizeLabel(s.tag)] : [])].join("_")}`;
}

export function accessoryContainer(name: string, s: AccessoryScope): string {
  return containerBaseName({ project: s.project, workload: `accessory-${name}`, stage: s.stage, tag: s.tag });
}

// A Docker volume name; anything else in the source position is a host path (left as written).
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Named volumes scoped to the stage (and tag), so production and staging never share data. */
export function accessoryVolumes(a: Pick<AccessoryConfig, "volumes">, s: AccessoryScope): string[] {
  const scope = [s.project, s.stage, ...(s.tag ? [sanitizeLabel(s.tag)] : [])].join("-");
  return a.volumes.map((v) => {
    const i = v.indexOf(":");
    const source = v.slice(0, i);
    return VOLUME_NAME.test(source) ? `${scope}-${source}${v.slice(i)}` : v;
  });
}

/** The named volumes an accessory owns on the host (what `down --remove-data` removes). */
export function ownedVolumes(a: Pick<AccessoryConfig, "volumes">, s: AccessoryScope): string[] {
  return accessoryVolumes(a, s)
    .map((v) => v.slice(0, v.indexOf(":")))
    .filter((src) => VOLUME_NAME.test(src));
}

/** The scope an accessory has for an instance: its tag only when the accessory is per_tag. */
export function scopeFor(a: Pick<AccessoryConfig, "per_tag">, s: AccessoryScope): AccessoryScope {
  return a.per_tag && s.tag ? s : { project: s.project, stage: s.stage };
}

/** Networks a workload instance joins: one per distinct accessory scope, none without accessories. */
export function workloadNetworks(config: Config, s: AccessoryScope): string[] {
  const nets = Object.values(config.accessories).map((a) => accessoryNetwork(scopeFor(a, s)));
  return [...new Set(nets)].sort();
}

export interface InstanceNetworks {
  /** The network its containers are created on (Docker's NetworkMode); none: Docker's default. */
  network?: string;
  /** Further networks they join before they start: its accessories'. */
  joined: string[];
  /** The networks tinyforge makes when missing, with the project's labels (ensureOwnNetwork). */
  made: string[];
}

/**
 * Where a workload instance's containers go: the repo's `network:`, else, with `isolate` (the
 * bot), the stage's own tf_P_S: on Docker's default bridge every container of every project on
 * the host reaches every other by IP. The stage's, not the tag's: previews of a stage share it
 * as they share its accessory, and a host does not run out of address pools (about 30 bridge
 * networks by default) one preview at a time. A per_tag accessory's network is joined as before.
 */
export function instanceNetworks(
  config: Config,
  w: { network?: string | undefined },
  s: AccessoryScope,
  isolate: boolean,
): InstanceNetworks {
  const own = !w.network && isolate ? accessoryNetwork({ project: s.project, stage: s.stage }) : undefined;
  const network = w.network ?? own;
  const accessories = workloadNetworks(config, s);
  return {
    ...(network ? { network } : {}),
    // Docker refuses to connect a container to the network it was created on.
    joined: accessories.filter((n) => n !== network),
    made: [...new Set([...(own ? [own] : []), ...accessories])],
  };
}

/**
 * Changes when what `up` would create changes (secret values enter only as a hash); the network
 * too, so an accessory on a network of an older name moves to its own at the next `up`.
 */
export function accessoryHash(
  a: AccessoryConfig,
  secretValues: Record<string, string>,
  network: string,
): string {
  const secrets = a.secrets.map((k) => [k, secretValues[k] ?? ""]);
  const text = JSON.stringify([a.image, a.env, a.volumes, a.command ?? null, secrets, network]);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function accessorySpec(
  name: string,
  a: AccessoryConfig,
  s: AccessoryScope,
  secretValues: Record<string, string>,
  configHash: string,
): ContainerSpec {
  return {
    name: accessoryContainer(name, s),
    image: a.image,
    labels: {
      [LABEL.project]: s.project,
      [LABEL.stage]: s.stage,
      ...(s.tag ? { [LABEL.tag]: s.tag } : {}),
      [ACCESSORY_LABEL]: name,
      [`${ACCESSORY_LABEL}.config`]: configHash,
    },
    // Secrets go in the API body's Env, never on a command line.
    env: [
      ...Object.entries(a.env).map(([k, v]) => `${k}=${v}`),
      ...a.secrets.map((k) => `${k}=${secretValues[k] ?? ""}`),
    ],
    // No port: it is reached over its network by name, never published on the host.
    publishIp: "",
    network: accessoryNetwork(s),
    aliases: [name],
    volumes: accessoryVolumes(a, s),
    ...(a.command ? { command: a.command } : {}),
    stopTimeoutSec: 30,
  };
}
