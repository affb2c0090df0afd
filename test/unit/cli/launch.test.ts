// The launcher (src/cli/launch.ts): a bare --version is answered before the CLI's bundle is read.
import { afterEach, describe, expect, it, vi } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import { launch } from "../../../src/cli/launch.js";

afterEach(() => {
  vi.restoreAllMocks();
});

function capture(): string[] {
  const out: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  return out;
}

describe("launcher", () => {
  // Run from the sources, the launcher's bundle (src/cli/cli.cjs) does not exist: only an answer
  // that never reads it can succeed here.
  it.each([["--version"], ["-V"]])(
    "answers a bare %s with the package's version, the bundle unread",
    async (flag) => {
      const out = capture();
      const code = await launch([flag], { TINYFORGE_CODE_CACHE: "0" });
      expect(code).toBe(0);
      expect(out.join("")).toBe(`${pkg.version}\n`);
    },
  );

  it("hands --version with anything else to the CLI itself", async () => {
    capture();
    await expect(launch(["deploy", "--version"], { TINYFORGE_CODE_CACHE: "0" })).rejects.toThrow(/cli\.cjs/);
  });
});
