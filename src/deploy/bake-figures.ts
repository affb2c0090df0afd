// What a bake measured and what it concluded. Pure: the soak (bake.ts) collects samples, these
// functions turn them into the figures every surface shows ("soak 120/120 ok, p50 12 ms, p99 41 ms")
// and the verdict against the workload's thresholds.
import type { BakeConfig } from "../config/bake.js";

export interface Sample {
  /** A 2xx/3xx answer. */
  ok: boolean;
  /** Time to the answer (or to the error). */
  ms: number;
  /** An HTTP answer of any status (a refused connection or a timeout has none). */
  answered: boolean;
}

export type BakeVerdict = "held" | "failed" | "cancelled";

export interface BakeFigures {
  verdict: BakeVerdict;
  /** The planned window. */
  forMs: number;
  /** How long it ran (a failing bake ends as soon as its verdict is certain). */
  ms: number;
  probes: number;
  ok: number;
  /** Latency percentiles of the probes that got an HTTP answer; null with none. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Why it did not hold, in a few words ("error rate 50% over 1%"). */
  reason?: string;
  /** The one line every surface shows. */
  summary: string;
}

/** Nearest-rank percentile of `xs` (p in 0..1); null for none. */
export function percentile(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

function pct(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/** "soak 120/120 ok, p50 12 ms, p99 41 ms". */
export function soakLine(f: Pick<BakeFigures, "probes" | "ok" | "p50Ms" | "p99Ms">): string {
  const ms = (v: number | null) => (v === null ? "-" : `${Math.round(v)} ms`);
  return `soak ${f.ok}/${f.probes} ok, p50 ${ms(f.p50Ms)}, p99 ${ms(f.p99Ms)}`;
}

/** The probes the whole window would run: what "at most N% may fail" is counted against. */
export function plannedProbes(bake: BakeConfig): number {
  return Math.max(1, Math.floor(bake.for / bake.probe.every));
}

/**
 * A bake that can no longer hold, judged before its window ends: more failed (or slow) probes than
 * the whole window allows. This is what makes the revert quick rather than `for` late.
 */
export function certainFailure(samples: readonly Sample[], bake: BakeConfig): string | undefined {
  const planned = Math.max(plannedProbes(bake), samples.length);
  const errors = samples.filter((s) => !s.ok).length;
  if (errors > Math.floor(bake.max_error_rate * planned))
    return `${errors} failed probes, more than ${pct(bake.max_error_rate)} of ${planned}`;
  if (bake.max_p99 !== undefined) {
    const slow = samples.filter((s) => s.answered && s.ms > bake.max_p99!).length;
    if (slow > Math.floor(0.01 * planned))
      return `${slow} probes slower than ${bake.max_p99} ms, more than 1% of ${planned}`;
  }
  return undefined;
}

/** The figures of a finished (or ended) soak and its verdict against the thresholds. */
export function judge(
  samples: readonly Sample[],
  bake: BakeConfig,
  ms: number,
  ended?: { verdict: "failed" | "cancelled"; reason: string },
): BakeFigures {
  const answered = samples.filter((s) => s.answered).map((s) => s.ms);
  const ok = samples.filter((s) => s.ok).length;
  const base = {
    forMs: bake.for,
    ms,
    probes: samples.length,
    ok,
    p50Ms: percentile(answered, 0.5),
    p99Ms: percentile(answered, 0.99),
  };
  const line = soakLine(base);
  const verdict = (v: BakeVerdict, reason?: string): BakeFigures => ({
    ...base,
    verdict: v,
    ...(reason ? { reason } : {}),
    summary: reason ? `${line} (${reason})` : line,
  });
  if (ended) return verdict(ended.verdict, ended.reason);
  if (samples.length === 0) return verdict("failed", "no probe ran");
  const rate = (samples.length - ok) / samples.length;
  if (rate > bake.max_error_rate)
    return verdict("failed", `error rate ${pct(rate)} over ${pct(bake.max_error_rate)}`);
  if (bake.max_p99 !== undefined && base.p99Ms !== null && base.p99Ms > bake.max_p99)
    return verdict("failed", `p99 over ${bake.max_p99} ms`);
  return verdict("held");
}
