// main() loads only the command argv names: none for --version, every one for help or a typo.
import { describe, expect, it } from "vitest";
import { commandsFor, main } from "../../../src/cli/main.js";

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
  const code = await main(argv, { io, env: {}, isTTY: false });
  return { code, out, err };
}

describe("the commands a command line needs", () => {
  it("is the one it names, wherever -c sits", () => {
    expect(commandsFor(["deploy", "web"])).toEqual(["deploy"]);
    expect(commandsFor(["-c", "x.yml", "validate"])).toEqual(["validate"]);
    expect(commandsFor(["--config", "deploy", "status"])).toEqual(["status"]);
    expect(commandsFor(["--config=x.yml", "logs", "ID"])).toEqual(["logs"]);
  });

  it("is none for --version, and every one for help or an unknown name", () => {
    expect(commandsFor(["--version"])).toEqual([]);
    expect(commandsFor(["-V"])).toEqual([]);
    expect(commandsFor(["--help"])).toContain("deploy");
    expect(commandsFor([])).toHaveLength(17);
    expect(commandsFor(["deplyo"])).toHaveLength(17);
    expect(commandsFor(["__proto__"])).toHaveLength(17);
    expect(commandsFor(["toString"])).toHaveLength(17);
  });
});

describe("tinyforge", { timeout: 30_000 }, () => {
  it("--version prints the version and exits 0", async () => {
    expect(await run("--version")).toEqual({ code: 0, out: "0.1.0\n", err: "" });
  });

  it("suggests the nearest command to a typo and exits 2", async () => {
    const r = await run("deplyo");
    expect(r.code).toBe(2);
    expect(r.err).toContain("deploy");
  });
});
