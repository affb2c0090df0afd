// Secrets never leave in a log, event, status or chat message: every outgoing text passes here.

export type Redactor = (text: string) => string;

const MASK = "***";

export function makeRedactor(secrets: Iterable<string>): Redactor {
  // Longest first, so a secret containing another is masked whole. Very short values would mask
  // ordinary words and leak their length-1 neighbours anyway; they are refused at input instead.
  const values = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
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
