import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  hostname
} from "./chunk-VZPQQM3L.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";

// src/config/lookup.ts
function own(rec, key) {
  return Object.hasOwn(rec, key) ? rec[key] : void 0;
}
function hasOwn(rec, key) {
  return Object.hasOwn(rec, key);
}
var have = (rec) => `(have: ${Object.keys(rec).join(", ") || "none"})`;
function stageOf(config, stage) {
  const s = own(config.stages, stage);
  if (!s) throw new TinyforgeError("usage", `no stage "${stage}" in the config ${have(config.stages)}`);
  return s;
}
function workloadOf(config, workload) {
  const w = own(config.workloads, workload);
  if (!w)
    throw new TinyforgeError("usage", `no workload "${workload}" in the config ${have(config.workloads)}`);
  return w;
}
function accessoryOf(config, name) {
  const a = own(config.accessories, name);
  if (!a)
    throw new TinyforgeError("usage", `no accessory "${name}" in the config ${have(config.accessories)}`);
  return a;
}

// src/plan/hostnames.ts
var SINGLE = {
  untagged: "stage-{stage}-{project}",
  tagged: "stage-{stage}-{project}-{tag}"
};
var SEVERAL = {
  untagged: "stage-{stage}-{project}-{workload}",
  tagged: "stage-{stage}-{project}-{workload}-{tag}"
};
function isRouted(w) {
  return w.port !== void 0 || w.source === "static" || w.source === "compose" && !!w.service;
}
function hostnamePatterns(config) {
  const several = Object.values(config.workloads).filter(isRouted).length > 1;
  const defaults = several ? SEVERAL : SINGLE;
  return {
    untagged: config.hostname_pattern ?? defaults.untagged,
    tagged: config.tag_hostname_pattern ?? defaults.tagged
  };
}
function routeHostnames(config, names) {
  const domains = names.tag === void 0 ? own(config.workloads, names.workload)?.domains : void 0;
  const named = domains ? own(domains, names.stage) : void 0;
  if (named && named.length > 0) return [...named];
  const label = hostname(hostnamePatterns(config), names);
  return [config.domain ? `${label}.${config.domain}` : label];
}
function routeHostname(config, names) {
  return routeHostnames(config, names)[0];
}
function instanceUrl(config, hostnames) {
  if (config.load_balancer) return `${config.load_balancer.tls ? "https" : "http"}://${hostnames[0]}`;
  if (config.proxy.driver === "none") return "";
  return `${config.proxy.tls ? "https" : "http"}://${hostnames[0]}`;
}

// src/config/values.ts
var STRATEGIES = ["", "recreate", "blue-green"];
var SOURCES = ["image", "dockerfile", "static", "compose"];
var PROXY_DRIVERS = ["caddy", "npm", "nginx", "none"];
var ENV_PLACEHOLDERS = ["project", "workload", "stage", "tag", "sha", "url"];
var MEMORY = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i;
var UNIT = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
function parseMemory(text) {
  const m = MEMORY.exec(text.trim());
  if (!m) return void 0;
  return Math.floor(Number(m[1]) * UNIT[m[2].toLowerCase()]);
}
function bakeHostsProblem(hosts, stages) {
  const sets = stages.map((st) => st.hosts ?? hosts);
  if (sets.some((hs) => hs.some((h) => h.startsWith("swarm+"))))
    return "is not supported on a swarm+ssh:// host (Swarm replaces tasks itself; use healthcheck)";
  if (sets.some((hs) => hs.length > 1))
    return "is supported on a stage with one host only (this config deploys a stage to several hosts)";
  return void 0;
}

export {
  own,
  hasOwn,
  stageOf,
  workloadOf,
  accessoryOf,
  isRouted,
  hostnamePatterns,
  routeHostnames,
  routeHostname,
  instanceUrl,
  STRATEGIES,
  SOURCES,
  PROXY_DRIVERS,
  ENV_PLACEHOLDERS,
  parseMemory,
  bakeHostsProblem
};
