// Every path the state store touches stays under state_dir/PROJECT, whatever a name carries.
import { describe, expect, it } from "vitest";
import { TinyforgeError } from "../../../src/errors.js";
import { Store } from "../../../src/state/store.js";
import type { HostFiles } from "../../../src/ports/host.js";

const touched: string[] = [];
/** Host files that record every access: a refused path must not reach any of them. */
const files = new Proxy({} as HostFiles, {
  get: (_, op) => async (path: string) => {
    touched.push(`${String(op)} ${path}`);
    return undefined;
  },
});

function store(): Store {
  return new Store(files, "/home/deploy/.tinyforge", "shop");
}

function refused(fn: () => unknown): TinyforgeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TinyforgeError);
    expect((e as TinyforgeError).exitCode).toBe(2);
    return e as TinyforgeError;
  }
  throw new Error("accepted");
}

describe("state store paths", () => {
  it("puts a lock directory under the project's state directory", () => {
    expect(store().lockDir("web", "production")).toBe("/home/deploy/.tinyforge/shop/locks/web.production");
  });

  it.each(["production/../../../../victim", "..", "a/b", "Production", "prod\n"])(
    "refuses stage %j in a lock path before any file is read",
    (stage) => {
      expect(refused(() => store().lockDir("web", stage)).message).toMatch(/stage name/);
    },
  );

  it("refuses a deploy id that would leave the state directory", async () => {
    const s = store();
    await expect(s.readDeploy("../../../../etc/passwd")).rejects.toThrow(/not a state file name/);
    await expect(s.readEvents("../x")).rejects.toThrow(/not a state file name/);
    expect(touched).toEqual([]);
    await s.readDeploy("01HZX0000000000000000000AB");
    expect(touched).toEqual(["read /home/deploy/.tinyforge/shop/deploys/01HZX0000000000000000000AB.json"]);
  });

  it("refuses a project name that is not a DNS label", () => {
    refused(() => new Store(files, ".tinyforge", "../victim"));
  });
});
