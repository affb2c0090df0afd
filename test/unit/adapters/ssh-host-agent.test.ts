// docker-modem formats each request's options with util.inspect (showHidden, unbounded depth)
// whether or not its debug log is on; the agent that carries Docker API calls over SSH holds the
// whole connection, so it must print as one word, or every call walks ssh2's client.
import { PassThrough } from "node:stream";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ChannelAgent } from "../../../src/adapters/ssh-host.js";

describe("the SSH channel agent", () => {
  it("inspects as one word, whatever it holds", () => {
    const agent = new ChannelAgent(async () => new PassThrough());
    // What it would reach through its sockets: a large object graph.
    (agent as unknown as { held: unknown }).held = { conn: Array.from({ length: 1000 }, (_, i) => ({ i })) };
    const options = { path: "/containers/json", method: "GET", agent };
    expect(inspect(options, { showHidden: true, depth: null })).toBe(
      "{ path: '/containers/json', method: 'GET', agent: ChannelAgent }",
    );
  });
});
