// The PR comment grammar: `/deploy [WORKLOAD] [to STAGE]` and `/rollback [WORKLOAD] [STAGE]` on the
// comment's first line. Pure: the flows decide who may run it and what it means for the PR.

export interface PrCommand {
  kind: "deploy" | "rollback";
  workload?: string;
  stage?: string;
}

export type Parsed = PrCommand | { error: string } | undefined;

export const USAGE = "`/deploy [WORKLOAD] [to STAGE]` or `/rollback [WORKLOAD] [STAGE]`";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** undefined: not a command at all (ordinary discussion); { error }: a command we cannot read. */
export function parseCommand(body: string): Parsed {
  const line = body.trimStart().split(/\r?\n/, 1)[0]!.trim();
  const m = /^\/(deploy|rollback)(?:\s+(.*))?$/i.exec(line);
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase() as PrCommand["kind"];
  const words = (m[2] ?? "").split(/\s+/).filter(Boolean);
  const bad = (why: string) => ({ error: `${why}; try ${USAGE}` });
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
  return { kind, ...(workload ? { workload } : {}), ...(stage ? { stage } : {}) };
}
