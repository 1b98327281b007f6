/**
 * Pure rules of the enterprise statement (对账单): months, the account ledger of one calendar month,
 * tariff components allocated to whole fen, and the CSV encoding. No I/O; money in integer fen only.
 *
 * The ledger of an account for statement month M (a calendar month, Asia/Shanghai):
 * - a bill of period P is charged in the month after P (it is read and issued on the 1st of P+1), or in
 *   the month it was paid if that is earlier (never happens with live billing; keeps the identity exact);
 * - opening balance (期初欠费) = bills charged before M and not paid before M starts;
 * - charges (本期电费) = bills charged in M, split by tariff component, plus the late fees (违约金) paid in M
 *   (a late fee is fixed when the bill is paid; the fee still accruing on an open bill is not a balance);
 * - payments (本期缴费) = bills paid in M, bill amount plus its late fee, whichever payment paid them
 *   (single-bill or 合并缴费: the bill records the payment that settled it);
 * - closing balance (期末欠费) = opening + charges − payments = bills charged up to M still open at its end.
 */
import { fenToYuan } from '../billing/documents.rules';
import type { ChargeBand } from '../billing/tariff.rules';

export const COMPONENTS = ['tier1', 'tier2', 'tier3', 'peak', 'flat', 'valley', 'single'] as const satisfies readonly ChargeBand[];
export type Component = (typeof COMPONENTS)[number];

/** "2026-11" → "2026-12". */
export function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function prevPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` inclusive (empty when from > to). */
export function periodsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let p = from; p <= to && out.length < 1000; p = nextPeriod(p)) out.push(p);
  return out;
}

/** The first instant of a month in Asia/Shanghai. */
export const monthStart = (period: string) => new Date(`${period}-01T00:00:00+08:00`);

/** The calendar month (YYYY-MM, Asia/Shanghai) of an instant. */
export const periodOf = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);

/** "2026-11" → "2026年11月". */
export function periodLabel(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `${m[1]}年${Number(m[2])}月` : period;
}

/** One charge component of a bill before rounding (milli-fen, as tariff.rules computes it). */
export interface RawLine {
  band: Component;
  kwh: number;
  amountMilliFen: number;
}

/**
 * The bill's components in whole fen that add up to the bill's amount exactly: each line is floored and
 * the fen left over (the bill is rounded once, from the exact sum) go to the lines with the largest
 * remainders (largest-remainder method; ties to the earlier line). So Σ components = amountFen always.
 */
export function allocateFen(lines: RawLine[], amountFen: number): { band: Component; kwh: number; fen: number }[] {
  const floors = lines.map((l) => Math.floor(l.amountMilliFen / 1000));
  let left = amountFen - floors.reduce((s, f) => s + f, 0);
  const order = lines.map((l, i) => ({ i, rem: l.amountMilliFen % 1000 })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  const out = lines.map((l, i) => ({ band: l.band, kwh: l.kwh, fen: floors[i]! }));
  for (let k = 0; left !== 0 && out.length > 0; k++) {
    const target = out[order[k % order.length]!.i]!;
    target.fen += left > 0 ? 1 : -1;
    left += left > 0 ? -1 : 1;
  }
  return out;
}

/** A bill as the ledger needs it (live bills and the imported, settled history alike). */
export interface LedgerBill {
  accountId: string;
  period: string;
  kwh: number;
  amountFen: number;
  lateFeePaidFen: number;
  paidAt: Date | null;
  paymentId: string | null;
  components: { band: Component; kwh: number; fen: number }[];
}

export type ComponentTotals = Record<Component, { kwh: number; fen: number }>;
export const emptyComponents = (): ComponentTotals =>
  Object.fromEntries(COMPONENTS.map((c) => [c, { kwh: 0, fen: 0 }])) as unknown as ComponentTotals;

export interface LedgerFigures {
  openingFen: number;
  /** Bills charged this month (Σ components). */
  chargesFen: number;
  kwh: number;
  components: ComponentTotals;
  lateFeeFen: number;
  paymentsFen: number;
  closingFen: number;
  /** The periods of the bills charged this month. */
  chargedPeriods: string[];
  paymentIds: string[];
}

/** The month a bill is charged in (see the header). */
export function chargeMonthOf(b: Pick<LedgerBill, 'period' | 'paidAt'>): string {
  const nominal = nextPeriod(b.period);
  if (b.paidAt) {
    const paid = periodOf(b.paidAt);
    if (paid < nominal) return paid;
  }
  return nominal;
}

/** One account's ledger for statement month `month` from its bills (any periods; the rule picks). */
export function accountLedger(bills: LedgerBill[], month: string): LedgerFigures {
  const start = monthStart(month).getTime();
  const end = monthStart(nextPeriod(month)).getTime();
  const f: LedgerFigures = {
    openingFen: 0,
    chargesFen: 0,
    kwh: 0,
    components: emptyComponents(),
    lateFeeFen: 0,
    paymentsFen: 0,
    closingFen: 0,
    chargedPeriods: [],
    paymentIds: [],
  };
  const payments = new Set<string>();
  for (const b of bills) {
    const cm = chargeMonthOf(b);
    const paid = b.paidAt ? b.paidAt.getTime() : null;
    if (cm < month && (paid === null || paid >= start)) f.openingFen += b.amountFen;
    if (cm === month) {
      f.chargesFen += b.amountFen;
      f.kwh += b.kwh;
      f.chargedPeriods.push(b.period);
      for (const c of b.components) {
        f.components[c.band].kwh += c.kwh;
        f.components[c.band].fen += c.fen;
      }
    }
    if (paid !== null && paid >= start && paid < end) {
      f.lateFeeFen += b.lateFeePaidFen;
      f.paymentsFen += b.amountFen + b.lateFeePaidFen;
      if (b.paymentId) payments.add(b.paymentId);
    }
  }
  f.closingFen = f.openingFen + f.chargesFen + f.lateFeeFen - f.paymentsFen;
  f.chargedPeriods.sort();
  f.paymentIds = [...payments];
  return f;
}

/** Adds `b` into `a` (totals of several accounts). */
export function addFigures(a: LedgerFigures, b: LedgerFigures): LedgerFigures {
  const components = emptyComponents();
  for (const c of COMPONENTS) components[c] = { kwh: a.components[c].kwh + b.components[c].kwh, fen: a.components[c].fen + b.components[c].fen };
  return {
    openingFen: a.openingFen + b.openingFen,
    chargesFen: a.chargesFen + b.chargesFen,
    kwh: a.kwh + b.kwh,
    components,
    lateFeeFen: a.lateFeeFen + b.lateFeeFen,
    paymentsFen: a.paymentsFen + b.paymentsFen,
    closingFen: a.closingFen + b.closingFen,
    chargedPeriods: [...new Set([...a.chargedPeriods, ...b.chargedPeriods])].sort(),
    paymentIds: [...new Set([...a.paymentIds, ...b.paymentIds])],
  };
}

export const zeroFigures = (): LedgerFigures => accountLedger([], '2000-01');

// ---------------------------------------------------------------------------------------------
// Statement lines: one set of cells for the PDF and the CSV

export interface StatementLine {
  accountNumber: string;
  siteName: string;
  figures: LedgerFigures;
}

/** Amount in yuan with two decimals from integer fen, no grouping (for CSV and spreadsheets). */
export function fenToPlainYuan(fen: number): string {
  return fenToYuan(fen).replace(/,/g, '');
}

/** The columns every statement line has, in the PDF and the CSV alike. */
export const LINE_HEADERS = [
  '户号',
  '用电地址',
  '电量（kWh）',
  '期初欠费（元）',
  '本期电费（元）',
  '违约金（元）',
  '本期缴费（元）',
  '期末欠费（元）',
];

export function lineCells(l: { accountNumber: string; siteName: string; figures: LedgerFigures }): string[] {
  const f = l.figures;
  return [
    l.accountNumber,
    l.siteName,
    String(f.kwh),
    fenToPlainYuan(f.openingFen),
    fenToPlainYuan(f.chargesFen),
    fenToPlainYuan(f.lateFeeFen),
    fenToPlainYuan(f.paymentsFen),
    fenToPlainYuan(f.closingFen),
  ];
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180) for Excel: UTF-8 with a byte-order mark, CRLF line ends, every field that needs it quoted

export const BOM = '\uFEFF';

/** Quotes a field when it holds a comma, quote, line break or leading/trailing space; doubles quotes. */
export function csvField(v: string | number): string {
  let s = String(v);
  // A field Excel would run as a formula (=, +, -, @ first) is prefixed with a quote mark (CSV injection).
  if (/^[=+@\t\r]/.test(s) || (/^-/.test(s) && !/^-\d+(\.\d+)?$/.test(s))) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: (string | number)[][]): string {
  return BOM + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Parses CSV produced by toCsv (tests, and anyone checking a download). */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Component columns of the statement CSV: kWh and yuan of each tariff component. */
export function componentHeaders(labels: Record<Component, string>): string[] {
  return COMPONENTS.flatMap((c) => [`${labels[c]}电量（kWh）`, `${labels[c]}电费（元）`]);
}

export function componentCells(f: LedgerFigures): string[] {
  return COMPONENTS.flatMap((c) => [String(f.components[c].kwh), fenToPlainYuan(f.components[c].fen)]);
}

/** Statement months a caller may pick: the last 24 complete months and the current one. */
export function statementMonths(now: Date, count = 24): string[] {
  const out: string[] = [];
  let p = periodOf(now);
  for (let i = 0; i <= count; i++) {
    out.push(p);
    p = prevPeriod(p);
  }
  return out;
}
