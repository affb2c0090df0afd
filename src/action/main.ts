// The action: inputs → one operation → outputs, job summary, exit status. It never reports
// success for a deploy that failed (the DIY ssh-action way), and a failed deploy exits non-zero.
import { readFileSync } from "node:fs";
import * as core from "@actions/core";
import { dropEarlyLogins, type EarlyLogins } from "../app/early-login.js";
import { lockTtlFromEnv } from "../app/env.js";
import { execute } from "../app/execute.js";
import { environmentGrants } from "../app/grants.js";
import { holdConnections, openSession, readyEarlyHosts } from "../app/session.js";
import { stageHosts } from "../app/stages.js";
import { errorMessage, isTinyforgeError } from "../errors.js";
import { resolveTarget } from "./event.js";
import { credentialsOf, readInputs } from "./inputs.js";
import { summaryOf } from "./summary.js";

function readEvent(path: string | undefined): unknown {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}

export async function run(
  env: Record<string, string | undefined> = process.env,
  /** Logins begun before the action loaded (early.ts): taken by the deploy, or closed at the end. */
  early: EarlyLogins = new Map(),
): Promise<void> {
  try {
    await runOnce(env, early);
  } finally {
    dropEarlyLogins(early.values());
  }
}

async function runOnce(env: Record<string, string | undefined>, early: EarlyLogins): Promise<void> {
  try {
    const inputs = readInputs();
    readyEarlyHosts(early);
    const s = await openSession(inputs.config, {
      credentials: credentialsOf(inputs, env),
      // The workflow is the operator's: a workload's secrets come from its env: block.
      grants: environmentGrants(env),
      lockTtlMs: lockTtlFromEnv(env),
      trace: env.TINYFORGE_TRACE === "1",
    });
    const target = resolveTarget(s.config, env, readEvent(env.GITHUB_EVENT_PATH), inputs.stage);
    const stage = { stage: target.stage };

    if (target.teardown) {
      const removed = await execute(s, {
        kind: "teardown",
        stage,
        workload: inputs.workload,
        tag: target.tag,
      });
      for (const r of removed) core.info(`${r.host}: ${r.key}: ${r.lines.join(", ") || "nothing deployed"}`);
      core.setOutput("outcome", "removed");
      return;
    }

    const logTail: string[] = [];
    // One login per host: the freeze check and the deploy share it.
    const held = holdConnections(s, stageHosts(s.config, target.stage), early);
    const results = await execute(
      s,
      {
        kind: "deploy",
        stage,
        workload: inputs.workload,
        tag: target.tag,
        sha: target.sha,
        ref: target.ref,
        strategy: inputs.strategy,
        trigger: target.trigger,
        ...(inputs.cancelBake === "true" ? { cancelBake: true } : {}),
      },
      {
        onStep: (step) => core.info(`${step.ok ? "✓" : "✗"} ${step.name} ${step.ms}ms`),
        onEvent: (e) => {
          if (e.step === "container-log") logTail.push(e.msg);
          else if (e.level === "warn") core.warning(`${e.step}: ${e.msg}`);
        },
      },
    ).finally(() => held.release());

    const last = results.at(-1)!;
    core.setOutput("deploy-id", last.deployId);
    core.setOutput("url", last.url ?? "");
    core.setOutput("outcome", results.some((r) => r.outcome === "failed") ? "failed" : last.outcome);
    for (const r of results) {
      const t = summaryOf(r, r.outcome === "failed" ? logTail.slice(-20) : []);
      core.summary.addHeading(t.heading, 3).addRaw(t.lines.join("\n\n"), true).addTable(t.rows);
    }
    await core.summary.write();
    const failed = results.find((r) => r.outcome === "failed");
    if (failed)
      core.setFailed(
        `deploy of ${failed.workload} to ${failed.stage} failed: ${failed.error?.message ?? "unknown"}`,
      );
  } catch (e) {
    const hint = isTinyforgeError(e) && e.hint ? ` (${e.hint})` : "";
    const details = isTinyforgeError(e) && e.details.length ? `\n${e.details.join("\n")}` : "";
    core.setOutput("outcome", "failed");
    core.setFailed(`${errorMessage(e)}${hint}${details}`);
  }
}
