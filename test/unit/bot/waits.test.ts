// Deploys held for their checks: one per pull request or branch, found by commit, replaced by a
// newer head, and written about only when what they wait for changed.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Waits } from "../../../bot/forge/waits.js";

const dir = () => mkdtempSync(join(tmpdir(), "tf-waits-"));
const push = (after: string) => ({ push: { ref: "refs/heads/main", after, deleted: false } });

const pull = (number: number, headSha: string) => ({
  pull: { action: "opened", number, headSha, headRef: "f", headRepo: "octo/shop" },
});

describe("Waits", () => {
  it("a held PR is found by its commit (any case), once; a newer head replaces it", () => {
    const w = new Waits();
    expect(w.hold("github", "octo/shop", "ABC", pull(1, "abc"), "waiting for CI: build")).toBe(true);
    expect(w.hold("github", "octo/shop", "abc", pull(1, "abc"), "waiting for CI: build")).toBe(false);
    expect(w.hold("github", "octo/shop", "abc", pull(1, "abc"), "not deployed: build failed")).toBe(true);
    expect(w.at("github", "Octo/Shop", "abc")).toHaveLength(1);
    expect(w.at("gitea", "octo/shop", "abc")).toEqual([]);
    w.hold("github", "octo/shop", "def", pull(1, "def"), "waiting for CI: build");
    expect(w.at("github", "octo/shop", "abc")).toEqual([]);
    expect(w.size).toBe(1);
    w.drop("github", "octo/shop", pull(1, "def"));
    expect(w.size).toBe(0);
  });

  it("a push waits per branch, beside the pull requests", () => {
    const w = new Waits();
    w.hold(
      "github",
      "octo/shop",
      "abc",
      { push: { ref: "refs/heads/main", after: "abc", deleted: false } },
      "x",
    );
    w.hold("github", "octo/shop", "abc", pull(2, "abc"), "x");
    expect(w.at("github", "octo/shop", "abc")).toHaveLength(2);
  });

  it("with a file, what waits is still there for the next bot, note and all", () => {
    const file = join(dir(), "waits.json");
    const w = new Waits(file);
    w.hold("github", "octo/shop", "abc", pull(7, "abc"), "waiting for CI: build");
    w.hold("gitea", "team/api", "def", push("def"), "not deployed: test failed");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const after = new Waits(file);
    expect(after.at("github", "octo/shop", "abc")).toEqual([pull(7, "abc")]);
    expect(after.at("gitea", "team/api", "def")).toEqual([push("def")]);
    // The same verdict again is not news: nothing is written to the PR twice across a restart.
    expect(after.hold("github", "octo/shop", "abc", pull(7, "abc"), "waiting for CI: build")).toBe(false);

    after.drop("github", "octo/shop", pull(7, "abc"));
    expect(new Waits(file).all().map((e) => e.repo)).toEqual(["team/api"]);
  });

  it("a file that cannot be read back is set aside with a warning, and the bot starts with none", () => {
    const d = dir();
    const file = join(d, "waits.json");
    const warnings: string[] = [];
    for (const bad of ["{not json", JSON.stringify([{ forge: "github", repo: "a/b", sha: "1", what: {} }])]) {
      writeFileSync(file, bad);
      const w = new Waits(file, (m) => warnings.push(m));
      expect(w.size).toBe(0);
      expect(readFileSync(`${file}.unreadable`, "utf8")).toBe(bad);
      expect(existsSync(file)).toBe(false);
    }
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain("wait 0 is not a held push or pull request");
  });

  it("a file that cannot be written is warned about and the waits go on in memory", () => {
    const warnings: string[] = [];
    const w = new Waits(join(dir(), "gone", "waits.json"), (m) => warnings.push(m));
    expect(w.hold("github", "octo/shop", "abc", pull(1, "abc"), "x")).toBe(true);
    expect(w.at("github", "octo/shop", "abc")).toHaveLength(1);
    expect(warnings[0]).toContain("kept in memory only");
  });
});
