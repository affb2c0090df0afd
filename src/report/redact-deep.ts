// Every string in an outgoing payload passes the deploy's redactor, field by field: redacting the
// serialized JSON instead would miss a secret whose JSON escaping differs from its raw text.
import type { Redactor } from "../events/redact.js";

export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
