// What a chat command gets before its ack, pure and quick (Slack waits 3 s): help, a grammar error,
// an unknown project, or a requester no stage of the project allows is answered in the ack itself
// (only they see it); anything else is accepted and runs after the ack.
import type { BotConfig } from "../config.js";
import { allowedStages, type Requester, refusal } from "./authorize.js";
import { type ChatCommand, helpText, parseCommand } from "./grammar.js";
import { findProject } from "./resolve.js";

export type Accepted = { reply: string } | { run: Exclude<ChatCommand, { kind: "help" }> };

export function accept(config: BotConfig, text: string, who: Requester, cmd = "/deploy"): Accepted {
  const parsed = parseCommand(text, cmd);
  if ("error" in parsed) return { reply: `${parsed.error}\n(\`${cmd} help\` shows every form)` };
  const c = parsed.command;
  if (c.kind === "help") return { reply: helpText(cmd) };
  const found = findProject(config, c.project);
  if ("error" in found) return { reply: found.error };
  // Someone no stage allows learns nothing more about the project, not even its stages.
  if (allowedStages(found.project, who).length === 0) return { reply: refusal(c.project, undefined, who) };
  return { run: c };
}
