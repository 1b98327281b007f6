/**
 * Is today's count of fault reports (or complaints) in an area above that area's own usual level? (SPEC §3.6,
 * seed 004.) Pure: counts in, a verdict with its evidence out.
 *
 * Two control limits, both from the area's own history (the `BASELINE_DAYS` days before the day judged):
 * - Poisson: the day's count (and the last three days' total) is compared with the exact (1 − α) quantile of
 *   Poisson(k × baseline mean), computed from the Poisson CDF term by term (no normal approximation).
 *   P(count > limit | usual level) ≤ α by construction for each window, so ≤ 2α per area and day.
 * - EWMA (λ, L): for areas busy enough that a normal approximation holds (baseline mean ≥ `EWMA_MIN_MEAN`), the
 *   exponentially weighted mean of the last days against μ0 + L·σ·√(λ/(2−λ)·(1−(1−λ)^{2t})), σ = √μ0. It catches a
 *   smaller rise that lasts several days.
 */

/** Days of history the usual level is the mean of (the days before the day judged). */
export const BASELINE_DAYS = 28;
/** False-alarm probability per area-day of the Poisson limit. */
export const POISSON_ALPHA = 0.001;
/** An area with no history still has some usual level: 0.1 a day (so 3 reports in a quiet area's day fire). */
export const MIN_BASELINE_MEAN = 0.1;
export const EWMA_LAMBDA = 0.2;
export const EWMA_L = 3;
/** Below this daily mean the EWMA's normal approximation is poor: only the exact Poisson limit is used. */
export const EWMA_MIN_MEAN = 5;
/** Days shown as evidence (the sparkline). */
export const EVIDENCE_DAYS = 14;

/** P(X ≤ k) for X ~ Poisson(mean), summed exactly term by term in log space (no underflow for large means). */
export function poissonCdf(k: number, mean: number): number {
  if (k < 0) return 0;
  if (mean <= 0) return 1;
  const logMean = Math.log(mean);
  let logP = -mean; // log P(X = 0)
  let sum = Math.exp(logP);
  for (let i = 1; i <= k; i++) {
    logP += logMean - Math.log(i);
    sum += Math.exp(logP);
  }
  return Math.min(1, sum);
}

/** The smallest k with P(X ≤ k) ≥ p, for X ~ Poisson(mean): the exact quantile. */
export function poissonQuantile(p: number, mean: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be in (0, 1)');
  if (mean <= 0) return 0;
  const logMean = Math.log(mean);
  let logP = -mean;
  let sum = Math.exp(logP);
  let k = 0;
  // Generous bound: the quantile never lies beyond mean + 40·√mean + 50 for the p used here.
  const cap = Math.ceil(mean + 40 * Math.sqrt(mean) + 50);
  while (sum < p && k < cap) {
    k++;
    logP += logMean - Math.log(k);
    sum += Math.exp(logP);
  }
  return k;
}

/** The Poisson upper control limit: a count above it happens with probability ≤ α at the usual level. */
export const poissonLimit = (mean: number, alpha = POISSON_ALPHA) => poissonQuantile(1 - alpha, Math.max(mean, MIN_BASELINE_MEAN));

export interface EwmaResult {
  /** The EWMA after the last day. */
  value: number;
  /** Its upper control limit after the last day. */
  limit: number;
  fired: boolean;
}

/** EWMA of `series` (oldest first) started at the baseline mean, with its time-varying upper limit. */
export function ewma(series: readonly number[], mean: number, lambda = EWMA_LAMBDA, L = EWMA_L): EwmaResult {
  const sigma = Math.sqrt(Math.max(mean, MIN_BASELINE_MEAN));
  let z = mean;
  let t = 0;
  for (const x of series) {
    z = lambda * x + (1 - lambda) * z;
    t++;
  }
  const limit = mean + L * sigma * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * Math.max(t, 1))));
  return { value: z, limit, fired: z > limit };
}

/** Windows (days ending with the day judged) whose total is tested against the exact Poisson limit of k × mean. */
export const POISSON_WINDOWS = [1, 3] as const;

export interface AnomalyVerdict {
  fired: boolean;
  /** The limit that fired first (Poisson before EWMA); null when quiet. */
  method: 'poisson' | 'ewma' | null;
  /** Days of the window that fired (1: the day alone; 3: the last three days together); 1 when quiet or EWMA. */
  windowDays: number;
  /** The count of that window (the day judged alone when quiet). */
  count: number;
  /** The usual daily level: mean of the BASELINE_DAYS before the window. */
  baselineMean: number;
  /** Poisson upper control limit for that window (the count must exceed it). */
  poissonLimit: number;
  /** The EWMA and its limit, when the area is busy enough for it. */
  ewma: EwmaResult | null;
  /** The last EVIDENCE_DAYS counts up to and including the day judged, oldest first. */
  recent: number[];
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * Judges the last day of `daily` (oldest first, one count per day, the last one the day judged). For each window of
 * POISSON_WINDOWS days ending with it, the window's total against the exact (1 − α) Poisson quantile of
 * k × (mean of the BASELINE_DAYS before the window): one day's spike, or a rise over three days in a quiet area.
 * Each window's false-alarm rate is ≤ α, so together ≤ 2α per area-day. The EWMA runs over the EVIDENCE_DAYS
 * up to the day judged, for busy areas only.
 */
export function judgeArea(daily: readonly number[], opts: { alpha?: number } = {}): AnomalyVerdict {
  const n = daily.length;
  const alpha = opts.alpha ?? POISSON_ALPHA;
  const recent = daily.slice(Math.max(0, n - EVIDENCE_DAYS));
  let first: { k: number; count: number; base: number; limit: number } | null = null;
  let quiet: { count: number; base: number; limit: number } | null = null;
  for (const k of POISSON_WINDOWS) {
    if (n < k) continue;
    const count = daily.slice(n - k).reduce((a, b) => a + b, 0);
    const base = mean(daily.slice(Math.max(0, n - k - BASELINE_DAYS), n - k));
    const limit = poissonQuantile(1 - alpha, k * Math.max(base, MIN_BASELINE_MEAN));
    if (k === 1) quiet = { count, base, limit };
    if (count > limit && !first) first = { k, count, base, limit };
  }
  const day = quiet ?? { count: n ? daily[n - 1] : 0, base: 0, limit: poissonLimit(0, alpha) };
  const ew = day.base >= EWMA_MIN_MEAN ? ewma(recent, day.base) : null;
  if (first)
    return {
      fired: true,
      method: 'poisson',
      windowDays: first.k,
      count: first.count,
      baselineMean: first.base,
      poissonLimit: first.limit,
      ewma: ew,
      recent,
    };
  const method = ew?.fired ? 'ewma' : null;
  return { fired: method !== null, method, windowDays: 1, count: day.count, baselineMean: day.base, poissonLimit: day.limit, ewma: ew, recent };
}

/** The Shanghai calendar days (YYYY-MM-DD) ending with `now`'s, oldest first. */
export function shanghaiDays(now: Date, n: number): string[] {
  const today = Date.parse(`${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(today - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Midnight (Asia/Shanghai) starting the calendar day `day` (YYYY-MM-DD). */
export const shanghaiMidnight = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`));

/** A per-day count map as a series over `days` (missing days are 0). */
export const seriesOf = (counts: Record<string, number> | null | undefined, days: readonly string[]) => days.map((d) => counts?.[d] ?? 0);
