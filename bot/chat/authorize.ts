// Who may deploy which stage from chat, pure, from the bot config's per-stage `allow`:
//   slack_users only     → those users, from any channel
//   slack_channels only  → anyone, from those channels
//   both                 → those users, and only from those channels (production can be tighter)
//   neither, or no entry → nobody
// A rollback is a deploy (it changes what serves), so the same rule holds for it and its button.
// So does `/deploy … cancel-bake`, unlike `force`: cancelling a bake puts back the release that
// served before it (the one already proven), and the asker's own release then passes its gate and
// its own bake as usual; whoever may deploy the stage could deploy over the baking release once its
// bake ends anyway — cancel-bake only spares the wait. `force` overrides a person's decision (a
// freeze), which is why it asks for a named user.
import type { BotProject } from "../config.js";

export interface Requester {
  user: string;
  channel: string;
  /** The workspace's domain (acme in acme.slack.com): message links are made with it. */
  domain?: string;
}

export function mayDeploy(project: BotProject, stage: string, who: Requester): boolean {
  const allow = Object.hasOwn(project.allow, stage) ? project.allow[stage] : undefined;
  if (!allow) return false;
  const users = allow.slack_users;
  const channels = allow.slack_channels;
  if (users.length === 0 && channels.length === 0) return false;
  return (
    (users.length === 0 || users.includes(who.user)) &&
    (channels.length === 0 || channels.includes(who.channel))
  );
}

/** Stages this requester may deploy: none means they may not even look (status) at the project. */
export function allowedStages(project: BotProject, who: Requester): string[] {
  return Object.keys(project.allow).filter((stage) => mayDeploy(project, stage, who));
}

/** The refusal, saying what to change (and where) rather than only "no". */
export function refusal(projectName: string, stage: string | undefined, who: Requester): string {
  const what = stage ? `deploy ${projectName} to ${stage}` : `use ${projectName} from chat`;
  const key = `projects.${projectName}.allow${stage ? `.${stage}` : ""}`;
  return `you may not ${what}: <@${who.user}> in this channel is not allowed by ${key} in the bot's config`;
}

/**
 * Who may override a freeze from chat (`force`): a user the stage's allow entry names in
 * slack_users, from where they may deploy; a channel-only grant lets anyone there deploy, but
 * not override a freeze.
 */
export function mayForce(project: BotProject, stage: string, who: Requester): boolean {
  const allow = Object.hasOwn(project.allow, stage) ? project.allow[stage] : undefined;
  return !!allow && allow.slack_users.includes(who.user) && mayDeploy(project, stage, who);
}

export function forceRefusal(projectName: string, stage: string, who: Requester): string {
  return `you may not override the freeze of ${projectName} ${stage}: only users listed in projects.${projectName}.allow.${stage}.slack_users may use \`force\` (<@${who.user}> is not)`;
}
