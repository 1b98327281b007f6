/**
 * What an account card says, pure (no Taro imports: unit-tested under vitest). One honest line for the
 * state of each account — arrears and their due date, or the prepaid balance and the days it lasts —
 * last month's usage and the progress through the annual residential tiers. Money is integer fen.
 */
import { t } from '@/i18n';
import { daysLeftKind, formatKwh, formatPeriod, shanghaiDay } from './billing';
import { formatFen } from './format';

export interface LineAccount {
  number: string;
  holderNameMasked: string;
  relation: 'self' | 'family' | 'tenant' | 'enterprise';
  level?: 'follow' | 'holder';
  usageCategory: 'residential' | 'commercial' | 'industrial';
  paymentMode: 'postpaid' | 'prepaid';
  supplyState: 'normal' | 'arrears' | 'disconnected';
  balanceFen: number;
  arrearsFen: number;
}

/** What the home page fetched besides the account summary (each part may be missing: the line still stands). */
export interface AccountFacts {
  /** The oldest open bill (postpaid): when it falls due. */
  oldestOpen?: { dueDay: string } | null;
  /** billing.prepaid (prepaid). */
  prepaid?: { balanceFen: number; estimatedDaysLeft: number | null } | null;
  /** billing.usage: monthly kWh, any order. */
  usage?: { period: string; kwh: number }[] | null;
}

export type LineTone = 'ok' | 'warn' | 'danger';
export type LineAction = 'pay' | 'recharge' | 'bills';

/** '2026-12-20' → '12月20日' within the current year, else '2025年12月20日'. */
export function formatDueDay(day: string, now = new Date()): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  const md = `${Number(m[2])}月${Number(m[3])}日`;
  return m[1] === shanghaiDay(now).slice(0, 4) ? md : `${m[1]}年${md}`;
}

/** The account's state in one line, its tone, and what the card's button should offer. */
export function accountLine(a: LineAccount, facts: AccountFacts = {}, now = new Date()): { tone: LineTone; text: string; action: LineAction } {
  const L = t.home.line;
  if (a.paymentMode === 'prepaid') {
    const balance = facts.prepaid?.balanceFen ?? a.balanceFen;
    if (balance < 0 || a.supplyState === 'disconnected') {
      const owed = formatFen(Math.max(0, -balance));
      return { tone: 'danger', text: a.supplyState === 'disconnected' ? L.prepaidDisconnected(owed) : L.prepaidNegative(owed), action: 'recharge' };
    }
    const days = facts.prepaid?.estimatedDaysLeft ?? null;
    const kind = daysLeftKind(days, balance);
    if (kind === 'unknown') return { tone: 'ok', text: L.prepaidUnknown(formatFen(balance)), action: 'recharge' };
    if (kind === 'low') return { tone: 'warn', text: L.prepaidLow(formatFen(balance), days!), action: 'recharge' };
    return { tone: 'ok', text: L.prepaidLeft(formatFen(balance), days!), action: 'recharge' };
  }
  const owes = a.arrearsFen > 0 || a.supplyState !== 'normal';
  if (!owes) return { tone: 'ok', text: L.settled, action: 'bills' };
  const amount = formatFen(Math.max(0, a.arrearsFen));
  if (a.supplyState === 'disconnected') return { tone: 'danger', text: L.disconnected(amount), action: 'pay' };
  const due = facts.oldestOpen?.dueDay;
  if (!due) return { tone: 'warn', text: L.owesNoDue(amount), action: 'pay' };
  if (due < shanghaiDay(now)) return { tone: 'danger', text: L.owesOverdue(amount, formatDueDay(due, now)), action: 'pay' };
  return { tone: 'warn', text: L.owes(amount, formatDueDay(due, now)), action: 'pay' };
}

const sorted = (series: { period: string; kwh: number }[]) => [...series].sort((x, y) => (x.period < y.period ? -1 : x.period > y.period ? 1 : 0));

/** The latest month of the usage series: '312 kWh（2026年11月）'. */
export function lastMonthUsage(series: { period: string; kwh: number }[] | null | undefined): string | null {
  const last = series?.length ? sorted(series)[series.length - 1]! : null;
  return last ? t.home.lastMonthValue(formatPeriod(last.period), formatKwh(last.kwh)) : null;
}

/**
 * The residential tiered tariff's annual thresholds (kWh per calendar year): mirrors the API's
 * RES-TIER-HN (api/src/modules/billing/tariff.rules.ts, the published provincial table of SPEC §2).
 * Commercial and industrial tariffs have no tiers.
 */
export const RESIDENTIAL_TIERS_KWH = [2520, 4800] as const;

export interface TierProgress {
  year: number;
  ytdKwh: number;
  /** 0, 1 or 2: the tier the year has reached. */
  tier: 0 | 1 | 2;
  /** kWh left in the current tier (null in the open third tier). */
  leftKwh: number | null;
  /** Bar fill, 0–100, over the first two tiers; `markPct` where the first ends. */
  fillPct: number;
  markPct: number;
  /** '已用 2,034 kWh · 第一档剩余 486 kWh', and its two halves. */
  text: string;
  usedText: string;
  leftText: string;
}

/** Progress through this year's tiers from the usage series (the tier year of its latest month). */
export function tierProgress(
  series: { period: string; kwh: number }[] | null | undefined,
  usageCategory: LineAccount['usageCategory'],
): TierProgress | null {
  if (usageCategory !== 'residential' || !series?.length) return null;
  const rows = sorted(series);
  const year = Number(rows[rows.length - 1]!.period.slice(0, 4));
  const ytdKwh = rows.filter((r) => r.period.startsWith(`${year}-`)).reduce((s, r) => s + Math.max(0, r.kwh), 0);
  const [t1, t2] = RESIDENTIAL_TIERS_KWH;
  const tier: 0 | 1 | 2 = ytdKwh <= t1 ? 0 : ytdKwh <= t2 ? 1 : 2;
  const leftKwh = tier === 0 ? t1 - ytdKwh : tier === 1 ? t2 - ytdKwh : null;
  const usedText = t.home.tierUsed(formatKwh(ytdKwh));
  const leftText = leftKwh === null ? t.home.tierTop : t.home.tierLeft(t.home.tierNames[tier]!, formatKwh(leftKwh));
  return {
    year,
    ytdKwh,
    tier,
    leftKwh,
    fillPct: Math.min(100, Math.round((ytdKwh / t2) * 1000) / 10),
    markPct: Math.round((t1 / t2) * 1000) / 10,
    text: `${usedText} · ${leftText}`,
    usedText,
    leftText,
  };
}

/**
 * The customer's own name for the greeting: the (masked) holder name of the account they bound as 本人,
 * else a name they gave (not the placeholder a new WeChat or SMS user gets), else none.
 */
export function customerName(
  me: { displayName?: string | null } | null,
  accounts: Pick<LineAccount, 'relation' | 'holderNameMasked'>[],
): string | null {
  const own = accounts.find((a) => a.relation === 'self');
  if (own?.holderNameMasked) return own.holderNameMasked;
  const name = me?.displayName?.trim();
  if (!name || name === '微信用户' || /^用户\d{4}$/.test(name)) return null;
  return name;
}

/** The reads behind the facts (billing.bills unpaid, billing.prepaid, billing.usage), injected for tests. */
export interface FactsApi {
  unpaidBills(accountId: string): Promise<{ period: string; dueDay: string }[]>;
  prepaid(accountId: string): Promise<{ balanceFen: number; estimatedDaysLeft: number | null }>;
  usage(accountId: string): Promise<{ period: string; kwh: number }[]>;
}

/**
 * Fetches what one card needs besides the summary: the oldest open bill's due day (only when something is
 * owed), the prepaid balance and days left, 12 months of usage. A read that fails leaves its part out.
 */
export async function loadAccountFacts(a: LineAccount & { id: string }, api: FactsApi): Promise<AccountFacts> {
  const owes = a.paymentMode === 'postpaid' && (a.arrearsFen > 0 || a.supplyState !== 'normal');
  const [bills, prepaid, usage] = await Promise.all([
    owes ? api.unpaidBills(a.id).catch(() => null) : Promise.resolve(null),
    a.paymentMode === 'prepaid' ? api.prepaid(a.id).catch(() => null) : Promise.resolve(null),
    api.usage(a.id).catch(() => null),
  ]);
  const oldest = bills?.length ? [...bills].sort((x, y) => (x.period < y.period ? -1 : 1))[0]! : null;
  return {
    oldestOpen: oldest && oldest.dueDay ? { dueDay: oldest.dueDay } : null,
    prepaid: prepaid ? { balanceFen: prepaid.balanceFen, estimatedDaysLeft: prepaid.estimatedDaysLeft } : null,
    usage,
  };
}
