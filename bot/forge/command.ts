// The PR comment grammar, on the comment's first line. Pure: the flows decide who may run it and
// what it means for the PR.
//   /deploy [WORKLOAD] [to STAGE] [force] [cancel-bake]      /rollback [WORKLOAD] [STAGE] [force]
//   /deploy plan [WORKLOAD] [to STAGE]
//   /deploy freeze PROJECT STAGE REASON…       /deploy unfreeze PROJECT STAGE

export type PrCommand =
  | { kind: "deploy"; workload?: string; stage?: string; force?: boolean; cancelBake?: boolean }
  | { kind: "rollback"; workload?: string; stage?: string; force?: boolean }
  | { kind: "plan"; workload?: string; stage?: string }
  | { kind: "freeze"; project: string; stage: string; reason: string }
  | { kind: "unfreeze"; project: string; stage: string };

export type Parsed = PrCommand | { error: string } | undefined;

export const USAGE =
  "`/deploy [WORKLOAD] [to STAGE] [force] [cancel-bake]`, `/rollback [WORKLOAD] [STAGE] [force]`, `/deploy plan [WORKLOAD] [to STAGE]`, `/deploy freeze PROJECT STAGE REASON…` or `/deploy unfreeze PROJECT STAGE`";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/**
 * Words a command may end with, each once, in either order: `force` (into a frozen stage) and, on
 * a deploy only, `cancel-bake` (a deploy of the same workload+stage that is baking ends its bake:
 * it reverts, then this one runs). The CLI's --force and --cancel-bake; its rollback has no
 * --cancel-bake (a rollback is not baked, and waits for a bake in progress).
 */
const FLAGS = ["force", "cancel-bake"];

/** undefined: not a command at all (ordinary discussion); { error }: a command we cannot read. */
export function parseCommand(body: string): Parsed {
  const line = body.trimStart().split(/\r?\n/, 1)[0]!.trim();
  const m = /^\/(deploy|rollback)(?:\s+(.*))?$/i.exec(line);
  if (!m) return undefined;
  const verb = m[1]!.toLowerCase() as "deploy" | "rollback";
  const words = (m[2] ?? "").split(/\s+/).filter(Boolean);
  const bad = (why: string) => ({ error: `${why}; try ${USAGE}` });
  const sub = words[0]?.toLowerCase();
  if (verb === "deploy" && (sub === "freeze" || sub === "unfreeze")) {
    const [, project, stage, ...why] = words;
    if (!project || !stage) return bad(`${sub} needs a project and a stage`);
    for (const [what, v] of [
      ["project", project],
      ["stage", stage],
    ] as const)
      if (!NAME.test(v)) return bad(`${JSON.stringify(v)} is not a ${what} name`);
    if (sub === "unfreeze") {
      if (why.length > 0) return bad(`unexpected "${why.join(" ")}"`);
      return { kind: "unfreeze", project, stage };
    }
    if (why.length === 0) return bad("a freeze needs a reason");
    return { kind: "freeze", project, stage, reason: why.join(" ") };
  }
  const planning = verb === "deploy" && sub === "plan";
  if (planning) words.shift();
  const kind = planning ? "plan" : verb;
  const flag = (w: string | undefined) =>
    w && FLAGS.includes(w.toLowerCase()) ? w.toLowerCase() : undefined;
  const given = words.map(flag).filter((f) => f !== undefined);
  if (planning && given[0]) return bad(`a plan changes nothing: "${given[0]}" goes with a deploy`);
  if (kind === "rollback" && given.includes("cancel-bake"))
    return bad('"cancel-bake" goes with a deploy, not a rollback');
  const flags = new Set<string>();
  for (let last = flag(words.at(-1)); last; last = flag(words.at(-1))) {
    if (flags.has(last)) return bad(`"${last}" given twice`);
    flags.add(last);
    words.pop();
  }
  const misplaced = words.find(flag);
  if (misplaced) return bad(`"${misplaced}" goes last`);
  const force = flags.has("force");
  let workload: string | undefined;
  let stage: string | undefined;
  if (words[0] && words[0].toLowerCase() !== "to") workload = words.shift();
  if (words[0]?.toLowerCase() === "to") {
    words.shift();
    stage = words.shift();
    if (!stage) return bad('"to" needs a stage');
  } else if (kind === "rollback" && words[0]) {
    stage = words.shift();
  }
  if (words.length > 0) return bad(`unexpected "${words.join(" ")}"`);
  for (const [what, v] of [
    ["workload", workload],
    ["stage", stage],
  ] as const) {
    if (v !== undefined && !NAME.test(v)) return bad(`${JSON.stringify(v)} is not a ${what} name`);
  }
  const named = { ...(workload ? { workload } : {}), ...(stage ? { stage } : {}) };
  if (kind === "plan") return { kind, ...named };
  const forced = force ? { force: true } : {};
  if (kind === "rollback") return { kind, ...named, ...forced };
  return { kind, ...named, ...forced, ...(flags.has("cancel-bake") ? { cancelBake: true } : {}) };
}
