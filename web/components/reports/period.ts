/**
 * Report periods in China time (Asia/Shanghai, UTC+8 all year: no daylight saving), weeks starting Monday.
 * Dates are calendar days 'YYYY-MM-DD'; a period is the closed range [from, to] of days.
 */

export const PERIOD_KINDS = ['this_week', 'last_week', 'this_month', 'last_month', 'this_quarter', 'this_year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export type DayRange = { from: string; to: string };

const DAY = 86_400_000;
const SHANGHAI_OFFSET = 8 * 3_600_000;

/** The calendar day in China time of an instant, as a UTC-midnight Date (for day arithmetic). */
function shanghaiDay(now: Date): Date {
  const d = new Date(now.getTime() + SHANGHAI_OFFSET);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function parseYmd(s: string | null | undefined): Date | null {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || ymd(d) !== s ? null : d;
}

const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);

function mondayOf(d: Date): Date {
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(d, -dow);
}

/** The days of a named period around `now` (the current week/month/quarter/year runs to today). */
export function periodRange(kind: Exclude<PeriodKind, 'custom'>, now: Date = new Date()): DayRange {
  const today = shanghaiDay(now);
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  switch (kind) {
    case 'this_week':
      return { from: ymd(mondayOf(today)), to: ymd(today) };
    case 'last_week': {
      const mon = addDays(mondayOf(today), -7);
      return { from: ymd(mon), to: ymd(addDays(mon, 6)) };
    }
    case 'this_month':
      return { from: ymd(new Date(Date.UTC(y, m, 1))), to: ymd(today) };
    case 'last_month':
      return { from: ymd(new Date(Date.UTC(y, m - 1, 1))), to: ymd(new Date(Date.UTC(y, m, 0))) };
    case 'this_quarter':
      return { from: ymd(new Date(Date.UTC(y, m - (m % 3), 1))), to: ymd(today) };
    case 'this_year':
      return { from: ymd(new Date(Date.UTC(y, 0, 1))), to: ymd(today) };
  }
}

/** Today in China time, 'YYYY-MM-DD'. */
export function todayShanghai(now: Date = new Date()): string {
  return ymd(shanghaiDay(now));
}

/** Number of days in a range (inclusive). */
export function daysIn(r: DayRange): number {
  const a = parseYmd(r.from);
  const b = parseYmd(r.to);
  return a && b ? Math.round((b.getTime() - a.getTime()) / DAY) + 1 : 0;
}

/** The Monday of the week (China time) that holds the day. */
export function weekStart(day: string): string {
  const d = parseYmd(day);
  return d ? ymd(mondayOf(d)) : day;
}

/** Instant of the start of a China-time day (00:00 +08:00). */
export function dayStartInstant(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}
