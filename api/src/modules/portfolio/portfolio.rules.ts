/**
 * Enterprise portfolio (户号总览) rules, pure: the site name shown for an account, the risk and due
 * facts of one row, the filters and the sort applied to the rows.
 */
import { shanghaiDay } from '../billing/tariff.rules';

/** "长沙市岳麓区麓山路12号3栋2单元1101室" → "岳麓区麓山路12号": the address's short form, for sites without a name. */
export function shortAddress(address: string | null | undefined): string {
  if (!address) return '';
  const noCity = address.replace(/^[^市]{1,6}市/, '');
  const m = /^(.+?号)/.exec(noCity);
  return m ? m[1] : noCity.slice(0, 16);
}

export const siteNameOf = (a: { siteName?: string | null; address?: string | null }) => a.siteName?.trim() || shortAddress(a.address);

/** Shanghai day `days` after `day` (YYYY-MM-DD). */
export function addDays(day: string, days: number): string {
  return shanghaiDay(new Date(Date.parse(`${day}T12:00:00+08:00`) + days * 86_400_000));
}

export interface PortfolioRowFacts {
  paymentMode: string;
  supplyState: string;
  arrearsFen: number;
  balanceFen: number;
  /** Earliest due day among the unpaid bills (null: none). */
  nextDueDay: string | null;
}

/**
 * At risk of disconnection (停电风险): still supplied, but a bill is past due (postpaid, 欠费停电 follows
 * overdue arrears) or the prepaid balance is below zero (disconnected the next day).
 */
export function atRisk(r: PortfolioRowFacts, today: string): boolean {
  if (r.supplyState === 'disconnected') return false;
  if (r.paymentMode === 'prepaid') return r.balanceFen < 0;
  return r.supplyState === 'arrears' || (r.nextDueDay != null && r.nextDueDay < today);
}

/** What the account owes: postpaid arrears, or a prepaid balance below zero. */
export const owedFen = (r: Pick<PortfolioRowFacts, 'paymentMode' | 'arrearsFen' | 'balanceFen'>) =>
  r.paymentMode === 'prepaid' ? Math.max(0, -r.balanceFen) : Math.max(0, r.arrearsFen);

export const PORTFOLIO_SORTS = ['number', 'siteName', 'arrears', 'nextDue', 'lastKwh', 'lastAmount'] as const;
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number];

export interface SortableRow {
  number: string;
  siteName: string;
  owedFen: number;
  nextDueDay: string | null;
  lastKwh: number | null;
  lastAmountFen: number | null;
}

/** Sorts rows in place; nulls last in either direction, ties by account number. */
export function sortRows<T extends SortableRow>(rows: T[], by: PortfolioSort, dir: 'asc' | 'desc'): T[] {
  const key = (r: T): string | number | null =>
    by === 'number'
      ? r.number
      : by === 'siteName'
        ? r.siteName
        : by === 'arrears'
          ? r.owedFen
          : by === 'nextDue'
            ? r.nextDueDay
            : by === 'lastKwh'
              ? r.lastKwh
              : r.lastAmountFen;
  const sign = dir === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka == null) return 1;
      if (kb == null) return -1;
      if (typeof ka === 'string' && typeof kb === 'string') return sign * ka.localeCompare(kb, 'zh-CN');
      return sign * ((ka as number) - (kb as number));
    }
    return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  });
}

/** A search term as a safe, literal regular expression (no operators from the user). */
export function literalRegex(term: string): RegExp {
  return new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}
