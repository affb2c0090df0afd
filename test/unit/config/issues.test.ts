import { z } from "zod";
import { describe, expect, it } from "vitest";
import { closest, formatIssues, formatPath, humanErrorMap, keysAt } from "../../../src/config/issues.js";
import { configSchema } from "../../../src/config/schema.js";

describe("formatPath", () => {
  it.each([
    [[], "(root)"],
    [["workloads", "web", "port"], "workloads.web.port"],
    [["hosts", 0], "hosts[0]"],
    [["workloads", "web", "secrets", 2], "workloads.web.secrets[2]"],
    [["workloads", "my web"], 'workloads["my web"]'],
  ] as [PropertyKey[], string][])("%j → %s", (path, want) => {
    expect(formatPath(path)).toBe(want);
  });
});

describe("did you mean", () => {
  it("suggests a key within edit distance 2", () => {
    expect(closest("prot", ["port", "image"])).toBe("port");
    expect(closest("helthcheck", ["healthcheck"])).toBe("healthcheck");
    expect(closest("colour", ["port", "image"])).toBeUndefined();
  });

  it("finds the keys of the object at a path through records and wrappers", () => {
    expect(keysAt(configSchema, ["workloads", "web"])).toContain("deploy_strategy");
    expect(keysAt(configSchema, ["workloads", "web", "healthcheck"])).toEqual([
      "path",
      "retries",
      "interval",
      "timeout",
      "expect_status",
    ]);
    expect(keysAt(configSchema, ["proxy"])).toContain("driver");
    expect(keysAt(configSchema, ["nope", "x"])).toEqual([]);
  });
});

describe("formatIssues", () => {
  const lines = (schema: z.ZodType, data: unknown) => {
    const r = schema.safeParse(data, { reportInput: true, error: humanErrorMap });
    return r.success ? [] : formatIssues(r.error.issues, schema);
  };

  it("words zod's generic issues and lists a bad array element by index", () => {
    const schema = z.strictObject({
      hosts: z.array(z.string()),
      n: z.number().min(1).max(5),
      s: z.string().min(3),
    });
    expect(lines(schema, { hosts: ["a", 7], n: 9, s: "ab" })).toEqual([
      "hosts[1]: must be a string (got number 7)",
      "n: must be at most 5 (got 9)",
      "s: must have at least 3 characters",
    ]);
  });

  it("keeps a message the schema wrote itself", () => {
    const schema = z.object({ a: z.string().refine((s) => s === "x", { error: "must be x" }) });
    expect(lines(schema, { a: "y" })).toEqual(["a: must be x"]);
  });
});
