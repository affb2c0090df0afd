// A CLI deploy reads its config twice (the early SSH logins' hosts, then the validator): the YAML
// text is parsed once, and a changed text is parsed anew.
import type { Socket } from "node:net";
import type { NodeSSH } from "node-ssh";
import YAML from "yaml";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loginEarly } from "../../../src/app/early-login.js";
import { parseConfig } from "../../../src/config/load.js";

const env = { TINYFORGE_SSH_KEY: "KEY", TINYFORGE_KNOWN_HOSTS: "PINS", HOME: "/nonexistent" };
const text = (project: string) => `
project: ${project}
hosts: ["ssh://root@h.example"]
stages: { production: { branch: main } }
workloads: { web: { source: image, image: "nginx:1", port: 80 } }
`;

afterEach(() => vi.restoreAllMocks());

/** The early logins as the CLI begins them, with a stand-in SSH client and connection. */
function early(yaml: string) {
  return loginEarly(yaml, undefined, env, {
    loadClient: async () => async () => ({ dispose: () => undefined }) as unknown as NodeSSH,
    dial: () => ({ destroy: () => undefined }) as unknown as Socket,
  });
}

describe("the config's YAML", () => {
  it("is parsed once for the early logins and the validator", () => {
    const parse = vi.spyOn(YAML, "parseDocument");
    const yaml = text("shop");
    expect([...early(yaml).keys()]).toEqual(["ssh://root@h.example"]);
    expect(parseConfig(yaml).project).toBe("shop");
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it("is parsed again when the text changed", () => {
    const parse = vi.spyOn(YAML, "parseDocument");
    early(text("one"));
    expect(parseConfig(text("two")).project).toBe("two");
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it("that does not parse starts no early login, and the validator names where it fails", () => {
    const broken = `${text("shop")}\n  bad: [\n`;
    expect(early(broken).size).toBe(0);
    expect(() => parseConfig(broken)).toThrow(/tinyforge\.yml:\d+:\d+: invalid YAML/);
  });
});
