/**
 * Pure rules of usage by site (用电分析): year-on-year pairs, time-of-use shares and the jump rule.
 */

export interface MonthKwh {
  period: string;
  kwh: number;
}

/**
 * Jump rule (用电量突增): is a site's latest month beyond its usual range?
 *
 * Which: a robust band on the year-on-year log ratio. For each of the previous 12 months we take
 * r = ln(kWh / kWh of the same month a year before); the band is median(r) + K·1.4826·MAD(r) (the MAD
 * scaled to a standard deviation), with the spread floored at MIN_SPREAD; the latest month fires when
 * its own year-on-year ratio is above the band AND it is at least MIN_RISE above last year.
 *
 * Why: electricity use is seasonal (summer air conditioning, winter heating: the seed's July is 1.6× its
 * April), so a band over the raw previous 12 months (mean + k·σ) either fires every summer or, widened
 * by the seasons it mixes, misses real jumps; comparing each month with the same month a year before
 * removes the season. Median and MAD instead of mean and σ, because one earlier spike (a month of
 * overtime, a meter fault) would otherwise inflate σ and hide the next one. The floor keeps a very
 * steady site from firing on a few percent; MIN_RISE (+40 % on last year) keeps a site that only recovers
 * from a dip quiet, and is above what month-to-month noise of ±15 % can produce (1.15 ÷ 0.85 ≈ 1.35).
 * With fewer than 13 months of history there is no year-on-year pair: then no flag (数据不足).
 */
export const JUMP_K = 3;
export const JUMP_MIN_SPREAD = 0.1;
export const JUMP_MIN_RISE = 1.4;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

export interface JumpVerdict {
  flagged: boolean;
  period: string;
  kwh: number;
  /** The same month a year before. */
  lastYearKwh: number | null;
  /** What the band expects at most for the latest month (kWh, rounded), from last year's month. */
  upperKwh: number | null;
  /** Latest ÷ last year, in percent (rounded), e.g. 215 for +115 %. */
  yoyPercent: number | null;
  /** Median of the previous 12 months (kWh, rounded), shown beside the figure. */
  usualKwh: number | null;
}

/** `months` oldest first, consecutive; judges the last one. */
export function judgeJump(months: MonthKwh[]): JumpVerdict | null {
  const last = months[months.length - 1];
  if (!last) return null;
  const byPeriod = new Map(months.map((m) => [m.period, m.kwh]));
  const yearBefore = (p: string) => `${Number(p.slice(0, 4)) - 1}${p.slice(4)}`;
  const prev = months.slice(-13, -1);
  const usualKwh = prev.length ? Math.round(median(prev.map((m) => m.kwh))) : null;
  const lastYearKwh = byPeriod.get(yearBefore(last.period)) ?? null;
  const base = { period: last.period, kwh: last.kwh, lastYearKwh, usualKwh };
  const ratios: number[] = [];
  for (const m of prev) {
    const ly = byPeriod.get(yearBefore(m.period));
    if (ly && ly > 0 && m.kwh > 0) ratios.push(Math.log(m.kwh / ly));
  }
  if (!lastYearKwh || lastYearKwh <= 0 || ratios.length < 6) return { ...base, flagged: false, upperKwh: null, yoyPercent: null };
  const med = median(ratios);
  const spread = Math.max(JUMP_MIN_SPREAD, 1.4826 * median(ratios.map((r) => Math.abs(r - med))));
  const upper = med + JUMP_K * spread;
  const r = last.kwh > 0 ? Math.log(last.kwh / lastYearKwh) : Number.NEGATIVE_INFINITY;
  return {
    ...base,
    flagged: r > upper && last.kwh >= JUMP_MIN_RISE * lastYearKwh,
    upperKwh: Math.round(lastYearKwh * Math.exp(upper)),
    yoyPercent: Math.round((last.kwh / lastYearKwh) * 100),
  };
}

/** Shares of peak/flat/valley in percent (one decimal, as tenths: 351 = 35.1 %) that add up to 1000. */
export function touShares(b: { peak: number; flat: number; valley: number }): { peak: number; flat: number; valley: number } | null {
  const total = b.peak + b.flat + b.valley;
  if (total <= 0) return null;
  const raw = (['peak', 'flat', 'valley'] as const).map((k) => ({ k, num: b[k] * 1000 }));
  const floors = raw.map((x) => Math.floor(x.num / total));
  let left = 1000 - floors.reduce((s, f) => s + f, 0);
  const order = raw.map((x, i) => ({ i, rem: x.num % total })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) floors[order[k % 3]!.i]! += 1;
  return { peak: floors[0]!, flat: floors[1]!, valley: floors[2]! };
}

/** The year-on-year table: per calendar month of `year`, this year's and last year's kWh (null: no reading). */
export function yearOnYear(series: MonthKwh[], year: number): { month: number; thisYear: number | null; lastYear: number | null }[] {
  const by = new Map(series.map((m) => [m.period, m.kwh]));
  return Array.from({ length: 12 }, (_, i) => {
    const mm = String(i + 1).padStart(2, '0');
    return { month: i + 1, thisYear: by.get(`${year}-${mm}`) ?? null, lastYear: by.get(`${year - 1}-${mm}`) ?? null };
  });
}
