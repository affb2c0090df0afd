// Deploys held for their checks: one per pull request or branch, found by commit, replaced by a
// newer head, and written about only when what they wait for changed.
import { describe, expect, it } from "vitest";
import { Waits } from "../../../bot/forge/waits.js";

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
});
