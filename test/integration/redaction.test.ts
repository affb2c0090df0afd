// A container that prints its secrets as it dies: a multi-line key on stdout and a token on stderr.
// Its last output is kept in the deploy's events (step container-log), and every line of every
// secret is masked wherever those events go: CLI progress, --json, `logs`, `history`, state files.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeApp, projectContainers, removeProject, tb } from "./harness.js";

const apps: string[] = [];
afterAll(async () => {
  for (const p of apps) await removeProject(p);
});

function allText(dir: string): string {
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, "utf8")))
    .join("\n");
}

const body = Array.from({ length: 8 }, (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw${i}gSjAgEAAoIBAQC7`);
const KEY = ["-----BEGIN PRIVATE KEY-----", ...body, "-----END PRIVATE KEY-----"].join("\n");
const TOKEN = "tok-stderr-5f4e3d2c1b0a";

describe("redaction of a dying container's output", () => {
  it("masks every line of a multi-line secret and a stderr secret in every CLI sink, and reports exit code 3", async () => {
    const a = makeApp({
      web: {
        source: "image",
        image: `${tb.registry}/tinyforge/web:v1`,
        port: 8080,
        command: [
          "/bin/sh",
          "-c",
          'echo starting; printf "%s\\n" "$TLS_KEY"; echo "auth $API_TOKEN" >&2; exit 3',
        ],
        liveness_window: "3s",
        secrets: ["TLS_KEY", "API_TOKEN"],
      },
    });
    apps.push(a.project);
    const env = { TLS_KEY: KEY, API_TOKEN: TOKEN };
    const d = await a.cli(["deploy", "web", "--stage", "production", "--sha", "1111111"], env);
    expect(d.code, d.stderr).toBe(1);
    expect(d.stdout + d.stderr).toMatch(/code 3\b/);
    const history = await a.cli(["history", "web", "--json"], env);
    const [rec] = JSON.parse(history.stdout) as Array<{ deployId: string }>;
    const logs = await a.cli(["logs", rec!.deployId], env);
    // The output was captured: the check below is not vacuous.
    expect(logs.stdout).toContain("starting");
    expect(logs.stdout).toContain("auth ***");

    const sinks = {
      progress: d.stderr,
      result: d.stdout,
      logs: logs.stdout + logs.stderr,
      history: history.stdout,
      state: allText(join(a.stateDir, a.project)),
    };
    for (const [sink, text] of Object.entries(sinks)) {
      for (const line of [...body, TOKEN]) expect(text, `${sink} holds ${line}`).not.toContain(line);
    }
    expect(await projectContainers(a.project)).toEqual([]);
  });
});
