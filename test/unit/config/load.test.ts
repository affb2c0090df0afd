import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../../src/config/load.js";
import { TinyforgeError } from "../../../src/errors.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/config");
const fixture = (name: string) => join(FIXTURES, name);

async function failure(file: string): Promise<TinyforgeError> {
  const err = await loadConfig(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TinyforgeError);
  const e = err as TinyforgeError;
  expect(e.code).toBe("config_invalid");
  expect(e.exitCode).toBe(2);
  return e;
}

const DNS_RULE =
  'must be DNS-safe: lowercase letters, digits and "-", 1-63 characters, not starting or ending with "-"';

// Each bad fixture is named after the edge it covers; the detail lines are the user-facing contract.
const corpus: Record<string, string[]> = {
  "unknown-key.yml": [
    'stages.production: unknown key "brnch" (did you mean "branch"?)',
    'workloads.web: unknown key "prot" (did you mean "port"?)',
    'workloads.web: unknown key "colour"',
    '(root): unknown key "domian" (did you mean "domain"?)',
  ],
  "wrong-types.yml": [
    'hosts: must be a list (got string "ssh://deploy@203.0.113.10")',
    'stages.production.pull_requests: must be true or false (got string "yes")',
    'workloads.web.port: must be a number (got string "8080")',
    'workloads.web.command: must be a list (got string "node server.js")',
    'workloads.web.healthcheck.path: must start with "/"',
    "workloads.web.healthcheck.retries: must be an integer (got number 1.5)",
    "workloads.web.max_instances: must be at least 1 (got 0)",
  ],
  "bad-duration.yml": [
    'lock_timeout: must be a duration like "500ms", "5s" or "2m" (got "1d")',
    'workloads.web.healthcheck.interval: must be a duration like "500ms", "5s" or "2m" (got "5 sec")',
    'workloads.web.drain: must be a duration like "500ms", "5s" or "2m" (got "10")',
  ],
  "bad-project-name.yml": [
    `project: ${DNS_RULE} (got "My_Shop")`,
    `stages.Production: name ${DNS_RULE} (got "Production")`,
    `workloads["web.app"]: name ${DNS_RULE} (got "web.app")`,
  ],
  "compose-blue-green.yml": [
    'workloads.stack.deploy_strategy: must be "" or "recreate" for source compose: the stack manages its own containers (got "blue-green")',
  ],
  "rolling-strategy.yml": [
    'workloads.web.deploy_strategy: must be one of "", "recreate", "blue-green" (got "rolling")',
  ],
  "junk-strategy.yml": [
    'workloads.web.deploy_strategy: must be one of "", "recreate", "blue-green" (got "junk")',
  ],
  "missing-image.yml": ['workloads.api.image: is required when source is "image"'],
  "not-a-mapping.yml": ["(root): must be a mapping (got a list)"],
};

describe("loadConfig: bad-config corpus", () => {
  for (const [name, details] of Object.entries(corpus)) {
    it(`${name} reports exactly its problems`, async () => {
      const file = fixture(name);
      const e = await failure(file);
      const n = details.length;
      expect(e.message).toBe(`${file}: ${n} error${n === 1 ? "" : "s"} in config`);
      expect(e.details).toEqual(details);
    });
  }

  it("empty.yml (only a comment) is reported as empty", async () => {
    const file = fixture("empty.yml");
    expect((await failure(file)).message).toBe(`config file is empty: ${file}`);
  });

  it("malformed.yml names the file, line and column and shows the spot", async () => {
    const file = fixture("malformed.yml");
    const e = await failure(file);
    expect(e.message).toBe(
      `${file}:4:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }`,
    );
    expect(e.details).toEqual(["  production: { branch: main", "workloads:", "^"]);
  });

  it("a missing file says how to fix it", async () => {
    const e = await failure("no-such-dir/tinyforge.yml");
    expect(e.message).toBe("config file not found: no-such-dir/tinyforge.yml");
    expect(e.hint).toBe("pass -c FILE or create tinyforge.yml");
  });
});

describe("loadConfig: valid files", () => {
  it("basic.yml gets the defaults", async () => {
    const loaded = await loadConfig(fixture("basic.yml"));
    expect(loaded.file).toBe(fixture("basic.yml"));
    expect(loaded.dir).toBe(FIXTURES);
    expect(loaded.config.hosts).toEqual(["local"]);
    expect(loaded.config.proxy.driver).toBe("none");
    expect(loaded.config.workloads.web?.deploy_strategy).toBe("");
    expect(loaded.config.lock_timeout).toBe(60_000);
  });

  it("full.yml parses durations to milliseconds", async () => {
    const { config } = await loadConfig(fixture("full.yml"));
    expect(Object.keys(config.workloads)).toEqual(["web", "api", "site", "stack"]);
    expect(config.lock_timeout).toBe(120_000);
    expect(config.workloads.web?.healthcheck).toEqual({
      path: "/healthz",
      retries: 3,
      interval: 5000,
      timeout: 10_000,
      expect_status: 200,
    });
  });
});

describe("parseConfig edges", () => {
  const base = "project: shop\nstages: { production: {} }\nworkloads: { web: { source: static } }\n";

  it.each([
    ["", "empty text"],
    ["---\n", "an empty document"],
    ["~\n", "a null document"],
  ])("%j is empty (%s)", (text) => {
    expect(() => parseConfig(text, "x.yml")).toThrow("config file is empty: x.yml");
  });

  it("a scalar document is not a mapping", () => {
    expect(() => parseConfig("hello\n", "x.yml")).toThrow(
      expect.objectContaining({ details: ['(root): must be a mapping (got string "hello")'] }),
    );
  });

  it("duplicate keys are a YAML error", () => {
    expect(() => parseConfig(`${base}project: other\n`, "x.yml")).toThrow(
      "x.yml:4:1: invalid YAML: Map keys must be unique",
    );
  });

  it("an unresolved alias is a config error, not a crash", () => {
    expect(() => parseConfig(`${base}domain: *nope\n`, "x.yml")).toThrow(TinyforgeError);
  });

  it("missing required keys say so", () => {
    expect(() => parseConfig("domain: example.com\n", "x.yml")).toThrow(
      expect.objectContaining({
        message: "x.yml: 3 errors in config",
        details: ["project: is required", "stages: is required", "workloads: is required"],
      }),
    );
  });

  it("hostname patterns and image templates are checked against every stage", () => {
    const text = [
      "project: shop",
      'hostname_pattern: "{proj}"',
      'tag_hostname_pattern: "{stage}-{project}"',
      "stages: { production: {} }",
      'workloads: { api: { source: image, port: 1, image: "Reg/App:{sha}" } }',
    ].join("\n");
    expect(() => parseConfig(text, "x.yml")).toThrow(
      expect.objectContaining({
        details: [
          'hostname_pattern: hostname pattern "{proj}" uses unknown placeholder {proj} (known: {project}, {stage}, {tag}, {workload})',
          'tag_hostname_pattern: hostname pattern "{stage}-{project}" has no {tag}: every tag of a stage would share one hostname',
          `workloads.api.image: image "Reg/App:${"0".repeat(40)}" (from template "Reg/App:{sha}") is not a valid docker reference`,
        ],
      }),
    );
  });

  it("a directory is not readable as a config", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tf-load-"));
    await expect(loadConfig(dir)).rejects.toThrow(`cannot read config file ${dir}`);
    await writeFile(join(dir, "tinyforge.yml"), base);
    await expect(loadConfig(join(dir, "tinyforge.yml"))).resolves.toMatchObject({ dir });
  });
});
