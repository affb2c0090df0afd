// Secrets never leave in a log, event, status or chat message: every outgoing text passes here.

export type Redactor = (text: string) => string;

const MASK = "***";

/**
 * Shortest secret value accepted: a shorter one cannot be masked without masking ordinary words
 * (and its neighbours would still leak most of it), so it is refused where it is read.
 */
export const MIN_SECRET_LENGTH = 8;

/** Why a secret's value cannot be protected, or undefined when it can. */
export function secretValueProblem(value: string): string | undefined {
  if (value.length < MIN_SECRET_LENGTH) {
    return `is shorter than ${MIN_SECRET_LENGTH} characters, too short to redact from output without masking ordinary words`;
  }
  return undefined;
}

/**
 * What to mask for one secret: the whole value, and each line of a multi-line value (a PEM key),
 * because a sink may see the output one line at a time, a tail may start in the middle of the key,
 * and a container may print it with CRLF line ends.
 */
function maskedParts(secret: string): string[] {
  const lines = secret
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l.length >= MIN_SECRET_LENGTH);
  return lines.length > 1 ? [secret, ...lines] : [secret];
}

export function makeRedactor(secrets: Iterable<string>): Redactor {
  // Longest first, so a secret containing another is masked whole. Very short values would mask
  // ordinary words and leak their length-1 neighbours anyway; they are refused at input instead.
  const values = [...new Set([...secrets].flatMap(maskedParts))]
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const v of values) out = out.split(v).join(MASK);
    return out;
  };
}

/** Caps text at `max` code points (never splitting a surrogate pair), marking the cut with "…". */
export function capRunes(text: string, max = 256): string {
  const runes = Array.from(text);
  if (runes.length <= max) return text;
  return `${runes.slice(0, max - 1).join("")}…`;
}

/**
 * Text made safe for one log line: CR, LF and other control characters are escaped, so a value
 * from outside (a webhook's ref, a branch name) can never start a line of its own.
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}]/gu, (c) =>
    c === "\n"
      ? "\\n"
      : c === "\r"
        ? "\\r"
        : c === "\t"
          ? "\t"
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
