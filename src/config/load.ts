// Reads tinyforge.yml once, at the edge, into a validated Config. Every problem in the file is
// reported in one error (one detail line each), so a user fixes them all in one pass.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { errorMessage, TinyforgeError } from "../errors.js";
import { hostnamePatterns } from "../plan/hostnames.js";
import { expandImage, hostname, validateImageReference } from "../plan/names.js";
import { routeCollisions } from "../plan/route-collisions.js";
import { formatIssues, humanErrorMap } from "./issues.js";
import { type Config, configSchema } from "./schema.js";
import { yamlDocument } from "./yaml-document.js";

export interface LoadedConfig {
  config: Config;
  /** Absolute directory of the config file: the build context and checkout root. */
  dir: string;
  /** Absolute path of the config file. */
  file: string;
}

/** `text`: the file's contents when the caller has read them already (a pipe reads only once). */
export async function loadConfig(file: string, text?: string): Promise<LoadedConfig> {
  const path = resolve(file);
  if (text === undefined) text = await readConfigFile(file, path);
  return { config: parseConfig(text, file), dir: dirname(path), file: path };
}

async function readConfigFile(file: string, path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new TinyforgeError("config_invalid", `config file not found: ${file}`, {
        hint: "pass -c FILE or create tinyforge.yml",
      });
    }
    throw new TinyforgeError("config_invalid", `cannot read config file ${file}: ${errorMessage(e)}`, {
      cause: e,
    });
  }
}

/** Parses and validates config text; `file` only names the source in messages. */
export function parseConfig(text: string, file = "tinyforge.yml"): Config {
  return validateConfig(parseYaml(text, file), file);
}

/**
 * Validates config data already parsed from YAML (the bot's, with the operator's settings put in)
 * exactly as parseConfig validates the text; `file` only names the source in messages.
 */
export function validateConfig(data: unknown, file = "tinyforge.yml"): Config {
  if (data === null || data === undefined)
    throw new TinyforgeError("config_invalid", `config file is empty: ${file}`);
  // jitless: zod would otherwise compile each object's parser with `new Function` on its first
  // parse, which a command that parses once never wins back (the bot's later parses lose ~10 µs).
  const result = configSchema.safeParse(data, { reportInput: true, error: humanErrorMap, jitless: true });
  const details = result.success
    ? planProblems(result.data)
    : formatIssues(result.error.issues, configSchema);
  if (details.length > 0) {
    const n = details.length;
    throw new TinyforgeError("config_invalid", `${file}: ${n} error${n === 1 ? "" : "s"} in config`, {
      details,
    });
  }
  return result.data!;
}

function parseYaml(text: string, file: string): unknown {
  const doc = yamlDocument(text);
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    // yaml's message is "REASON at line L, column C:\n\nEXCERPT": keep the reason in the message
    // and the excerpt (with its caret) as detail lines.
    const [head = "", ...rest] = first.message.split("\n");
    const reason = head.replace(/ at line \d+, column \d+:?$/, "");
    while (rest[0]?.trim() === "") rest.shift();
    while (rest.at(-1)?.trim() === "") rest.pop();
    throw new TinyforgeError("config_invalid", `${where}: invalid YAML: ${reason}`, { details: rest });
  }
  try {
    return doc.toJS();
  } catch (e) {
    // toJS throws on anchors that resolve to nothing or expand too much (alias bombs).
    throw new TinyforgeError("config_invalid", `${file}: invalid YAML: ${errorMessage(e)}`, { cause: e });
  }
}

/**
 * Checks the schema cannot express: hostname patterns and image templates must expand to valid
 * names for every stage, or the first deploy would fail after touching the host.
 */
function planProblems(config: Config): string[] {
  const problems: string[] = [];
  // A Set, not problems.includes: a template wrong in every workload fails once per stage each.
  const seen = new Set<string>();
  const check = (path: string, fn: () => void) => {
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
  // A DNS name is at most 253 characters: a longer route would only fail at the route step.
  const fits = (host: string) => {
    const full = config.domain ? `${host}.${config.domain}` : host;
    if (full.length > 253)
      throw new Error(`gives hostname ${full.slice(0, 40)}… of ${full.length} characters (at most 253)`);
  };
  for (const stage of Object.keys(config.stages)) {
    check("hostname_pattern", () => fits(hostname(patterns, { project: config.project, stage, workload })));
    check("tag_hostname_pattern", () =>
      fits(hostname(patterns, { project: config.project, stage, workload, tag: "pr-1" })),
    );
    for (const [name, w] of Object.entries(config.workloads)) {
      const sample = { sha: "0".repeat(40), ref: "main", tag: "pr-1", stage };
      if (w.image) check(`workloads.${name}.image`, () => expandImage(w.image!, sample));
    }
  }
  for (const [name, w] of Object.entries(config.workloads)) {
    if (w.base_image) check(`workloads.${name}.base_image`, () => validateImageReference(w.base_image!));
  }
  problems.push(...routeCollisions(config));
  return problems;
}
