// What a deploy may use to reach the world, as one typed object: each entry point fills it from
// its own inputs (the CLI from its environment, the action from its inputs, the bot from its
// environment and the trigger), and nothing below src/app reads an environment variable.
import type { ForgeKind } from "../ports/forge.js";

/** What a run knows of its own forge's API, repository and web address. */
export interface ForgePlace {
  api?: string;
  repo?: string;
  web?: string;
}

export interface ForgeCredentials {
  /** The forge the run came from, when it says so (Gitea Actions, GitLab CI, the bot's trigger). */
  kind?: ForgeKind;
  /** The run is a forge's CI (GitHub/Gitea Actions, GitLab CI): someone expects a status. */
  ci?: boolean;
  tokens: Partial<Record<ForgeKind, string>>;
  /** Described the Actions way (GitHub and Gitea Actions, the bot's triggers)… */
  actions?: ForgePlace;
  /** …or the GitLab CI way. */
  gitlab?: ForgePlace;
}

export interface NotifyCredentials {
  slackToken?: string;
  slackWebhook?: string;
  /** Slack's Web API base (a test points it at a fake). */
  slackApi?: string;
}

export interface ProxyCredentials {
  user?: string;
  password?: string;
  token?: string;
}

export interface Credentials {
  sshKey?: string;
  knownHosts?: string;
  forge: ForgeCredentials;
  notify: NotifyCredentials;
  proxy: ProxyCredentials;
}

export const noCredentials: Credentials = { forge: { tokens: {} }, notify: {}, proxy: {} };

/** Every credential value: redacted from all output. */
export function credentialValues(c: Credentials): string[] {
  return [
    c.sshKey,
    c.proxy.password,
    c.proxy.token,
    ...Object.values(c.forge.tokens),
    c.notify.slackToken,
    c.notify.slackWebhook,
  ].filter((v): v is string => !!v);
}
