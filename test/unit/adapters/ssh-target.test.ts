import { describe, expect, it } from "vitest";
import { parseHostTarget } from "../../../src/adapters/ssh-target.js";

describe("a hosts: entry", () => {
  it("names the Docker socket with ?socket=, or leaves the default", () => {
    expect(parseHostTarget("ssh://deploy@10.0.0.5:2222?socket=/run/user/1000/docker.sock")).toEqual({
      kind: "ssh",
      user: "deploy",
      host: "10.0.0.5",
      port: 2222,
      dockerSocket: "/run/user/1000/docker.sock",
    });
    expect(parseHostTarget("ssh://deploy@10.0.0.5")).toEqual({
      kind: "ssh",
      user: "deploy",
      host: "10.0.0.5",
      port: 22,
    });
  });

  it("swarm+ssh:// is a Swarm manager reached like any SSH host", () => {
    expect(parseHostTarget("swarm+ssh://deploy@10.0.0.5:2222?socket=/run/swarm/docker.sock")).toEqual({
      kind: "ssh",
      user: "deploy",
      host: "10.0.0.5",
      port: 2222,
      dockerSocket: "/run/swarm/docker.sock",
      swarm: true,
    });
    expect(parseHostTarget("ssh://deploy@10.0.0.5")).not.toHaveProperty("swarm");
  });

  it.each([
    "swarm://deploy@10.0.0.5",
    "swarm+ssh:/deploy@10.0.0.5",
    "ssh://deploy@10.0.0.5?socket=docker.sock",
    "ssh://deploy@10.0.0.5?socket=/run/docker.sock;id",
    "ssh://deploy@10.0.0.5?socket=",
    "ssh://deploy@10.0.0.5?other=/x",
  ])("refuses %s", (entry) => {
    expect(() => parseHostTarget(entry)).toThrow(
      /hosts: must be "local", "ssh:\/\/USER@HOST\[:PORT\]\[\?socket=\/PATH\]" or "swarm\+ssh:\/\/USER@MANAGER\[:PORT\]"/,
    );
  });
});
