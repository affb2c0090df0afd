import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";

// src/plan/names.ts
import { createHash, randomInt } from "node:crypto";
var TAG_CHARS = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
var DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
var DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
var HEX_SHA = /^[0-9a-f]{7,64}$/i;
var DOMAIN = String.raw`(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?`;
var PATH = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
var DOCKER_REF = new RegExp(
  String.raw`^((?:${DOMAIN}/)?${PATH}(?:/${PATH})*)(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`
);
var q = JSON.stringify;
var usage = (message) => new TinyforgeError("usage", message);
var invalid = (message) => new TinyforgeError("config_invalid", message);
function shortHash(s) {
  return createHash("sha256").update(s).digest("hex").slice(0, 6);
}
function cutWithHash(clean, max, original) {
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max - 7).replace(/[-_.]+$/, "")}-${shortHash(original)}`;
}
function dnsSafe(what, value) {
  if (!DNS_LABEL.test(value)) throw usage(`${what} name ${q(value)} is not DNS-safe`);
  return value;
}
function validateName(what, value) {
  return dnsSafe(what, value);
}
function validateTag(tag) {
  if (!TAG_CHARS.test(tag) || tag.includes("..") || tag.length > 255) {
    throw usage(
      `invalid tag ${q(tag.length > 80 ? `${tag.slice(0, 77)}...` : tag)}: use letters, digits, ".", "_", "-" or "/", like "pr-12"`
    );
  }
  return sanitizeLabel(tag);
}
function validateRequest(v) {
  dnsSafe("stage", v.stage);
  if (v.sha !== void 0) validateSha(v.sha);
  if (v.ref !== void 0) validateRef(v.ref);
  if (v.tag !== void 0) validateTag(v.tag);
}
function validateImageReference(image) {
  const name = DOCKER_REF.exec(image)?.[1];
  if (name === void 0 || name.length > 255) throw usage(`${q(image)} is not a valid image reference`);
  return image;
}
function sanitizeLabel(s) {
  const clean = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  if (!clean) throw usage(`${q(s)} has no letters or digits to make a DNS name from`);
  return cutWithHash(clean, 63, s);
}
function expand(template, values, what) {
  return template.replace(/\{([^{}]*)\}/g, (_, key) => {
    if (!Object.hasOwn(values, key)) {
      const known = Object.keys(values).map((k) => `{${k}}`);
      throw invalid(`${what} ${q(template)} uses unknown placeholder {${key}} (known: ${known.join(", ")})`);
    }
    const value = values[key];
    if (value === void 0)
      throw usage(`${what} ${q(template)} uses {${key}}, which this deploy does not set`);
    return value;
  });
}
function hostname(pattern, v) {
  const tagged = v.tag !== void 0;
  const template = tagged ? pattern.tagged : pattern.untagged;
  if (tagged && !template.includes("{tag}")) {
    throw invalid(
      `hostname pattern ${q(template)} has no {tag}: every tag of a stage would share one hostname`
    );
  }
  const tag = v.tag === void 0 ? void 0 : sanitizeLabel(v.tag);
  const host = expand(
    template,
    { project: v.project, stage: v.stage, tag, workload: v.workload },
    "hostname pattern"
  );
  return host.split(".").map((label) => {
    if (!/[a-zA-Z0-9]/.test(label)) {
      throw invalid(`hostname pattern ${q(template)} gives an empty label in ${q(host)}`);
    }
    return sanitizeLabel(label);
  }).join(".");
}
function instanceKey(v) {
  const parts = [dnsSafe("workload", v.workload), dnsSafe("stage", v.stage)];
  if (v.tag !== void 0) parts.push(validateTag(v.tag));
  return parts.join(".");
}
function containerBaseName(v) {
  const parts = [dnsSafe("project", v.project), dnsSafe("workload", v.workload), dnsSafe("stage", v.stage)];
  if (v.tag !== void 0) parts.push(validateTag(v.tag));
  const joined = parts.join("-");
  return cutWithHash(joined, 100, joined);
}
var SERVICE_MAX = 63;
function serviceName(v) {
  const parts = [dnsSafe("project", v.project), dnsSafe("workload", v.workload), dnsSafe("stage", v.stage)];
  if (v.tag !== void 0) parts.push(validateTag(v.tag));
  const joined = parts.join("_");
  if (joined.length <= SERVICE_MAX) return joined;
  const hash = createHash("sha256").update(joined).digest("hex").slice(0, 12);
  return `${joined.slice(0, SERVICE_MAX - hash.length - 1).replace(/[-_]+$/, "")}-${hash}`;
}
function greenName(base, suffix) {
  if (!DOCKER_NAME.test(base)) throw usage(`invalid container name ${q(base)}`);
  if (!/^[a-z0-9]{4,16}$/.test(suffix))
    throw usage(`invalid container suffix ${q(suffix)}: expected 4-16 of a-z 0-9`);
  return `${base}-${suffix}`;
}
function dockerTag(s) {
  const clean = s.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[.-]+/, "").replace(/-+$/, "");
  if (!clean) throw usage(`${q(s)} has no characters usable in a docker tag`);
  return cutWithHash(clean, 128, s);
}
function expandImage(template, v) {
  const image = expand(
    template,
    {
      sha: validateSha(v.sha),
      // {ref} means the branch or tag name, not the full "refs/heads/..." spelling.
      ref: v.ref === void 0 ? void 0 : dockerTag(v.ref.replace(/^refs\/(?:heads|tags)\//, "")),
      tag: v.tag === void 0 ? void 0 : dockerTag(v.tag),
      stage: dnsSafe("stage", v.stage)
    },
    "image template"
  );
  const name = DOCKER_REF.exec(image)?.[1];
  if (name === void 0 || name.length > 255) {
    throw usage(`image ${q(image)} (from template ${q(template)}) is not a valid docker reference`);
  }
  return image;
}
function validateSha(sha) {
  if (!HEX_SHA.test(sha)) throw usage(`invalid commit SHA ${q(sha)}: expected 7 to 64 hex digits`);
  return sha.toLowerCase();
}
var REF_CHARS = /[~^:?*[\\;$`()<>|&'"]/;
function refProblem(ref) {
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
  return void 0;
}
function validateRef(ref) {
  const problem = refProblem(ref);
  if (problem)
    throw usage(`invalid git ref ${q(ref.length > 80 ? `${ref.slice(0, 77)}...` : ref)}: ${problem}`);
  return ref;
}
var BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
function newSuffix() {
  return Array.from({ length: 8 }, () => BASE32[randomInt(32)]).join("");
}

export {
  validateName,
  validateTag,
  validateRequest,
  validateImageReference,
  sanitizeLabel,
  hostname,
  instanceKey,
  containerBaseName,
  serviceName,
  greenName,
  expandImage,
  validateSha,
  validateRef,
  newSuffix
};
