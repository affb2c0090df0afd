import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  configSchema,
  formatIssues,
  humanErrorMap
} from "./chunk-Y4PIAPZT.js";
import {
  expandImage,
  hostname,
  hostnamePatterns,
  isRouted,
  routeHostnames,
  validateImageReference
} from "./chunk-MEIW7ZG6.js";
import {
  yamlDocument
} from "./chunk-6YYFZVAX.js";
import {
  TinyforgeError,
  errorMessage
} from "./chunk-33CLMXR5.js";

// src/config/load.ts
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

// src/plan/route-collisions.ts
var SAMPLE_TAG = "pr-1";
function describe(i) {
  return `workloads.${i.workload} in stage ${i.stage}${i.tag ? ` (tag ${i.tag})` : ""}`;
}
function routeCollisions(config) {
  const owners = /* @__PURE__ */ new Map();
  const pairs = /* @__PURE__ */ new Set();
  const problems = [];
  const patterns = hostnamePatterns(config);
  for (const [workload, w] of Object.entries(config.workloads)) {
    if (!isRouted(w)) continue;
    for (const stage of Object.keys(config.stages)) {
      for (const tag of [void 0, SAMPLE_TAG]) {
        const names = { project: config.project, workload, stage, tag };
        let hostnames;
        try {
          hostnames = routeHostnames(config, names, patterns);
        } catch {
          continue;
        }
        const who = describe(names);
        for (const host of new Set(hostnames)) {
          const first = owners.get(host);
          if (first === void 0) owners.set(host, { who, workload });
          else if (first.who !== who && !pairs.has(`${first.workload} ${workload}`)) {
            pairs.add(`${first.workload} ${workload}`);
            problems.push(
              `workloads.${workload}: ${who} and ${first.who} would both be routed on ${host}; give one its own domains or put {workload} in the hostname patterns`
            );
          }
        }
      }
    }
  }
  return problems;
}

// src/config/load.ts
async function loadConfig(file, text) {
  const path = resolve(file);
  if (text === void 0) text = await readConfigFile(file, path);
  return { config: parseConfig(text, file), dir: dirname(path), file: path };
}
async function readConfigFile(file, path) {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT") {
      throw new TinyforgeError("config_invalid", `config file not found: ${file}`, {
        hint: "pass -c FILE or create tinyforge.yml"
      });
    }
    throw new TinyforgeError("config_invalid", `cannot read config file ${file}: ${errorMessage(e)}`, {
      cause: e
    });
  }
}
function parseConfig(text, file = "tinyforge.yml") {
  return validateConfig(parseYaml(text, file), file);
}
function validateConfig(data, file = "tinyforge.yml") {
  if (data === null || data === void 0)
    throw new TinyforgeError("config_invalid", `config file is empty: ${file}`);
  const result = configSchema.safeParse(data, { reportInput: true, error: humanErrorMap, jitless: true });
  const details = result.success ? planProblems(result.data) : formatIssues(result.error.issues, configSchema);
  if (details.length > 0) {
    const n = details.length;
    throw new TinyforgeError("config_invalid", `${file}: ${n} error${n === 1 ? "" : "s"} in config`, {
      details
    });
  }
  return result.data;
}
function parseYaml(text, file) {
  const doc = yamlDocument(text);
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const [head = "", ...rest] = first.message.split("\n");
    const reason = head.replace(/ at line \d+, column \d+:?$/, "");
    while (rest[0]?.trim() === "") rest.shift();
    while (rest.at(-1)?.trim() === "") rest.pop();
    throw new TinyforgeError("config_invalid", `${where}: invalid YAML: ${reason}`, { details: rest });
  }
  try {
    return doc.toJS();
  } catch (e) {
    throw new TinyforgeError("config_invalid", `${file}: invalid YAML: ${errorMessage(e)}`, { cause: e });
  }
}
function planProblems(config) {
  const problems = [];
  const seen = /* @__PURE__ */ new Set();
  const check = (path, fn) => {
    try {
      fn();
    } catch (e) {
      const line = `${path}: ${errorMessage(e)}`;
      if (!seen.has(line)) problems.push(line);
      seen.add(line);
    }
  };
  const patterns = hostnamePatterns(config);
  const workload = Object.keys(config.workloads)[0];
  const fits = (host) => {
    const full = config.domain ? `${host}.${config.domain}` : host;
    if (full.length > 253)
      throw new Error(`gives hostname ${full.slice(0, 40)}\u2026 of ${full.length} characters (at most 253)`);
  };
  for (const stage of Object.keys(config.stages)) {
    check("hostname_pattern", () => fits(hostname(patterns, { project: config.project, stage, workload })));
    check(
      "tag_hostname_pattern",
      () => fits(hostname(patterns, { project: config.project, stage, workload, tag: "pr-1" }))
    );
    for (const [name, w] of Object.entries(config.workloads)) {
      const sample = { sha: "0".repeat(40), ref: "main", tag: "pr-1", stage };
      if (w.image) check(`workloads.${name}.image`, () => expandImage(w.image, sample));
    }
  }
  for (const [name, w] of Object.entries(config.workloads)) {
    if (w.base_image) check(`workloads.${name}.base_image`, () => validateImageReference(w.base_image));
  }
  problems.push(...routeCollisions(config));
  return problems;
}

export {
  loadConfig,
  parseConfig,
  validateConfig
};
