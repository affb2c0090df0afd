import { afterEach, expect, it } from "vitest";
import { disposeAll, HOSTNAME, harness, imageOf, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

it("gate: a green that exits at once (no port published any more) fails as container_exited", async () => {
  const h = harness(); // healthcheck set
  h.docker.behaviour = (image) => (image === imageOf(V2) ? "crash" : "healthy");
  h.docker.crashAfterMs = 0; // gone before startContainer's inspect: dockerd reports no port for it
  await h.deploy(V1);
  const r = await h.deploy(V2);
  expect(r.error?.code).toBe("container_exited");
});

it("recreate: on a shared network, a failed state write leaves the route on the removed new container", async () => {
  const h = harness({ workload: { deploy_strategy: "recreate", network: "shopnet" } });
  const v1 = await h.deploy(V1);
  h.host.files.failWrite = (p) =>
    p.includes("/instances/") ? new Error("ENOSPC: no space left on device") : undefined;
  const r = await h.deploy(V2);
  expect(r.outcome).toBe("failed");
  expect(h.docker.containers.get("c1")?.status).toBe("running");
  expect(h.proxy.routes.get(HOSTNAME)?.upstream).toEqual({ host: v1.container, port: 8080 });
});
