// A stage or workload the config does not have is exit 2 naming the ones it has, in every command,
// before any host is opened (basic.yml's host is never reached) — Object.prototype's names too.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";

const config = join(import.meta.dirname, "../../fixtures/config/basic.yml");

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
  const code = await main(["-c", config, ...argv], { io, env: {}, isTTY: false });
  return { code, out, err };
}

const SHA = ["--sha", "0123456789abcdef0123456789abcdef01234567"];

// Each command's module is imported when first named (src/cli/main.ts): cold, on a loaded
// machine, that import alone can take seconds.
describe("CLI: names the config does not have", { timeout: 60_000 }, () => {
  it.each([
    [["deploy", "web", "--stage", "constructor", ...SHA]],
    [["deploy", "web", "--stage", "nope", ...SHA]],
    [["rollback", "web", "--stage", "constructor"]],
    [["teardown", "web", "--stage", "__proto__"]],
    [["unlock", "web", "--stage", "toString"]],
    [["status", "--stage", "nope"]],
    [["history", "web", "--stage", "constructor"]],
  ])("%j: exit 2, the stages there are", async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: no stage "[\w_]+" in the config \(have: production\)\n$/);
    expect(r.out).toBe("");
  });

  it.each([
    [["deploy", "constructor", "--stage", "production", ...SHA]],
    [["rollback", "hasOwnProperty", "--stage", "production"]],
    [["status", "toString"]],
    [["history", "valueOf"]],
  ])("%j: exit 2, the workloads there are", async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: no workload "\w+" in the config \(have: web\)\n$/);
  });
});
