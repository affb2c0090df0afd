// The chat command's grammar, pure: the text after `/deploy` in, one command or one error out.
//   /deploy PROJECT[/WORKLOAD] [to STAGE] [at REF]
//   /deploy status PROJECT
//   /deploy rollback PROJECT/WORKLOAD [STAGE]
//   /deploy help
// Whether the project, stage or workload exist is not the grammar's business (bot/chat/resolve.ts):
// it only checks the words' shape, so an error can say which word is wrong and how to write it.

export type ChatCommand =
  | { kind: "help" }
  | { kind: "status"; project: string }
  | { kind: "rollback"; project: string; workload: string; stage?: string }
  | { kind: "deploy"; project: string; workload?: string; stage?: string; ref?: string };

export type Parsed = { command: ChatCommand } | { error: string };

// Project, workload and stage names are DNS labels in both configs.
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A branch, tag or SHA as `git check-ref-format` would take it (and nothing a shell or URL cares about).
const REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)(?!.*[/.]$)[A-Za-z0-9._/@+-]{1,200}$/;

export function usage(cmd = "/deploy"): string {
  return [
    `\`${cmd} PROJECT[/WORKLOAD] [to STAGE] [at REF]\` deploy (default ref: the stage's branch)`,
    `\`${cmd} status PROJECT\` what serves where`,
    `\`${cmd} rollback PROJECT/WORKLOAD [STAGE]\` go back to the previous release`,
    `\`${cmd} help\` this help`,
  ].join("\n");
}

export function helpText(cmd = "/deploy"): string {
  return [
    "*tinyforge* deploys from chat:",
    usage(cmd),
    "Without `to STAGE`: the stage whose branch is REF, else the config's only stage with a branch.",
    "Who may deploy which stage is set per stage in the bot's config (`allow:`).",
  ].join("\n");
}

/**
 * A word echoed in an error. Slack escapes &, < and > in a command's text itself; a < or > that
 * arrives anyway must not become a link or a mention in our answer.
 */
function shown(word: string): string {
  const runes = Array.from(word);
  const cut = runes.length > 40 ? `${runes.slice(0, 39).join("")}…` : word;
  return cut.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function name(word: string, what: string): string | { error: string } {
  return NAME.test(word)
    ? word
    : { error: `'${shown(word)}' is not a ${what} name (lowercase letters, digits and "-")` };
}

/** PROJECT or PROJECT/WORKLOAD. */
function target(word: string): { project: string; workload?: string } | { error: string } {
  const [p = "", w, ...rest] = word.split("/");
  if (rest.length > 0) return { error: `'${shown(word)}' is not PROJECT or PROJECT/WORKLOAD` };
  const project = name(p, "project");
  if (typeof project !== "string") return project;
  if (w === undefined) return { project };
  const workload = name(w, "workload");
  if (typeof workload !== "string") return workload;
  return { project, workload };
}

export function parseCommand(text: string, cmd = "/deploy"): Parsed {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  if (first === undefined || first === "help") return { command: { kind: "help" } };

  if (first === "status") {
    if (rest.length === 0) return { error: `status needs a project: \`${cmd} status PROJECT\`` };
    if (rest.length > 1) return { error: `unexpected '${shown(rest[1]!)}': \`${cmd} status PROJECT\`` };
    const project = name(rest[0]!, "project");
    if (typeof project !== "string") return project;
    return { command: { kind: "status", project } };
  }

  if (first === "rollback") {
    const form = `\`${cmd} rollback PROJECT/WORKLOAD [STAGE]\``;
    const [where, ...tail] = rest;
    if (where === undefined) return { error: `rollback needs PROJECT/WORKLOAD: ${form}` };
    // "rollback shop/web production" and "rollback shop/web to production" read the same.
    const stageArgs = tail[0] === "to" ? tail.slice(1) : tail;
    if (tail[0] === "to" && stageArgs.length === 0) return { error: `'to' needs a stage: ${form}` };
    if (stageArgs.length > 1) return { error: `unexpected '${shown(stageArgs[1]!)}': ${form}` };
    const t = target(where);
    if ("error" in t) return { error: `${t.error}: ${form}` };
    if (!t.workload)
      return { error: `rollback needs PROJECT/WORKLOAD (which workload of ${t.project}?): ${form}` };
    const command: ChatCommand = { kind: "rollback", project: t.project, workload: t.workload };
    if (stageArgs[0] !== undefined) {
      const stage = name(stageArgs[0], "stage");
      if (typeof stage !== "string") return stage;
      command.stage = stage;
    }
    return { command };
  }

  const form = `\`${cmd} PROJECT[/WORKLOAD] [to STAGE] [at REF]\``;
  const t = target(first);
  if ("error" in t) return { error: `${t.error}: ${form}` };
  const command: Extract<ChatCommand, { kind: "deploy" }> = { kind: "deploy", ...t };
  for (let i = 0; i < rest.length; i += 2) {
    const [word, value] = [rest[i]!, rest[i + 1]];
    if (word === "to") {
      if (value === undefined) return { error: `'to' needs a stage: \`${cmd} ${first} to STAGE\`` };
      if (command.stage !== undefined) return { error: `'to' given twice: ${form}` };
      const stage = name(value, "stage");
      if (typeof stage !== "string") return stage;
      command.stage = stage;
    } else if (word === "at") {
      if (value === undefined)
        return { error: `'at' needs a branch, tag or SHA: \`${cmd} ${first} at REF\`` };
      if (command.ref !== undefined) return { error: `'at' given twice: ${form}` };
      if (!REF.test(value)) return { error: `'${shown(value)}' is not a branch, tag or SHA` };
      command.ref = value;
    } else {
      return { error: `unexpected '${shown(word)}': ${form}` };
    }
  }
  return { command };
}
