/**
 * Demo billing data: 24 months of meter readings for every seeded account, monthly bills for postpaid
 * accounts (paid, except the arrears of accounts in arrears or disconnected, which the accounts'
 * arrearsFen then equals), and smart-prepaid state. Bulk inserts only; 20,000 accounts take seconds.
 * The fixed demo accounts (numbers 3101…) also get the payment of every bill the seed marks paid, so
 * their 缴费记录 matches their 已缴清 bills (see seedPaymentOf).
 * Called by the seed script (generate.ts) after the accounts and the demo bindings exist.
 */
import { Types } from 'mongoose';
import { AccountModel, BindingModel } from '../accounts/account.model';
import { createRandom } from '../../seed/random';
import { BillModel, UsageHistoryModel, PrepaidStateModel, PaymentModel, PaymentTxnModel } from './billing.model';
import { chargeMonths, shanghaiDay, type TouBand } from './tariff.rules';
import { ensureSettingsFresh, tariffOf, tariffTableAt } from '../settings/settings.service';
import { DEFAULT_THRESHOLDS_FEN } from './prepaid.rules';

export interface SeedBillingOptions {
  /** Only the first N accounts (by number); default all. */
  accounts?: number;
  months?: number;
  now?: Date;
  seed?: number;
  /** Regenerate even if readings exist. */
  reset?: boolean;
  log?: (msg: string) => void;
  /** Merchant of the seeded demo payments (default: the development appid and mchid). */
  payee?: { appid: string; mchid: string };
}

/** Months ending with the last complete one: ['2024-12', …, '2026-11'] for a date in December 2026. */
export function lastMonths(n: number, now: Date): string[] {
  const d = shanghaiDay(now);
  let y = Number(d.slice(0, 4));
  let m = Number(d.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
  }
  return out;
}

const nextMonth = (period: string) => {
  const [y, m] = period.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const SEASON = [1.3, 1.15, 1.0, 0.9, 0.95, 1.2, 1.6, 1.65, 1.2, 0.95, 1.0, 1.25]; // Jan..Dec

export const DEMO_UNPAID_ACCOUNT = '3101000000002';
/** A second one for the mini-program's payment flow, so the web and mini-program tests never pay the same bill. */
export const DEMO_UNPAID_ACCOUNT_2 = '3101000000004';
/** Bound to nobody, latest bill open: paid by 代缴 (a QR code on the web) in the tests. */
export const DEMO_PAYFOR_ACCOUNT = '3101000000005';
/** Disconnected for arrears with its last two bills open: paying them must create a reconnection order. */
export const DEMO_DISCONNECTED_ACCOUNT = '3101000000006';
/** Smart-prepaid, supply normal: recharged by 代缴 and partly refunded by a supervisor in the tests. */
export const DEMO_PREPAID_ACCOUNT = '3101000000007';
const DEMO_LATEST_OPEN = new Set([DEMO_UNPAID_ACCOUNT, DEMO_UNPAID_ACCOUNT_2, DEMO_PAYFOR_ACCOUNT]);
/** The fixed demo accounts (generate.ts DEMO): generated residents are 32…, enterprise sites 33…. */
export const DEMO_ACCOUNT_PREFIX = '3101';
export const isDemoAccount = (number: string) => number.startsWith(DEMO_ACCOUNT_PREFIX);
/** Seeded payments' out_trade_no start with this (live ones with P + channel letter, e.g. PW…): `PH<number><YYYYMM>`. */
export const SEED_PAYMENT_PREFIX = 'PH';

/**
 * The WeChat Pay payment that settled a seeded bill of a demo account, as the notification path leaves
 * it: paid, credited (so reconciliation never credits it again), its transaction id claimed. Paid by the
 * person the seed bound the account to (the demo resident for 3101000000002/3), so receipts and invoices
 * are theirs; accounts bound to nobody keep no payer (paid before anyone bound them here).
 * Deterministic: out_trade_no and transaction id follow from the account number and the period.
 */
export function seedPaymentOf(
  a: { _id: Types.ObjectId; number: string },
  bill: { period: string; amountFen: number; paidAt: Date; billId: Types.ObjectId | null },
  payer: Types.ObjectId | null,
  payee: { appid: string; mchid: string },
) {
  const ym = bill.period.replace('-', '');
  const createdAt = new Date(bill.paidAt.getTime() - 60_000);
  return {
    _id: new Types.ObjectId(),
    outTradeNo: `${SEED_PAYMENT_PREFIX}${a.number}${ym}`,
    purpose: 'bill',
    accountId: a._id,
    accountNumber: a.number,
    billId: bill.billId,
    billAmountFen: bill.amountFen,
    lateFeeFen: 0,
    amountFen: bill.amountFen,
    channel: 'jsapi',
    appid: payee.appid,
    mchid: payee.mchid,
    userId: payer,
    onBehalf: false,
    payerOpenid: null,
    status: 'paid',
    prepayId: null,
    codeUrl: null,
    expiresAt: new Date(createdAt.getTime() + 30 * 60_000),
    transactionId: `4200000${a.number}${ym}00`,
    paidAt: bill.paidAt,
    settledBy: 'notify',
    creditedAt: bill.paidAt,
    creditResult: 'bill_paid',
    closedAt: null,
    closeReason: null,
    lastQueriedAt: null,
    refund: null,
    flags: [],
    createdAt,
    updatedAt: bill.paidAt,
  };
}

export async function seedBilling(opts: SeedBillingOptions = {}) {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const now = opts.now ?? new Date();
  const months = lastMonths(opts.months ?? 24, now);
  if (!opts.reset && (await UsageHistoryModel.exists({}))) {
    log('billing demo data already present');
    return { skipped: true as const };
  }
  const seededPayments = { outTradeNo: { $regex: `^${SEED_PAYMENT_PREFIX}${DEMO_ACCOUNT_PREFIX}` } };
  if (opts.reset) {
    const old = await PaymentModel.find(seededPayments, { transactionId: 1 }).lean();
    await Promise.all([
      UsageHistoryModel.deleteMany({}),
      BillModel.deleteMany({}),
      PrepaidStateModel.deleteMany({}),
      PaymentModel.deleteMany(seededPayments),
      PaymentTxnModel.deleteMany({ _id: { $in: old.map((p) => p.transactionId).filter((x): x is string => !!x) } }),
    ]);
  }

  let q = AccountModel.find({}, { number: 1, usageCategory: 1, tariffCode: 1, paymentMode: 1, supplyState: 1, balanceFen: 1 })
    .sort({ number: 1 })
    .lean();
  if (opts.accounts) q = q.limit(opts.accounts);
  const accounts = await q;
  // Bills are computed under the tariff version in force now, and say which.
  await ensureSettingsFresh();
  const tariffVersion = tariffTableAt().version;
  const r = createRandom(opts.seed ?? 20261202);
  const payee = opts.payee ?? {
    appid: process.env.WECHATPAY_APPID || process.env.WECHAT_APPID || 'wx8d2c3f1a5b7e9d01',
    mchid: process.env.WECHATPAY_MCHID || '1900000001',
  };
  // Who paid the demo accounts' bills: the person the seed bound each one to (the demo resident).
  const demoIds = accounts.filter((a) => isDemoAccount(a.number)).map((a) => a._id);
  const payerOf = new Map<string, Types.ObjectId>();
  for (const b of await BindingModel.find({ accountId: { $in: demoIds }, verifiedBy: 'seed' }, { accountId: 1, userId: 1 })
    .sort({ createdAt: 1 })
    .lean()) {
    if (!payerOf.has(String(b.accountId))) payerOf.set(String(b.accountId), b.userId);
  }
  const payments: ReturnType<typeof seedPaymentOf>[] = [];

  const readings: Record<string, unknown>[] = [];
  const bills: Record<string, unknown>[] = [];
  const prepaid: Record<string, unknown>[] = [];
  const arrears: { id: Types.ObjectId; fen: number }[] = [];
  const inflight: Promise<unknown>[] = [];
  const totals = { readings: 0, bills: 0 };
  const flush = async (force = false) => {
    if (readings.length >= 2_000 || force) {
      const batch = readings.splice(0);
      if (batch.length) inflight.push(UsageHistoryModel.collection.insertMany(batch as never[], { ordered: false }));
    }
    if (bills.length >= 5_000 || force) {
      const batch = bills.splice(0);
      totals.bills += batch.length;
      if (batch.length) inflight.push(BillModel.collection.insertMany(batch, { ordered: false }));
    }
    if (inflight.length >= 2 || force) await Promise.all(inflight.splice(0));
  };

  for (const a of accounts) {
    const tariff = tariffOf(a.tariffCode, tariffVersion);
    const base = a.usageCategory === 'residential' ? r.int(90, 380) : a.usageCategory === 'commercial' ? r.int(600, 4000) : r.int(15_000, 160_000);
    const series = months.map((period) => {
      const m = Number(period.slice(5, 7));
      const kwh = Math.max(0, Math.round(base * SEASON[m - 1] * (0.85 + r.next() * 0.3)));
      let bands: Record<TouBand, number> | null = null;
      if (tariff.kind === 'tou') {
        const peak = Math.round(kwh * 0.35);
        const valley = Math.round(kwh * 0.25);
        bands = { peak, flat: kwh - peak - valley, valley };
      }
      return { period, kwh, bands };
    });
    // kWh already used in the first month's tier year, before our window starts.
    const firstMonth = Number(months[0].slice(5, 7));
    const before = Math.round(base * (firstMonth - 1));
    const charges = chargeMonths(tariff, series, before);
    let index = r.int(1000, 90_000);
    const unpaidFrom =
      a.paymentMode !== 'postpaid'
        ? Infinity
        : a.number === DEMO_DISCONNECTED_ACCOUNT
          ? months.length - 2
          : a.supplyState === 'arrears'
            ? months.length - r.int(1, 2)
            : a.supplyState === 'disconnected'
              ? months.length - r.int(2, 3)
              : DEMO_LATEST_OPEN.has(a.number)
                ? months.length - 1
                : Infinity;
    let owed = 0;
    const history: Record<string, unknown>[] = [];
    charges.forEach((c, i) => {
      const s = series[i];
      const readAt = new Date(`${nextMonth(s.period)}-01T08:00:00+08:00`);
      const month: Record<string, unknown> = {
        period: s.period,
        kwh: c.kwh,
        bands: s.bands,
        startIndex: index,
        endIndex: index + c.kwh,
        amountFen: c.amountFen,
        ytdKwhBefore: c.ytdKwhBefore,
        tariffVersion,
      };
      history.push(month);
      totals.readings++;
      index += c.kwh;
      if (a.paymentMode === 'postpaid') {
        const issuedAt = new Date(readAt.getTime() + 2 * 3600_000);
        const dueDay = `${nextMonth(s.period)}-20`;
        const unpaid = i >= unpaidFrom;
        if (unpaid) owed += c.amountFen;
        const paidAtRaw = unpaid ? null : new Date(issuedAt.getTime() + r.int(1, 18) * 86_400_000);
        const paidAt = paidAtRaw && paidAtRaw > now ? now : paidAtRaw;
        month.paidAt = paidAt;
        month.dueDay = dueDay;
        const billDoc = unpaid || i === charges.length - 1;
        const billId = billDoc ? new Types.ObjectId() : null;
        const payment =
          paidAt && isDemoAccount(a.number)
            ? seedPaymentOf(a, { period: s.period, amountFen: c.amountFen, paidAt, billId }, payerOf.get(String(a._id)) ?? null, payee)
            : null;
        if (payment) payments.push(payment);
        // Bill documents for what is still open and the latest month; older settled bills stay history.
        if (billDoc)
          bills.push({
            _id: billId,
            accountId: a._id,
            accountNumber: a.number,
            period: s.period,
            tariffCode: tariff.code,
            tariffVersion,
            usageCategory: a.usageCategory,
            kwh: c.kwh,
            ytdKwhBefore: c.ytdKwhBefore,
            bands: s.bands,
            totalMilliFen: c.totalMilliFen,
            amountFen: c.amountFen,
            issuedAt,
            dueDay,
            status: unpaid ? 'unpaid' : 'paid',
            paidAt,
            paidByPaymentId: payment?._id ?? null,
            lateFeePaidFen: 0,
            openPaymentId: null,
          });
      }
    });
    readings.push({ _id: a._id, months: history });
    if (a.paymentMode === 'postpaid') arrears.push({ id: a._id, fen: owed });
    else {
      const last = charges[charges.length - 1];
      const daily = Math.max(1, Math.round(last.amountFen / 30));
      const tierYear = Number(months[months.length - 1].slice(0, 4));
      prepaid.push({
        _id: a._id,
        thresholdsFen: DEFAULT_THRESHOLDS_FEN,
        negativeSinceDay: a.balanceFen < 0 ? shanghaiDay(new Date(now.getTime() - (a.supplyState === 'disconnected' ? 3 : 0) * 86_400_000)) : null,
        lastSettledDay: shanghaiDay(new Date(now.getTime() - 86_400_000)),
        tierYear,
        ytdKwh: charges.filter((c) => c.period.startsWith(String(tierYear))).reduce((s, c) => s + c.kwh, 0),
        mtdPeriod: null,
        mtdMilliFen: 0,
        recentChargesFen: Array.from({ length: 7 }, () => Math.max(1, Math.round(daily * (0.8 + r.next() * 0.4)))),
      });
    }
    await flush();
  }
  await flush(true);
  if (prepaid.length) await PrepaidStateModel.collection.insertMany(prepaid as never[], { ordered: false });
  if (payments.length) {
    await PaymentModel.collection.insertMany(payments as never[], { ordered: false });
    await PaymentTxnModel.collection.insertMany(payments.map((p) => ({ _id: p.transactionId, paymentId: p._id, at: p.paidAt })) as never[], {
      ordered: false,
    });
  }
  // The accounts' arrears are exactly their unpaid bills.
  const ops = arrears.map((x) => ({ updateOne: { filter: { _id: x.id }, update: { $set: { arrearsFen: x.fen } } } }));
  for (let i = 0; i < ops.length; i += 5000) await AccountModel.collection.bulkWrite(ops.slice(i, i + 5000), { ordered: false });
  const ms = Date.now() - started;
  log(
    `billing: ${totals.readings} readings, ${totals.bills} bills, ${prepaid.length} prepaid accounts, ${payments.length} demo payments in ${(ms / 1000).toFixed(1)} s`,
  );
  return {
    skipped: false as const,
    accounts: accounts.length,
    readings: totals.readings,
    bills: totals.bills,
    prepaid: prepaid.length,
    payments: payments.length,
    ms,
  };
}
