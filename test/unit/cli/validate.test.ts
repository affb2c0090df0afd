import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/config");
const fixture = (name: string) => join(FIXTURES, name);

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
  const code = await main(argv, { io, env: {}, isTTY: false });
  return { code, out, err };
}

describe("tinyforge validate", () => {
  it("prints a one-line summary and exits 0 for a valid file", async () => {
    const file = fixture("full.yml");
    const r = await run("validate", "-c", file);
    expect(r).toEqual({
      code: 0,
      out: `${file}: valid — project shop, 4 workloads (web, api, site, stack), 2 stages (production, preview)\n`,
      err: "",
    });
  });

  it("a path outside the config's directory is allowed, with a warning line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tf-validate-"));
    const file = join(dir, "tinyforge.yml");
    writeFileSync(
      file,
      "project: shop\nstages: { production: {} }\nworkloads:\n  site: { source: static, context: ../elsewhere }\n",
    );
    const r = await run("validate", "-c", file);
    expect(r).toEqual({
      code: 0,
      out: `${file}: valid — project shop, 1 workload (site), 1 stage (production)\n`,
      err: "warning: workloads.site.context: resolves outside the config's directory (the bot refuses this)\n",
    });
  });

  it("takes -c before the command and --config=FILE too", async () => {
    const file = fixture("basic.yml");
    const want = `${file}: valid — project shop, 1 workload (web), 1 stage (production)\n`;
    expect((await run("-c", file, "validate")).out).toBe(want);
    expect((await run("validate", `--config=${file}`)).out).toBe(want);
  });

  it("defaults to tinyforge.yml and says how to fix a missing file", async () => {
    const r = await run("validate");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      "error: config file not found: tinyforge.yml\nhint: pass -c FILE or create tinyforge.yml\n",
    );
  });

  it("reports malformed YAML with line and column, exit 2", async () => {
    const file = fixture("malformed.yml");
    const r = await run("validate", "-c", file);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      [
        `error: ${file}:4:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }`,
        "    production: { branch: main",
        "  workloads:",
        "  ^",
        "",
      ].join("\n"),
    );
  });

  it("reports every unknown key, one per line, exit 2", async () => {
    const file = fixture("unknown-key.yml");
    const r = await run("validate", "-c", file);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      [
        `error: ${file}: 4 errors in config`,
        '  stages.production: unknown key "brnch" (did you mean "branch"?)',
        '  workloads.web: unknown key "prot" (did you mean "port"?)',
        '  workloads.web: unknown key "colour"',
        '  (root): unknown key "domian" (did you mean "domain"?)',
        "",
      ].join("\n"),
    );
  });
});

// Usage errors load every command first (commander lists them): allow for a loaded machine.
describe("tinyforge usage errors", { timeout: 30_000 }, () => {
  it.each([[["nope"]], [["validate", "--bogus"]], [["validate", "extra"]], [[]]])(
    "%j exits 2",
    async (argv) => {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err).not.toBe("");
    },
  );

  it("--help exits 0 and lists validate", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("validate");
    expect(r.out).toContain("-c, --config <file>");
  });
});
