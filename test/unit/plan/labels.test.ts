import { describe, expect, it } from "vitest";
import { fromLabels, LABEL, labelFilter, labelsFor } from "../../../src/plan/labels.js";

const identity = {
  project: "shop",
  workload: "web",
  stage: "preview",
  sha: "abc1234",
  deployId: "01J0ABCDEF",
};

describe("labels", () => {
  it("labelsFor writes every label under dev.tinyforge.", () => {
    expect(labelsFor({ ...identity, tag: "pr-12", port: 8080 })).toEqual({
      "dev.tinyforge.project": "shop",
      "dev.tinyforge.workload": "web",
      "dev.tinyforge.stage": "preview",
      "dev.tinyforge.tag": "pr-12",
      "dev.tinyforge.sha": "abc1234",
      "dev.tinyforge.deploy-id": "01J0ABCDEF",
      "dev.tinyforge.instance": "web.preview.pr-12",
      "dev.tinyforge.port": "8080",
    });
  });

  it("omits tag and port when they are not set", () => {
    const labels = labelsFor(identity);
    expect(labels).not.toHaveProperty(LABEL.tag);
    expect(labels).not.toHaveProperty(LABEL.port);
    expect(labels[LABEL.instance]).toBe("web.preview");
  });

  it.each([{ ...identity }, { ...identity, tag: "pr-12" }])("round-trips %j", (v) => {
    expect(fromLabels(labelsFor(v))).toEqual(v);
    expect(fromLabels({ ...labelsFor({ ...v, port: 80 }), "com.example.other": "x" })).toEqual(v);
  });

  it("fromLabels ignores containers tinyforge did not create", () => {
    expect(fromLabels(undefined)).toBeUndefined();
    expect(fromLabels(null)).toBeUndefined();
    expect(fromLabels({ "com.docker.compose.project": "x" })).toBeUndefined();
    const { [LABEL.sha]: _sha, ...withoutSha } = labelsFor(identity);
    expect(fromLabels(withoutSha)).toBeUndefined();
  });

  it("labelFilter narrows only by what is given", () => {
    expect(labelFilter({ project: "shop" })).toEqual(["dev.tinyforge.project=shop"]);
    expect(labelFilter({ project: "shop", workload: "web", stage: "preview", tag: "pr-12" })).toEqual([
      "dev.tinyforge.project=shop",
      "dev.tinyforge.workload=web",
      "dev.tinyforge.stage=preview",
      "dev.tinyforge.tag=pr-12",
    ]);
  });
});
