// Where a deploy is told to people (Slack) and to machines (a JSON webhook).
// Slack's Block Kit types are ours, not @slack/*'s: only the adapters import Slack's packages.

export interface TextObject {
  type: "mrkdwn" | "plain_text";
  text: string;
}

export interface PlainText {
  type: "plain_text";
  text: string;
}

/** An interactive button (the bot's "Roll back"); its click comes back as a block_actions payload. */
export interface Button {
  type: "button";
  action_id: string;
  text: PlainText;
  value: string;
  style?: "primary" | "danger";
  confirm?: { title: PlainText; text: TextObject; confirm: PlainText; deny: PlainText };
}

export type Block =
  | { type: "header"; text: TextObject }
  | { type: "section"; text?: TextObject; fields?: TextObject[] }
  | { type: "context"; elements: TextObject[] }
  | { type: "actions"; elements: Button[] };

export interface ChatMessage {
  /** Shown in notifications and where blocks cannot be. */
  text: string;
  blocks: Block[];
}

/** A posted message, to update later. */
export interface MessageRef {
  channel: string;
  ts: string;
}

export interface Notifier {
  readonly kind: string;
  /** false for an incoming webhook: it can post, never edit, so it posts the result only. */
  readonly updatable: boolean;
  post(message: ChatMessage): Promise<MessageRef | undefined>;
  update(ref: MessageRef, message: ChatMessage): Promise<void>;
}

/** A machine listener: one JSON document per event, answered or not. */
export interface WebhookSender {
  send(payload: Record<string, unknown>): Promise<void>;
}
