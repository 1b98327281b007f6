/**
 * Payments: created → paying → paid / closed / refunded, credited exactly once.
 *
 * Exactly once, without transactions: the transaction id is claimed in its own collection (unique _id),
 * the payment moves to `paid` by a guarded update (only from created/paying/closed), the credit to the
 * account is a guarded update keyed by the payment (`billingApplied` on the account document), and
 * `creditedAt` marks the end. Every step may be re-run (notification replay, reconciliation job) and
 * finds its work done. The client's requestPayment "success" never settles anything.
 */
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { maskName } from '../../lib/mask';
import type { AccessClaims } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { loadAccessibleAccount } from '../accounts/account.access';
import { loadAccessiblePayment } from './payment.access';
import { consumeLimit } from '../limits/rate-limit.service';
import { AccountModel, type Account } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import { InAppNotificationModel } from '../events/event.model';
import { isDuplicateKeyError } from '../../db/connect';
import {
  BillModel,
  PaymentModel,
  PaymentTxnModel,
  PrepaidStateModel,
  ReconnectRequestModel,
  BillingNoticeModel,
  UsageHistoryModel,
  type PaymentStatus,
} from './billing.model';
import { lateFeeFen } from './tariff.rules';
import { lateFeeRuleOf } from '../settings/settings.service';
import { wechatPayFor, type WechatTransaction } from './wechatpay.client';
import { requestReconnection, retryPendingReconnections } from './reconnect';
import { accountNotice, paymentSettledNotice, refundNotice } from '../notify/billing-notices';
import { DomainError } from '../../lib/errors';
import { holderNameFor } from '../enterprise/enterprise.rules';
import { applyBatchCredit, releaseBatchClaims } from './batch-payment.service';

export const PAYMENT_TTL_MS = 30 * 60_000;
export const QUERY_AFTER_MS = 3 * 60_000;

type Payment = NonNullable<Awaited<ReturnType<typeof loadPayment>>>;
const loadPayment = (filter: Record<string, unknown>) => PaymentModel.findOne(filter).lean();

// ---------------------------------------------------------------------------------------------
// Apply-once updates on the account document

/**
 * Applies `update` to the account unless `key` was applied before. The key list lives on the account
 * document itself (raw collection: the accounts module's schema does not know it), so the check and
 * the change are one atomic single-document update. Returns the account after, or null if already applied.
 */
export async function applyOnceToAccount(
  accountId: Types.ObjectId,
  key: string,
  update: { $inc?: Record<string, number>; $set?: Record<string, unknown> },
  extraFilter: Record<string, unknown> = {},
) {
  const r = await AccountModel.collection.findOneAndUpdate(
    { _id: accountId, billingApplied: { $ne: key }, ...extraFilter },
    { ...update, $set: { ...(update.$set ?? {}), updatedAt: new Date() }, $push: { billingApplied: { $each: [key], $slice: -200 } } } as never,
    { returnDocument: 'after' },
  );
  return r as unknown as Account | null;
}

// ---------------------------------------------------------------------------------------------
// Views

export interface PaymentView {
  id: string;
  outTradeNo: string;
  purpose: 'bill' | 'recharge' | 'batch';
  accountNumber: string;
  billId: string | null;
  amountFen: number;
  lateFeeFen: number;
  channel: 'jsapi' | 'native';
  status: PaymentStatus;
  onBehalf: boolean;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  refund: { amountFen: number; reason: string; status: string } | null;
  flags: { kind: string; note: string }[];
}

export function toPaymentView(p: Payment): PaymentView {
  return {
    id: String(p._id),
    outTradeNo: p.outTradeNo,
    purpose: p.purpose as PaymentView['purpose'],
    accountNumber: p.accountNumber,
    billId: p.billId ? String(p.billId) : null,
    amountFen: p.amountFen,
    lateFeeFen: p.lateFeeFen ?? 0,
    channel: p.channel as 'jsapi' | 'native',
    status: p.status as PaymentStatus,
    onBehalf: p.onBehalf ?? false,
    createdAt: (p.createdAt as Date).toISOString(),
    expiresAt: p.expiresAt.toISOString(),
    paidAt: p.paidAt ? p.paidAt.toISOString() : null,
    refund: p.refund ? { amountFen: p.refund.amountFen ?? 0, reason: p.refund.reason ?? '', status: p.refund.status ?? 'pending' } : null,
    flags: (p.flags ?? []).map((f) => ({ kind: f.kind ?? '', note: f.note ?? '' })),
  };
}

// ---------------------------------------------------------------------------------------------
// Creating a payment

export interface CreatePaymentInput {
  accountId?: string;
  /** 代缴: account number plus the masked holder name the payer confirmed. */
  number?: string;
  holderNameMasked?: string;
  billId?: string;
  amountFen?: number;
  channel: 'jsapi' | 'native';
}

export async function resolvePayableAccount(
  user: AccessClaims,
  input: Pick<CreatePaymentInput, 'accountId' | 'number' | 'holderNameMasked'>,
): Promise<{ account: Account; onBehalf: boolean }> {
  if (input.accountId) return { account: (await loadAccessibleAccount(user, input.accountId, 'pay')).account, onBehalf: false };
  if (!input.number || !input.holderNameMasked) throw new DomainError('BAD_REQUEST', '请输入户号并确认户名');
  const account = (await AccountModel.findOne({ number: input.number }).lean()) as Account | null;
  if (!account || maskName(account.holderName) !== input.holderNameMasked.trim()) {
    throw new DomainError('BAD_REQUEST', '户号或户名确认不一致，请核对后重试');
  }
  return { account, onBehalf: true };
}

function newOutTradeNo(now: Date) {
  const d = new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(2, 14);
  return `PW${d}${BigInt('0x' + randomBytes(6).toString('hex'))
    .toString()
    .padStart(15, '0')
    .slice(0, 12)}`;
}

export function notifyUrlFor(cfg: Config, localPort?: number): string {
  const configured = wechatPayFor(cfg).settings.notifyUrl;
  if (configured) return configured;
  return `http://127.0.0.1:${localPort ?? cfg.API_PORT}/pay/wechat/notify`;
}

/** Amount owed on a bill now: the bill plus its late fee to date. */
export function billDue(bill: { amountFen: number; dueDay: string; usageCategory: string }, now = new Date()) {
  const fee = lateFeeFen(bill.amountFen, bill.dueDay, now, lateFeeRuleOf(bill.usageCategory));
  return { billFen: bill.amountFen, lateFeeFen: fee, totalFen: bill.amountFen + fee };
}

/** How long a payment attempt may hold its bill (covers the WeChat prepay call). */
const PAY_LOCK_MS = 30_000;

export async function createPayment(
  cfg: Config,
  user: AccessClaims,
  input: CreatePaymentInput,
  opts: { ip?: string | null; localPort?: number; now?: Date } = {},
) {
  const now = opts.now ?? new Date();
  const client = wechatPayFor(cfg);
  if (!input.accountId) await consumeLimit('numberLookup', { user: user.sub, ip: opts.ip ?? null });
  const { account, onBehalf } = await resolvePayableAccount(user, input);

  let openid: string | null = null;
  if (input.channel === 'jsapi') {
    const u = await UserModel.findById(user.sub, { openid: 1 }).lean();
    openid = u?.openid ?? null;
    if (!openid) throw new DomainError('BAD_REQUEST', '请在微信小程序中使用微信支付，或在网页上扫码支付');
  }

  let purpose: 'bill' | 'recharge';
  let bill: {
    _id: Types.ObjectId;
    amountFen: number;
    dueDay: string;
    usageCategory: string;
    period: string;
    openPaymentId?: Types.ObjectId | null;
  } | null = null;
  let amountFen: number;
  let lateFee = 0;
  if (account.paymentMode === 'prepaid') {
    purpose = 'recharge';
    if (!input.amountFen || !Number.isInteger(input.amountFen) || input.amountFen < 100 || input.amountFen > 5_000_000) {
      throw new DomainError('BAD_REQUEST', '充值金额应在1元至5万元之间');
    }
    amountFen = input.amountFen;
  } else {
    purpose = 'bill';
    const filter: Record<string, unknown> = { accountId: account._id, status: 'unpaid' };
    if (input.billId) {
      if (!Types.ObjectId.isValid(input.billId)) throw new DomainError('NOT_FOUND', '账单不存在');
      filter._id = new Types.ObjectId(input.billId);
    }
    bill = await BillModel.findOne(filter).sort({ period: 1 }).lean();
    if (!bill) throw new DomainError(input.billId ? 'CONFLICT' : 'BAD_REQUEST', input.billId ? '该账单已缴清' : '该户号没有待缴账单');
    const due = billDue(bill, now);
    lateFee = due.lateFeeFen;
    amountFen = due.totalFen;
  }

  // One payment attempt per bill at a time: a short lock on the bill serialises concurrent clicks, so the
  // close-the-old-one / create / claim sequence below never interleaves (at most one open order per bill).
  const lockUntil = new Date(now.getTime() + PAY_LOCK_MS);
  if (bill) {
    const locked = await BillModel.findOneAndUpdate(
      { _id: bill._id, status: 'unpaid', $or: [{ payLockUntil: null }, { payLockUntil: { $lte: now } }] },
      { $set: { payLockUntil: lockUntil } },
    ).lean();
    if (!locked) throw new DomainError('CONFLICT', '该账单正在发起支付，请稍后重试');
  }
  try {
    // One open payment per bill: close the previous attempt first (or find that it was paid).
    let previous: Types.ObjectId | null = bill?.openPaymentId ?? null;
    if (bill && previous) {
      const old = await PaymentModel.findById(previous).lean();
      if (old && (old.status === 'created' || old.status === 'paying')) {
        // A 合并缴费 order holding this bill is not superseded by a single payment: it covers other bills too.
        if (old.purpose === 'batch') throw new DomainError('CONFLICT', '该账单正在合并缴费中，请完成或等待该订单关闭后再缴');
        const r = await closeAtWechat(cfg, old, 'superseded');
        if (r === 'paid') throw new DomainError('CONFLICT', '该账单已支付成功，无需重复缴费');
        if (r === 'error') throw new DomainError('SERVICE_UNAVAILABLE', '上一笔支付正在处理，请稍后再试');
      }
      const fresh = await BillModel.findById(bill._id, { status: 1, openPaymentId: 1 }).lean();
      if (fresh?.status !== 'unpaid') throw new DomainError('CONFLICT', '该账单已缴清');
      previous = fresh.openPaymentId ?? null;
    }

    const outTradeNo = newOutTradeNo(now);
    const expiresAt = new Date(now.getTime() + PAYMENT_TTL_MS);
    const created = await PaymentModel.create({
      outTradeNo,
      purpose,
      accountId: account._id,
      accountNumber: account.number,
      billId: bill?._id ?? null,
      billAmountFen: bill?.amountFen ?? 0,
      lateFeeFen: lateFee,
      amountFen,
      channel: input.channel,
      appid: client.settings.appid,
      mchid: client.settings.mchid,
      userId: new Types.ObjectId(user.sub),
      onBehalf,
      status: 'created',
      expiresAt,
    });
    const pid = created._id;
    if (bill) {
      const claimed = await BillModel.updateOne({ _id: bill._id, status: 'unpaid', openPaymentId: previous }, { $set: { openPaymentId: pid } });
      if (claimed.modifiedCount !== 1) {
        await PaymentModel.updateOne({ _id: pid, status: 'created' }, { $set: { status: 'closed', closedAt: now, closeReason: 'superseded' } });
        throw new DomainError('CONFLICT', '该账单正在支付中，请稍后重试');
      }
    }

    const description = purpose === 'bill' ? `电费缴纳-${account.number}-${bill!.period}` : `电费充值-${account.number}`;
    const common = { outTradeNo, description, amountFen, notifyUrl: notifyUrlFor(cfg, opts.localPort), expiresAt, attach: String(pid) };
    const res = input.channel === 'jsapi' ? await client.prepayJsapi({ ...common, openid: openid! }) : await client.prepayNative(common);
    if (res.status === 0) {
      // Unknown outcome (network): stays `created`; the reconciliation job queries and closes it.
      throw new DomainError('SERVICE_UNAVAILABLE', '微信支付暂时无法连接，请稍后重试');
    }
    if (res.status !== 200) {
      await PaymentModel.updateOne(
        { _id: pid, status: 'created' },
        { $set: { status: 'closed', closedAt: new Date(), closeReason: `prepay ${res.code ?? res.status}` } },
      );
      if (bill) await BillModel.updateOne({ _id: bill._id, openPaymentId: pid }, { $set: { openPaymentId: null } });
      throw new DomainError('BAD_REQUEST', `微信支付下单失败：${res.message ?? res.code ?? res.status}`);
    }
    const set: Record<string, unknown> = { status: 'paying' };
    let jsapiParams = null;
    let codeUrl: string | null = null;
    if ('params' in res && res.params) {
      set.prepayId = res.prepayId;
      jsapiParams = res.params;
    } else {
      codeUrl = (res.data as { code_url?: string } | undefined)?.code_url ?? null;
      set.codeUrl = codeUrl;
    }
    await PaymentModel.updateOne({ _id: pid, status: 'created' }, { $set: set });
    await recordAudit({
      actorId: user.sub,
      actorRoles: user.roles,
      action: 'payment.create',
      targetType: 'account',
      targetId: String(account._id),
      ip: opts.ip ?? null,
      detail: { outTradeNo, amountFen, purpose, channel: input.channel, onBehalf },
    });
    return {
      paymentId: String(pid),
      outTradeNo,
      amountFen,
      lateFeeFen: lateFee,
      expiresAt: expiresAt.toISOString(),
      // The enterprise's own users read their company's name in full (SPEC §3.5); everyone else masked.
      holderNameMasked: holderNameFor(user, account, maskName),
      jsapiParams,
      codeUrl,
    };
  } finally {
    if (bill) await BillModel.updateOne({ _id: bill._id, payLockUntil: lockUntil }, { $set: { payLockUntil: null } });
  }
}

// ---------------------------------------------------------------------------------------------
// Settling

/** WeChat's out_trade_no: 6–32 of letters, digits, _ - | * (ours are PW + 24 digits). */
export const OUT_TRADE_NO_RE = /^[0-9A-Za-z_\-|*]{6,32}$/;
export const isOutTradeNo = (v: unknown): v is string => typeof v === 'string' && OUT_TRADE_NO_RE.test(v);

/** Checks a WeChat transaction against our payment; throws a DomainError on any mismatch. */
export function checkTransaction(cfg: Config, p: Payment | null, t: WechatTransaction): asserts p is Payment {
  const s = wechatPayFor(cfg).settings;
  if (t.mchid !== s.mchid) throw new DomainError('BAD_REQUEST', 'mchid 不匹配');
  if (t.appid !== s.appid) throw new DomainError('BAD_REQUEST', 'appid 不匹配');
  if (!p) throw new DomainError('NOT_FOUND', '订单不存在');
  if (t.appid !== p.appid || t.mchid !== p.mchid) throw new DomainError('BAD_REQUEST', '订单商户信息不匹配');
  if (t.amount?.total !== p.amountFen || (t.amount?.currency ?? 'CNY') !== 'CNY') throw new DomainError('BAD_REQUEST', '订单金额不匹配');
  if (!t.transaction_id) throw new DomainError('BAD_REQUEST', '缺少微信支付订单号');
}

/** Applies a successful transaction (from a notification or a query). Idempotent. */
export async function settleTransaction(cfg: Config, t: WechatTransaction, via: 'notify' | 'query'): Promise<'settled' | 'duplicate'> {
  if (t.trade_state !== 'SUCCESS' && t.trade_state !== 'REFUND') throw new DomainError('BAD_REQUEST', `交易状态 ${t.trade_state} 不可入账`);
  // A string of the right form before it goes into a query ({"$ne": null} would match any order).
  if (!isOutTradeNo(t.out_trade_no)) throw new DomainError('BAD_REQUEST', 'out_trade_no 格式不正确');
  const p = await loadPayment({ outTradeNo: t.out_trade_no });
  checkTransaction(cfg, p, t);
  const txId = t.transaction_id!;
  if (p.transactionId && p.transactionId !== txId) throw new DomainError('CONFLICT', '该订单已由另一笔微信交易入账');
  try {
    await PaymentTxnModel.create({ _id: txId, paymentId: p._id, at: new Date() });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const owner = await PaymentTxnModel.findById(txId).lean();
    if (owner && !owner.paymentId.equals(p._id)) throw new DomainError('CONFLICT', '微信支付订单号已被其他订单使用');
  }
  const paidAt = t.success_time ? new Date(t.success_time) : new Date();
  const updated = await PaymentModel.findOneAndUpdate(
    { _id: p._id, status: { $in: ['created', 'paying', 'closed'] }, transactionId: null },
    { $set: { status: 'paid', transactionId: txId, paidAt, payerOpenid: t.payer?.openid ?? null, settledBy: via } },
    { returnDocument: 'after' },
  ).lean();
  const current = updated ?? (await loadPayment({ _id: p._id }));
  if (!current || current.transactionId !== txId) throw new DomainError('CONFLICT', '订单状态冲突');
  await applyCredit(cfg, current);
  return updated ? 'settled' : 'duplicate';
}

/** Credits a paid payment to its bill or balance, once; handles double payments and reconnection. */
export async function applyCredit(cfg: Config, p: Payment): Promise<string> {
  if (p.creditedAt) return p.creditResult ?? 'credited';
  if (p.status !== 'paid') return 'not_paid';
  if (p.purpose === 'batch') return applyBatchCredit(cfg, p);
  const key = `pay:${p._id}`;
  // The account as it is after this payment's change (read only when the change was applied before).
  const accountAfter = async (applied: Account | null) =>
    applied ?? ((await AccountModel.findById(p.accountId).lean()) as Account | null) ?? missingAccount(p);
  let result: string;
  if (p.purpose === 'bill') {
    const bill =
      (await BillModel.findOneAndUpdate(
        { _id: p.billId, status: 'unpaid' },
        { $set: { status: 'paid', paidAt: p.paidAt ?? new Date(), paidByPaymentId: p._id, lateFeePaidFen: p.lateFeeFen ?? 0, openPaymentId: null } },
        { returnDocument: 'after', projection: { paidByPaymentId: 1 } },
      ).lean()) ?? (await BillModel.findById(p.billId, { paidByPaymentId: 1 }).lean());
    if (bill?.paidByPaymentId && bill.paidByPaymentId.equals(p._id)) {
      await creditPaidBill(p, key, p.accountId, p.billAmountFen);
      result = 'bill_paid';
    } else {
      // The bill was already paid by another payment: a double payment. Refund it and tell staff.
      await flagPayment(p, 'double_payment', `账单已由其他支付结清，本笔 ${p.amountFen} 分自动退款`);
      await refundPayment(cfg, p, { amountFen: p.amountFen, reason: '重复缴费自动退款', by: 'system' }).catch(() => undefined);
      result = 'double_payment';
    }
  } else {
    const after = await accountAfter(await applyOnceToAccount(p.accountId, key, { $inc: { balanceFen: p.amountFen } }));
    if (after.balanceFen >= 0) {
      if (after.supplyState === 'disconnected') await reconnectOnce(after, key, `智能交费余额已恢复（充值 ${p.outTradeNo}），远程复电`);
      await AccountModel.updateOne({ _id: after._id, supplyState: { $ne: 'normal' }, balanceFen: { $gte: 0 } }, { $set: { supplyState: 'normal' } });
      await PrepaidStateModel.updateOne({ _id: after._id }, { $set: { negativeSinceDay: null } });
    }
    result = 'balance_credited';
  }
  // Told once (keyed on the payment) before the credit is marked done: a crash in between is re-run by reconciliation.
  if (result !== 'double_payment') await paymentSettledNotice(p);
  await PaymentModel.updateOne({ _id: p._id, creditedAt: null }, { $set: { creditedAt: new Date(), creditResult: result } });
  return result;
}

/**
 * The account side of a bill this payment paid: arrears down by the bill once (keyed), then the supply
 * state as arrears allow (back to normal, or a reconnection order for a disconnected account). Shared by
 * single and batch (合并缴费, one key per bill) payments.
 */
export async function creditPaidBill(p: Pick<Payment, 'outTradeNo' | 'accountId'>, key: string, accountId: Types.ObjectId, billFen: number) {
  const applied = await applyOnceToAccount(accountId, key, { $inc: { arrearsFen: -billFen } });
  const account = applied ?? ((await AccountModel.findById(accountId).lean()) as Account | null) ?? missingAccount(p);
  if (account.arrearsFen <= 0) {
    if (account.supplyState === 'disconnected') await reconnectOnce(account, key, `欠费已结清（支付 ${p.outTradeNo}），请安排复电`);
    else if (account.supplyState === 'arrears')
      await AccountModel.updateOne({ _id: account._id, supplyState: 'arrears', arrearsFen: { $lte: 0 } }, { $set: { supplyState: 'normal' } });
  }
  return account;
}

function missingAccount(p: Pick<Payment, 'outTradeNo' | 'accountId'>): never {
  throw new Error(`account ${p.accountId} of payment ${p.outTradeNo} missing`);
}

/** A reconnection request per payment; skipped if one for this account is already under way. */
async function reconnectOnce(account: Account, key: string, reason: string) {
  const recent = await ReconnectRequestModel.findOne({ accountId: account._id, createdAt: { $gte: new Date(Date.now() - 7 * 86_400_000) } }).lean();
  if (recent && recent._id !== key) return;
  await requestReconnection(account, key, reason);
  if (account.paymentMode === 'prepaid') {
    const notice = {
      key: `reconnected:${key}`,
      accountId: account._id,
      kind: 'reconnected',
      title: '已为您远程复电',
      body: '欠费已结清，已为您远程恢复供电。',
      createdAt: new Date(),
    };
    await BillingNoticeModel.create(notice).catch((e) => {
      if (!isDuplicateKeyError(e)) throw e;
    });
    await accountNotice(notice);
  }
}

export async function flagPayment(p: Payment, kind: string, note: string) {
  await PaymentModel.updateOne({ _id: p._id, 'flags.kind': { $ne: kind } }, { $push: { flags: { kind, note, at: new Date() } } });
  await InAppNotificationModel.create({
    key: `payment:${p._id}:${kind}`,
    recipientRole: 'supervisor',
    kind: `billing.${kind}`,
    title: kind === 'double_payment' ? '重复缴费已自动退款' : kind === 'batch_partial_refund' ? '合并缴费部分退款' : '支付异常',
    body: `户号 ${p.accountNumber}，订单 ${p.outTradeNo}：${note}`,
    createdAt: new Date(),
  }).catch((e) => {
    if (!isDuplicateKeyError(e)) throw e;
  });
}

// ---------------------------------------------------------------------------------------------
// Closing and refunding

/** Closes an open payment at WeChat and here; if WeChat says it was paid, settles it instead. */
export async function closeAtWechat(cfg: Config, p: Payment, reason: string): Promise<'closed' | 'paid' | 'error'> {
  const client = wechatPayFor(cfg);
  const r = await client.close(p.outTradeNo);
  if (r.status === 400 && r.code === 'ORDERPAID') {
    const q = await client.queryByOutTradeNo(p.outTradeNo);
    if (q.status === 200 && q.data && (q.data.trade_state === 'SUCCESS' || q.data.trade_state === 'REFUND')) {
      await settleTransaction(cfg, q.data, 'query');
      return 'paid';
    }
    return 'error';
  }
  if (!(r.status === 204 || r.status === 200 || (r.status === 404 && r.code === 'ORDER_NOT_EXIST') || r.code === 'ORDER_CLOSED')) return 'error';
  await markClosed(p, reason);
  return 'closed';
}

async function markClosed(p: Payment, reason: string) {
  await PaymentModel.updateOne(
    { _id: p._id, status: { $in: ['created', 'paying'] } },
    { $set: { status: 'closed', closedAt: new Date(), closeReason: reason } },
  );
  if (p.billId) await BillModel.updateOne({ _id: p.billId, openPaymentId: p._id }, { $set: { openPaymentId: null } });
  if (p.purpose === 'batch') await releaseBatchClaims(p);
}

/** Refunds a paid payment (whole or part). The request is recorded first, so it is sent once and retried. */
export async function refundPayment(cfg: Config, p: Payment, r: { amountFen: number; reason: string; by: string }) {
  const outRefundNo = `R${p.outTradeNo}`.slice(0, 64);
  await PaymentModel.updateOne(
    { _id: p._id, status: 'paid', refund: null },
    { $set: { refund: { outRefundNo, amountFen: r.amountFen, reason: r.reason, by: r.by, requestedAt: new Date(), status: 'pending' } } },
  );
  const cur = await PaymentModel.findById(p._id).lean();
  if (!cur?.refund || cur.refund.status !== 'pending') return cur;
  const res = await wechatPayFor(cfg).refund({
    outTradeNo: cur.outTradeNo,
    outRefundNo: cur.refund.outRefundNo!,
    reason: cur.refund.reason ?? r.reason,
    refundFen: cur.refund.amountFen!,
    totalFen: cur.amountFen,
  });
  if (res.status !== 200 || !res.data) throw new Error(`refund failed: ${res.code ?? res.status} ${res.message ?? ''}`);
  // The payer is told once (keyed on the payment) before the refund is marked done: a crash in between is re-run by reconciliation.
  await refundNotice(cur, { amountFen: cur.refund.amountFen!, reason: cur.refund.reason ?? r.reason });
  return PaymentModel.findOneAndUpdate(
    { _id: p._id, 'refund.status': 'pending' },
    {
      $set: {
        // A 合并缴费 refunded for some of its bills stays paid (the other bills are paid by it).
        status: cur.purpose === 'batch' && cur.refund.amountFen! < cur.amountFen ? 'paid' : 'refunded',
        'refund.refundId': res.data.refund_id,
        'refund.status': res.data.status === 'SUCCESS' ? 'SUCCESS' : 'PROCESSING',
        'refund.doneAt': new Date(),
      },
    },
    { returnDocument: 'after' },
  ).lean();
}

// ---------------------------------------------------------------------------------------------
// Reads

export async function paymentStatus(user: AccessClaims, paymentId: string) {
  return toPaymentView(await loadAccessiblePayment(user, paymentId, 'status'));
}

export async function paymentHistory(user: AccessClaims, input: { accountId?: string; limit?: number }) {
  const limit = Math.min(input.limit ?? 50, 200);
  if (input.accountId) {
    const { account } = await loadAccessibleAccount(user, input.accountId, 'payments');
    const list = await PaymentModel.find({ accountId: account._id }).sort({ createdAt: -1 }).limit(limit).lean();
    // Someone else's 代缴 shows as a payment to the account, without who paid.
    return withBillPeriods(list);
  }
  const mine = await PaymentModel.find({ userId: new Types.ObjectId(user.sub) })
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean();
  return withBillPeriods(mine);
}

/**
 * The billing period (账期) each bill payment paid, for the payment history: from its bill, or — for a month
 * settled before live billing (history only, no bill document) — the history month paid at that instant.
 */
async function withBillPeriods(docs: Payment[]): Promise<(PaymentView & { period: string | null })[]> {
  const ids = [
    ...new Set(
      docs
        .map((p) => p.billId)
        .filter((id): id is Types.ObjectId => !!id)
        .map(String),
    ),
  ].map((id) => new Types.ObjectId(id));
  const bills = ids.length ? await BillModel.find({ _id: { $in: ids } }, { period: 1 }).lean() : [];
  const byBill = new Map(bills.map((b) => [String(b._id), b.period]));
  const orphans = docs.filter((p) => p.purpose === 'bill' && p.paidAt && !(p.billId && byBill.has(String(p.billId))));
  const byPaidAt = new Map<string, string>();
  if (orphans.length) {
    const accountIds = [...new Set(orphans.map((p) => String(p.accountId)))].map((id) => new Types.ObjectId(id));
    const histories = (await UsageHistoryModel.find({ _id: { $in: accountIds } }, { 'months.period': 1, 'months.paidAt': 1 }).lean()) as unknown as {
      _id: Types.ObjectId;
      months?: { period?: string | null; paidAt?: Date | null }[];
    }[];
    for (const h of histories) {
      for (const m of h.months ?? []) if (m.paidAt && m.period) byPaidAt.set(`${h._id}:${new Date(m.paidAt).getTime()}`, m.period);
    }
  }
  return docs.map((p) => ({
    ...toPaymentView(p),
    period:
      p.purpose !== 'bill'
        ? null
        : ((p.billId && byBill.get(String(p.billId))) ?? (p.paidAt ? (byPaidAt.get(`${p.accountId}:${p.paidAt.getTime()}`) ?? null) : null)),
  }));
}

// ---------------------------------------------------------------------------------------------
// Reconciliation job (查单): payments whose notice never came, expiry, unfinished credits and refunds

export async function reconcilePayments(cfg: Config, opts: { now?: Date; queryAfterMs?: number; limit?: number } = {}) {
  const now = opts.now ?? new Date();
  const queryAfter = opts.queryAfterMs ?? QUERY_AFTER_MS;
  const limit = opts.limit ?? 200;
  const client = wechatPayFor(cfg);
  const stats = { queried: 0, settled: 0, closed: 0, credited: 0, refunds: 0, reconnections: 0, errors: 0 };
  const open = await PaymentModel.find({
    status: { $in: ['created', 'paying'] },
    createdAt: { $lte: new Date(now.getTime() - queryAfter) },
    $or: [{ lastQueriedAt: null }, { lastQueriedAt: { $lte: new Date(now.getTime() - 60_000) } }],
  })
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean();
  for (const p of open) {
    try {
      stats.queried++;
      await PaymentModel.updateOne({ _id: p._id }, { $set: { lastQueriedAt: now } });
      const q = await client.queryByOutTradeNo(p.outTradeNo);
      if (q.status === 200 && q.data) {
        const s = q.data.trade_state;
        if (s === 'SUCCESS' || s === 'REFUND') {
          await settleTransaction(cfg, q.data, 'query');
          stats.settled++;
        } else if (s === 'CLOSED' || s === 'REVOKED' || s === 'PAYERROR') {
          await markClosed(p, `wechat ${s}`);
          stats.closed++;
        } else if (p.expiresAt <= now) {
          if ((await closeAtWechat(cfg, p, 'expired')) === 'closed') stats.closed++;
          else stats.settled++;
        }
      } else if (q.status === 404 && q.code === 'ORDER_NOT_EXIST') {
        if (p.expiresAt <= now || p.status === 'created') {
          await markClosed(p, 'not at wechat');
          stats.closed++;
        }
      } else stats.errors++;
    } catch {
      stats.errors++;
    }
  }
  for (const p of await PaymentModel.find({ status: 'paid', creditedAt: null }).limit(limit).lean()) {
    try {
      await applyCredit(cfg, p);
      stats.credited++;
    } catch {
      stats.errors++;
    }
  }
  for (const p of await PaymentModel.find({ status: 'paid', 'refund.status': 'pending' }).limit(limit).lean()) {
    try {
      await refundPayment(cfg, p, { amountFen: p.refund!.amountFen!, reason: p.refund!.reason!, by: p.refund!.by! });
      stats.refunds++;
    } catch {
      stats.errors++;
    }
  }
  stats.reconnections = await retryPendingReconnections(limit);
  return stats;
}
