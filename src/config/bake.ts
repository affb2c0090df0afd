// `workloads.X.bake:` — after the swap, the old release keeps running (without traffic) while a soak
// probe checks the new one; thresholds that fail put the route back on the old release.
// Every duration here is repo-settable and holds the workload+stage lock: each one is bounded, and
// a value past its bound is refused (not capped), so what runs is what the file says.
import { _default, describe, type output, optional, strictObject, string, superRefine } from "zod/mini";
import { parseDuration } from "./duration.js";
import { httpPath } from "./http-path.js";
import { failed, parsed } from "./parsed.js";

/** The longest bake: a deploy holds the workload+stage lock (every other deploy waits) for this. */
export const MAX_BAKE_MS = 30 * 60_000;

function boundedDuration(what: string, minMs: number, maxMs: number, bounds: string) {
  return parsed(
    string({
      error: (iss) =>
        `must be a duration string like "2m" or "1s" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`,
    }).check(describe(`${what} A duration, ${bounds}.`)),
    (text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined)
        return failed(ctx, `must be a duration like "500ms", "5s" or "2m" (got ${JSON.stringify(text)})`);
      if (ms < minMs || ms > maxMs) return failed(ctx, `must be ${bounds} (got ${JSON.stringify(text)})`);
      return ms;
    },
  );
}

const PERCENT = /^(\d{1,3}(?:\.\d{1,3})?)%$/;

/** "1%" → 0.01; undefined when it is not a percentage from 0% to 100%. */
export function parsePercent(text: string): number | undefined {
  const m = PERCENT.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= 100 ? n / 100 : undefined;
}

const percent = parsed(
  string({
    error: (iss) => `must be a percentage like "1%" (got ${typeof iss.input} ${JSON.stringify(iss.input)})`,
  }),
  (text, ctx) => {
    const rate = parsePercent(text);
    if (rate === undefined)
      return failed(
        ctx,
        `must be a percentage from "0%" to "100%" like "1%" or "0.5%" (got ${JSON.stringify(text)})`,
      );
    return rate;
  },
);

const probe = strictObject({
  path: _default(httpPath(), "/").check(
    describe("HTTP path the soak probe requests on the new container's port."),
  ),
  every: _default(boundedDuration("Pause between probes.", 100, 60_000, "from 100ms to 1m"), 1000),
  timeout: _default(
    boundedDuration(
      "A probe with no answer in this time counts as an error.",
      100,
      30_000,
      "from 100ms to 30s",
    ),
    2000,
  ),
}).check(
  describe("The soak probe: one GET at a time, through the deploy's SSH connection, to the new container."),
);

export const bakeSchema = optional(
  strictObject({
    for: boundedDuration(
      "How long the new release is soaked before the old one is retired; the deploy holds its lock that long.",
      1000,
      MAX_BAKE_MS,
      "from 1s to 30m",
    ),
    probe: _default(probe, { path: "/", every: 1000, timeout: 2000 }),
    max_error_rate: _default(percent, 0.01).check(
      describe(
        'Largest share of probes that may fail (no answer, or a status outside 2xx/3xx): "1%". Default 1%.',
      ),
    ),
    max_p99: optional(
      boundedDuration(
        "Largest 99th-percentile probe latency; unset: latency is reported, not judged.",
        1,
        30_000,
        "from 1ms to 30s",
      ),
    ),
  }).check(
    superRefine((b, ctx) => {
      if (b.probe.every > b.for)
        ctx.addIssue({
          code: "custom",
          path: ["probe", "every"],
          message: "must be at most bake.for (at least one probe runs)",
        });
    }),
  ),
).check(
  describe(
    "Bake window: after the swap the old release keeps running (without traffic) while a soak probe checks the new one for `for`; failed thresholds put the route back on the old release and fail the deploy. Needs deploy_strategy blue-green and one host (not Swarm).",
  ),
);

export type BakeConfig = NonNullable<output<typeof bakeSchema>>;
