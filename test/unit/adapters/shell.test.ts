import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellLine, shellQuote } from "../../../src/adapters/shell.js";

describe("shellQuote", () => {
  it.each([
    ["main", "main"],
    ["refs/heads/feature-1.2", "refs/heads/feature-1.2"],
    ["KEY=value@host:22,x+y%", "KEY=value@host:22,x+y%"],
    ["main;touch /tmp/pwned", "'main;touch /tmp/pwned'"],
    ["$(reboot)", "'$(reboot)'"],
    ["`id`", "'`id`'"],
    ["a'b", "'a'\\''b'"],
    ["''", "''\\'''\\'''"],
    ["", "''"],
    ["two words", "'two words'"],
    ["*", "'*'"],
    ["~root", "'~root'"],
    ["-rf", "-rf"],
    ["line\nbreak", "'line\nbreak'"],
  ])("%j → %s", (arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted);
  });

  it("refuses a NUL byte, which no shell word can carry", () => {
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });
});

describe("shellLine", () => {
  it("quotes each argument on its own and joins with single spaces", () => {
    expect(shellLine(["git", "checkout", "main;touch /tmp/pwned", ""])).toBe(
      "git checkout 'main;touch /tmp/pwned' ''",
    );
  });

  it("refuses an empty argv", () => {
    expect(() => shellLine([])).toThrow(/empty argv/);
  });
});

describe("a quoted line run by sh", () => {
  const dir = mkdtempSync(join(tmpdir(), "tinyforge-shell-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const hostile = [
    `main;touch ${dir}/pwned1`,
    `$(touch ${dir}/pwned2)`,
    `\`touch ${dir}/pwned3\``,
    `a'b;touch ${dir}/pwned4;'`,
    `x && touch ${dir}/pwned5 || true`,
    `> ${dir}/pwned6`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${PATH} the shell must not expand
    "tab\there $HOME ${PATH} \\n *",
    "",
    "ünïcødé 😀",
  ];

  it.each(hostile)("prints %j back verbatim and runs nothing", (arg) => {
    const out = execFileSync("sh", ["-c", shellLine(["printf", "%s|", arg, "end"])], { encoding: "utf8" });
    expect(out).toBe(`${arg}|end|`);
    expect(readdirSync(dir)).toEqual([]);
  });
});
