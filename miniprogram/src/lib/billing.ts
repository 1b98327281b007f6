/** Pure bill/payment helpers (no Taro imports: unit-tested under vitest). Money is integer fen. */

export type BillStatus = 'unpaid' | 'overdue' | 'paid';

export interface BillLike {
  id: string;
  period: string;
  /** null when unknown (billing.payFor does not return it). */
  kwh: number | null;
  amountFen: number;
  lateFeeFen: number;
  totalDueFen: number;
  dueDay: string;
  status: BillStatus;
  paying?: boolean;
}

/** '2026-11' → '2026年11月'. */
export function formatPeriod(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `${m[1]}年${Number(m[2])}月` : period;
}

/** '2026-11' → '26/11' (chart axis). */
export function shortPeriod(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `${m[1]!.slice(2)}/${m[2]}` : period;
}

/** '2026-12-20' → '2026-12-20'; '' → '—'. */
export function formatDay(day: string | null | undefined): string {
  return day ? day.slice(0, 10) : '—';
}

/** 1234 → '1,234 kWh'. */
export function formatKwh(kwh: number): string {
  const n = Math.max(0, Math.round(kwh));
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} kWh`;
}

/** Shanghai calendar day of a time: '2026-12-01'. */
export function shanghaiDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Status of an open bill from its late fee and due day (billing.payFor gives no status). */
export function openBillStatus(b: { lateFeeFen: number; dueDay: string }, now = new Date()): 'unpaid' | 'overdue' {
  return b.lateFeeFen > 0 || (!!b.dueDay && b.dueDay < shanghaiDay(now)) ? 'overdue' : 'unpaid';
}

export const isPayable = (b: Pick<BillLike, 'status'>) => b.status === 'unpaid' || b.status === 'overdue';

/** What the selected bills cost today (bill + late fee to date). */
export function selectedTotalFen(bills: BillLike[], selected: ReadonlySet<string>): number {
  return bills.filter((b) => selected.has(b.id) && isPayable(b)).reduce((s, b) => s + b.totalDueFen, 0);
}

/** The selected payable bills, oldest first: the order they are paid in. */
export function payOrder<T extends BillLike>(bills: T[], selected: ReadonlySet<string>): T[] {
  return bills.filter((b) => selected.has(b.id) && isPayable(b)).sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Recharge amount (prepaid)

export const RECHARGE_PRESETS_YUAN = [50, 100, 200, 500] as const;
export const RECHARGE_MIN_FEN = 100;
export const RECHARGE_MAX_FEN = 5_000_000;

export type AmountError = 'empty' | 'format' | 'min' | 'max';

/**
 * Parses a yuan amount typed by the payer ("50", "50.5", "50.05") into integer fen without floating
 * point. Returns the fen or an error key (limits: 1–50,000 元, at most two decimals).
 */
export function parseYuanToFen(input: string): { fen: number; error: null } | { fen: null; error: AmountError } {
  const v = input.trim().replace(/^¥/, '');
  if (!v) return { fen: null, error: 'empty' };
  const m = /^(\d{1,6})(?:\.(\d{0,2}))?$/.exec(v);
  if (!m) return { fen: null, error: 'format' };
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
  if (fen < RECHARGE_MIN_FEN) return { fen: null, error: 'min' };
  if (fen > RECHARGE_MAX_FEN) return { fen: null, error: 'max' };
  return { fen, error: null };
}

/** Keeps digits and at most one dot with two decimals while typing. */
export function normalizeAmountInput(input: string): string {
  let s = input.replace(/[^\d.]/g, '');
  const dot = s.indexOf('.');
  if (dot >= 0)
    s = `${s.slice(0, dot + 1)}${s
      .slice(dot + 1)
      .replace(/\./g, '')
      .slice(0, 2)}`;
  return s.replace(/^0+(?=\d)/, '').slice(0, 9);
}

/** Days of balance left, as a phrase: null → unknown. */
export function daysLeftKind(days: number | null, balanceFen: number): 'negative' | 'unknown' | 'low' | 'ok' {
  if (balanceFen < 0) return 'negative';
  if (days == null) return 'unknown';
  return days <= 7 ? 'low' : 'ok';
}

// ---------------------------------------------------------------------------------------------
// Usage chart

export interface UsagePoint {
  period: string;
  kwh: number;
  amountFen: number;
}

/** Chart rows (oldest first, at most `months`), with a short axis label and a flag for the last month. */
export function chartRows(series: UsagePoint[], months = 24): { label: string; period: string; kwh: number; latest: boolean }[] {
  const rows = [...series].sort((a, b) => (a.period < b.period ? -1 : 1)).slice(-months);
  return rows.map((r, i) => ({ label: shortPeriod(r.period), period: r.period, kwh: Math.max(0, r.kwh), latest: i === rows.length - 1 }));
}

/** Sum and monthly average of the last 12 months (the chart's caption). */
export function usageSummary(series: UsagePoint[]): { last12Kwh: number; avgKwh: number; last12Fen: number } {
  const last = [...series].sort((a, b) => (a.period < b.period ? -1 : 1)).slice(-12);
  const kwh = last.reduce((s, r) => s + r.kwh, 0);
  return { last12Kwh: kwh, avgKwh: last.length ? Math.round(kwh / last.length) : 0, last12Fen: last.reduce((s, r) => s + r.amountFen, 0) };
}

// ---------------------------------------------------------------------------------------------
// Payment flow: createPayment → platform requestPayment → poll paymentStatus until paid

export type PayStatus = 'created' | 'paying' | 'paid' | 'closed' | 'refunded';

export interface PayFlowDeps<P> {
  /** billing.createPayment (channel jsapi). */
  create: () => Promise<{ paymentId: string; outTradeNo: string; jsapiParams: P | null }>;
  /** platform.requestPayment; rejects when the payer cancels. */
  pay: (params: P, ctx: { paymentId: string; outTradeNo: string }) => Promise<void>;
  /** billing.paymentStatus. */
  status: (paymentId: string) => Promise<{ status: PayStatus }>;
  sleep?: (ms: number) => Promise<void>;
  /** Poll interval and the give-up time (the server's notification usually lands within a second or two). */
  intervalMs?: number;
  timeoutMs?: number;
  onStage?: (stage: 'creating' | 'paying' | 'confirming') => void;
}

export class PayFlowError extends Error {
  constructor(
    readonly kind: 'no-params' | 'closed' | 'refunded' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'PayFlowError';
  }
}

/**
 * Runs one payment. The platform's success proves nothing: only `paid` from the server counts.
 * Resolves with the payment id once paid; rejects on cancel (the platform's error), a closed payment,
 * or a timeout (the payment may still settle later: the caller says so).
 */
export async function runPayment<P>(deps: PayFlowDeps<P>): Promise<{ paymentId: string; outTradeNo: string }> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const interval = deps.intervalMs ?? 1000;
  const timeout = deps.timeoutMs ?? 30_000;
  deps.onStage?.('creating');
  const created = await deps.create();
  if (!created.jsapiParams) throw new PayFlowError('no-params', 'no jsapi params');
  deps.onStage?.('paying');
  await deps.pay(created.jsapiParams, { paymentId: created.paymentId, outTradeNo: created.outTradeNo });
  deps.onStage?.('confirming');
  for (let waited = 0; ; waited += interval) {
    const s = await deps.status(created.paymentId).catch(() => null);
    if (s?.status === 'paid') return { paymentId: created.paymentId, outTradeNo: created.outTradeNo };
    // A bill someone else paid meanwhile: the server refunds this payment automatically.
    if (s?.status === 'refunded') throw new PayFlowError('refunded', 'payment refunded');
    if (s?.status === 'closed') throw new PayFlowError('closed', 'payment closed');
    if (waited >= timeout) throw new PayFlowError('timeout', 'payment not confirmed yet');
    await sleep(interval);
  }
}

// ---------------------------------------------------------------------------------------------
// E-invoice title (发票抬头)

export type InvoiceTitleInput = { type: 'personal'; name: string } | { type: 'company'; name: string; taxId: string };
export type InvoiceTitleError = 'personalName' | 'companyName' | 'taxId';

/** 统一社会信用代码 characters (GB 32100: digits and capitals without I, O, S, V, Z); the server checks the check character. */
const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The title to send, trimmed and normalised, or what is wrong with it (same limits as the API). */
export function invoiceTitleOf(type: 'personal' | 'company', name: string, taxId: string): InvoiceTitleInput | InvoiceTitleError {
  const n = name.trim();
  if (type === 'personal') return n.length >= 2 && n.length <= 50 ? { type, name: n } : 'personalName';
  if (n.length < 4 || n.length > 100) return 'companyName';
  const id = taxId.replace(/\s/g, '').toUpperCase();
  return USCC.test(id) ? { type, name: n, taxId: id } : 'taxId';
}

// ---------------------------------------------------------------------------------------------
// Prepaid balance alerts: two of 200/120/100/50/30/10 元 (the API's THRESHOLD_CHOICES_YUAN, prepaid.rules.ts)

export const THRESHOLD_CHOICES_YUAN = [200, 120, 100, 50, 30, 10] as const;

/** Ticking a choice keeps the two most recent ticks; ticking one again unticks it. */
export function toggleThreshold(picked: readonly number[], yuan: number): number[] {
  if (picked.includes(yuan)) return picked.filter((y) => y !== yuan);
  return [...picked, yuan].slice(-2);
}

/** The pair to send (higher first), or null while not exactly two are picked. */
export function thresholdPair(picked: readonly number[]): [number, number] | null {
  const u = [...new Set(picked)].sort((a, b) => b - a);
  return u.length === 2 ? [u[0]!, u[1]!] : null;
}

/** When a payment was made: '12-02 06:37' this year, '2025-12-18' before (Asia/Shanghai). */
export function formatPaidAt(iso: string, now = new Date()): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms + 8 * 3600_000).toISOString();
  return d.slice(0, 4) === shanghaiDay(now).slice(0, 4) ? `${d.slice(5, 10)} ${d.slice(11, 16)}` : d.slice(0, 10);
}
