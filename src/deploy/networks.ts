// Joining a network by a name the config influences (an accessory's, a Swarm overlay): created
// with the project's labels when absent; when it exists, joined only if it is the project's
// (src/plan/network-owner.ts), else refused before anything joins it.
import { errorMessage, TinyforgeError } from "../errors.js";
import { networkProblem, OPERATOR_TRUST } from "../plan/network-owner.js";
import type { EngineContext } from "./types.js";

export async function ensureOwnNetwork(
  ctx: Pick<EngineContext, "networks">,
  engine: { ensureNetwork(name: string, labels: Record<string, string>): Promise<Record<string, string>> },
  name: string,
  labels: Record<string, string>,
): Promise<void> {
  const found = await engine.ensureNetwork(name, labels).catch((e: unknown) => {
    // Docker's default pools hold about 30 bridge networks, and the bot makes one per project and
    // stage: a host many projects share runs out, which Docker says only in its own words.
    if (/available, non-overlapping .*address pool/i.test(errorMessage(e)))
      throw new TinyforgeError("deploy_failed", `network ${name} could not be made: ${errorMessage(e)}`, {
        hint: "the host's Docker has no address pool left for another network: give it more with default-address-pools in /etc/docker/daemon.json",
      });
    throw e;
  });
  const problem = networkProblem(name, found, labels, ctx.networks ?? OPERATOR_TRUST);
  if (problem)
    throw new TinyforgeError("deploy_failed", problem, {
      hint: "another project's network would reach its containers (a database): rename the stage, or remove the network if it is stale",
    });
}
