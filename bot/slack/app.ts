// The Bolt app: `/deploy` (any slash command routed to this app: the workspace names it) and the
// "Roll back" button. Each listener acks first — Slack wants an answer within 3 s — and the work
// runs after (ChatOps). The ack carries the answer when there is nothing to run (help, errors).
import { App, type Logger } from "@slack/bolt";
import { accept } from "../chat/accept.js";
import { type BotConfig, projectNamed } from "../config.js";
import type { ChatOps } from "./chatops.js";
import { parseRollbackValue, ROLLBACK_ACTION } from "./messages.js";
import type { MountedReceiver } from "./receiver.js";

export function slackApp(deps: {
  receiver: MountedReceiver;
  token: string;
  config: BotConfig;
  ops: ChatOps;
  logger: Logger;
}): App {
  const { config, ops } = deps;
  const app = new App({
    receiver: deps.receiver,
    // One workspace, one bot token: no auth.test round trip before every request.
    authorize: async () => ({ botToken: deps.token }),
    // Slash commands and buttons come from people; there are no bot events to ignore or stores to keep.
    ignoreSelf: false,
    convoStore: false,
    logger: deps.logger,
  });

  app.command(/^\/.+/, async ({ command, ack }) => {
    const who = { user: command.user_id, channel: command.channel_id, domain: command.team_domain };
    const a = accept(config, command.text ?? "", who, command.command);
    if ("reply" in a) {
      await ack({ response_type: "ephemeral", text: a.reply });
      return;
    }
    await ack();
    ops.start(a.run, who);
  });

  app.action({ type: "block_actions", action_id: ROLLBACK_ACTION }, async ({ ack, body, action }) => {
    await ack();
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (!channel) return;
    const who = { user: body.user.id, channel, domain: body.team?.domain };
    const target = action.type === "button" ? parseRollbackValue(action.value) : undefined;
    if (!target || !projectNamed(config, target.project)) {
      ops.track(ops.tell(who, "this button no longer names a project this bot serves"));
      return;
    }
    ops.start({ kind: "button", ...target }, who);
  });

  app.error(async (e) => {
    deps.logger.error(`slack: ${e.message}`);
  });
  return app;
}
