// The local Docker engine (hosts: [local]): no SSH, same Host port.
import { execFile } from "node:child_process";
import { Agent } from "node:http";
import Dockerode from "dockerode";
import type { ExecResult, Host, HttpRequest, HttpResponse, HttpResult } from "../ports/host.js";
import { DOCKER_BOUNDS, DockerEngine } from "./docker-engine.js";
import { httpGet, httpRequest } from "./http-get.js";
import { Lifeline } from "./lifeline.js";
import { LocalFiles } from "./local-files.js";
import { plainHttpAgent } from "./plain-http.js";

export class LocalHost implements Host {
  readonly name = "local";
  readonly address = "127.0.0.1";
  readonly docker: DockerEngine;
  readonly files = new LocalFiles();

  constructor(socketPath = "/var/run/docker.sock") {
    // No connection to lose here, but each Docker call still has its bound.
    this.docker = new Lifeline("local").wrap(
      new DockerEngine(
        // Keep-alive as Node's global agent (which it replaces) is: one socket reused across calls.
        new Dockerode({ socketPath, agent: new Agent(plainHttpAgent({ keepAlive: true })) } as never),
      ),
      DOCKER_BOUNDS,
      "docker ",
    );
  }

  exec(argv: string[], opts: { stdin?: string } = {}): Promise<ExecResult> {
    return new Promise((resolve) => {
      const child = execFile(
        argv[0]!,
        argv.slice(1),
        { maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 127) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
    });
  }

  httpGet(port: number, path: string, timeoutMs: number, hostHeader?: string): Promise<HttpResult> {
    return httpGet(undefined, port, path, timeoutMs, hostHeader);
  }

  httpRequest(port: number, req: HttpRequest): Promise<HttpResponse> {
    return httpRequest(undefined, port, req);
  }

  async close(): Promise<void> {}
}
