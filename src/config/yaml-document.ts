// The config's YAML, parsed once per text. A deploy from the CLI reads it twice: early, for the
// hosts its SSH logins begin with before the validator has loaded (app/early-login.ts), and then
// to validate it (load.ts). Both ask for the same text and share one document: the second parse
// was ~4 ms of a cold process's CPU on the deploy's critical path. One document is kept, the last.
import YAML, { type Document } from "yaml";

let last: { text: string; doc: Document.Parsed } | undefined;

/** Its errors are in `doc.errors`; nobody may change the document (it is shared). */
export function yamlDocument(text: string): Document.Parsed {
  if (last?.text !== text) last = { text, doc: YAML.parseDocument(text) };
  return last.doc;
}
