// At start, what the bot accepted before it stopped runs again through the flow it came in by:
// a trigger still queued deploys, one that was running is settled from its record on the host
// (bot/runner.ts), and each ends reported on its commit, PR and chat like any other.
import { errorMessage } from "../src/errors.js";
import type { ForgeFlows } from "./forge/flows.js";
import type { ForgeName, Logger, RepoApi } from "./forge/types.js";
import type { Inbox } from "./inbox.js";

export type RepoApis = Partial<Record<ForgeName, (repo: string) => Promise<RepoApi>>>;

export async function resumeAccepted(inbox: Inbox, flows: ForgeFlows, apis: RepoApis, log: Logger) {
  for (const a of inbox.unfinished) {
    const { forge, repo, event } = a.origin;
    const api = apis[forge];
    if (!api) {
      log.warn(`${forge} ${event} ${repo} accepted before the restart: ${forge} is no longer configured`);
      inbox.done(a.id);
      continue;
    }
    try {
      log.info(`${forge} ${event} ${repo} accepted before the restart: ${flows.resume(await api(repo), a)}`);
    } catch (e) {
      // Kept: the next start tries again.
      log.error(`${forge} ${event} ${repo} accepted before the restart: ${errorMessage(e)}`);
    }
  }
}
