// Turns zod issues into the lines a user reads: `workloads.web.port: must be a number (got string "80")`.
// Messages written in the schema (`error:` / custom issues) win over `humanErrorMap`: zod ranks a
// schema's own error above the per-parse map, so this file only words what the schema left generic.
import type { core } from "zod/mini";

type RawIssue = core.$ZodRawIssue;
type Issue = core.$ZodIssue;

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

/** The value as a user wrote it in YAML, short enough for one line. */
export function show(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string")
    return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
  return String(input);
}

function got(input: unknown): string {
  const type = typeof input;
  return type === "string" || type === "number" || type === "boolean"
    ? `${type} ${show(input)}`
    : show(input);
}

const SIZED: Record<string, string> = { string: "character", array: "item" };

function bound(iss: Extract<RawIssue, { code: "too_small" | "too_big" }>): string {
  const small = iss.code === "too_small";
  const limit = Number(
    small ? (iss as { minimum: number | bigint }).minimum : (iss as { maximum: number | bigint }).maximum,
  );
  const unit = SIZED[iss.origin];
  if (unit) {
    if (iss.origin === "string" && small && limit === 1) return "must not be empty";
    const word = iss.exact ? "exactly" : small ? "at least" : "at most";
    return `must have ${word} ${limit} ${unit}${limit === 1 ? "" : "s"}`;
  }
  const word = iss.exact
    ? "exactly"
    : small
      ? iss.inclusive
        ? "at least"
        : "greater than"
      : iss.inclusive
        ? "at most"
        : "less than";
  return `must be ${word} ${limit} (got ${show(iss.input)})`;
}

/** Per-parse zod error map: pass as `safeParse(data, { error: humanErrorMap })`. */
export const humanErrorMap: core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === undefined) return "is required";
      return `must be ${EXPECTED[iss.expected] ?? iss.expected} (got ${got(iss.input)})`;
    case "invalid_value":
      if (iss.values.length === 1) return `must be ${show(iss.values[0])} (got ${show(iss.input)})`;
      return `must be one of ${iss.values.map(show).join(", ")} (got ${show(iss.input)})`;
    case "too_small":
    case "too_big":
      return bound(iss);
    case "invalid_format": {
      const what =
        iss.format === "url"
          ? "a URL"
          : iss.format === "regex"
            ? `match ${iss.pattern}`
            : `a valid ${iss.format}`;
      return `must be ${what} (got ${show(iss.input)})`;
    }
    case "not_multiple_of":
      return `must be a multiple of ${iss.divisor} (got ${show(iss.input)})`;
    default:
      return undefined;
  }
};

/** `workloads.web.port`, `hosts[0]`, `(root)`; keys that are not plain words are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || "(root)";
}

/** The closest known key within edit distance 2, for "did you mean". */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDist) [best, bestDist] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

// Just enough of zod's internal def shape to walk from the root schema to the object at a path.
type Node = { _zod: { def: { type: string; [k: string]: unknown } } };

function unwrap(node: Node | undefined): Node | undefined {
  let n = node;
  while (n) {
    const def = n._zod.def;
    if (def.type === "pipe") n = def.in as Node;
    else if ("innerType" in def) n = def.innerType as Node;
    else return n;
  }
  return n;
}

/** The keys an object schema accepts at `path` (record keys and array indexes are stepped over). */
export function keysAt(schema: core.$ZodType, path: readonly PropertyKey[]): string[] {
  let node = unwrap(schema as unknown as Node);
  for (const seg of path) {
    const def = node?._zod.def;
    if (def?.type === "object") node = unwrap((def.shape as Record<string, Node>)[String(seg)]);
    else if (def?.type === "record") node = unwrap(def.valueType as Node);
    else if (def?.type === "array") node = unwrap(def.element as Node);
    else return [];
  }
  const def = node?._zod.def;
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}

/** One line per problem: unknown keys are split one per key, record-key failures name the key. */
export function formatIssues(issues: readonly Issue[], schema: core.$ZodType): string[] {
  const lines: string[] = [];
  for (const iss of issues) {
    const at = formatPath(iss.path);
    if (iss.code === "unrecognized_keys") {
      const present = iss.input && typeof iss.input === "object" ? Object.keys(iss.input) : [];
      // Suggest only keys the user has not already written, or "prot" next to "port" misleads.
      const known = keysAt(schema, iss.path).filter((k) => !present.includes(k));
      for (const key of iss.keys) {
        const hint = closest(key, known);
        lines.push(
          `${at}: unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`,
        );
      }
    } else if (iss.code === "invalid_key") {
      // zod reports a bad record key (a stage or workload name) as "Invalid key in record" and keeps
      // the reason nested; the reason is what the user needs.
      for (const inner of iss.issues) lines.push(`${at}: name ${inner.message}`);
    } else {
      lines.push(`${at}: ${iss.message}`);
    }
  }
  return lines;
}
