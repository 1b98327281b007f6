/**
 * Roll-ups: the counters of one Shanghai day per (region, team, agent, type, channel), computed from the facts
 * that touch the day. Pure: the job, the full rebuild and the tests all call rollupDay, so "incremental equals
 * full" is a property of the inputs (the facts), not of two implementations. Months are sums of their days.
 */
import type { OrderFact } from './facts.rules';

export interface Counters {
  /** Orders created (volume), complaints, fault reports and those merged into an incident: by creation day. */
  created: number;
  complaints: number;
  faultReports: number;
  merged: number;
  /** First resolutions, and of them: reopened, FCR yes, FCR provisional, visits requested / rated: by resolve day. */
  resolved: number;
  reopened: number;
  fcrYes: number;
  fcrProv: number;
  visits: number;
  visitsRated: number;
  /** Desk AHT on the resolve day: count and sum (ms). */
  ahtN: number;
  ahtSum: number;
  /** Ratings by rating day; good = 4–5 stars. */
  ratings: number;
  good: number;
  /** Order-level 及时率 and application-level (every milestone), by decision day. */
  otN: number;
  otMet: number;
  appN: number;
  appMet: number;
  /** Deadlines per SLA kind ('milestone' for application milestones): [counted, met], by decision day. */
  sla: Record<string, [number, number]>;
}

export interface RollupDims {
  regionId: string | null;
  teamId: string | null;
  agentId: string | null;
  type: string;
  channel: string;
}

export type RollupRow = RollupDims & Counters;

/** AHT histograms per order type: bin → count (company-wide; medians by type). */
export type AhtHistograms = Record<string, Record<string, number>>;

export interface RollupPeriod {
  /** 'd:YYYY-MM-DD' or 'm:YYYY-MM'. */
  _id: string;
  rows: RollupRow[];
  aht: AhtHistograms;
  /** Day documents: the orders whose facts touch the day, sorted (the drill-down and the job read facts by these ids). */
  orderIds?: string[];
}

export const emptyCounters = (): Counters => ({
  created: 0,
  complaints: 0,
  faultReports: 0,
  merged: 0,
  resolved: 0,
  reopened: 0,
  fcrYes: 0,
  fcrProv: 0,
  visits: 0,
  visitsRated: 0,
  ahtN: 0,
  ahtSum: 0,
  ratings: 0,
  good: 0,
  otN: 0,
  otMet: 0,
  appN: 0,
  appMet: 0,
  sla: {},
});

const NUMERIC: (keyof Omit<Counters, 'sla'>)[] = [
  'created',
  'complaints',
  'faultReports',
  'merged',
  'resolved',
  'reopened',
  'fcrYes',
  'fcrProv',
  'visits',
  'visitsRated',
  'ahtN',
  'ahtSum',
  'ratings',
  'good',
  'otN',
  'otMet',
  'appN',
  'appMet',
];

export function addCounters(into: Counters, c: Counters): Counters {
  for (const k of NUMERIC) into[k] += c[k];
  for (const [k, [n, m]] of Object.entries(c.sla ?? {})) {
    const cur = into.sla[k] ?? [0, 0];
    into.sla[k] = [cur[0] + n, cur[1] + m];
  }
  return into;
}

export const dimsKey = (d: RollupDims) => `${d.regionId ?? '-'}|${d.teamId ?? '-'}|${d.agentId ?? '-'}|${d.type}|${d.channel}`;

/** AHT histogram bins: 1 minute up to 10 hours, then 10 minutes up to 7 days, then one overflow bin. */
const MIN = 60_000;
export function ahtBin(ms: number): number {
  if (ms < 600 * MIN) return Math.floor(ms / MIN);
  return Math.min(600 + Math.floor((ms - 600 * MIN) / (10 * MIN)), 600 + 1008);
}
function binMid(bin: number): number {
  if (bin < 600) return (bin + 0.5) * MIN;
  return 600 * MIN + (bin - 600 + 0.5) * 10 * MIN;
}

/** The median of a histogram (the midpoint of the bin holding the middle value); null when empty. */
export function histogramMedian(h: Record<string, number> | undefined): number | null {
  if (!h) return null;
  const bins = Object.entries(h)
    .map(([b, n]) => [Number(b), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = bins.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const mid = (total + 1) / 2;
  let seen = 0;
  for (const [b, n] of bins) {
    seen += n;
    if (seen >= mid) return binMid(b);
  }
  return null;
}

/** Counts one AHT sample of `type` into the histograms. */
export function addAhtSample(h: AhtHistograms, type: string, ms: number): void {
  const bins = h[type] ?? {};
  h[type] = bins;
  const b = String(ahtBin(ms));
  bins[b] = (bins[b] ?? 0) + 1;
}

export function addHistograms(into: AhtHistograms, h: AhtHistograms): AhtHistograms {
  for (const [type, bins] of Object.entries(h)) {
    const cur = into[type] ?? {};
    into[type] = cur;
    for (const [b, n] of Object.entries(bins)) cur[b] = (cur[b] ?? 0) + n;
  }
  return into;
}

/** Adds what `f` contributes to `day` into `c` (the single definition of which counter counts on which day). */
export function countFact(c: Counters, f: OrderFact, day: string): boolean {
  let touched = false;
  if (f.createdDay === day) {
    c.created++;
    if (f.isComplaint) c.complaints++;
    if (f.isFaultReport) c.faultReports++;
    if (f.merged) c.merged++;
    touched = true;
  }
  if (f.resolvedDay === day) {
    c.resolved++;
    if (f.reopened) c.reopened++;
    if (f.fcr === 'yes') c.fcrYes++;
    if (f.fcr === 'provisional') c.fcrProv++;
    if (f.visitRequested) {
      c.visits++;
      if (f.rating) c.visitsRated++;
    }
    if (f.ahtMs !== null) {
      c.ahtN++;
      c.ahtSum += f.ahtMs;
    }
    touched = true;
  }
  if (f.rating && f.rating.day === day) {
    c.ratings++;
    if (f.rating.stars >= 4) c.good++;
    touched = true;
  }
  if (f.onTime && f.onTime.day === day) {
    c.otN++;
    if (f.onTime.met) c.otMet++;
    touched = true;
  }
  if (f.application && f.application.day === day) {
    c.appN++;
    if (f.application.met) c.appMet++;
    touched = true;
  }
  for (const d of f.deadlines) {
    if (d.day !== day) continue;
    const cur = c.sla[d.kind] ?? [0, 0];
    c.sla[d.kind] = [cur[0] + 1, cur[1] + (d.outcome === 'met' ? 1 : 0)];
    touched = true;
  }
  return touched;
}

const dimsOf = (f: OrderFact): RollupDims => ({
  regionId: f.regionId,
  teamId: f.teamId,
  agentId: f.agentId,
  type: f.type,
  channel: f.channel,
});

/** The roll-up of one day from the facts (any superset of the facts touching the day: others add nothing). */
export function rollupDay(facts: Iterable<OrderFact>, day: string): RollupPeriod {
  const rows = new Map<string, RollupRow>();
  const aht: AhtHistograms = {};
  const ids: string[] = [];
  for (const f of facts) {
    if (!f.days.includes(day)) continue;
    ids.push(f.orderId);
    const dims = dimsOf(f);
    const k = dimsKey(dims);
    const row = rows.get(k) ?? { ...dims, ...emptyCounters() };
    if (countFact(row, f, day) && !rows.has(k)) rows.set(k, row);
    if (f.resolvedDay === day && f.ahtMs !== null) addAhtSample(aht, f.type, f.ahtMs);
  }
  return { _id: `d:${day}`, rows: sortRows([...rows.values()]), aht, orderIds: [...new Set(ids)].sort() };
}

const sortRows = (rows: RollupRow[]) => rows.sort((a, b) => dimsKey(a).localeCompare(dimsKey(b)));

/** The roll-up of a month: the sum of its days' roll-ups. */
export function rollupMonth(month: string, days: RollupPeriod[]): RollupPeriod {
  const rows = new Map<string, RollupRow>();
  const aht: AhtHistograms = {};
  for (const d of days) {
    for (const r of d.rows) {
      const k = dimsKey(r);
      const cur = rows.get(k);
      if (cur) addCounters(cur, r);
      else rows.set(k, { ...r, sla: Object.fromEntries(Object.entries(r.sla ?? {}).map(([x, v]) => [x, [v[0], v[1]]])) } as RollupRow);
    }
    addHistograms(aht, d.aht);
  }
  return { _id: `m:${month}`, rows: sortRows([...rows.values()]), aht };
}
