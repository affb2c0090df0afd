import { describe, expect, it } from "vitest";
import { parseEventsRequest } from "../../../bot/api/events.js";
import { EventHub, type IdentifiedEvent } from "../../../bot/api/hub.js";
import type { DeployEvent } from "../../../src/state/model.js";

const q = (s = "") => new URLSearchParams(s);

describe("events API request", () => {
  it("takes PROJECT.WORKLOAD from the path and the filters from the query", () => {
    expect(parseEventsRequest("shop.web", q())).toEqual({
      project: "shop",
      workload: "web",
      q: { min: "debug", limit: 50 },
    });
    expect(
      parseEventsRequest(
        "shop%2Eweb",
        q("level=warn&limit=5&stage=production&before=01HZX00000000000000000000A.7"),
      ),
    ).toEqual({
      project: "shop",
      workload: "web",
      q: {
        min: "warn",
        limit: 5,
        stage: "production",
        before: { deployId: "01HZX00000000000000000000A", n: 7 },
      },
    });
  });

  it.each([
    ["shop", ""],
    ["shop.web.x", ""],
    ["Shop.web", ""],
    ["..", ""],
    ["%E0%A4%A", ""],
    ["shop.web", "level=loud"],
    ["shop.web", "limit=0"],
    ["shop.web", "limit=501"],
    ["shop.web", "limit=1e2"],
    ["shop.web", "before=1"],
    ["shop.web", "stage=../x"],
  ])("refuses %j ?%s", (id, query) => {
    expect(parseEventsRequest(id, q(query))).toHaveProperty("error");
  });
});

describe("EventHub", () => {
  const ev = (deployId: string, workload: string, level: DeployEvent["level"], msg = "m"): DeployEvent => ({
    ts: "2026-01-01T00:00:00.000Z",
    deployId,
    workload,
    stage: "production",
    level,
    step: "deploy",
    msg,
  });

  it("sends a subscriber its workload's events at or above its level, with ids DEPLOYID.N", () => {
    const hub = new EventHub();
    const got: IdentifiedEvent[] = [];
    const off = hub.subscribe({ project: "shop", workload: "web", min: "info", send: (e) => got.push(e) });
    hub.publish("shop", ev("D1", "web", "debug"));
    hub.publish("shop", ev("D1", "web", "info", "a"));
    hub.publish("shop", ev("D1", "api", "error"));
    hub.publish("other", ev("D2", "web", "error"));
    hub.publish("shop", ev("D1", "web", "error", "b"));
    expect(got.map((e) => [e.id, e.msg])).toEqual([
      ["D1.1", "a"],
      ["D1.3", "b"],
    ]);
    off();
    hub.publish("shop", ev("D1", "web", "error"));
    expect(got).toHaveLength(2);
    expect(hub.subscribers).toBe(0);
  });

  it("a subscriber without a workload gets every workload of its project, and no other project", () => {
    const hub = new EventHub();
    const got: string[] = [];
    hub.subscribe({ project: "shop", min: "debug", send: (e) => got.push(`${e.workload} ${e.id}`) });
    hub.publish("shop", ev("D1", "web", "debug"));
    hub.publish("shop", ev("D2", "api", "info"));
    hub.publish("other", ev("D3", "web", "error"));
    expect(got).toEqual(["web D1.0", "api D2.0"]);
  });

  it("a subscriber that throws does not stop the others", () => {
    const hub = new EventHub();
    const got: string[] = [];
    hub.subscribe({
      project: "p",
      workload: "w",
      min: "debug",
      send: () => {
        throw new Error("closed");
      },
    });
    hub.subscribe({ project: "p", workload: "w", min: "debug", send: (e) => got.push(e.id) });
    hub.publish("p", ev("D", "w", "info"));
    expect(got).toEqual(["D.0"]);
  });
});
