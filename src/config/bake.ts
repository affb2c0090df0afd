// `workloads.X.bake:` — after the swap, the old release keeps running (without traffic) while a soak
// probe checks the new one; thresholds that fail put the route back on the old release.
// Every duration here is repo-settable and holds the workload+stage lock: each one is bounded, and
// a value past its bound is refused (not capped), so what runs is what the file says.
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { httpPath } from "./http-path.js";

/** The longest bake: a deploy holds the workload+stage lock (every other deploy waits) for this. */
export const MAX_BAKE_MS = 30 * 60_000;

function boundedDuration(what: string, minMs: number, maxMs: number, bounds: string) {
  return z
    .string({
      error: (iss) =>
        `must be a duration string like "2m" or "1s" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`,
    })
    .describe(`${what} A duration, ${bounds}.`)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `must be a duration like "500ms", "5s" or "2m" (got ${JSON.stringify(text)})`,
        });
        return z.NEVER;
      }
      if (ms < minMs || ms > maxMs) {
        ctx.addIssue({ code: "custom", message: `must be ${bounds} (got ${JSON.stringify(text)})` });
        return z.NEVER;
      }
      return ms;
    });
}

const PERCENT = /^(\d{1,3}(?:\.\d{1,3})?)%$/;

/** "1%" → 0.01; undefined when it is not a percentage from 0% to 100%. */
export function parsePercent(text: string): number | undefined {
  const m = PERCENT.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= 100 ? n / 100 : undefined;
}

const percent = z
  .string({
    error: (iss) => `must be a percentage like "1%" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`,
  })
  .transform((text, ctx) => {
    const rate = parsePercent(text);
    if (rate === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `must be a percentage from "0%" to "100%" like "1%" or "0.5%" (got ${JSON.stringify(text)})`,
      });
      return z.NEVER;
    }
    return rate;
  });

const probe = z
  .strictObject({
    path: httpPath().default("/").describe("HTTP path the soak probe requests on the new container's port."),
    every: boundedDuration("Pause between probes.", 100, 60_000, "from 100ms to 1m").default(1000),
    timeout: boundedDuration(
      "A probe with no answer in this time counts as an error.",
      100,
      30_000,
      "from 100ms to 30s",
    ).default(2000),
  })
  .describe("The soak probe: one GET at a time, through the deploy's SSH connection, to the new container.");

export const bakeSchema = z
  .strictObject({
    for: boundedDuration(
      "How long the new release is soaked before the old one is retired; the deploy holds its lock that long.",
      1000,
      MAX_BAKE_MS,
      "from 1s to 30m",
    ),
    probe: probe.default({ path: "/", every: 1000, timeout: 2000 }),
    max_error_rate: percent
      .default(0.01)
      .describe(
        'Largest share of probes that may fail (no answer, or a status outside 2xx/3xx): "1%". Default 1%.',
      ),
    max_p99: boundedDuration(
      "Largest 99th-percentile probe latency; unset: latency is reported, not judged.",
      1,
      30_000,
      "from 1ms to 30s",
    ).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.probe.every > b.for)
      ctx.addIssue({
        code: "custom",
        path: ["probe", "every"],
        message: "must be at most bake.for (at least one probe runs)",
      });
  })
  .optional()
  .describe(
    "Bake window: after the swap the old release keeps running (without traffic) while a soak probe checks the new one for `for`; failed thresholds put the route back on the old release and fail the deploy. Needs deploy_strategy blue-green and one host (not Swarm).",
  );

export type BakeConfig = NonNullable<z.output<typeof bakeSchema>>;
