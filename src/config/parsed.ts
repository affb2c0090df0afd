// A value the config writes as text and the engine reads as something else (a duration as its
// milliseconds), in zod/mini's terms: the text schema piped into a transform. Classic zod's
// `.transform` also gave the function a `ctx.addIssue`; mini's hands it the bare parse payload.
import type { core } from "zod/mini";
import { NEVER, pipe, type ZodMiniString, transform } from "zod/mini";

/** `text` read by `read`, which returns the value or `failed(ctx, why)`. */
export function parsed<T>(text: ZodMiniString<string>, read: (text: string, ctx: core.ParsePayload) => T) {
  return pipe(text, transform(read));
}

/** Fails the parse of the value at hand with `message` (what classic's ctx.addIssue did). */
export function failed(ctx: core.ParsePayload, message: string): never {
  ctx.issues.push({ code: "custom", message, input: ctx.value });
  return NEVER;
}
