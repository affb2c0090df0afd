// The action: inputs → the engine → outputs, job summary, exit status. It never reports success
// for a deploy that failed (the DIY ssh-action way), and a failed deploy exits non-zero.
import { readFileSync } from "node:fs";
import * as core from "@actions/core";
import { openSession, engineContext, forEachHost } from "../cli/session.js";
import { deploy, storeFor } from "../deploy/deploy.js";
import { withLock } from "../deploy/locked.js";
import { teardownInstance } from "../deploy/teardown.js";
import type { DeployResult } from "../deploy/types.js";
import { errorMessage, isTinyforgeError } from "../errors.js";
import { instanceKey } from "../plan/names.js";
import { resolveTarget } from "./event.js";
import { inputsAsEnv, readInputs } from "./inputs.js";
import { summaryOf } from "./summary.js";

function readEvent(path: string | undefined): unknown {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}

export async function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  try {
    const inputs = readInputs();
    const s = await openSession(inputs.config, inputsAsEnv(inputs, env));
    const target = resolveTarget(s.config, env, readEvent(env.GITHUB_EVENT_PATH), inputs.stage);
    const workloads = inputs.workload ? [inputs.workload] : Object.keys(s.config.workloads);

    if (target.teardown) {
      await forEachHost(s, async (host) => {
        for (const workload of workloads) {
          const ectx = engineContext(s, host, undefined);
          const store = storeFor(ectx);
          const key = instanceKey({ workload, stage: target.stage, tag: target.tag });
          const done = await withLock(ectx, store, { workload, stage: target.stage }, () =>
            teardownInstance(ectx, store, { workload, stage: target.stage, tag: target.tag, key }),
          );
          core.info(`${host.name}: ${key}: ${done.join(", ") || "nothing deployed"}`);
        }
        return true;
      });
      core.setOutput("outcome", "removed");
      return;
    }

    const results: DeployResult[] = [];
    const logTail: string[] = [];
    await forEachHost(s, async (host) => {
      for (const workload of workloads) {
        const ectx = engineContext(s, host, workload);
        ectx.onStep = (step) => core.info(`${step.ok ? "✓" : "✗"} ${step.name} ${step.ms}ms`);
        ectx.onEvent = (e) => {
          if (e.step === "container-log") logTail.push(e.msg);
          else if (e.level === "warn") core.warning(`${e.step}: ${e.msg}`);
        };
        const r = await deploy(ectx, {
          workload,
          stage: target.stage,
          tag: target.tag,
          sha: target.sha,
          ref: target.ref,
          strategy: inputs.strategy,
          trigger: target.trigger,
        });
        results.push(r);
        if (r.outcome === "failed") return false;
      }
      return true;
    });

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
