// How much one config may declare. Validation does work for every instance it can make (workloads
// × stages × {untagged, tagged}, each with its hostnames), and the bot validates a pushed file on
// its one thread: without a ceiling one file could stall every project. The numbers are far above
// any real project's and keep a config at all of them validating in well under a second.
import { meta, record, refine } from "zod/mini";
import type { core } from "zod/mini";

export const MAX_WORKLOADS = 100;
export const MAX_STAGES = 50;
export const MAX_ACCESSORIES = 50;
/** Hostnames in one stage's list of a workload's `domains`. */
export const MAX_DOMAINS_PER_STAGE = 20;

/**
 * A record of at most `max` entries: "must name at most 100 workloads (got 4000)" at its key
 * path, and maxProperties in the JSON Schema so editors say it too.
 */
export function cappedRecord<K extends core.$ZodRecordKey, V extends core.SomeType>(
  key: K,
  value: V,
  max: number,
  noun: string,
) {
  return record(key, value).check(
    refine((r) => Object.keys(r).length <= max, {
      error: (iss) => `must name at most ${max} ${noun} (got ${Object.keys(iss.input as object).length})`,
    }),
    meta({ maxProperties: max }),
  );
}
