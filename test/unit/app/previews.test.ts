// The decisions behind previews that behave: which checks a commit waits for and what they say,
// which pull requests get a preview by label, which previews are past preview_ttl — and the keys'
// worst values refused with their path.
import { describe, expect, it } from "vitest";
import {
  checksVerdict,
  expiredPreviews,
  ownContexts,
  previewWanted,
  pullOfTag,
  verdictNote,
} from "../../../src/app/previews.js";
import { parseConfig } from "../../../src/config/load.js";
import { TinyforgeError } from "../../../src/errors.js";
import type { InstanceState } from "../../../src/state/model.js";

const OWN = ["tinyforge", "tinyforge/config"];

describe("checksVerdict", () => {
  it("true waits for every check but tinyforge's own, and for at least one", () => {
    expect(checksVerdict(true, [], OWN)).toEqual({ kind: "waiting", contexts: [], pending: [] });
    expect(checksVerdict(true, [{ name: "tinyforge", state: "pending" }], OWN).kind).toBe("waiting");
    const green = checksVerdict(
      true,
      [
        { name: "tinyforge", state: "failure" },
        { name: "ci/build", state: "success" },
        { name: "test", state: "success" },
      ],
      OWN,
    );
    expect(green).toEqual({ kind: "green", contexts: ["ci/build", "test"] });
  });

  it("a failure wins over pending; a list waits for names not reported yet", () => {
    const v = checksVerdict(
      true,
      [
        { name: "a", state: "pending" },
        { name: "b", state: "failure" },
      ],
      OWN,
    );
    expect(v).toEqual({ kind: "failed", contexts: ["a", "b"], failed: ["b"] });
    expect(verdictNote(v)).toBe("not deployed: b failed");
    const listed = checksVerdict(["ci/build", "lint"], [{ name: "ci/build", state: "success" }], OWN);
    expect(listed).toEqual({ kind: "waiting", contexts: ["ci/build", "lint"], pending: ["lint"] });
    expect(verdictNote(listed)).toBe("waiting for CI: lint");
  });

  it("a status and a check run of one name: the worse one counts", () => {
    const v = checksVerdict(
      ["build"],
      [
        { name: "build", state: "success" },
        { name: "build", state: "pending" },
      ],
      OWN,
    );
    expect(v.kind).toBe("waiting");
  });

  it("a stage's status_context is tinyforge's own too", () => {
    const c = parseConfig(
      JSON.stringify({
        project: "shop",
        stages: { preview: { pull_requests: true, status_context: "deploy/preview" } },
        workloads: { web: { source: "image", image: "x:1", port: 80 } },
      }),
    );
    expect(ownContexts(c)).toEqual(["tinyforge", "tinyforge/config", "deploy/preview"]);
  });
});

describe("previewWanted", () => {
  it("without preview_label every PR; with it only PRs carrying it, in any case", () => {
    expect(previewWanted({ pull_requests: true, env: {} } as never, [])).toBe(true);
    const st = { pull_requests: true, preview_label: "preview", env: {} } as never;
    expect(previewWanted(st, ["bug"])).toBe(false);
    expect(previewWanted(st, ["bug", "Preview"])).toBe(true);
  });
});

describe("expiredPreviews", () => {
  const config = parseConfig(
    JSON.stringify({
      project: "shop",
      stages: {
        production: { branch: "main" },
        preview: { pull_requests: true, preview_ttl: "72h" },
      },
      workloads: { web: { source: "image", image: "x:1", port: 80 } },
    }),
  );
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  const inst = (stage: string, tag: string | undefined, hoursAgo: number): InstanceState => ({
    key: `web.${stage}${tag ? `.${tag}` : ""}`,
    project: "shop",
    workload: "web",
    stage,
    ...(tag ? { tag } : {}),
    active: {
      deployId: "01J",
      sha: "a".repeat(40),
      image: "x:1",
      container: "c",
      containerId: "id",
      strategy: "blue-green",
      deployedAt: new Date(t0 - hoursAgo * 3_600_000).toISOString(),
    },
    previous: [],
    updatedAt: new Date(t0).toISOString(),
  });

  it("only pr-N instances of the preview stage deployed preview_ttl ago or more", () => {
    const all = [
      inst("preview", "pr-1", 72),
      inst("preview", "pr-2", 71.9),
      inst("preview", "demo", 500),
      inst("production", undefined, 500),
    ];
    expect(expiredPreviews(config, all, t0).map((i) => i.key)).toEqual(["web.preview.pr-1"]);
    expect(pullOfTag("pr-12")).toBe(12);
    expect(pullOfTag("demo")).toBeUndefined();
  });
});

describe("the keys' worst values", () => {
  const base = (preview: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      project: "shop",
      stages: { preview: { pull_requests: true, ...preview }, production: { branch: "main", ...extra } },
      workloads: { web: { source: "image", image: "x:1", port: 80 } },
    });
  const details = (text: string): string[] => {
    try {
      parseConfig(text);
    } catch (e) {
      expect(e).toBeInstanceOf(TinyforgeError);
      return [...(e as TinyforgeError).details];
    }
    throw new Error("accepted");
  };

  it.each([
    [{ preview_ttl: "9999h" }, "stages.preview.preview_ttl: must be a duration from 1s to 720h"],
    [{ preview_ttl: "10ms" }, "stages.preview.preview_ttl: must be a duration from 1s to 720h"],
    [{ preview_ttl: 72 }, "stages.preview.preview_ttl: must be a duration"],
    [{ preview_label: "a\nb" }, "stages.preview.preview_label: must be a label name on one line"],
    [{ preview_label: "x".repeat(51) }, "stages.preview.preview_label"],
    [{ wait_for_checks: [] }, "stages.preview.wait_for_checks"],
    [{ wait_for_checks: Array.from({ length: 51 }, (_, i) => `c${i}`) }, "stages.preview.wait_for_checks"],
    [{ wait_for_checks: ["ok", "bad\u0007"] }, "stages.preview.wait_for_checks[1]: must be a status context"],
    [{ wait_for_checks: "yes" }, "stages.preview.wait_for_checks"],
  ])("%j is refused with its key path", (preview, message) => {
    expect(details(base(preview)).join("\n")).toContain(message);
  });

  it("preview_label and preview_ttl on a stage without pull_requests are refused", () => {
    const lines = details(base({}, { preview_label: "p", preview_ttl: "1h" }));
    expect(lines.join("\n")).toContain(
      "stages.production.preview_label: is only used with pull_requests: true",
    );
    expect(lines.join("\n")).toContain(
      "stages.production.preview_ttl: is only used with pull_requests: true",
    );
  });

  it("72h, a label and a list of checks are taken", () => {
    const c = parseConfig(
      base(
        { preview_ttl: "72h", preview_label: "preview", wait_for_checks: ["ci/build"] },
        { wait_for_checks: true },
      ),
    );
    expect(c.stages.preview!.preview_ttl).toBe(72 * 3_600_000);
    expect(c.stages.production!.wait_for_checks).toBe(true);
  });
});
