/**
 * Tariffs as configuration, and the pure arithmetic of charges and late fees.
 *
 * Money: prices are integer milli-fen per kWh (1 yuan = 100 fen = 100,000 milli-fen, so 0.5469 yuan/kWh
 * = 54,690 milli-fen), energy is integer kWh, every intermediate sum is an exact integer, and a charge is
 * rounded to fen exactly once, at the end (half up, 四舍五入). Late fees are exact rationals
 * (fen × days × parts-per-million) rounded once.
 */

export type TierBand = 'tier1' | 'tier2' | 'tier3';
export type TouBand = 'peak' | 'flat' | 'valley';
export type ChargeBand = TierBand | TouBand | 'single';

export interface TieredTariff {
  code: string;
  kind: 'tiered';
  name: string;
  /** Tiers by cumulative kWh within the tier year; `upToKwh: null` is the open last tier. */
  tiers: { band: TierBand; upToKwh: number | null; priceMilliFen: number }[];
  /** Month (1-12) the annual tier count restarts; 1 = calendar year. */
  yearStartMonth: number;
}

export interface FlatTariff {
  code: string;
  kind: 'flat';
  name: string;
  priceMilliFen: number;
}

export interface TouTariff {
  code: string;
  kind: 'tou';
  name: string;
  prices: Record<TouBand, number>;
  /** Bands by hour of day (Asia/Shanghai), as [fromHour, toHour) windows; hours not listed are 'flat'. */
  windows: { band: Exclude<TouBand, 'flat'>; from: number; to: number }[];
}

export type Tariff = TieredTariff | FlatTariff | TouTariff;

/** 元/kWh with up to 4 decimals → integer milli-fen/kWh, without floating-point error. */
export function yuanToMilliFen(yuan: string): number {
  const m = /^(\d+)(?:\.(\d{1,5}))?$/.exec(yuan.trim());
  if (!m) throw new Error(`bad price ${yuan}`);
  return Number(m[1]) * 100_000 + Number((m[2] ?? '').padEnd(5, '0'));
}

export const DEFAULT_TARIFFS: Record<string, Tariff> = {
  'RES-TIER-HN': {
    code: 'RES-TIER-HN',
    kind: 'tiered',
    name: '居民生活用电（年阶梯）',
    yearStartMonth: 1,
    tiers: [
      { band: 'tier1', upToKwh: 2520, priceMilliFen: yuanToMilliFen('0.5469') },
      { band: 'tier2', upToKwh: 4800, priceMilliFen: yuanToMilliFen('0.5969') },
      { band: 'tier3', upToKwh: null, priceMilliFen: yuanToMilliFen('0.8469') },
    ],
  },
  'COM-FLAT': { code: 'COM-FLAT', kind: 'flat', name: '一般工商业（单一制）', priceMilliFen: yuanToMilliFen('0.6852') },
  'IND-TOU': {
    code: 'IND-TOU',
    kind: 'tou',
    name: '大工业（分时电价）',
    prices: { peak: yuanToMilliFen('1.0245'), flat: yuanToMilliFen('0.6570'), valley: yuanToMilliFen('0.3285') },
    windows: [
      { band: 'peak', from: 8, to: 11 },
      { band: 'peak', from: 18, to: 23 },
      { band: 'valley', from: 23, to: 24 },
      { band: 'valley', from: 0, to: 7 },
    ],
  },
};

/** Late fee (电费违约金) per day of arrears, in parts per million of the overdue amount. */
export interface LateFeeRule {
  ppmPerDay: number;
  /** Days after the due date before the fee starts (0 = from the first day overdue). */
  graceDays: number;
}

export const DEFAULT_LATE_FEES: Record<'residential' | 'commercial' | 'industrial', LateFeeRule> = {
  residential: { ppmPerDay: 1000, graceDays: 0 }, // 1‰ per day
  commercial: { ppmPerDay: 2000, graceDays: 0 }, // 2‰ per day (current-year arrears)
  industrial: { ppmPerDay: 2000, graceDays: 0 },
};

// The tariffs and late-fee rates in force are versioned settings (settings.service: tariffOf, lateFeeRuleOf);
// DEFAULT_TARIFFS and DEFAULT_LATE_FEES are their version 1.

/** Rounds a non-negative rational num/den to an integer, half up. Integers only. */
export function roundHalfUp(num: number, den: number): number {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den <= 0) throw new Error('roundHalfUp needs safe integers');
  if (num < 0) return -roundHalfUp(-num, den);
  return Math.floor((2 * num + den) / (2 * den));
}

export const milliFenToFen = (mf: number) => roundHalfUp(mf, 1000);

export interface ChargeLine {
  band: ChargeBand;
  kwh: number;
  priceMilliFen: number;
  amountMilliFen: number;
}

export interface Charge {
  tariffCode: string;
  kwh: number;
  lines: ChargeLine[];
  totalMilliFen: number;
  /** The only rounded number: totalMilliFen to fen, half up. */
  amountFen: number;
}

function assertKwh(n: number, what: string) {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${what} must be a non-negative integer kWh`);
}

/** Splits `kwh` consumed after `ytdKwh` already used this tier year across the tiers. */
export function splitTiers(t: TieredTariff, ytdKwh: number, kwh: number): ChargeLine[] {
  assertKwh(ytdKwh, 'ytdKwh');
  assertKwh(kwh, 'kwh');
  const lines: ChargeLine[] = [];
  let from = ytdKwh;
  const to = ytdKwh + kwh;
  let lower = 0;
  for (const tier of t.tiers) {
    const upper = tier.upToKwh ?? Number.MAX_SAFE_INTEGER;
    const a = Math.max(from, lower);
    const b = Math.min(to, upper);
    if (b > a) {
      lines.push({ band: tier.band, kwh: b - a, priceMilliFen: tier.priceMilliFen, amountMilliFen: (b - a) * tier.priceMilliFen });
      from = b;
    }
    lower = upper;
    if (from >= to) break;
  }
  return lines;
}

export type Usage = { kwh: number; ytdKwh?: number } | { bands: Record<TouBand, number> };

/** The charge for one period's consumption. Tiered tariffs need the kWh already used this tier year. */
export function computeCharge(t: Tariff, usage: Usage): Charge {
  let lines: ChargeLine[];
  if (t.kind === 'tou') {
    if (!('bands' in usage)) throw new Error('time-of-use tariff needs kWh per band');
    lines = (['peak', 'flat', 'valley'] as const).map((band) => {
      assertKwh(usage.bands[band], band);
      return { band, kwh: usage.bands[band], priceMilliFen: t.prices[band], amountMilliFen: usage.bands[band] * t.prices[band] };
    });
  } else {
    const kwh = 'bands' in usage ? usage.bands.peak + usage.bands.flat + usage.bands.valley : usage.kwh;
    assertKwh(kwh, 'kwh');
    lines =
      t.kind === 'flat'
        ? [{ band: 'single', kwh, priceMilliFen: t.priceMilliFen, amountMilliFen: kwh * t.priceMilliFen }]
        : splitTiers(t, 'kwh' in usage ? (usage.ytdKwh ?? 0) : 0, kwh);
  }
  const totalMilliFen = lines.reduce((s, l) => s + l.amountMilliFen, 0);
  if (!Number.isSafeInteger(totalMilliFen)) throw new Error('charge overflow');
  return { tariffCode: t.code, kwh: lines.reduce((s, l) => s + l.kwh, 0), lines, totalMilliFen, amountFen: milliFenToFen(totalMilliFen) };
}

/** "2026-03" → the tier year it belongs to (the calendar year of its start month). */
export function tierYearOf(period: string, yearStartMonth = 1): number {
  const [y, m] = period.split('-').map(Number);
  return m >= yearStartMonth ? y : y - 1;
}

/**
 * Monthly charges for a run of consecutive monthly readings of one account; the tier count restarts
 * at each tier year (year rollover). `before` = kWh already used in the first period's tier year.
 */
export function chargeMonths(
  t: Tariff,
  months: { period: string; kwh: number; bands?: Record<TouBand, number> | null }[],
  before = 0,
): (Charge & { period: string; ytdKwhBefore: number })[] {
  const out: (Charge & { period: string; ytdKwhBefore: number })[] = [];
  let ytd = before;
  let year: number | null = null;
  for (const m of months) {
    const y = tierYearOf(m.period, t.kind === 'tiered' ? t.yearStartMonth : 1);
    if (year !== null && y !== year) ytd = 0;
    year = y;
    const c = t.kind === 'tou' && m.bands ? computeCharge(t, { bands: m.bands }) : computeCharge(t, { kwh: m.kwh, ytdKwh: ytd });
    out.push({ ...c, period: m.period, ytdKwhBefore: ytd });
    ytd += c.kwh;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Time of use

/** Hour of day in Asia/Shanghai (UTC+8, no DST). */
export const shanghaiHour = (at: Date) => (at.getUTCHours() + 8) % 24;

export function touBandAt(t: TouTariff, at: Date): TouBand {
  const h = shanghaiHour(at);
  return t.windows.find((w) => h >= w.from && h < w.to)?.band ?? 'flat';
}

/** Sums hourly interval readings (kWh per hour starting at `at`) into bands. */
export function bandsFromIntervals(t: TouTariff, intervals: { at: Date; kwh: number }[]): Record<TouBand, number> {
  const b: Record<TouBand, number> = { peak: 0, flat: 0, valley: 0 };
  for (const i of intervals) {
    assertKwh(i.kwh, 'interval kWh');
    b[touBandAt(t, i.at)] += i.kwh;
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Late fees

const DAY_MS = 86_400_000;
/** Calendar date (YYYY-MM-DD) in Asia/Shanghai. */
export const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const dayNumber = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** Whole days overdue: the day after the due date is day 1 (dates in Asia/Shanghai). */
export function daysOverdue(dueDay: string, at: Date): number {
  return Math.max(0, dayNumber(shanghaiDay(at)) - dayNumber(dueDay));
}

/** 违约金 in fen: overdue amount × days × rate, rounded once. */
export function lateFeeFen(overdueFen: number, dueDay: string, at: Date, rule: LateFeeRule): number {
  if (!Number.isSafeInteger(overdueFen) || overdueFen <= 0) return 0;
  const days = Math.max(0, daysOverdue(dueDay, at) - rule.graceDays);
  if (days === 0) return 0;
  return roundHalfUp(overdueFen * days * rule.ppmPerDay, 1_000_000);
}
