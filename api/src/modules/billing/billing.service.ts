/** Reads for the bill screens: bills, usage series, prepaid balance, 代缴 lookup. */
import { Types } from 'mongoose';
import { TARIFF_BAND_LABELS } from '../../shared/labels';
import { maskName } from '../../lib/mask';
import type { AccessClaims } from '../auth/tokens';
import { loadAccessibleAccount } from '../accounts/account.access';
import { consumeLimit } from '../limits/rate-limit.service';
import { AccountModel, type Account } from '../accounts/account.model';
import { BillModel, UsageHistoryModel, PrepaidStateModel, BillingNoticeModel } from './billing.model';
import { billDue } from './payment.service';
import { DEFAULT_THRESHOLDS_FEN, estimatedDaysLeft, validateThresholds } from './prepaid.rules';
import { computeCharge, daysOverdue } from './tariff.rules';
import { ensureSettingVersions, lateFeeRuleOf, tariffOf } from '../settings/settings.service';
import { DomainError } from '../../lib/errors';

type BillDoc = Awaited<ReturnType<typeof loadBill>>;
const loadBill = (id: Types.ObjectId) => BillModel.findById(id).lean();

export interface BillView {
  id: string;
  accountNumber: string;
  period: string;
  kwh: number;
  amountFen: number;
  lateFeeFen: number;
  totalDueFen: number;
  dueDay: string;
  status: 'unpaid' | 'overdue' | 'paid';
  paidAt: string | null;
  paying: boolean;
  /** How the late fee (违约金) was computed: bill amount × days overdue × rate per day (‰). Null when there is none. */
  lateFeeBasis: { baseFen: number; days: number; perMillePerDay: number; fromDay: string } | null;
}

/** The day after `day` (YYYY-MM-DD). */
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function lateFeeBasis(b: { amountFen: number; dueDay: string; usageCategory: string }, feeFen: number, at: Date): BillView['lateFeeBasis'] {
  if (feeFen <= 0 || !b.dueDay) return null;
  const rule = lateFeeRuleOf(b.usageCategory);
  const days = Math.max(0, daysOverdue(b.dueDay, at) - rule.graceDays);
  return { baseFen: b.amountFen, days, perMillePerDay: rule.ppmPerDay / 1000, fromDay: nextDay(b.dueDay) };
}

export function toBillView(b: NonNullable<BillDoc>, now = new Date()): BillView {
  const unpaid = b.status === 'unpaid';
  const due = unpaid ? billDue(b, now) : { lateFeeFen: b.lateFeePaidFen ?? 0, totalFen: b.amountFen + (b.lateFeePaidFen ?? 0) };
  const overdue = unpaid && due.lateFeeFen > 0;
  return {
    id: String(b._id),
    accountNumber: b.accountNumber,
    period: b.period,
    kwh: b.kwh,
    amountFen: b.amountFen,
    lateFeeFen: due.lateFeeFen,
    totalDueFen: unpaid ? due.totalFen : 0,
    dueDay: b.dueDay,
    status: unpaid ? (overdue || b.dueDay < new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10) ? 'overdue' : 'unpaid') : 'paid',
    paidAt: b.paidAt ? b.paidAt.toISOString() : null,
    paying: b.openPaymentId != null,
    lateFeeBasis: lateFeeBasis(b, due.lateFeeFen, unpaid ? now : (b.paidAt ?? now)),
  };
}

type HistoryMonth = {
  period?: string | null;
  kwh?: number | null;
  amountFen?: number | null;
  paidAt?: Date | null;
  dueDay?: string | null;
  ytdKwhBefore?: number | null;
  bands?: { peak?: number | null; flat?: number | null; valley?: number | null } | null;
  startIndex?: number | null;
  endIndex?: number | null;
};

/** A settled bill from the imported history (before live billing); its id is `<accountId>:<period>`. */
function historyBillView(account: Account, m: HistoryMonth): BillView {
  return {
    id: `${account._id}:${m.period}`,
    accountNumber: account.number,
    period: m.period!,
    kwh: m.kwh ?? 0,
    amountFen: m.amountFen ?? 0,
    lateFeeFen: 0,
    totalDueFen: 0,
    dueDay: m.dueDay ?? '',
    status: 'paid',
    paidAt: m.paidAt ? m.paidAt.toISOString() : null,
    paying: false,
    lateFeeBasis: null,
  };
}

export async function listBills(user: AccessClaims, accountId: string, opts: { status?: 'unpaid' | 'all'; limit?: number } = {}) {
  const { account } = await loadAccessibleAccount(user, accountId, 'bills');
  if (account.paymentMode !== 'postpaid') return [];
  const limit = Math.min(opts.limit ?? 24, 60);
  const filter: Record<string, unknown> = { accountId: account._id };
  if (opts.status === 'unpaid') filter.status = 'unpaid';
  const bills = (await BillModel.find(filter).sort({ period: -1 }).limit(limit).lean()).map((b) => toBillView(b));
  if (opts.status === 'unpaid' || bills.length >= limit) return bills;
  const have = new Set(bills.map((b) => b.period));
  const h = await UsageHistoryModel.findById(account._id).lean();
  const older = (h?.months ?? []).filter((m) => m.paidAt && !have.has(m.period!)).map((m) => historyBillView(account, m));
  return [...bills, ...older].sort((a, b) => (a.period < b.period ? 1 : -1)).slice(0, limit);
}

const BAND_LABELS: Record<string, string> = TARIFF_BAND_LABELS;

export async function billDetail(user: AccessClaims, billId: string) {
  const notFound = () => new DomainError('NOT_FOUND', '账单不存在或无权访问');
  const hist = /^([0-9a-f]{24}):(\d{4}-\d{2})$/.exec(billId);
  let view: BillView;
  let source: {
    accountId: Types.ObjectId;
    period: string;
    kwh: number;
    ytdKwhBefore: number;
    bands: HistoryMonth['bands'];
    issuedAt: Date | null;
    tariffCode?: string;
    tariffVersion?: number | null;
  };
  let account: Account;
  /** The payment that settled a live bill (its receipt); imported history has none. */
  let paymentId: string | null = null;
  if (hist) {
    account = (
      await loadAccessibleAccount(user, hist[1], 'bills').catch(() => {
        throw notFound();
      })
    ).account;
    const h = await UsageHistoryModel.findById(account._id).lean();
    const m = h?.months?.find((x) => x.period === hist[2] && x.paidAt);
    if (!m || account.paymentMode !== 'postpaid') throw notFound();
    view = historyBillView(account, m);
    source = {
      accountId: account._id,
      period: m.period!,
      kwh: m.kwh ?? 0,
      ytdKwhBefore: m.ytdKwhBefore ?? 0,
      bands: m.bands,
      issuedAt: null,
      tariffVersion: m.tariffVersion ?? null,
    };
  } else {
    if (!Types.ObjectId.isValid(billId)) throw notFound();
    const b = await loadBill(new Types.ObjectId(billId));
    if (!b) throw notFound();
    account = (
      await loadAccessibleAccount(user, String(b.accountId), 'bills').catch(() => {
        throw notFound();
      })
    ).account;
    view = toBillView(b);
    paymentId = b.status === 'paid' && b.paidByPaymentId ? String(b.paidByPaymentId) : null;
    // A bill's lines come from the tariff it was computed under (its code and settings version), not today's.
    source = {
      accountId: b.accountId,
      period: b.period,
      kwh: b.kwh,
      ytdKwhBefore: b.ytdKwhBefore ?? 0,
      bands: b.bands,
      issuedAt: b.issuedAt,
      tariffCode: b.tariffCode,
      tariffVersion: b.tariffVersion ?? null,
    };
  }
  const history = await UsageHistoryModel.findById(source.accountId, { months: { $elemMatch: { period: source.period } } }).lean();
  const reading = history?.months?.[0] ?? null;
  await ensureSettingVersions([{ kind: 'tariffs', version: source.tariffVersion }]);
  const tariff = tariffOf(source.tariffCode ?? account.tariffCode, source.tariffVersion);
  const bands =
    source.bands && source.bands.peak != null ? { peak: source.bands.peak, flat: source.bands.flat ?? 0, valley: source.bands.valley ?? 0 } : null;
  const charge =
    tariff.kind === 'tou' && bands ? computeCharge(tariff, { bands }) : computeCharge(tariff, { kwh: source.kwh, ytdKwh: source.ytdKwhBefore });
  return {
    ...view,
    paymentId,
    tariffCode: tariff.code,
    tariffName: tariff.name,
    issuedAt: source.issuedAt ? source.issuedAt.toISOString() : null,
    lines: charge.lines.map((l) => ({
      band: l.band,
      label: BAND_LABELS[l.band] ?? l.band,
      kwh: l.kwh,
      /** 元/kWh as a string with 4 decimals (exact). */
      priceYuan: `${Math.floor(l.priceMilliFen / 100_000)}.${String(Math.floor((l.priceMilliFen % 100_000) / 10)).padStart(4, '0')}`,
      amountMilliFen: l.amountMilliFen,
    })),
    totalMilliFen: charge.totalMilliFen,
    reading: reading ? { startIndex: reading.startIndex ?? 0, endIndex: reading.endIndex ?? 0 } : null,
  };
}

/** Monthly kWh and charge for the last `months` months (oldest first). */
export async function usageSeries(user: AccessClaims, accountId: string, months = 24) {
  const { account } = await loadAccessibleAccount(user, accountId, 'view');
  const h = await UsageHistoryModel.findById(account._id).lean();
  const rows = [...(h?.months ?? [])].sort((a, b) => (a.period! < b.period! ? -1 : 1)).slice(-months);
  return rows.map((r) => ({
    period: r.period!,
    kwh: r.kwh ?? 0,
    amountFen: r.amountFen ?? 0,
    bands: r.bands && r.bands.peak != null ? { peak: r.bands.peak ?? 0, flat: r.bands.flat ?? 0, valley: r.bands.valley ?? 0 } : null,
  }));
}

export async function prepaidStatus(user: AccessClaims, accountId: string) {
  const { account } = await loadAccessibleAccount(user, accountId, 'bills');
  if (account.paymentMode !== 'prepaid') throw new DomainError('BAD_REQUEST', '该户号不是智能交费户');
  const st = await PrepaidStateModel.findById(account._id).lean();
  const recent = st?.recentChargesFen ?? [];
  const notices = await BillingNoticeModel.find({ accountId: account._id }).sort({ createdAt: -1 }).limit(10).lean();
  return {
    accountNumber: account.number,
    balanceFen: account.balanceFen,
    supplyState: account.supplyState as 'normal' | 'arrears' | 'disconnected',
    avgDailyFen: recent.length ? Math.round(recent.reduce((a, b) => a + b, 0) / recent.length) : null,
    estimatedDaysLeft: estimatedDaysLeft(account.balanceFen, recent),
    thresholdsFen: (st?.thresholdsFen?.length ? st.thresholdsFen : DEFAULT_THRESHOLDS_FEN) as number[],
    lastSettledDay: st?.lastSettledDay ?? null,
    notices: notices.map((n) => ({ kind: n.kind, title: n.title, body: n.body, at: n.createdAt.toISOString() })),
  };
}

export async function setThresholds(user: AccessClaims, accountId: string, yuan: number[]) {
  const { account } = await loadAccessibleAccount(user, accountId, 'manage');
  if (account.paymentMode !== 'prepaid') throw new DomainError('BAD_REQUEST', '该户号不是智能交费户');
  let fen: [number, number];
  try {
    fen = validateThresholds(yuan);
  } catch (err) {
    throw new DomainError('BAD_REQUEST', (err as Error).message);
  }
  await PrepaidStateModel.updateOne({ _id: account._id }, { $set: { thresholdsFen: fen } }, { upsert: true });
  return { thresholdsFen: fen };
}

/** 代缴: what an account owes, shown to anyone with its number; the holder name only masked. Counted against guessing. */
export async function payForLookup(user: AccessClaims, ip: string, number: string) {
  await consumeLimit('numberLookup', { user: user.sub, ip });
  const a = (await AccountModel.findOne({ number }).lean()) as Account | null;
  if (!a) throw new DomainError('NOT_FOUND', '未找到该户号，请核对后重试');
  const unpaid =
    a.paymentMode === 'postpaid' ? await BillModel.find({ accountId: a._id, status: 'unpaid' }).sort({ period: 1 }).limit(24).lean() : [];
  const bills = unpaid.map((b) => toBillView(b));
  return {
    number: a.number,
    holderNameMasked: maskName(a.holderName),
    paymentMode: a.paymentMode as 'postpaid' | 'prepaid',
    supplyState: a.supplyState as 'normal' | 'arrears' | 'disconnected',
    unpaidBills: bills.map((b) => ({
      id: b.id,
      period: b.period,
      amountFen: b.amountFen,
      lateFeeFen: b.lateFeeFen,
      totalDueFen: b.totalDueFen,
      dueDay: b.dueDay,
    })),
    totalDueFen: bills.reduce((s, b) => s + b.totalDueFen, 0),
    // Prepaid: whether a recharge is needed (the balance itself is the holder's business).
    balanceNegative: a.paymentMode === 'prepaid' ? a.balanceFen < 0 : null,
  };
}
