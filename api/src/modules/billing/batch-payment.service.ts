/**
 * 合并缴费: an enterprise's finance or admin pays up to 100 unpaid bills across its accounts (within
 * their site scope) with ONE WeChat Native order for the total. The payment record (purpose 'batch')
 * holds a line per bill: bill, account, bill fen and the late fee fixed at order time.
 *
 * Claims, without transactions. Each bill holds at most one open payment (`openPaymentId`), single or
 * batch alike. Creating a batch: (1) the short per-bill lock (`payLockUntil`, the same the single path
 * takes) on every bill, in id order, failing fast — two overlapping attempts never interleave and never
 * both lose; (2) older single orders on those bills are closed at WeChat (one paid meanwhile refuses the
 * batch), an open batch on any of them refuses it; (3) the payment is written, then each bill's pointer
 * is swapped to it by a guarded update — if any swap fails, the claims made are given back and the order
 * closed; (4) the prepay call; (5) the locks are released. Claims are given back when the order closes,
 * expires or fails (markClosed → releaseBatchClaims); a single payment never supersedes a batch.
 *
 * Settling (notification or query, via settleTransaction → applyCredit): every line once. Per line, the
 * bill moves unpaid → paid by this payment (guarded); if it did, the account is credited under the key
 * `pay:<paymentId>:<billId>` (arrears, supply state and reconnection exactly as the single path:
 * creditPaidBill); if the bill was paid by someone else meanwhile, the line is 'refunded'. Outcomes are
 * recorded on the line (guarded, null → outcome); once all lines have one, the refunded lines' total is
 * refunded through the existing refund path (recorded first, retried by reconciliation), the enterprise
 * users are told, and `creditedAt` closes the credit. Re-running finds every step done.
 */
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { isDuplicateKeyError } from '../../db/connect';
import { DomainError } from '../../lib/errors';
import { accountAccessFilter, isEnterpriseUser } from '../accounts/account.access';
import { AccountModel } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import type { AccessClaims } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { notify, yuan } from '../notify/customer-notice';
import { ACCOUNT_TEMPLATE_ID } from '../notify/wechat-subscribe';
import { formatShanghaiShort } from '../workorders/customer-view.rules';
import { siteNameOf, literalRegex } from '../portfolio/portfolio.rules';
import { BillModel, PaymentModel } from './billing.model';
import { BATCH_LOCK_MS, MAX_BATCH_BILLS, batchSettlement, batchTotals, normaliseBillIds } from './batch-payment.rules';
import { loadAccessiblePayment } from './payment.access';
import { billDue, closeAtWechat, creditPaidBill, flagPayment, notifyUrlFor, PAYMENT_TTL_MS, refundPayment } from './payment.service';
import { wechatPayFor } from './wechatpay.client';
import { randomBytes } from 'node:crypto';

type Payment = NonNullable<Awaited<ReturnType<typeof loadPaymentById>>>;
const loadPaymentById = (id: Types.ObjectId) => PaymentModel.findById(id).lean();

const periodLabel = (p: string) => {
  const m = /^(\d{4})-(\d{2})$/.exec(p);
  return m ? `${m[1]}年${Number(m[2])}月` : p;
};

// ---------------------------------------------------------------------------------------------
// Bills to choose from

export interface BatchBillsInput {
  search?: string;
  supplyState?: 'normal' | 'arrears' | 'disconnected';
  usageCategory?: 'residential' | 'commercial' | 'industrial';
  accountIds?: string[];
  limit?: number;
}

/** The unpaid bills the caller may pay together (oldest due first), each with its late fee to date. */
export async function listBatchBills(user: AccessClaims, input: BatchBillsInput, now = new Date()) {
  if (!isEnterpriseUser(user)) throw new DomainError('FORBIDDEN', '合并缴费仅限企业用户');
  const scope = await accountAccessFilter(user, 'pay');
  if (!scope) throw new DomainError('FORBIDDEN', '您没有缴费权限');
  const filter: Record<string, unknown> = { ...scope, paymentMode: 'postpaid', arrearsFen: { $gt: 0 } };
  if (input.supplyState) filter.supplyState = input.supplyState;
  if (input.usageCategory) filter.usageCategory = input.usageCategory;
  if (input.accountIds?.length) {
    const ids = input.accountIds.map((id) => new Types.ObjectId(id));
    filter._id = scope._id ? { $in: ids.filter((id) => (scope._id as { $in: Types.ObjectId[] }).$in.some((s) => s.equals(id))) } : { $in: ids };
  }
  if (input.search?.trim()) {
    const re = literalRegex(input.search.trim());
    filter.$or = [{ number: re }, { siteName: re }, { address: re }];
  }
  const accounts = await AccountModel.find(filter, { number: 1, siteName: 1, address: 1, supplyState: 1, usageCategory: 1 }).lean();
  const byId = new Map(accounts.map((a) => [String(a._id), a]));
  const bills = accounts.length
    ? await BillModel.find(
        { status: 'unpaid', accountId: { $in: accounts.map((a) => a._id) } },
        { accountId: 1, accountNumber: 1, period: 1, amountFen: 1, dueDay: 1, usageCategory: 1, openPaymentId: 1 },
      ).lean()
    : [];
  const open = bills.filter((b) => b.openPaymentId).map((b) => b.openPaymentId!);
  const openBatch = new Set(
    open.length
      ? (await PaymentModel.find({ _id: { $in: open }, purpose: 'batch', status: { $in: ['created', 'paying'] } }, { _id: 1 }).lean()).map((p) =>
          String(p._id),
        )
      : [],
  );
  const rows = bills.map((b) => {
    const a = byId.get(String(b.accountId))!;
    const due = billDue(b, now);
    return {
      billId: String(b._id),
      accountId: String(b.accountId),
      accountNumber: b.accountNumber,
      siteName: siteNameOf(a),
      supplyState: a.supplyState as 'normal' | 'arrears' | 'disconnected',
      usageCategory: a.usageCategory as 'residential' | 'commercial' | 'industrial',
      period: b.period,
      dueDay: b.dueDay,
      billFen: due.billFen,
      lateFeeFen: due.lateFeeFen,
      totalDueFen: due.totalFen,
      inOpenBatch: b.openPaymentId ? openBatch.has(String(b.openPaymentId)) : false,
    };
  });
  rows.sort((x, y) =>
    x.dueDay !== y.dueDay ? (x.dueDay < y.dueDay ? -1 : 1) : x.accountNumber < y.accountNumber ? -1 : x.accountNumber > y.accountNumber ? 1 : 0,
  );
  const limit = Math.min(input.limit ?? 500, 1000);
  return { total: rows.length, totalDueFen: rows.reduce((s, r) => s + r.totalDueFen, 0), rows: rows.slice(0, limit), max: MAX_BATCH_BILLS };
}

// ---------------------------------------------------------------------------------------------
// Creating a batch order

function newBatchOutTradeNo(now: Date) {
  const d = new Date(now.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(2, 14);
  return `PB${d}${BigInt(`0x${randomBytes(6).toString('hex')}`)
    .toString()
    .padStart(15, '0')
    .slice(0, 12)}`;
}

const gone = () => new DomainError('NOT_FOUND', '部分账单不存在或您无权缴纳，请刷新后重新选择');

export async function createBatchPayment(
  cfg: Config,
  user: AccessClaims,
  input: { billIds: string[] },
  opts: { ip?: string | null; localPort?: number; now?: Date } = {},
) {
  const now = opts.now ?? new Date();
  if (!isEnterpriseUser(user)) throw new DomainError('FORBIDDEN', '合并缴费仅限企业用户');
  const ids = normaliseBillIds(input.billIds);
  if (ids.length === 0) throw new DomainError('BAD_REQUEST', '请至少选择一张账单');
  if (ids.length > MAX_BATCH_BILLS) throw new DomainError('BAD_REQUEST', `一次最多合并缴纳${MAX_BATCH_BILLS}张账单`);
  if (!ids.every((id) => Types.ObjectId.isValid(id))) throw gone();
  const scope = await accountAccessFilter(user, 'pay');
  if (!scope) throw new DomainError('FORBIDDEN', '您没有缴费权限');
  const billOids = ids.map((id) => new Types.ObjectId(id));
  const bills = await BillModel.find({ _id: { $in: billOids } }).lean();
  if (bills.length !== ids.length) throw gone();
  const accountIds = [...new Set(bills.map((b) => String(b.accountId)))].map((id) => new Types.ObjectId(id));
  const accounts = await AccountModel.find({ $and: [scope, { _id: { $in: accountIds } }] }, { number: 1, enterpriseId: 1, paymentMode: 1 }).lean();
  if (accounts.length !== accountIds.length || accounts.some((a) => a.paymentMode !== 'postpaid')) throw gone();
  const paidAlready = bills.filter((b) => b.status !== 'unpaid');
  if (paidAlready.length) {
    throw new DomainError(
      'CONFLICT',
      `以下账单已缴清，请取消选择：${paidAlready.map((b) => `${b.accountNumber} ${periodLabel(b.period)}`).join('、')}`,
    );
  }
  const enterpriseId = accounts[0].enterpriseId;

  // (1) The per-bill locks, in id order, failing fast.
  const lockUntil = new Date(now.getTime() + BATCH_LOCK_MS);
  const locked: Types.ObjectId[] = [];
  const releaseLocks = () =>
    locked.length ? BillModel.updateMany({ _id: { $in: locked }, payLockUntil: lockUntil }, { $set: { payLockUntil: null } }) : null;
  try {
    for (const id of billOids) {
      const r = await BillModel.updateOne(
        { _id: id, status: 'unpaid', $or: [{ payLockUntil: null }, { payLockUntil: { $lte: now } }] },
        { $set: { payLockUntil: lockUntil } },
      );
      if (r.modifiedCount !== 1) throw new DomainError('CONFLICT', '部分账单正在发起支付，请稍后重试');
      locked.push(id);
    }

    // (2) Older orders on these bills: an open batch refuses; an open single order is closed (or found paid).
    const held = await BillModel.find({ _id: { $in: billOids } }, { status: 1, openPaymentId: 1, accountNumber: 1, period: 1 }).lean();
    const olderIds = held.filter((b) => b.openPaymentId).map((b) => b.openPaymentId!);
    const older = olderIds.length ? await PaymentModel.find({ _id: { $in: olderIds }, status: { $in: ['created', 'paying'] } }).lean() : [];
    const busyBatch = older.find((o) => o.purpose === 'batch');
    if (busyBatch) {
      const b = held.find((x) => x.openPaymentId?.equals(busyBatch._id))!;
      throw new DomainError('CONFLICT', `账单 ${b.accountNumber} ${periodLabel(b.period)} 已在另一笔合并缴费订单中，请完成或等待该订单关闭`);
    }
    for (const o of older) {
      const r = await closeAtWechat(cfg, o, 'superseded');
      if (r === 'paid') throw new DomainError('CONFLICT', `账单 ${o.accountNumber} 已支付成功，请刷新后重新选择`);
      if (r === 'error') throw new DomainError('SERVICE_UNAVAILABLE', '上一笔支付正在处理，请稍后再试');
    }
    const fresh = await BillModel.find({ _id: { $in: billOids } }).lean();
    if (fresh.some((b) => b.status !== 'unpaid')) throw new DomainError('CONFLICT', '部分账单已缴清，请刷新后重新选择');
    const byId = new Map(fresh.map((b) => [String(b._id), b]));

    // (3) The order, then the claims.
    const lines = ids.map((id) => {
      const b = byId.get(id)!;
      const due = billDue(b, now);
      return {
        billId: b._id,
        accountId: b.accountId,
        accountNumber: b.accountNumber,
        period: b.period,
        billFen: due.billFen,
        lateFeeFen: due.lateFeeFen,
        outcome: null,
      };
    });
    lines.sort((a, b) => (a.accountNumber !== b.accountNumber ? (a.accountNumber < b.accountNumber ? -1 : 1) : a.period < b.period ? -1 : 1));
    const totals = batchTotals(lines);
    const client = wechatPayFor(cfg);
    const outTradeNo = newBatchOutTradeNo(now);
    const expiresAt = new Date(now.getTime() + PAYMENT_TTL_MS);
    const created = await PaymentModel.create({
      outTradeNo,
      purpose: 'batch',
      accountId: lines[0].accountId,
      accountNumber: lines[0].accountNumber,
      billId: null,
      billAmountFen: totals.billFen,
      lateFeeFen: totals.lateFeeFen,
      amountFen: totals.totalFen,
      channel: 'native',
      appid: client.settings.appid,
      mchid: client.settings.mchid,
      userId: new Types.ObjectId(user.sub),
      onBehalf: false,
      status: 'created',
      expiresAt,
      enterpriseId,
      lines,
    });
    const pid = created._id;
    const claimed: Types.ObjectId[] = [];
    const giveBack = async (reason: string) => {
      await PaymentModel.updateOne({ _id: pid, status: 'created' }, { $set: { status: 'closed', closedAt: new Date(), closeReason: reason } });
      await BillModel.updateMany({ _id: { $in: claimed }, openPaymentId: pid }, { $set: { openPaymentId: null } });
    };
    for (const l of lines) {
      const prev = byId.get(String(l.billId))!.openPaymentId ?? null;
      const r = await BillModel.updateOne({ _id: l.billId, status: 'unpaid', openPaymentId: prev }, { $set: { openPaymentId: pid } });
      if (r.modifiedCount !== 1) {
        await giveBack('claim conflict');
        throw new DomainError('CONFLICT', '部分账单正在支付中，请稍后重试');
      }
      claimed.push(l.billId);
    }

    // (4) One Native order for the total.
    const res = await client.prepayNative({
      outTradeNo,
      description: `电费合并缴费-${lines.length}笔`,
      amountFen: totals.totalFen,
      notifyUrl: notifyUrlFor(cfg, opts.localPort),
      expiresAt,
      attach: String(pid),
    });
    if (res.status === 0) throw new DomainError('SERVICE_UNAVAILABLE', '微信支付暂时无法连接，请稍后重试');
    if (res.status !== 200) {
      await giveBack(`prepay ${res.code ?? res.status}`);
      throw new DomainError('BAD_REQUEST', `微信支付下单失败：${res.message ?? res.code ?? res.status}`);
    }
    const codeUrl = (res.data as { code_url?: string } | undefined)?.code_url ?? null;
    await PaymentModel.updateOne({ _id: pid, status: 'created' }, { $set: { status: 'paying', codeUrl } });
    await recordAudit({
      actorId: user.sub,
      actorRoles: user.roles,
      action: 'payment.create',
      targetType: 'payment',
      targetId: String(pid),
      ip: opts.ip ?? null,
      detail: { outTradeNo, amountFen: totals.totalFen, purpose: 'batch', bills: lines.length, accounts: accountIds.length },
    });
    return {
      paymentId: String(pid),
      outTradeNo,
      amountFen: totals.totalFen,
      lateFeeFen: totals.lateFeeFen,
      billCount: lines.length,
      accountCount: accountIds.length,
      expiresAt: expiresAt.toISOString(),
      holderNameMasked: '',
      jsapiParams: null,
      codeUrl,
    };
  } finally {
    await releaseLocks();
  }
}

/** Gives back the bills a closed batch order held (closed, expired, failed prepay). */
export async function releaseBatchClaims(p: { _id: Types.ObjectId; lines?: { billId: Types.ObjectId }[] | null }) {
  const ids = (p.lines ?? []).map((l) => l.billId);
  if (ids.length) await BillModel.updateMany({ _id: { $in: ids }, openPaymentId: p._id }, { $set: { openPaymentId: null } });
}

// ---------------------------------------------------------------------------------------------
// Settling

type Line = NonNullable<Payment['lines']>[number];

/** One line: the bill paid by this payment (then the account credited once), or found paid elsewhere. */
async function settleLine(p: Payment, line: Line, paidAt: Date) {
  const bill =
    (await BillModel.findOneAndUpdate(
      { _id: line.billId, status: 'unpaid' },
      { $set: { status: 'paid', paidAt, paidByPaymentId: p._id, lateFeePaidFen: line.lateFeeFen, openPaymentId: null } },
      { returnDocument: 'after', projection: { paidByPaymentId: 1 } },
    ).lean()) ?? (await BillModel.findById(line.billId, { paidByPaymentId: 1 }).lean());
  let outcome: 'settled' | 'refunded';
  if (bill?.paidByPaymentId?.equals(p._id)) {
    await creditPaidBill(p, `pay:${p._id}:${line.billId}`, line.accountId, line.billFen);
    outcome = 'settled';
  } else {
    // Paid by another payment (or gone) meanwhile: this part goes back; the pointer, if still ours, too.
    await BillModel.updateOne({ _id: line.billId, openPaymentId: p._id }, { $set: { openPaymentId: null } });
    outcome = 'refunded';
  }
  await PaymentModel.updateOne(
    { _id: p._id },
    { $set: { 'lines.$[l].outcome': outcome } },
    { arrayFilters: [{ 'l.billId': line.billId, 'l.outcome': null }] },
  );
}

/** Credits every line of a paid batch once; refunds the lines paid elsewhere meanwhile. Idempotent. */
export async function applyBatchCredit(cfg: Config, p: Payment): Promise<string> {
  const paidAt = p.paidAt ?? new Date();
  const open = (p.lines ?? []).filter((l) => !l.outcome);
  // Lines are independent (each bill, credit and outcome is its own guarded write): ten at a time.
  for (let i = 0; i < open.length; i += 10) await Promise.all(open.slice(i, i + 10).map((line) => settleLine(p, line, paidAt)));
  const cur = (await loadPaymentById(p._id))!;
  const done = batchSettlement(cur.lines ?? []);
  if (!done) throw new Error(`batch ${p.outTradeNo}: lines left unsettled`);
  if (done.refundFen > 0) {
    const n = (cur.lines ?? []).filter((l) => l.outcome === 'refunded').length;
    await flagPayment(cur, 'batch_partial_refund', `${n}张账单已由其他支付结清，该部分 ${done.refundFen} 分自动退款`);
    await refundPayment(cfg, cur, {
      amountFen: done.refundFen,
      reason: `合并缴费中${n}张账单已由其他支付结清，自动退还该部分`,
      by: 'system',
    }).catch(() => undefined); // recorded first: reconciliation retries it
  }
  if (done.result !== 'batch_refunded') await batchSettledNotice(cur, done.refundFen);
  await PaymentModel.updateOne({ _id: p._id, creditedAt: null }, { $set: { creditedAt: new Date(), creditResult: done.result } });
  return done.result;
}

/**
 * 合并缴费成功: to the payer and the enterprise's admin and finance whose scope covers every account of
 * the order (a user limited to some sites hears about their own payments only), once per payment.
 */
async function batchSettledNotice(p: Payment, refundFen: number) {
  const lines = p.lines ?? [];
  const accountIds = new Set(lines.map((l) => String(l.accountId)));
  const users = p.enterpriseId
    ? await UserModel.find(
        { enterpriseId: p.enterpriseId, roles: { $in: ['enterprise_admin', 'enterprise_finance'] }, disabled: { $ne: true } },
        { siteAccountIds: 1 },
      ).lean()
    : [];
  const userIds = users
    .filter((u) => {
      const sites = (u.siteAccountIds ?? []).map(String);
      return !sites.length || [...accountIds].every((id) => sites.includes(id));
    })
    .map((u) => u._id);
  if (p.userId && !userIds.some((id) => id.equals(p.userId!))) userIds.push(p.userId);
  const at = p.paidAt ?? new Date();
  const settled = lines.filter((l) => l.outcome === 'settled').length;
  const paid = p.amountFen - refundFen;
  const title = '合并缴费成功';
  const refundText = refundFen > 0 ? `；${lines.length - settled}张账单已由其他支付结清，${yuan(refundFen)}将原路退回` : '';
  await notify([
    {
      key: `payment:${p._id}:settled`,
      kind: 'payment.settled',
      title,
      body: `合并缴费订单${p.outTradeNo}已支付成功：${accountIds.size}个户号的${settled}张账单共${yuan(paid)}已缴清${refundText}。`,
      smsBody: `您的企业合并缴费${settled}张账单共${yuan(paid)}已缴纳成功。`,
      link: `/home/batch-pay?paymentId=${p._id}`,
      page: null,
      templateId: ACCOUNT_TEMPLATE_ID,
      wechatData: {
        thing1: { value: title },
        amount2: { value: yuan(paid) },
        thing3: { value: `${settled}张账单` },
        time4: { value: formatShanghaiShort(at) },
      },
      accountId: null,
      accountNumber: null,
      audience: { userIds, topic: 'money' },
      at,
    },
  ]).catch((e) => {
    if (!isDuplicateKeyError(e)) throw e;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading a batch

export async function batchPaymentView(user: AccessClaims, paymentId: string) {
  const p = await loadAccessiblePayment(user, paymentId, 'status');
  if (p.purpose !== 'batch') throw new DomainError('NOT_FOUND', '支付记录不存在');
  const lines = p.lines ?? [];
  const accounts = await AccountModel.find({ _id: { $in: [...new Set(lines.map((l) => String(l.accountId)))] } }, { siteName: 1, address: 1 }).lean();
  const site = new Map(accounts.map((a) => [String(a._id), siteNameOf(a)]));
  const refundedFen = lines.filter((l) => l.outcome === 'refunded').reduce((s, l) => s + l.billFen + l.lateFeeFen, 0);
  return {
    id: String(p._id),
    outTradeNo: p.outTradeNo,
    status: p.status as 'created' | 'paying' | 'paid' | 'closed' | 'refunded',
    amountFen: p.amountFen,
    billFen: p.billAmountFen,
    lateFeeFen: p.lateFeeFen ?? 0,
    createdAt: (p.createdAt as Date).toISOString(),
    expiresAt: p.expiresAt.toISOString(),
    paidAt: p.paidAt ? p.paidAt.toISOString() : null,
    credited: !!p.creditedAt,
    refundedFen,
    refund: p.refund ? { amountFen: p.refund.amountFen ?? 0, status: p.refund.status ?? 'pending', reason: p.refund.reason ?? '' } : null,
    lines: lines.map((l) => ({
      billId: String(l.billId),
      accountId: String(l.accountId),
      accountNumber: l.accountNumber,
      siteName: site.get(String(l.accountId)) ?? '',
      period: l.period,
      billFen: l.billFen,
      lateFeeFen: l.lateFeeFen,
      totalFen: l.billFen + l.lateFeeFen,
      outcome: (l.outcome ?? null) as 'settled' | 'refunded' | null,
    })),
  };
}

/** The caller's recent batch orders (their enterprise's, within scope), newest first. */
export async function recentBatchPayments(user: AccessClaims, limit = 20) {
  if (!isEnterpriseUser(user)) return [];
  const scope = await accountAccessFilter(user, 'payments');
  if (!scope) return [];
  const ent = scope.enterpriseId as Types.ObjectId;
  const list = await PaymentModel.find(
    { purpose: 'batch', enterpriseId: ent },
    { lines: 1, outTradeNo: 1, status: 1, amountFen: 1, createdAt: 1, paidAt: 1, userId: 1 },
  )
    .sort({ createdAt: -1 })
    .limit(limit * 3)
    .lean();
  const sites = scope._id ? new Set((scope._id as { $in: Types.ObjectId[] }).$in.map(String)) : null;
  return list
    .filter((p) => !sites || (p.lines ?? []).every((l) => sites.has(String(l.accountId))))
    .slice(0, limit)
    .map((p) => ({
      id: String(p._id),
      outTradeNo: p.outTradeNo,
      status: p.status as 'created' | 'paying' | 'paid' | 'closed' | 'refunded',
      amountFen: p.amountFen,
      billCount: (p.lines ?? []).length,
      createdAt: (p.createdAt as Date).toISOString(),
      paidAt: p.paidAt ? p.paidAt.toISOString() : null,
    }));
}
