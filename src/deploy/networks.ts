// Joining a network by a name the config influences (an accessory's, a Swarm overlay): created
// with the project's labels when absent; when it exists, joined only if it is the project's
// (src/plan/network-owner.ts), else refused before anything joins it.
import { TinyforgeError } from "../errors.js";
import { networkProblem, OPERATOR_TRUST } from "../plan/network-owner.js";
import type { EngineContext } from "./types.js";

export async function ensureOwnNetwork(
  ctx: Pick<EngineContext, "networks">,
  engine: { ensureNetwork(name: string, labels: Record<string, string>): Promise<Record<string, string>> },
  name: string,
  labels: Record<string, string>,
): Promise<void> {
  const found = await engine.ensureNetwork(name, labels);
  const problem = networkProblem(name, found, labels, ctx.networks ?? OPERATOR_TRUST);
  if (problem)
    throw new TinyforgeError("deploy_failed", problem, {
      hint: "another project's network would reach its containers (a database): rename the stage, or remove the network if it is stale",
    });
}
