import { describe, expect, it } from "vitest";
import { networkProblem, OPERATOR_TRUST } from "../../../src/plan/network-owner.js";

const P = "dev.tinyforge.project";
const S = "dev.tinyforge.stage";
const want = { [P]: "shop", [S]: "admin-production" };
const bot = { allowed: [], unlabelled: false };

describe("networkProblem: may a project join a network that exists", () => {
  it("its own (project and stage labels) yes, on every surface", () => {
    expect(networkProblem("tf_shop_admin-production", want, want, bot)).toBeUndefined();
    expect(networkProblem("tf_shop_admin-production", want, want, OPERATOR_TRUST)).toBeUndefined();
  });

  it("another project's or another stage's never, unless the operator lists it", () => {
    const theirs = { [P]: "shop-admin", [S]: "production" };
    const line =
      "network tf_x belongs to shop-admin/production, not shop/admin-production; projects.shop.networks in the bot's config allows it";
    expect(networkProblem("tf_x", theirs, want, bot)).toBe(line);
    expect(networkProblem("tf_x", theirs, want, OPERATOR_TRUST)).toBe(line);
    expect(networkProblem("tf_x", { ...want, [S]: "production" }, want, bot)).toMatch(
      /^network tf_x belongs to shop\/production, not shop\/admin-production/,
    );
    expect(networkProblem("tf_x", theirs, want, { allowed: ["tf_x"], unlabelled: false })).toBeUndefined();
  });

  it("one without labels: the operator's own run joins it, the bot only when listed", () => {
    expect(networkProblem("edge", {}, want, OPERATOR_TRUST)).toBeUndefined();
    expect(networkProblem("edge", {}, want, bot)).toBe(
      "network edge exists and was not made by tinyforge for shop/admin-production; projects.shop.networks in the bot's config allows it",
    );
    expect(networkProblem("edge", {}, want, { allowed: ["edge"], unlabelled: false })).toBeUndefined();
  });
});
