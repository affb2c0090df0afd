import { describe, expect, it } from "vitest";
import {
  containerBaseName,
  expandImage,
  greenName,
  hostname,
  instanceKey,
  newSuffix,
  sanitizeLabel,
  storageVolumeName,
  validateRef,
  validateSha,
} from "../../../src/plan/names.js";

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SHA = "0123456789abcdef0123456789abcdef01234567";
const PATTERNS = { untagged: "stage-{stage}-{project}", tagged: "stage-{stage}-{project}-{tag}" };

describe("sanitizeLabel", () => {
  it.each([
    ["Feature/Foo_Bar.1", "feature-foo-bar-1"],
    ["pr-12", "pr-12"],
    ["v1.2.3", "v1-2-3"],
    ["--Leading--and--trailing--", "leading-and-trailing"],
    ["a__b..c//d", "a-b-c-d"],
    ["Café-Crème", "cafe-creme"],
    ["main;touch /tmp/pwned", "main-touch-tmp-pwned"],
    ["$(reboot)", "reboot"],
    ["x".repeat(63), "x".repeat(63)],
  ])("%j → %j", (input, want) => {
    expect(sanitizeLabel(input)).toBe(want);
  });

  it("cuts long values to 63 with a hash, keeping two that differ only at the end apart", () => {
    const a = sanitizeLabel(`feature/${"very-long-branch-name-".repeat(4)}one`);
    const b = sanitizeLabel(`feature/${"very-long-branch-name-".repeat(4)}two`);
    expect(a).not.toBe(b);
    for (const label of [a, b]) {
      expect(label.length).toBeLessThanOrEqual(63);
      expect(label).toMatch(DNS_LABEL);
      expect(label).toMatch(/-[0-9a-f]{6}$/);
    }
    expect(a.slice(0, -7)).toBe(b.slice(0, -7));
    expect(sanitizeLabel(a)).toBe(a); // idempotent, so a sanitized tag can be sanitized again
  });

  it("does not leave a '-' before the hash", () => {
    // Character 56 (the cut) falls on a separator.
    const label = sanitizeLabel(`${"a".repeat(55)}-${"b".repeat(20)}`);
    expect(label).toMatch(/^a{55}-[0-9a-f]{6}$/);
  });

  it.each(["", "---", "日本", "..."])("%j has nothing usable and is refused", (input) => {
    expect(() => sanitizeLabel(input)).toThrow(expect.objectContaining({ code: "usage" }));
  });
});

describe("hostname", () => {
  it("uses the default patterns", () => {
    expect(hostname(PATTERNS, { project: "shop", stage: "production" })).toBe("stage-production-shop");
    expect(hostname(PATTERNS, { project: "shop", stage: "preview", tag: "PR-12" })).toBe(
      "stage-preview-shop-pr-12",
    );
    expect(hostname(PATTERNS, { project: "shop", stage: "preview", tag: "Feature/Foo_Bar.1" })).toBe(
      "stage-preview-shop-feature-foo-bar-1",
    );
  });

  it("keeps each label within 63 characters and two long tags apart", () => {
    const long = "release-candidate-with-a-really-long-descriptive-name-";
    const a = hostname(PATTERNS, { project: "shop", stage: "preview", tag: `${long}1` });
    const b = hostname(PATTERNS, { project: "shop", stage: "preview", tag: `${long}2` });
    expect(a).not.toBe(b);
    expect(a).toMatch(DNS_LABEL);
    expect(b).toMatch(DNS_LABEL);
  });

  it("sanitizes each dot-separated label of a custom pattern, and a tag never adds a label", () => {
    const custom = { untagged: "{stage}.{project}", tagged: "{tag}.{stage}.{project}" };
    expect(hostname(custom, { project: "shop", stage: "preview", tag: "v1.2" })).toBe("v1-2.preview.shop");
  });

  it("refuses patterns that cannot work", () => {
    expect(() => hostname({ ...PATTERNS, untagged: "{proj}" }, { project: "shop", stage: "p" })).toThrow(
      'hostname pattern "{proj}" uses unknown placeholder {proj} (known: {project}, {stage}, {tag}, {workload})',
    );
    expect(() =>
      hostname({ ...PATTERNS, tagged: "{stage}" }, { project: "shop", stage: "p", tag: "x" }),
    ).toThrow("has no {tag}");
    expect(() =>
      hostname({ ...PATTERNS, untagged: "{project}..x" }, { project: "shop", stage: "p" }),
    ).toThrow("gives an empty label");
  });
});

describe("instance and container names", () => {
  it.each([
    [{ workload: "web", stage: "production" }, "web.production"],
    [{ workload: "web", stage: "production", tag: "pr-12" }, "web.production.pr-12"],
    [{ workload: "web", stage: "production", tag: "PR_12" }, "web.production.pr-12"],
    [{ workload: "web", stage: "preview", tag: "feature/Foo.1" }, "web.preview.feature-foo-1"],
  ])("instanceKey(%j) = %j", (v, want) => {
    expect(instanceKey(v)).toBe(want);
  });

  it.each(["../../etc", "v1 ", "pr-1\nx", "x$(id)", "", "-x", "x".repeat(256)])(
    "refuses tag %j rather than sanitize it into another tag's instance",
    (tag) => {
      expect(() => instanceKey({ workload: "web", stage: "preview", tag })).toThrow(/invalid tag/);
    },
  );

  it("instanceKey refuses names that are not DNS-safe", () => {
    expect(() => instanceKey({ workload: "../web", stage: "p" })).toThrow(
      'workload name "../web" is not DNS-safe',
    );
  });

  it("containerBaseName", () => {
    expect(containerBaseName({ project: "shop", workload: "web", stage: "production" })).toBe(
      "shop-web-production",
    );
    expect(containerBaseName({ project: "shop", workload: "web", stage: "production", tag: "pr-12" })).toBe(
      "shop-web-production-pr-12",
    );
  });

  it("containerBaseName cuts at 100 characters with a hash", () => {
    const v = { project: "p".repeat(40), workload: "w".repeat(40), stage: "s".repeat(20) };
    const a = containerBaseName({ ...v, tag: `${"t".repeat(50)}a` });
    const b = containerBaseName({ ...v, tag: `${"t".repeat(50)}b` });
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(100);
    expect(a).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/);
  });

  it("storageVolumeName scopes the volume to its project like a repo's own volumes (PROJECT_…)", () => {
    expect(storageVolumeName({ project: "shop", workload: "site", stage: "production" })).toBe(
      "shop_site-production-data",
    );
    expect(storageVolumeName({ project: "shop", workload: "site", stage: "preview", tag: "pr-3" })).toBe(
      "shop_site-preview-pr-3-data",
    );
  });

  it("storageVolumeName never gives two projects whose names join alike the same volume", () => {
    const a = storageVolumeName({ project: "shop", workload: "admin-web", stage: "production" });
    const b = storageVolumeName({ project: "shop-admin", workload: "web", stage: "production" });
    expect(a).toBe("shop_admin-web-production-data");
    expect(b).toBe("shop-admin_web-production-data");
  });

  it("storageVolumeName stays a valid volume name within 255 characters, its project prefix kept", () => {
    const v = { project: "p".repeat(63), workload: "w".repeat(63), stage: "s".repeat(63) };
    const a = storageVolumeName({ ...v, tag: `${"t".repeat(62)}a` });
    const b = storageVolumeName({ ...v, tag: `${"t".repeat(62)}b` });
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(255);
    expect(a.startsWith(`${"p".repeat(63)}_`)).toBe(true);
    expect(a).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/);
  });

  it("greenName validates its suffix", () => {
    expect(greenName("shop-web-production", "abcd2345")).toBe("shop-web-production-abcd2345");
    expect(() => greenName("shop-web-production", "ABC")).toThrow("invalid container suffix");
    expect(() => greenName("shop-web-production", "a;rm")).toThrow("invalid container suffix");
    expect(() => greenName("-bad", "abcd")).toThrow("invalid container name");
  });

  it("newSuffix is 8 base32 characters accepted by greenName, and varies", () => {
    const seen = new Set(Array.from({ length: 50 }, newSuffix));
    expect(seen.size).toBe(50);
    for (const s of seen) {
      expect(s).toMatch(/^[a-z2-7]{8}$/);
      expect(greenName("x", s)).toBe(`x-${s}`);
    }
  });
});

describe("expandImage", () => {
  it.each([
    ["ghcr.io/acme/shop:{sha}", { sha: SHA, stage: "production" }, `ghcr.io/acme/shop:${SHA}`],
    [
      "registry:5000/shop/{stage}:{ref}",
      { sha: SHA, ref: "refs/heads/Feature/X", stage: "preview" },
      "registry:5000/shop/preview:Feature-X",
    ],
    ["shop:{tag}", { sha: SHA, tag: "v1.2.3", stage: "p" }, "shop:v1.2.3"],
    ["shop:{ref}", { sha: SHA, ref: "main;touch /tmp/pwned", stage: "p" }, "shop:main-touch-tmp-pwned"],
    ["shop:{ref}", { sha: SHA, ref: "$(reboot)", stage: "p" }, "shop:reboot"],
    ["shop:{tag}", { sha: SHA, tag: "`id`&&x", stage: "p" }, "shop:id-x"],
    ["shop:{sha}", { sha: "ABCDEF1", stage: "p" }, "shop:abcdef1"],
  ])("%s with %j", (template, v, want) => {
    expect(expandImage(template, v)).toBe(want);
  });

  it("cuts long refs to a 128-character tag", () => {
    const image = expandImage("shop:{ref}", { sha: SHA, ref: "b".repeat(300), stage: "p" });
    expect(image.length).toBe("shop:".length + 128);
  });

  it.each([
    [
      "shop:{ref}",
      { sha: SHA, stage: "p" },
      'image template "shop:{ref}" uses {ref}, which this deploy does not set',
    ],
    ["shop:{branch}", { sha: SHA, stage: "p" }, "uses unknown placeholder {branch}"],
    [
      "Shop:{sha}",
      { sha: SHA, stage: "p" },
      `image "Shop:${SHA}" (from template "Shop:{sha}") is not a valid docker reference`,
    ],
    [
      "shop/{ref}:x",
      { sha: SHA, ref: "Main", stage: "p" },
      'image "shop/Main:x" (from template "shop/{ref}:x") is not a valid docker reference',
    ],
    ["shop:{sha}", { sha: "xyz", stage: "p" }, 'invalid commit SHA "xyz"'],
    ["shop:{ref}", { sha: SHA, ref: ";;;", stage: "p" }, '";;;" has no characters usable in a docker tag'],
  ])("%s with %j is refused", (template, v, message) => {
    expect(() => expandImage(template, v)).toThrow(message);
  });
});

describe("validateRef / validateSha", () => {
  const COMPONENT = 'has an empty component, or one starting with "." or ending with ".lock"';

  it.each(["main", "feature/foo-bar", "refs/heads/main", "release/1.2.3", "v1.0.0+build", "user@host"])(
    "accepts %j",
    (ref) => {
      expect(validateRef(ref)).toBe(ref);
    },
  );

  it.each([
    ["main;touch /tmp/pwned", "contains whitespace or control characters"],
    ["main;rm", 'contains ";"'],
    ["$(reboot)", 'contains "$"'],
    ["`id`", 'contains "`"'],
    ["a|b", 'contains "|"'],
    ["a&b", 'contains "&"'],
    ["a>b", 'contains ">"'],
    ["a*", 'contains "*"'],
    ["a?", 'contains "?"'],
    ["a[1]", 'contains "["'],
    ["../etc", 'contains ".."'],
    ["a\u0000b", "contains whitespace or control characters"],
    ["a\nb", "contains whitespace or control characters"],
    ["-x", 'starts with "-"'],
    ["a//b", COMPONENT],
    ["/a", COMPONENT],
    ["a/.hidden", COMPONENT],
    ["a.lock", COMPONENT],
    ["a.", 'ends with "."'],
    ["a@{1}", 'contains "@{" or is "@"'],
    ["", "is empty"],
  ])("refuses %j: %s", (ref, problem) => {
    expect(() => validateRef(ref)).toThrow(
      expect.objectContaining({
        code: "usage",
        message: `invalid git ref ${JSON.stringify(ref)}: ${problem}`,
      }),
    );
  });

  it("validateSha accepts 7-64 hex digits and lowercases them", () => {
    expect(validateSha("ABCDEF0")).toBe("abcdef0");
    expect(validateSha("a".repeat(64))).toBe("a".repeat(64));
    for (const bad of ["abcdef", "a".repeat(65), "g123456", "abc1234;", ""]) {
      expect(() => validateSha(bad)).toThrow(expect.objectContaining({ code: "usage" }));
    }
  });
});
