import { afterEach, expect, it } from "vitest";
import { disposeAll, HOSTNAME, harness, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

it("blue-green: a failure reaping blue after green serves (and is persisted) is reported as a failed, rolled-back deploy", async () => {
  const h = harness();
  const blue = await h.deploy(V1);
  h.docker.failOn.stop = blue.container!;
  const r = await h.deploy(V2);
  // Green serves and is recorded as active; blue was not rolled back to.
  expect((await h.state())?.active?.sha).toBe(V2);
  expect(h.proxy.routes.get(HOSTNAME)?.upstream.port).toBe(40001);
  expect(r.outcome).toBe("success"); // engine: "failed" (exit 1 = "rolled back, the old version still serves")
});
