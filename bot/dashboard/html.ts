// HTML built with a tagged template that escapes every interpolated value unless it is already
// Html (made by this same template). Escaping is the default, so a project name, a branch name
// or an event message can never become markup: forgetting to escape is not possible.

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

function render(p: Part): string {
  if (p instanceof Html) return p.text;
  if (Array.isArray(p)) return p.map(render).join("");
  if (p === null || p === undefined || p === false) return "";
  return escapeHtml(String(p));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Only for markup this module's callers built from constants (e.g. SVG numbers): never user text. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** A URL for an href: only http(s) and same-site paths; anything else (javascript:) becomes "#". */
export function safeUrl(url: string | undefined): string {
  if (!url) return "#";
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "#";
  } catch {
    return "#";
  }
}
