import { describe, expect, it } from "vitest";
import type Dockerode from "dockerode";
import { createOptions, DockerEngine, demuxLogs } from "../../../src/adapters/docker-engine.js";
import type { ContainerSpec } from "../../../src/ports/docker.js";

const full: ContainerSpec = {
  name: "shop-web-production-ab12cd34",
  image: "registry.example.com/shop/web:1111111",
  labels: { "dev.tinyforge.project": "shop" },
  env: ["MODE=production", "API_TOKEN=s3cret"],
  port: 8080,
  publishIp: "127.0.0.1",
  hostPort: 40123,
  network: "shopnet",
  aliases: ["web", "web.production"],
  volumes: ["shop-data:/data", "/srv/shop/uploads:/uploads:ro"],
  command: ["node", "server.js", "--port", "8080"],
  stopTimeoutSec: 10,
};

describe("createOptions", () => {
  it("translates a full spec into Docker's create body exactly", () => {
    expect(createOptions(full)).toEqual({
      name: "shop-web-production-ab12cd34",
      Image: "registry.example.com/shop/web:1111111",
      Labels: { "dev.tinyforge.project": "shop" },
      Env: ["MODE=production", "API_TOKEN=s3cret"],
      Cmd: ["node", "server.js", "--port", "8080"],
      ExposedPorts: { "8080/tcp": {} },
      StopTimeout: 10,
      HostConfig: {
        PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "40123" }] },
        RestartPolicy: { Name: "unless-stopped" },
        Binds: ["shop-data:/data", "/srv/shop/uploads:/uploads:ro"],
        NetworkMode: "shopnet",
      },
      NetworkingConfig: { EndpointsConfig: { shopnet: { Aliases: ["web", "web.production"] } } },
    });
  });

  it("asks Docker for a free port (empty HostPort) when the spec fixes none", () => {
    const { hostPort: _, ...spec } = full;
    expect(createOptions(spec).HostConfig?.PortBindings).toEqual({
      "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
    });
  });

  it("publishes nothing and runs the image's own command for a minimal spec", () => {
    const minimal: ContainerSpec = {
      name: "w",
      image: "busybox",
      labels: {},
      env: [],
      publishIp: "0.0.0.0",
      volumes: [],
      stopTimeoutSec: 3,
    };
    expect(createOptions(minimal)).toEqual({
      name: "w",
      Image: "busybox",
      Labels: {},
      Env: [],
      StopTimeout: 3,
      HostConfig: { RestartPolicy: { Name: "unless-stopped" }, Binds: [] },
    });
  });

  it("drops aliases when there is no network to hold them", () => {
    const { network: _, ...spec } = full;
    const body = createOptions(spec);
    expect(body.NetworkingConfig).toBeUndefined();
    expect(body.HostConfig?.NetworkMode).toBeUndefined();
  });
});

/** One frame of Docker's multiplexed stream: [stream, 0, 0, 0, size (u32 BE)] + payload. */
function frame(stream: 0 | 1 | 2, text: string | Buffer): Buffer {
  const payload = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("demuxLogs", () => {
  it("joins stdout and stderr frames in order, dropping the headers", () => {
    const buf = Buffer.concat([
      frame(1, "listening on :8080\n"),
      frame(2, "warn: slow disk\n"),
      frame(1, "GET /healthz 200\n"),
    ]);
    expect(demuxLogs(buf)).toBe("listening on :8080\nwarn: slow disk\nGET /healthz 200\n");
  });

  it("reads frame sizes past 255 bytes and multi-byte text", () => {
    const long = `${"x".repeat(300)} ünïcødé 😀\n`;
    expect(demuxLogs(Buffer.concat([frame(1, long), frame(2, "end\n")]))).toBe(`${long}end\n`);
  });

  it("keeps what there is of a truncated last frame", () => {
    const cut = frame(1, "complete line\n").subarray(0, 8 + 5);
    expect(demuxLogs(Buffer.concat([frame(2, "first\n"), cut]))).toBe("first\ncompl");
  });

  it("returns a TTY container's raw stream unchanged", () => {
    expect(demuxLogs(Buffer.from("plain tty output\r\n"))).toBe("plain tty output\r\n");
  });

  it("is empty for an empty buffer", () => {
    expect(demuxLogs(Buffer.alloc(0))).toBe("");
  });
});

describe("start", () => {
  const engineFailing = (errors: string[]) => {
    let starts = 0;
    const d = {
      getContainer: () => ({
        start: async () => {
          const e = errors[starts++];
          if (e) throw new Error(e);
        },
      }),
    };
    return { engine: new DockerEngine(d as unknown as Dockerode), starts: () => starts };
  };
  const taken =
    "(HTTP code 500) server error - driver failed programming external connectivity on endpoint x: Error starting userland proxy: listen tcp4 127.0.0.1:32777: bind: address already in use";

  it("takes the next random host port when the one the engine picked is held by something else", async () => {
    const { engine, starts } = engineFailing([taken, taken]);
    await engine.start("c1");
    expect(starts()).toBe(3);
  });

  it("gives up after a few ports, and never retries another error", async () => {
    const busy = engineFailing(Array(10).fill(taken));
    await expect(busy.engine.start("c1")).rejects.toThrow(/address already in use/);
    expect(busy.starts()).toBe(5);
    const other = engineFailing(["(HTTP code 500) server error - OCI runtime create failed"]);
    await expect(other.engine.start("c1")).rejects.toThrow(/OCI runtime/);
    expect(other.starts()).toBe(1);
  });
});
