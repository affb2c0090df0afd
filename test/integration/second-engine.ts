// A Docker engine of the test's own, beside the testbed's shared one (which must never be
// restarted: other runs use it): its own data and exec roots, socket, pidfile and bridge, no
// iptables (publishing on 127.0.0.1 goes through docker-proxy). The images it needs are copied from
// the shared engine (`docker save | docker load`): nothing is downloaded.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Dockerode from "dockerode";

export class SecondEngine {
  readonly socket: string;
  readonly docker: Dockerode;
  private child?: ChildProcess;

  private constructor(
    private readonly dir: string,
    private readonly runDir: string,
    private readonly bridge: string,
  ) {
    this.socket = join(runDir, "docker.sock");
    this.docker = new Dockerode({ socketPath: this.socket });
  }

  static async start(images: string[]): Promise<SecondEngine> {
    const id = randomBytes(3).toString("hex");
    const e = new SecondEngine(mkdtempSync(join(tmpdir(), "tf-engine-")), `/run/tf-faults-${id}`, `tff${id}`);
    try {
      await e.setUp(images);
    } catch (err) {
      await e.remove();
      throw err;
    }
    return e;
  }

  private async setUp(images: string[]): Promise<void> {
    mkdirSync(this.runDir, { recursive: true });
    // Its own bridge on a subnet no other interface here uses (Docker's pools are 172.17+/192.168).
    const used = execFileSync("ip", ["-4", "route"], { encoding: "utf8" });
    const third = [...Array(200).keys()].map((i) => 10 + i).find((n) => !used.includes(`10.250.${n}.`));
    execFileSync("ip", ["link", "add", this.bridge, "type", "bridge"]);
    execFileSync("ip", ["addr", "add", `10.250.${third}.1/24`, "dev", this.bridge]);
    execFileSync("ip", ["link", "set", this.bridge, "up"]);
    await this.up();
    for (const image of images) {
      execFileSync(
        "sh",
        ["-c", `docker save "$1" | docker -H "unix://$2" load -q`, "sh", image, this.socket],
        {
          stdio: "ignore",
        },
      );
    }
  }

  /** Starts dockerd and waits (generously: a loaded machine) until it answers. */
  async up(): Promise<void> {
    const log = openSync(join(this.dir, "dockerd.log"), "a");
    this.child = spawn(
      "dockerd",
      [
        "--data-root",
        join(this.dir, "data"),
        "--exec-root",
        join(this.dir, "exec"),
        "-H",
        `unix://${this.socket}`,
        "--pidfile",
        join(this.dir, "dockerd.pid"),
        "--bridge",
        this.bridge,
        "--iptables=false",
        "--ip-forward=false",
        "--ip-masq=false",
      ],
      { stdio: ["ignore", log, log] },
    );
    const t0 = Date.now();
    for (;;) {
      if (
        await this.docker.ping().then(
          () => true,
          () => false,
        )
      )
        return;
      if (this.child.exitCode !== null || Date.now() - t0 > 60_000)
        throw new Error(
          `the second dockerd did not come up:\n${readFileSync(join(this.dir, "dockerd.log"), "utf8").slice(-2000)}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Stops dockerd (SIGTERM, its containers stop with it) and waits until it has exited. */
  async down(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const killed = setTimeout(() => child.kill("SIGKILL"), 60_000);
    await exited;
    clearTimeout(killed);
  }

  /** dockerd restarts: containers with a restart policy come back. */
  async restart(): Promise<void> {
    await this.down();
    await this.up();
  }

  /** Everything it made goes: its containers, the daemon, its bridge and directories. */
  async remove(): Promise<void> {
    const containers = await this.docker.listContainers({ all: true }).catch(() => []);
    for (const c of containers)
      await this.docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    await this.down();
    try {
      execFileSync("ip", ["link", "del", this.bridge], { stdio: "ignore" });
    } catch {
      // never created
    }
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.runDir, { recursive: true, force: true });
  }
}
