/**
 * Enterprise statements (对账单) and the bills of a period, on screen, as PDF and as CSV.
 *
 * Scope: every postpaid account of the caller's enterprise within their site scope, for the 'bills' need
 * (admin and finance; the power liaison is refused). Three queries per statement whatever the number of
 * accounts (accounts, bills, usage history), no per-account round-trips. Downloads go through 5-minute
 * signed links (http/file-links), checked again for the token's user when served.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { readFileToken, refuseFile, signFileLink } from '../../http/file-links';
import type { AppServices } from '../../http/types';
import { DomainError } from '../../lib/errors';
import { BILL_STATUS_LABELS, TARIFF_BAND_LABELS } from '../../shared/labels';
import { accountAccessFilter, isEnterpriseUser } from '../accounts/account.access';
import { AccountModel, EnterpriseModel } from '../accounts/account.model';
import type { AccessClaims, KeyRing } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { BillModel, PaymentModel, UsageHistoryModel } from '../billing/billing.model';
import { DocumentError, loadCjkFont } from '../billing/documents.pdf';
import { attachmentDisposition, shanghaiDateTime } from '../billing/documents.rules';
import { computeCharge, type ChargeLine } from '../billing/tariff.rules';
import { ensureSettingVersions, tariffOf } from '../settings/settings.service';
import { renderStatementPdf } from './statement.pdf';
import {
  accountLedger,
  addFigures,
  allocateFen,
  chargeMonthOf,
  componentCells,
  componentHeaders,
  fenToPlainYuan,
  LINE_HEADERS,
  lineCells,
  nextPeriod,
  periodLabel,
  periodOf,
  periodsBetween,
  statementMonths,
  toCsv,
  zeroFigures,
  type Component,
  type LedgerBill,
  type LedgerFigures,
  type RawLine,
  type StatementLine,
} from './statement.rules';

export const STATEMENT_LINK_TTL_SEC = 300;
const MAX_PERIOD_MONTHS = 24;

const refused = () => new DomainError('FORBIDDEN', '对账单仅企业管理员和财务可查看，您的角色无权查看');

/** The site's name as the enterprise calls it, else its address. */
export const siteNameOf = (a: { siteName?: string | null; address: string }) => a.siteName || a.address;

interface ScopeAccount {
  _id: Types.ObjectId;
  number: string;
  address: string;
  siteName?: string | null;
  tariffCode: string;
  paymentMode: string;
}

/** The caller's enterprise and the accounts of their scope for the bills need (admin, finance). */
export async function statementScope(user: AccessClaims) {
  if (!isEnterpriseUser(user)) throw refused();
  const filter = await accountAccessFilter(user, 'bills');
  if (!filter) throw refused();
  const [enterprise, accounts] = await Promise.all([
    EnterpriseModel.findById(user.ent, { name: 1, creditCode: 1, invoiceTitle: 1 }).lean(),
    AccountModel.find(filter, { number: 1, address: 1, siteName: 1, tariffCode: 1, paymentMode: 1 }).sort({ number: 1 }).lean() as Promise<
      ScopeAccount[]
    >,
  ]);
  if (!enterprise) throw refused();
  return { enterprise, accounts };
}

/** Every bill of the accounts (live bills first, then the settled imported history), by account. */
async function ledgerBills(accounts: ScopeAccount[], componentsFor: (b: { period: string; paidAt: Date | null }) => boolean) {
  const ids = accounts.map((a) => a._id);
  const [bills, histories] = await Promise.all([
    BillModel.find(
      { accountId: { $in: ids } },
      {
        accountId: 1,
        period: 1,
        kwh: 1,
        amountFen: 1,
        lateFeePaidFen: 1,
        paidAt: 1,
        status: 1,
        paidByPaymentId: 1,
        tariffCode: 1,
        tariffVersion: 1,
        bands: 1,
        ytdKwhBefore: 1,
      },
    ).lean(),
    UsageHistoryModel.find({ _id: { $in: ids } }).lean(),
  ]);
  const tariffCode = new Map(accounts.map((a) => [String(a._id), a.tariffCode]));
  const wanted: { kind: 'tariffs'; version: number | null }[] = [];
  for (const b of bills) wanted.push({ kind: 'tariffs', version: b.tariffVersion ?? null });
  for (const h of histories) for (const m of h.months ?? []) wanted.push({ kind: 'tariffs', version: m.tariffVersion ?? null });
  const versions = [...new Set(wanted.map((w) => w.version))].map((version) => ({ kind: 'tariffs' as const, version }));
  await ensureSettingVersions(versions);

  const components = (
    code: string,
    version: number | null,
    s: { kwh: number; ytdKwhBefore?: number | null; bands?: { peak?: number | null; flat?: number | null; valley?: number | null } | null },
    amountFen: number,
  ) => {
    const tariff = tariffOf(code, version);
    const bands = s.bands && s.bands.peak != null ? { peak: s.bands.peak ?? 0, flat: s.bands.flat ?? 0, valley: s.bands.valley ?? 0 } : null;
    const charge =
      tariff.kind === 'tou' && bands ? computeCharge(tariff, { bands }) : computeCharge(tariff, { kwh: s.kwh, ytdKwh: s.ytdKwhBefore ?? 0 });
    return allocateFen(
      charge.lines.map((l: ChargeLine) => ({ band: l.band as Component, kwh: l.kwh, amountMilliFen: l.amountMilliFen }) satisfies RawLine),
      amountFen,
    );
  };

  const byAccount = new Map<string, LedgerBill[]>();
  const seen = new Set<string>();
  const push = (b: LedgerBill) => {
    const list = byAccount.get(b.accountId) ?? [];
    list.push(b);
    byAccount.set(b.accountId, list);
    seen.add(`${b.accountId}:${b.period}`);
  };
  for (const b of bills) {
    const accountId = String(b.accountId);
    const paidAt = b.status === 'paid' ? (b.paidAt ?? null) : null;
    push({
      accountId,
      period: b.period,
      kwh: b.kwh,
      amountFen: b.amountFen,
      lateFeePaidFen: paidAt ? (b.lateFeePaidFen ?? 0) : 0,
      paidAt,
      paymentId: b.paidByPaymentId ? String(b.paidByPaymentId) : null,
      components: componentsFor({ period: b.period, paidAt })
        ? components(b.tariffCode, b.tariffVersion ?? null, { kwh: b.kwh, ytdKwhBefore: b.ytdKwhBefore, bands: b.bands }, b.amountFen)
        : [],
    });
  }
  for (const h of histories) {
    const accountId = String(h._id);
    for (const m of h.months ?? []) {
      // Settled history only (open months have a bill document); the bill document wins where both exist.
      if (!m.period || !m.paidAt || seen.has(`${accountId}:${m.period}`)) continue;
      const amountFen = m.amountFen ?? 0;
      push({
        accountId,
        period: m.period,
        kwh: m.kwh ?? 0,
        amountFen,
        lateFeePaidFen: 0,
        paidAt: m.paidAt,
        paymentId: null,
        components: componentsFor({ period: m.period, paidAt: m.paidAt })
          ? components(
              tariffCode.get(accountId) ?? 'COM-FLAT',
              m.tariffVersion ?? null,
              { kwh: m.kwh ?? 0, ytdKwhBefore: m.ytdKwhBefore, bands: m.bands },
              amountFen,
            )
          : [],
      });
    }
  }
  return byAccount;
}

export interface StatementView {
  month: string;
  monthLabel: string;
  /** Window of the statement: the calendar month, Asia/Shanghai. */
  fromDay: string;
  toDay: string;
  enterpriseName: string;
  generatedAt: string;
  /** 账期 of the bills charged in the month (normally the month before). */
  chargedPeriods: string[];
  lines: (StatementLine & { accountId: string })[];
  totals: LedgerFigures;
  /** Smart-prepaid accounts in scope: not on the monthly statement (their balance is settled daily). */
  prepaidAccounts: number;
  payments: { id: string; outTradeNo: string; paidAt: string; accounts: number; amountFen: number; batch: boolean }[];
  /** Payments of the month with no online payment record (settled bills imported with the history). */
  otherPaymentsFen: number;
  current: boolean;
}

export function assertStatementMonth(month: string, now = new Date()) {
  if (!statementMonths(now).includes(month)) throw new DomainError('BAD_REQUEST', '只能查看最近24个月的对账单');
}

/** The statement of one calendar month for the caller's scope. */
export async function buildStatement(user: AccessClaims, month: string, now = new Date()): Promise<StatementView> {
  assertStatementMonth(month, now);
  const { enterprise, accounts } = await statementScope(user);
  const postpaid = accounts.filter((a) => a.paymentMode === 'postpaid');
  const byAccount = await ledgerBills(postpaid, (b) => chargeMonthOf(b) === month);
  let totals = zeroFigures();
  const lines = postpaid.map((a) => {
    const figures = accountLedger(byAccount.get(String(a._id)) ?? [], month);
    totals = addFigures(totals, figures);
    return { accountId: String(a._id), accountNumber: a.number, siteName: siteNameOf(a), figures };
  });
  // Payments of the month, from the bills they settled (a 合并缴费 covers several accounts).
  const start = new Date(`${month}-01T00:00:00+08:00`).getTime();
  const end = new Date(`${nextPeriod(month)}-01T00:00:00+08:00`).getTime();
  const perPayment = new Map<string, { accounts: Set<string>; fen: number }>();
  let otherPaymentsFen = 0;
  for (const list of byAccount.values())
    for (const b of list) {
      if (!b.paidAt || b.paidAt.getTime() < start || b.paidAt.getTime() >= end) continue;
      if (!b.paymentId) {
        otherPaymentsFen += b.amountFen + b.lateFeePaidFen;
        continue;
      }
      const p = perPayment.get(b.paymentId) ?? { accounts: new Set<string>(), fen: 0 };
      p.accounts.add(b.accountId);
      p.fen += b.amountFen + b.lateFeePaidFen;
      perPayment.set(b.paymentId, p);
    }
  const paymentDocs = perPayment.size
    ? await PaymentModel.find(
        { _id: { $in: [...perPayment.keys()].map((id) => new Types.ObjectId(id)) } },
        { outTradeNo: 1, paidAt: 1, purpose: 1 },
      ).lean()
    : [];
  const payments = paymentDocs
    .map((p) => ({
      id: String(p._id),
      outTradeNo: p.outTradeNo,
      paidAt: (p.paidAt ?? new Date(start)).toISOString(),
      accounts: perPayment.get(String(p._id))!.accounts.size,
      amountFen: perPayment.get(String(p._id))!.fen,
      batch: p.purpose === 'batch',
    }))
    .sort((a, b) => (a.paidAt < b.paidAt ? -1 : 1));
  for (const [id, p] of perPayment) if (!paymentDocs.some((d) => String(d._id) === id)) otherPaymentsFen += p.fen;
  const last = new Date(end - 86_400_000);
  return {
    month,
    monthLabel: periodLabel(month),
    fromDay: `${month}-01`,
    toDay: new Date(last.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
    enterpriseName: enterprise.name,
    generatedAt: now.toISOString(),
    chargedPeriods: totals.chargedPeriods,
    lines,
    totals,
    prepaidAccounts: accounts.length - postpaid.length,
    payments,
    otherPaymentsFen,
    current: month === periodOf(now),
  };
}

const COMPONENT_LABELS = TARIFF_BAND_LABELS as Record<Component, string>;

/** The statement CSV: the same line cells as the PDF, then the tariff components; a total row last. */
export function statementCsv(s: StatementView): string {
  const rows: (string | number)[][] = [
    [`${s.enterpriseName} 电费对账单`, s.monthLabel],
    ['统计期间', `${s.fromDay} 至 ${s.toDay}`],
    ['本期电费账期', s.chargedPeriods.map(periodLabel).join('、') || '无'],
    [],
    [...LINE_HEADERS, ...componentHeaders(COMPONENT_LABELS)],
    ...s.lines.map((l) => [...lineCells(l), ...componentCells(l.figures)]),
    [...lineCells({ accountNumber: '合计', siteName: `${s.lines.length}户`, figures: s.totals }), ...componentCells(s.totals)],
  ];
  return toCsv(rows);
}

export async function statementPdf(cfg: Config, s: StatementView): Promise<Buffer> {
  return renderStatementPdf(loadCjkFont(cfg.RECEIPT_FONT_PATH, cfg.RECEIPT_FONT_FAMILY), s, COMPONENT_LABELS);
}

// ---------------------------------------------------------------------------------------------
// Bills of a period (CSV)

export async function periodBillsCsv(user: AccessClaims, from: string, to: string, now = new Date()): Promise<{ csv: string; rows: number }> {
  if (from > to) throw new DomainError('BAD_REQUEST', '开始月份不能晚于结束月份');
  const periods = periodsBetween(from, to);
  if (periods.length > MAX_PERIOD_MONTHS) throw new DomainError('BAD_REQUEST', '一次最多导出24个月的账单');
  if (to > periodOf(now)) throw new DomainError('BAD_REQUEST', '结束月份不能晚于本月');
  const { enterprise, accounts } = await statementScope(user);
  const postpaid = accounts.filter((a) => a.paymentMode === 'postpaid');
  const inRange = new Set(periods);
  const byAccount = await ledgerBills(postpaid, (b) => inRange.has(b.period));
  const paymentIds = new Set<string>();
  for (const list of byAccount.values()) for (const b of list) if (inRange.has(b.period) && b.paymentId) paymentIds.add(b.paymentId);
  const tradeNo = new Map(
    (paymentIds.size
      ? await PaymentModel.find({ _id: { $in: [...paymentIds].map((id) => new Types.ObjectId(id)) } }, { outTradeNo: 1 }).lean()
      : []
    ).map((p) => [String(p._id), p.outTradeNo]),
  );
  const rows: (string | number)[][] = [
    [`${enterprise.name} 电费账单明细`, `${periodLabel(from)} 至 ${periodLabel(to)}`],
    [],
    [
      '户号',
      '用电地址',
      '账期',
      '电量（kWh）',
      '电费（元）',
      '违约金（元）',
      '状态',
      '缴费时间',
      '商户订单号',
      ...componentHeaders(COMPONENT_LABELS),
    ],
  ];
  let count = 0;
  for (const a of postpaid) {
    const list = (byAccount.get(String(a._id)) ?? []).filter((b) => inRange.has(b.period)).sort((x, y) => (x.period < y.period ? -1 : 1));
    for (const b of list) {
      const f = accountLedger([b], chargeMonthOf(b));
      rows.push([
        a.number,
        siteNameOf(a),
        b.period,
        b.kwh,
        fenToPlainYuan(b.amountFen),
        fenToPlainYuan(b.lateFeePaidFen),
        b.paidAt ? BILL_STATUS_LABELS.paid : BILL_STATUS_LABELS.unpaid,
        b.paidAt ? shanghaiDateTime(b.paidAt) : '',
        b.paymentId ? (tradeNo.get(b.paymentId) ?? '') : '',
        ...componentCells(f),
      ]);
      count++;
    }
  }
  return { csv: toCsv(rows), rows: count };
}

// ---------------------------------------------------------------------------------------------
// Signed download links and the raw route

export type StatementDoc = { kind: 'statement'; month: string; format: 'pdf' | 'csv' } | { kind: 'bills'; from: string; to: string };

export function statementDocPath(d: StatementDoc): string {
  return d.kind === 'statement' ? `/files/statements/statement-${d.month}.${d.format}` : `/files/statements/bills-${d.from}-${d.to}.csv`;
}

export function parseStatementDocPath(pathname: string): StatementDoc | null {
  let m = /^\/files\/statements\/statement-(\d{4}-\d{2})\.(pdf|csv)$/.exec(pathname);
  if (m) return { kind: 'statement', month: m[1]!, format: m[2] as 'pdf' | 'csv' };
  m = /^\/files\/statements\/bills-(\d{4}-\d{2})-(\d{4}-\d{2})\.csv$/.exec(pathname);
  return m ? { kind: 'bills', from: m[1]!, to: m[2]! } : null;
}

/** Checks the caller may have the document now (same rules as on screen), then signs a 5-minute link. */
export async function statementLink(services: { cfg: Config; keys: KeyRing }, user: AccessClaims, d: StatementDoc, now = new Date()) {
  if (d.kind === 'statement') {
    assertStatementMonth(d.month, now);
    if (d.format === 'pdf') {
      try {
        loadCjkFont(services.cfg.RECEIPT_FONT_PATH, services.cfg.RECEIPT_FONT_FAMILY);
      } catch (err) {
        if (err instanceof DocumentError) throw new DomainError('SERVICE_UNAVAILABLE', err.message);
        throw err;
      }
    }
  } else {
    if (d.from > d.to) throw new DomainError('BAD_REQUEST', '开始月份不能晚于结束月份');
    if (periodsBetween(d.from, d.to).length > MAX_PERIOD_MONTHS) throw new DomainError('BAD_REQUEST', '一次最多导出24个月的账单');
  }
  await statementScope(user);
  const path = statementDocPath(d);
  return signFileLink(services, path, { doc: path }, { subject: user.sub, ttlSec: STATEMENT_LINK_TTL_SEC });
}

/** The token's user as access claims, read fresh (a disabled or removed user's link stops working). */
export async function claimsOfUser(sub: string): Promise<AccessClaims | null> {
  if (!Types.ObjectId.isValid(sub)) return null;
  const u = await UserModel.findById(sub, { kind: 1, roles: 1, enterpriseId: 1, disabled: 1 }).lean();
  if (!u || u.disabled || !u.enterpriseId) return null;
  return { sub, kind: u.kind as AccessClaims['kind'], roles: u.roles as AccessClaims['roles'], sid: '', ent: String(u.enterpriseId), crew: null };
}

const fileNameOf = (d: StatementDoc, enterpriseName: string) =>
  d.kind === 'statement'
    ? { name: `${enterpriseName}-电费对账单-${d.month}.${d.format}`, ascii: `statement-${d.month}.${d.format}` }
    : { name: `${enterpriseName}-电费账单-${d.from}至${d.to}.csv`, ascii: `bills-${d.from}-${d.to}.csv` };

export async function serveStatementDoc(services: Pick<AppServices, 'cfg' | 'keys' | 'log'>, req: IncomingMessage, res: ServerResponse) {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const d = parseStatementDocPath(pathname);
  if (!d) return refuseFile(res, 404, '文件不存在');
  const claims = await readFileToken(services, req, res, (c) => c.doc === pathname);
  if (!claims) return;
  const user = await claimsOfUser(String(claims.sub ?? ''));
  if (!user) return refuseFile(res, 403, '无权下载该文件');
  let body: Buffer;
  let enterpriseName: string;
  try {
    if (d.kind === 'statement') {
      const s = await buildStatement(user, d.month);
      enterpriseName = s.enterpriseName;
      body = d.format === 'pdf' ? await statementPdf(services.cfg, s) : Buffer.from(statementCsv(s), 'utf8');
    } else {
      const { enterprise } = await statementScope(user);
      enterpriseName = enterprise.name;
      body = Buffer.from((await periodBillsCsv(user, d.from, d.to)).csv, 'utf8');
    }
  } catch (err) {
    if (err instanceof DocumentError) return refuseFile(res, err.status, err.message);
    if (err instanceof DomainError) return refuseFile(res, err.code === 'FORBIDDEN' ? 403 : 400, err.message);
    throw err;
  }
  const f = fileNameOf(d, enterpriseName);
  res.writeHead(200, {
    'content-type': d.kind === 'statement' && d.format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8',
    'content-length': body.length,
    'content-disposition': attachmentDisposition(f.name, f.ascii),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
