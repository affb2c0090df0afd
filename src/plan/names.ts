// Every name tinyforge puts on a host (hostnames, container names, state keys, image references)
// comes from here, so one rule decides what user input (tags, refs) may become. User input is
// either sanitized into an inert name or refused with a usage error naming the bad value.
import { createHash, randomInt } from "node:crypto";
import { TinyforgeError } from "../errors.js";

const TAG_CHARS = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const HEX_SHA = /^[0-9a-f]{7,64}$/i;
// distribution/reference grammar: [domain[:port]/]path[/path...][:tag][@digest]
const DOMAIN = String.raw`(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?`;
const PATH = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOCKER_REF = new RegExp(
  String.raw`^((?:${DOMAIN}/)?${PATH}(?:/${PATH})*)(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);
const q = JSON.stringify;

const usage = (message: string) => new TinyforgeError("usage", message);
const invalid = (message: string) => new TinyforgeError("config_invalid", message);

function shortHash(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 6);
}

/** Cuts to `max`; a cut value ends in a hash of `original` so long inputs sharing a prefix stay distinct. */
function cutWithHash(clean: string, max: number, original: string): string {
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max - 7).replace(/[-_.]+$/, "")}-${shortHash(original)}`;
}

function dnsSafe(what: string, value: string): string {
  if (!DNS_LABEL.test(value)) throw usage(`${what} name ${q(value)} is not DNS-safe`);
  return value;
}

/** A workload or stage name as it reaches a host path or a container name: a DNS label, or refused. */
export function validateName(what: string, value: string): string {
  return dnsSafe(what, value);
}

/**
 * A tag (--tag, pr-N): already a DNS label, or refused. Sanitizing instead would make "v1 " and
 * "v1" (or "V1") the same instance, so one deploy would silently replace the other's.
 */
export function validateTag(tag: string): string {
  // The seeds' rule is to sanitize a tag into a DNS label (PR_12 → pr-12); what cannot be part of
  // a tag as people write one (whitespace, control characters, shell syntax, "..") is refused
  // instead, so "v1 " or "../x" never lands on another tag's instance.
  if (!TAG_CHARS.test(tag) || tag.includes("..") || tag.length > 255) {
    throw usage(
      `invalid tag ${q(tag.length > 80 ? `${tag.slice(0, 77)}...` : tag)}: use letters, digits, ".", "_", "-" or "/", like "pr-12"`,
    );
  }
  return sanitizeLabel(tag);
}

/** What a deploy request carries from its caller: every value checked before anything is touched. */
export function validateRequest(v: { stage: string; sha?: string; ref?: string; tag?: string }): void {
  dnsSafe("stage", v.stage);
  if (v.sha !== undefined) validateSha(v.sha);
  if (v.ref !== undefined) validateRef(v.ref);
  if (v.tag !== undefined) validateTag(v.tag);
}

/** An image reference as written (base_image, or a template once expanded): refused unless docker's grammar accepts it. */
export function validateImageReference(image: string): string {
  const name = DOCKER_REF.exec(image)?.[1];
  if (name === undefined || name.length > 255) throw usage(`${q(image)} is not a valid image reference`);
  return image;
}

/** A DNS label (tags, PR refs): lowercase, anything else → "-", at most 63 characters. */
export function sanitizeLabel(s: string): string {
  const clean = s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // "é" → "e" rather than "-"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  if (!clean) throw usage(`${q(s)} has no letters or digits to make a DNS name from`);
  return cutWithHash(clean, 63, s);
}

/** Replaces {key} placeholders; unknown ones are config errors, missing values usage errors. */
function expand(template: string, values: Record<string, string | undefined>, what: string): string {
  return template.replace(/\{([^{}]*)\}/g, (_, key: string) => {
    if (!Object.hasOwn(values, key)) {
      const known = Object.keys(values).map((k) => `{${k}}`);
      throw invalid(`${what} ${q(template)} uses unknown placeholder {${key}} (known: ${known.join(", ")})`);
    }
    const value = values[key];
    if (value === undefined)
      throw usage(`${what} ${q(template)} uses {${key}}, which this deploy does not set`);
    return value;
  });
}

export interface HostnamePatterns {
  untagged: string;
  tagged: string;
}

/** Route hostname of an instance (without the domain), e.g. stage-preview-shop-pr-12. */
export function hostname(
  pattern: HostnamePatterns,
  v: { project: string; stage: string; tag?: string; workload?: string },
): string {
  const tagged = v.tag !== undefined;
  const template = tagged ? pattern.tagged : pattern.untagged;
  if (tagged && !template.includes("{tag}")) {
    throw invalid(
      `hostname pattern ${q(template)} has no {tag}: every tag of a stage would share one hostname`,
    );
  }
  const tag = v.tag === undefined ? undefined : sanitizeLabel(v.tag);
  const host = expand(
    template,
    { project: v.project, stage: v.stage, tag, workload: v.workload },
    "hostname pattern",
  );
  return host
    .split(".")
    .map((label) => {
      if (!/[a-zA-Z0-9]/.test(label)) {
        throw invalid(`hostname pattern ${q(template)} gives an empty label in ${q(host)}`);
      }
      return sanitizeLabel(label);
    })
    .join(".");
}

/** State-store key of an instance: web.production or web.production.pr-12 (names cannot hold "."). */
export function instanceKey(v: { workload: string; stage: string; tag?: string }): string {
  const parts = [dnsSafe("workload", v.workload), dnsSafe("stage", v.stage)];
  if (v.tag !== undefined) parts.push(validateTag(v.tag));
  return parts.join(".");
}

/** Container name of an instance: shop-web-production or shop-web-production-pr-12. */
export function containerBaseName(v: {
  project: string;
  workload: string;
  stage: string;
  tag?: string;
}): string {
  const parts = [dnsSafe("project", v.project), dnsSafe("workload", v.workload), dnsSafe("stage", v.stage)];
  if (v.tag !== undefined) parts.push(validateTag(v.tag));
  const joined = parts.join("-");
  return cutWithHash(joined, 100, joined);
}

/** A Docker volume name is a directory under the engine's root: one path component. */
const VOLUME_MAX = 255;

/**
 * The storage volume of a new deno site instance: shop_web-production-data, scoped like a repo's
 * own volumes (PROJECT_…, src/app/boundary). "_" is in no project name, so no two projects share
 * one ("shop" + "admin-web" is not "shop-admin" + "web"). An instance that already serves keeps
 * the volume its container mounts (src/deploy/plan.ts): this name is only ever for new ones.
 */
export function storageVolumeName(v: {
  project: string;
  workload: string;
  stage: string;
  tag?: string;
}): string {
  const rest = [dnsSafe("workload", v.workload), dnsSafe("stage", v.stage)];
  if (v.tag !== undefined) rest.push(validateTag(v.tag));
  const name = `${dnsSafe("project", v.project)}_${rest.join("-")}-data`;
  return cutWithHash(name, VOLUME_MAX, name);
}

/** Swarm's longest service name. */
const SERVICE_MAX = 63;

/**
 * Swarm service name of an instance: shop_web_production or shop_web_production_pr-12. "_" is in
 * no project, workload, stage or tag (DNS labels), so two instances never share a name ("shop" +
 * "admin-web" is not "shop-admin" + "web"). Past Swarm's 63 characters the name is cut and ends
 * in a hash of the whole.
 */
export function serviceName(v: { project: string; workload: string; stage: string; tag?: string }): string {
  const parts = [dnsSafe("project", v.project), dnsSafe("workload", v.workload), dnsSafe("stage", v.stage)];
  if (v.tag !== undefined) parts.push(validateTag(v.tag));
  const joined = parts.join("_");
  if (joined.length <= SERVICE_MAX) return joined;
  const hash = createHash("sha256").update(joined).digest("hex").slice(0, 12);
  return `${joined.slice(0, SERVICE_MAX - hash.length - 1).replace(/[-_]+$/, "")}-${hash}`;
}

/** Blue-green: the new container gets a unique suffix so it coexists with the one serving. */
export function greenName(base: string, suffix: string): string {
  if (!DOCKER_NAME.test(base)) throw usage(`invalid container name ${q(base)}`);
  if (!/^[a-z0-9]{4,16}$/.test(suffix))
    throw usage(`invalid container suffix ${q(suffix)}: expected 4-16 of a-z 0-9`);
  return `${base}-${suffix}`;
}

/** A docker tag from a ref or tag: anything outside [A-Za-z0-9_.-] becomes "-", so it stays inert. */
function dockerTag(s: string): string {
  const clean = s
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[.-]+/, "")
    .replace(/-+$/, "");
  if (!clean) throw usage(`${q(s)} has no characters usable in a docker tag`);
  return cutWithHash(clean, 128, s);
}

/** Expands {sha} {ref} {tag} {stage} in an image template into a valid docker reference. */
export function expandImage(
  template: string,
  v: { sha: string; ref?: string; tag?: string; stage: string },
): string {
  const image = expand(
    template,
    {
      sha: validateSha(v.sha),
      // {ref} means the branch or tag name, not the full "refs/heads/..." spelling.
      ref: v.ref === undefined ? undefined : dockerTag(v.ref.replace(/^refs\/(?:heads|tags)\//, "")),
      tag: v.tag === undefined ? undefined : dockerTag(v.tag),
      stage: dnsSafe("stage", v.stage),
    },
    "image template",
  );
  const name = DOCKER_REF.exec(image)?.[1];
  if (name === undefined || name.length > 255) {
    throw usage(`image ${q(image)} (from template ${q(template)}) is not a valid docker reference`);
  }
  return image;
}

/** A commit SHA: 7 to 64 hex digits; returned lowercased. */
export function validateSha(sha: string): string {
  if (!HEX_SHA.test(sha)) throw usage(`invalid commit SHA ${q(sha)}: expected 7 to 64 hex digits`);
  return sha.toLowerCase();
}

// git check-ref-format's rules, plus shell metacharacters: a ref reaches git argv and log lines.
const REF_CHARS = /[~^:?*[\\;$`()<>|&'"]/;

function refProblem(ref: string): string | undefined {
  if (ref === "") return "is empty";
  if (ref.length > 255) return "is longer than 255 characters";
  if ([...ref].some((c) => c.charCodeAt(0) <= 32 || c.charCodeAt(0) === 127 || /\s/.test(c))) {
    return "contains whitespace or control characters";
  }
  const bad = REF_CHARS.exec(ref)?.[0];
  if (bad) return `contains ${q(bad)}`;
  if (ref.includes("..")) return 'contains ".."';
  if (ref.includes("@{") || ref === "@") return 'contains "@{" or is "@"';
  if (ref.startsWith("-")) return 'starts with "-"';
  if (ref.split("/").some((part) => part === "" || part.startsWith(".") || part.endsWith(".lock"))) {
    return 'has an empty component, or one starting with "." or ending with ".lock"';
  }
  if (ref.endsWith(".")) return 'ends with "."';
  return undefined;
}

/** A git ref (branch, tag, refs/...): refused unless git itself would accept it and it is shell-inert. */
export function validateRef(ref: string): string {
  const problem = refProblem(ref);
  if (problem)
    throw usage(`invalid git ref ${q(ref.length > 80 ? `${ref.slice(0, 77)}...` : ref)}: ${problem}`);
  return ref;
}

// --- not pure: the one source of randomness in naming ---

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** 8 random lowercase base32 characters (40 bits) for a green container's name. */
export function newSuffix(): string {
  return Array.from({ length: 8 }, () => BASE32[randomInt(32)]).join("");
}
