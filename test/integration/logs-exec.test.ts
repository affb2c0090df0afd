// The app's own output and one-off commands on the real engine over sshd: `logs WORKLOAD` reads and
// follows the serving container's stdout/stderr with its secrets masked; `exec` runs a command in a
// one-off container like the serving one (or inside it with --running) and passes its exit code on.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, makeApp, projectContainers, removeProject, spawnCli, tb } from "./harness.js";

const SECRET = "s3cr3t-token-value-1234";
const a = makeApp({
  web: {
    source: "image",
    image: tb.images.webV1,
    pull: "missing",
    port: 8080,
    secrets: ["API_TOKEN"],
    env: { GREETING: "hello" },
    stop_timeout: "1s",
    liveness_window: "500ms",
    // One line a second on stdout, carrying the secret, and one on stderr.
    command: [
      "/bin/sh",
      "-c",
      'trap "exit 0" TERM; busybox httpd -f -p 8080 -h /www & i=0; while true; do i=$((i+1)); echo "tick $i token=$API_TOKEN"; echo "warn on stderr" >&2; sleep 1; done',
    ],
  },
});
const env = { API_TOKEN: SECRET };

beforeAll(async () => {
  const r = await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111"], env);
  expect(r.code).toBe(0);
}, 60_000);
afterAll(() => removeProject(a.project));

describe("logs WORKLOAD", () => {
  it("prints the serving container's stdout and stderr with the secret masked, --tail bounding it", async () => {
    await new Promise((r) => setTimeout(r, 2500));
    const r = await a.cli(["logs", "web", "--stage", "production", "--tail", "2"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tick \d+ token=\*\*\*$/m);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stderr).toContain("warn on stderr");
    expect(r.stdout.trim().split("\n").length).toBeLessThanOrEqual(2);
  });

  it("--follow shows output written after it started, redacted, until interrupted", async () => {
    const before = await a.cli(["logs", "web", "--stage", "production", "--tail", "2"], env);
    const last = Number(/tick (\d+)/.exec(before.stdout)![1]);
    const { child, done } = spawnCli(
      a,
      ["logs", "web", "--stage", "production", "--follow", "--tail", "0"],
      env,
    );
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    const newTicks = () => [...out.matchAll(/^tick (\d+) token=(.*)$/gm)].filter((m) => Number(m[1]) > last);
    const t0 = Date.now();
    while (newTicks().length < 2 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    const r = await done;
    expect(newTicks().length).toBeGreaterThanOrEqual(2);
    expect(newTicks().every((m) => m[2] === "***")).toBe(true);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.code).toBe(0);
  }, 180_000);

  it("--follow ends with exit 4 and a message when the SSH connection drops, not a hang", async () => {
    const { child, done } = spawnCli(
      a,
      ["logs", "web", "--stage", "production", "--follow", "--tail", "1"],
      env,
    );
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    const t0 = Date.now();
    while (!out.includes("tick") && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 200));
    // The sshd process serving this CLI's own connection (found by its client port), and only it.
    const sockets = execFileSync("ss", ["-tnpH"], { encoding: "utf8" }).split("\n");
    const mine = sockets.find((l) => l.includes(`pid=${child.pid},`) && l.includes(`:${tb.sshPort} `));
    const clientPort = /127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:\d+/.exec(mine ?? "")?.[1];
    const server = sockets.find((l) => l.includes(`127.0.0.1:${clientPort} `) && l.includes("sshd"));
    const sshd = Number(/pid=(\d+)/.exec(server ?? "")?.[1]);
    expect(sshd).toBeGreaterThan(0);
    process.kill(sshd, "SIGTERM");
    const killedAt = Date.now();
    const r = await done;
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/connection to the host was lost|the SSH connection closed/);
    expect(Date.now() - killedAt).toBeLessThan(60_000);
  }, 240_000);

  it("names the instance when nothing serves it", async () => {
    const r = await a.cli(["logs", "web", "--stage", "preview", "--tag", "pr-9"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nothing serves web in preview (pr-9)");
  });
});

describe("exec", () => {
  it("passes the command's exit code through", async () => {
    const r = await a.cli(["exec", "web", "--stage", "production", "--", "sh", "-c", "exit 7"], env);
    expect(r.code).toBe(7);
  });

  it("runs in a one-off container with the serving release's env and secrets, removed afterwards", async () => {
    const r = await a.cli(
      [
        "exec",
        "web",
        "--stage",
        "production",
        "--",
        "sh",
        "-c",
        `test "$API_TOKEN" = "${SECRET}" && echo "same env: $GREETING $TINYFORGE_SHA"; echo err >&2`,
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("same env: hello 1111111\n");
    expect(r.stderr).toBe("err\n");
    const names = (await projectContainers(a.project)).map((c) => c.Names[0]!);
    expect(names.filter((n) => n.includes("-run-"))).toEqual([]);
  });

  it("--running runs inside the serving container", async () => {
    const [serving] = await projectContainers(a.project);
    const r = await a.cli(
      ["exec", "web", "--stage", "production", "--running", "--", "sh", "-c", "hostname; exit 3"],
      env,
    );
    expect(r.code).toBe(3);
    expect(r.stdout.trim()).toBe(serving!.Id.slice(0, 12));
    expect((await docker.getContainer(serving!.Id).inspect()).State.Running).toBe(true);
  });
});
