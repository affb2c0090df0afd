// The chat command's grammar, pure: the text after `/deploy` in, one command or one error out.
//   /deploy PROJECT[/WORKLOAD] [to STAGE] [at REF] [force] [cancel-bake]
//   /deploy plan PROJECT[/WORKLOAD] [to STAGE] [at REF]
//   /deploy status PROJECT
//   /deploy rollback PROJECT/WORKLOAD [STAGE] [force]
//   /deploy freeze PROJECT STAGE REASON…
//   /deploy unfreeze PROJECT STAGE
//   /deploy help
// Whether the project, stage or workload exist is not the grammar's business (bot/chat/resolve.ts):
// it only checks the words' shape, so an error can say which word is wrong and how to write it.

export type ChatCommand =
  | { kind: "help" }
  | { kind: "status"; project: string }
  | { kind: "rollback"; project: string; workload: string; stage?: string; force?: boolean }
  | {
      kind: "deploy";
      project: string;
      workload?: string;
      stage?: string;
      ref?: string;
      force?: boolean;
      cancelBake?: boolean;
    }
  | { kind: "plan"; project: string; workload?: string; stage?: string; ref?: string }
  | { kind: "freeze"; project: string; stage: string; reason: string }
  | { kind: "unfreeze"; project: string; stage: string };

export type Parsed = { command: ChatCommand } | { error: string };

// Project, workload and stage names are DNS labels in both configs.
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A branch, tag or SHA as `git check-ref-format` would take it (and nothing a shell or URL cares about).
const REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)(?!.*[/.]$)[A-Za-z0-9._/@+-]{1,200}$/;
/**
 * The words a deploy may end with, each once, in either order: the CLI's `--force` (deploy into a
 * frozen stage) and `--cancel-bake` (a deploy of the same workload+stage that is baking ends its
 * bake: it reverts, then this one runs).
 */
const FLAGS = { force: "force", "cancel-bake": "cancelBake" } as const;
type Flag = keyof typeof FLAGS;
const isFlag = (word: string | undefined): word is Flag => word !== undefined && Object.hasOwn(FLAGS, word);

export function usage(cmd = "/deploy"): string {
  return [
    `\`${cmd} PROJECT[/WORKLOAD] [to STAGE] [at REF] [force] [cancel-bake]\` deploy (default ref: the stage's branch; \`force\` overrides a freeze; \`cancel-bake\` ends a bake in progress)`,
    `\`${cmd} plan PROJECT[/WORKLOAD] [to STAGE] [at REF]\` what a deploy would do, touching nothing`,
    `\`${cmd} status PROJECT\` what serves where`,
    `\`${cmd} rollback PROJECT/WORKLOAD [STAGE] [force]\` go back to the previous release`,
    `\`${cmd} freeze PROJECT STAGE REASON…\` refuse every deploy into STAGE · \`${cmd} unfreeze PROJECT STAGE\``,
    `\`${cmd} help\` this help`,
  ].join("\n");
}

export function helpText(cmd = "/deploy"): string {
  return [
    "*tinyforge* deploys from chat:",
    usage(cmd),
    "Without `to STAGE`: the stage whose branch is REF, else the config's only stage with a branch.",
    "`cancel-bake`: a deploy of that workload and stage still baking its release reverts now, then yours runs (`tinyforge deploy --cancel-bake`).",
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
    const [where, ...words] = rest;
    if (where === undefined) return { error: `rollback needs PROJECT/WORKLOAD: ${form}` };
    // As the CLI's rollback: it returns to a release that already served (not baked), after the
    // bake in progress, if any.
    if (words.includes("cancel-bake"))
      return { error: `\`cancel-bake\` goes with a deploy, not a rollback: ${form}` };
    const force = words.at(-1) === "force";
    const tail = force ? words.slice(0, -1) : words;
    // "rollback shop/web production" and "rollback shop/web to production" read the same.
    const stageArgs = tail[0] === "to" ? tail.slice(1) : tail;
    if (tail[0] === "to" && stageArgs.length === 0) return { error: `'to' needs a stage: ${form}` };
    if (stageArgs.length > 1) return { error: `unexpected '${shown(stageArgs[1]!)}': ${form}` };
    const t = target(where);
    if ("error" in t) return { error: `${t.error}: ${form}` };
    if (!t.workload)
      return { error: `rollback needs PROJECT/WORKLOAD (which workload of ${t.project}?): ${form}` };
    const command: Extract<ChatCommand, { kind: "rollback" }> = {
      kind: "rollback",
      project: t.project,
      workload: t.workload,
      ...(force ? { force: true } : {}),
    };
    if (stageArgs[0] !== undefined) {
      const stage = name(stageArgs[0], "stage");
      if (typeof stage !== "string") return stage;
      command.stage = stage;
    }
    return { command };
  }

  if (first === "freeze" || first === "unfreeze") {
    const form =
      first === "freeze" ? `\`${cmd} freeze PROJECT STAGE REASON…\`` : `\`${cmd} unfreeze PROJECT STAGE\``;
    const [p, st, ...why] = rest;
    if (p === undefined || st === undefined)
      return { error: `${first} needs a project and a stage: ${form}` };
    const project = name(p, "project");
    if (typeof project !== "string") return project;
    const stage = name(st, "stage");
    if (typeof stage !== "string") return stage;
    if (first === "unfreeze") {
      if (why.length > 0) return { error: `unexpected '${shown(why[0]!)}': ${form}` };
      return { command: { kind: "unfreeze", project, stage } };
    }
    if (why.length === 0) return { error: `a freeze needs a reason: ${form}` };
    return { command: { kind: "freeze", project, stage, reason: why.join(" ") } };
  }

  const planning = first === "plan";
  const form = planning
    ? `\`${cmd} plan PROJECT[/WORKLOAD] [to STAGE] [at REF]\``
    : `\`${cmd} PROJECT[/WORKLOAD] [to STAGE] [at REF]\``;
  const head = planning ? rest[0] : first;
  if (head === undefined) return { error: `plan needs a project: ${form}` };
  const args = planning ? rest.slice(1) : rest;
  const t = target(head);
  if ("error" in t) return { error: `${t.error}: ${form}` };
  const command: {
    kind: "deploy" | "plan";
    project: string;
    workload?: string;
    stage?: string;
    ref?: string;
    force?: boolean;
    cancelBake?: boolean;
  } = {
    kind: planning ? "plan" : "deploy",
    ...t,
  };
  const misplaced = (flag: Flag) =>
    planning
      ? { error: `a plan changes nothing: \`${flag}\` goes with a deploy: ${form}` }
      : {
          error: `'${flag}' goes last: \`${cmd} PROJECT[/WORKLOAD] [to STAGE] [at REF] [force] [cancel-bake]\``,
        };
  // The flags are peeled off the end first; what is left is clauses (`to STAGE`, `at REF`). A flag
  // word right after `to` or `at` is that clause's value (a branch may be called "force").
  let clauses = args;
  const lastIsValue = () => ["to", "at"].includes(clauses.at(-2) ?? "");
  for (let last = clauses.at(-1); isFlag(last) && !lastIsValue(); last = clauses.at(-1)) {
    if (planning) return misplaced(last);
    if (command[FLAGS[last]]) return { error: `'${last}' given twice: ${form}` };
    command[FLAGS[last]] = true;
    clauses = clauses.slice(0, -1);
  }
  for (let i = 0; i < clauses.length; i += 2) {
    const [word, value] = [clauses[i]!, clauses[i + 1]];
    if (isFlag(word)) return misplaced(word);
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
  return { command: command as ChatCommand };
}
