/**
 * 户号总览: every account of the caller's enterprise within their site scope, in one table, with the
 * totals a finance manager starts from (arrears, due this week, disconnection risk).
 *
 * Three indexed queries whatever the filters (accounts by enterpriseId; the unpaid bills of those in
 * arrears by status+accountId; the last month of their usage history by _id), no per-row query; filters, search,
 * sort and paging run over those rows on the server, and the totals always cover the whole scope. The
 * power liaison (电力信息员) sees sites, supply and usage, not money: money fields come back null.
 */
import type { Types } from 'mongoose';
import { DomainError } from '../../lib/errors';
import { accountAccessFilter, isEnterpriseUser } from '../accounts/account.access';
import { AccountModel, EnterpriseModel } from '../accounts/account.model';
import type { AccessClaims } from '../auth/tokens';
import { BillModel, UsageHistoryModel } from '../billing/billing.model';
import { shanghaiDay } from '../billing/tariff.rules';
import { addDays, atRisk, literalRegex, owedFen, type PortfolioSort, siteNameOf, sortRows } from './portfolio.rules';

type SupplyState = 'normal' | 'arrears' | 'disconnected';
type UsageCategory = 'residential' | 'commercial' | 'industrial';

export interface PortfolioRow {
  accountId: string;
  number: string;
  siteName: string;
  address: string;
  usageCategory: UsageCategory;
  paymentMode: 'postpaid' | 'prepaid';
  supplyState: SupplyState;
  atRisk: boolean;
  /** Money (null for the power liaison). */
  owedFen: number | null;
  balanceFen: number | null;
  unpaidBills: number | null;
  nextDueDay: string | null;
  lastPeriod: string | null;
  lastKwh: number | null;
  lastAmountFen: number | null;
}

export interface PortfolioFilter {
  search?: string;
  supplyState?: SupplyState;
  usageCategory?: UsageCategory;
  hasArrears?: boolean;
  dueWithinDays?: number;
  sort?: PortfolioSort;
  dir?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

const MONEY_ROLES = ['enterprise_admin', 'enterprise_finance'];

async function loadPortfolio(user: AccessClaims, now: Date) {
  if (!isEnterpriseUser(user)) throw new DomainError('FORBIDDEN', '户号总览仅限企业用户');
  const scope = await accountAccessFilter(user, 'view');
  if (!scope) throw new DomainError('FORBIDDEN', '您的账号暂无可查看的户号');
  const moneyVisible = user.roles.some((r) => MONEY_ROLES.includes(r));
  const [enterprise, accounts] = await Promise.all([
    EnterpriseModel.findById(scope.enterpriseId as Types.ObjectId, { name: 1 }).lean(),
    AccountModel.find(scope, {
      number: 1,
      siteName: 1,
      address: 1,
      usageCategory: 1,
      paymentMode: 1,
      supplyState: 1,
      arrearsFen: 1,
      balanceFen: 1,
    }).lean(),
  ]);
  const ids = accounts.map((a) => a._id);
  // Unpaid bills exist only where postpaid arrears are (arrearsFen is exactly the unpaid bills): read those
  // accounts' only. `status` leads the filter: the embedded server evaluates keys in order (a real MongoDB
  // uses the {accountId, status} index either way).
  const owing = accounts.filter((a) => a.paymentMode !== 'prepaid' && (a.arrearsFen ?? 0) > 0).map((a) => a._id);
  const [bills, usage] = await Promise.all([
    owing.length ? BillModel.find({ status: 'unpaid', accountId: { $in: owing } }, { accountId: 1, amountFen: 1, dueDay: 1 }).lean() : [],
    ids.length ? UsageHistoryModel.find({ _id: { $in: ids } }, { months: { $slice: -1 } }).lean() : [],
  ]);
  const last = new Map(usage.map((h) => [String(h._id), h.months?.[0] ?? null]));
  const today = shanghaiDay(now);
  const weekEnd = addDays(today, 7);
  const unpaid = new Map<string, { count: number; nextDue: string | null; dueWeekFen: number; dueWeekBills: number }>();
  for (const b of bills) {
    const k = String(b.accountId);
    const u = unpaid.get(k) ?? { count: 0, nextDue: null, dueWeekFen: 0, dueWeekBills: 0 };
    u.count++;
    if (!u.nextDue || b.dueDay < u.nextDue) u.nextDue = b.dueDay;
    if (b.dueDay >= today && b.dueDay <= weekEnd) {
      u.dueWeekFen += b.amountFen;
      u.dueWeekBills++;
    }
    unpaid.set(k, u);
  }
  const rows = accounts.map((a) => {
    const u = unpaid.get(String(a._id));
    const m = last.get(String(a._id));
    const facts = {
      paymentMode: a.paymentMode,
      supplyState: a.supplyState ?? 'normal',
      arrearsFen: a.arrearsFen ?? 0,
      balanceFen: a.balanceFen ?? 0,
      nextDueDay: u?.nextDue ?? null,
    };
    return {
      row: {
        accountId: String(a._id),
        number: a.number,
        siteName: siteNameOf(a),
        address: a.address,
        usageCategory: a.usageCategory as UsageCategory,
        paymentMode: a.paymentMode as 'postpaid' | 'prepaid',
        supplyState: (a.supplyState ?? 'normal') as SupplyState,
        atRisk: atRisk(facts, today),
        owedFen: owedFen(facts),
        balanceFen: a.paymentMode === 'prepaid' ? (a.balanceFen ?? 0) : null,
        unpaidBills: u?.count ?? 0,
        nextDueDay: u?.nextDue ?? null,
        lastPeriod: m?.period ?? null,
        lastKwh: m?.kwh ?? null,
        lastAmountFen: m?.amountFen ?? null,
      } satisfies PortfolioRow,
      dueWeekFen: u?.dueWeekFen ?? 0,
      dueWeekBills: u?.dueWeekBills ?? 0,
    };
  });
  const totals = {
    accounts: rows.length,
    arrearsFen: rows.reduce((s, r) => s + (r.row.owedFen ?? 0), 0),
    arrearsAccounts: rows.filter((r) => (r.row.owedFen ?? 0) > 0).length,
    dueThisWeekFen: rows.reduce((s, r) => s + r.dueWeekFen, 0),
    dueThisWeekBills: rows.reduce((s, r) => s + r.dueWeekBills, 0),
    dueThisWeekAccounts: rows.filter((r) => r.dueWeekBills > 0).length,
    atRisk: rows.filter((r) => r.row.atRisk).length,
    disconnected: rows.filter((r) => r.row.supplyState === 'disconnected').length,
  };
  return { enterpriseName: enterprise?.name ?? '', moneyVisible, today, rows: rows.map((r) => r.row), totals };
}

/** Money fields hidden from the power liaison. */
function shown(r: PortfolioRow, moneyVisible: boolean): PortfolioRow {
  return moneyVisible ? r : { ...r, owedFen: null, balanceFen: null, unpaidBills: null, nextDueDay: null, lastAmountFen: null };
}

function publicTotals(t: Awaited<ReturnType<typeof loadPortfolio>>['totals'], moneyVisible: boolean) {
  return moneyVisible
    ? t
    : { ...t, arrearsFen: null, dueThisWeekFen: null, dueThisWeekBills: null, dueThisWeekAccounts: null, arrearsAccounts: null };
}

export async function portfolioList(user: AccessClaims, f: PortfolioFilter, now = new Date()) {
  const p = await loadPortfolio(user, now);
  let rows = p.rows;
  if (f.supplyState) rows = rows.filter((r) => r.supplyState === f.supplyState);
  if (f.usageCategory) rows = rows.filter((r) => r.usageCategory === f.usageCategory);
  if (p.moneyVisible && f.hasArrears != null) rows = rows.filter((r) => (r.owedFen ?? 0) > 0 === f.hasArrears);
  if (p.moneyVisible && f.dueWithinDays != null) {
    const until = addDays(p.today, f.dueWithinDays);
    rows = rows.filter((r) => r.nextDueDay != null && r.nextDueDay <= until);
  }
  if (f.search?.trim()) {
    const re = literalRegex(f.search.trim());
    rows = rows.filter((r) => re.test(r.number) || re.test(r.siteName) || re.test(r.address));
  }
  const sort = !p.moneyVisible && (f.sort === 'arrears' || f.sort === 'nextDue' || f.sort === 'lastAmount') ? 'number' : (f.sort ?? 'number');
  const sorted = sortRows(
    rows.map((r) => ({ ...r, owedFen: r.owedFen ?? 0 })),
    sort,
    f.dir ?? 'asc',
  );
  const pageSize = Math.min(f.pageSize ?? 20, 100);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const page = Math.min(Math.max(1, f.page ?? 1), pages);
  return {
    enterpriseName: p.enterpriseName,
    moneyVisible: p.moneyVisible,
    totals: publicTotals(p.totals, p.moneyVisible),
    total: sorted.length,
    page,
    pageSize,
    rows: sorted.slice((page - 1) * pageSize, page * pageSize).map((r) => shown(r, p.moneyVisible)),
    /** Every matching account id (select-all within the filter, e.g. for 合并缴费). */
    matchingIds: sorted.map((r) => r.accountId),
  };
}

/** The enterprise overview (概览): totals and the sites that need attention first. */
export async function portfolioOverview(user: AccessClaims, now = new Date()) {
  const p = await loadPortfolio(user, now);
  const attention = p.moneyVisible
    ? sortRows(
        p.rows.filter((r) => r.atRisk || r.supplyState === 'disconnected' || (r.owedFen ?? 0) > 0).map((r) => ({ ...r, owedFen: r.owedFen ?? 0 })),
        'nextDue',
        'asc',
      ).slice(0, 5)
    : p.rows.filter((r) => r.supplyState !== 'normal').slice(0, 5);
  return {
    enterpriseName: p.enterpriseName,
    moneyVisible: p.moneyVisible,
    totals: publicTotals(p.totals, p.moneyVisible),
    attention: attention.map((r) => shown(r, p.moneyVisible)),
  };
}
