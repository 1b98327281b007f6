/**
 * Usage by site (用电分析) for every enterprise role within its site scope ('view' need): one read of the
 * scope's accounts and one of their usage history per call, aggregated here; no per-account round-trips.
 */
import { DomainError } from '../../lib/errors';
import { accountAccessFilter, isEnterpriseUser } from '../accounts/account.access';
import { AccountModel } from '../accounts/account.model';
import type { AccessClaims } from '../auth/tokens';
import { UsageHistoryModel } from '../billing/billing.model';
import { siteNameOf } from './statement.service';
import { judgeJump, touShares, yearOnYear, type MonthKwh } from './usage.rules';

/** Sites drawn on the comparison chart at once. */
export const MAX_COMPARE = 8;

export async function usageBySite(user: AccessClaims, input: { months: 12 | 24; accountIds?: string[] }) {
  if (!isEnterpriseUser(user)) throw new DomainError('FORBIDDEN', '用电分析仅对企业用户开放');
  const filter = await accountAccessFilter(user, 'view');
  if (!filter) throw new DomainError('FORBIDDEN', '您无权查看用电分析');
  const accounts = await AccountModel.find(filter, { number: 1, address: 1, siteName: 1, tariffCode: 1, usageCategory: 1 })
    .sort({ number: 1 })
    .lean();
  const histories = await UsageHistoryModel.find({ _id: { $in: accounts.map((a) => a._id) } }).lean();
  const byId = new Map(histories.map((h) => [String(h._id), h.months ?? []]));

  // The window: the latest `months` periods any site has.
  const allPeriods = new Set<string>();
  for (const h of histories) for (const m of h.months ?? []) if (m.period) allPeriods.add(m.period);
  const sorted = [...allPeriods].sort();
  const periods = sorted.slice(-input.months);
  const inWindow = new Set(periods);

  const sites = accounts.map((a) => {
    const months = [...(byId.get(String(a._id)) ?? [])]
      .filter((m) => m.period)
      .sort((x, y) => (x.period! < y.period! ? -1 : 1))
      .map((m) => ({ period: m.period!, kwh: m.kwh ?? 0, bands: m.bands && m.bands.peak != null ? m.bands : null }));
    return { a, months };
  });

  const chosen = input.accountIds?.length
    ? sites.filter((s) => input.accountIds!.includes(String(s.a._id)))
    : [...sites].sort((x, y) => sumKwh(y.months, inWindow) - sumKwh(x.months, inWindow)).slice(0, 3);
  if (chosen.length > MAX_COMPARE) throw new DomainError('BAD_REQUEST', `一次最多比较${MAX_COMPARE}个户号`);

  // Totals per month of the scope, TOU bands of the time-of-use sites.
  const total = new Map<string, number>();
  const bands = new Map<string, { peak: number; flat: number; valley: number }>();
  for (const s of sites)
    for (const m of s.months) {
      total.set(m.period, (total.get(m.period) ?? 0) + m.kwh);
      if (m.bands) {
        const b = bands.get(m.period) ?? { peak: 0, flat: 0, valley: 0 };
        b.peak += m.bands.peak ?? 0;
        b.flat += m.bands.flat ?? 0;
        b.valley += m.bands.valley ?? 0;
        bands.set(m.period, b);
      }
    }
  const totalSeries: MonthKwh[] = sorted.map((p) => ({ period: p, kwh: total.get(p) ?? 0 }));
  const latest = sorted[sorted.length - 1] ?? null;
  const year = latest ? Number(latest.slice(0, 4)) : new Date().getFullYear();

  const flagged = sites
    .map((s) => ({ s, v: judgeJump(s.months.map((m) => ({ period: m.period, kwh: m.kwh }))) }))
    .filter((x) => x.v?.flagged)
    .map(({ s, v }) => ({
      accountId: String(s.a._id),
      accountNumber: s.a.number,
      siteName: siteNameOf(s.a),
      period: v!.period,
      kwh: v!.kwh,
      lastYearKwh: v!.lastYearKwh,
      usualKwh: v!.usualKwh,
      upperKwh: v!.upperKwh,
      yoyPercent: v!.yoyPercent,
    }))
    .sort((x, y) => (y.yoyPercent ?? 0) - (x.yoyPercent ?? 0));

  const touTotals = { peak: 0, flat: 0, valley: 0 };
  for (const p of periods) {
    const b = bands.get(p);
    if (b) {
      touTotals.peak += b.peak;
      touTotals.flat += b.flat;
      touTotals.valley += b.valley;
    }
  }

  return {
    periods,
    sites: sites.map((s) => ({
      accountId: String(s.a._id),
      accountNumber: s.a.number,
      siteName: siteNameOf(s.a),
      usageCategory: s.a.usageCategory,
      tou: s.months.some((m) => m.bands),
      kwh: sumKwh(s.months, inWindow),
    })),
    compare: chosen.map((s) => {
      const by = new Map(s.months.map((m) => [m.period, m.kwh]));
      return { accountId: String(s.a._id), accountNumber: s.a.number, siteName: siteNameOf(s.a), kwh: periods.map((p) => by.get(p) ?? null) };
    }),
    total: periods.map((p) => total.get(p) ?? 0),
    yoy: { year, months: yearOnYear(totalSeries, year) },
    tou: {
      sites: sites.filter((s) => s.months.some((m) => m.bands)).length,
      months: periods.filter((p) => bands.has(p)).map((p) => ({ period: p, ...bands.get(p)!, shares: touShares(bands.get(p)!) })),
      shares: touShares(touTotals),
      totals: touTotals,
    },
    flagged,
  };
}

function sumKwh(months: { period: string; kwh: number }[], inWindow: Set<string>) {
  return months.reduce((s, m) => (inWindow.has(m.period) ? s + m.kwh : s), 0);
}
