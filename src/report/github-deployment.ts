// GitHub Deployments: a deployment per deploy in the stage's environment ("preview/pr-12" for a
// tagged one, marked transient so GitHub can retire it), in_progress at start, then success with
// the environment URL, or failure. GitHub marks the environment's earlier deployments inactive.
import type { DeployHooks } from "../deploy/hooks.js";
import type { DeployInfo, DeployResult } from "../deploy/types.js";
import { capRunes, type Redactor } from "../events/redact.js";
import type { DeploymentRequest, Deployments, DeploymentState, DeploymentStatus } from "../ports/forge.js";
import { deployLine, environmentName, servingUrl } from "./text.js";

const LIMIT = 140;

export function deploymentRequest(info: DeployInfo, redact: Redactor): DeploymentRequest {
  return {
    sha: info.sha,
    environment: environmentName(info),
    transient: info.tag !== null,
    description: capRunes(redact(deployLine(info)), LIMIT),
    ...(info.requiredContexts?.length ? { requiredContexts: info.requiredContexts } : {}),
  };
}

// A superseded deploy never ran: its deployment is not the environment's, GitHub's `inactive`.
function stateOf(outcome: DeployResult["outcome"]): DeploymentState {
  return outcome === "failed" ? "failure" : outcome === "superseded" ? "inactive" : "success";
}

export function deploymentStatus(
  info: DeployInfo,
  result: DeployResult | undefined,
  redact: Redactor,
): DeploymentStatus {
  const state = !result ? "in_progress" : stateOf(result.outcome);
  const url = servingUrl(result);
  return {
    state,
    description: capRunes(redact(deployLine(info, result)), LIMIT),
    ...(url ? { environmentUrl: url } : {}),
  };
}

export class DeploymentReporter implements DeployHooks {
  readonly name = "deployment";
  private id: number | undefined;

  constructor(
    private readonly deployments: Deployments,
    private readonly redact: Redactor,
  ) {}

  async started(info: DeployInfo): Promise<void> {
    if (!info.sha) return;
    this.id = await this.deployments.createDeployment(deploymentRequest(info, this.redact));
    await this.deployments.setDeploymentStatus(this.id, deploymentStatus(info, undefined, this.redact));
  }

  async finished(info: DeployInfo, result: DeployResult): Promise<void> {
    // No deployment was created (GitHub refused or did not answer): nothing to conclude.
    if (this.id === undefined) return;
    await this.deployments.setDeploymentStatus(this.id, deploymentStatus(info, result, this.redact));
  }
}
