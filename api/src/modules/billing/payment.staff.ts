/**
 * Staff side of payments (支付查询与退款): find a customer's payments by account or order number, see the
 * flagged ones (double payments refunded automatically, mismatches), and know which may be refunded.
 */
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { maskName } from '../../lib/mask';
import { AccountModel } from '../accounts/account.model';
import type { AccessClaims } from '../auth/tokens';
import { recordAudit } from '../audit/audit.service';
import { PaymentModel } from './billing.model';
import { applyOnceToAccount, refundPayment, toPaymentView, type PaymentView } from './payment.service';
import { DomainError } from '../../lib/errors';

type RefundFacts = { status: string; refund?: unknown; purpose: string; creditResult?: string | null };

/**
 * Why staff may not refund a payment, or null when they may. Money that settled a bill is not refunded
 * from here: the bill would be open again, so that goes through an account adjustment instead.
 */
export function refundRefusal(p: RefundFacts): { code: 'CONFLICT' | 'BAD_REQUEST'; message: string } | null {
  if (p.status !== 'paid' || p.refund) return { code: 'CONFLICT', message: '该笔支付不可退款（未支付或已退款）' };
  // 合并缴费 refunds the bills paid elsewhere by itself; the bills it paid are settled money.
  if (p.purpose === 'batch') return { code: 'CONFLICT', message: '合并缴费已结清账单，不可人工退款（重复缴纳部分已自动退款）' };
  if (p.purpose === 'bill' && p.creditResult === 'bill_paid')
    return { code: 'BAD_REQUEST', message: '已用于结清账单的缴费不能直接退款，请走账务调整流程' };
  return null;
}

export interface StaffPaymentView extends PaymentView {
  holderNameMasked: string;
  refundable: boolean;
}

export interface PaymentSearch {
  accountNumber?: string;
  outTradeNo?: string;
  flagged?: boolean;
  limit?: number;
}

/** Newest first; with no criteria, the latest payments. Holder names stay masked. */
export async function searchPayments(q: PaymentSearch): Promise<StaffPaymentView[]> {
  const filter: Record<string, unknown> = {};
  if (q.outTradeNo) filter.outTradeNo = q.outTradeNo;
  if (q.accountNumber) filter.accountNumber = q.accountNumber;
  if (q.flagged) filter['flags.0'] = { $exists: true };
  const list = await PaymentModel.find(filter)
    .sort({ createdAt: -1 })
    .limit(q.limit ?? 50)
    .lean();
  const ids = [...new Set(list.map((p) => String(p.accountId)))];
  const holders = new Map((await AccountModel.find({ _id: { $in: ids } }, { holderName: 1 }).lean()).map((a) => [String(a._id), a.holderName]));
  return list.map((p) => ({
    ...toPaymentView(p),
    holderNameMasked: maskName(holders.get(String(p.accountId)) ?? ''),
    refundable: refundRefusal(p) === null,
  }));
}

/** Staff refund of an overpayment (prepaid balance, or a flagged payment), with a reason; audited before it is sent. */
export async function staffRefund(
  cfg: Config,
  user: AccessClaims,
  paymentId: string,
  amountFen: number | undefined,
  reason: string,
  ip: string | null,
): Promise<StaffPaymentView> {
  const p = Types.ObjectId.isValid(paymentId) ? await PaymentModel.findById(paymentId).lean() : null;
  if (!p) throw new DomainError('NOT_FOUND', '支付记录不存在');
  const refusal = refundRefusal(p);
  if (refusal) throw new DomainError(refusal.code, refusal.message);
  const amount = amountFen ?? p.amountFen;
  if (!Number.isInteger(amount) || amount <= 0 || amount > p.amountFen)
    throw new DomainError('BAD_REQUEST', `退款金额应在 0.01 元至 ${(p.amountFen / 100).toFixed(2)} 元之间`);
  if (p.purpose === 'recharge') {
    // Take the refunded amount back out of the balance first, only if the balance still holds it.
    const done = await applyOnceToAccount(p.accountId, `refund:${p._id}`, { $inc: { balanceFen: -amount } }, { balanceFen: { $gte: amount } });
    if (!done) {
      const acc = await AccountModel.collection.findOne({ _id: p.accountId, billingApplied: `refund:${p._id}` });
      if (!acc) throw new DomainError('BAD_REQUEST', '余额不足，不能退回该金额');
    }
  }
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'payment.refund',
    targetType: 'payment',
    targetId: paymentId,
    reason,
    ip,
    detail: { amountFen: amount, outTradeNo: p.outTradeNo },
  });
  await refundPayment(cfg, p, { amountFen: amount, reason, by: user.sub }).catch((err) => {
    throw new DomainError('SERVICE_UNAVAILABLE', `退款请求未成功，系统将自动重试（${(err as Error).message}）`);
  });
  const [view] = await searchPayments({ outTradeNo: p.outTradeNo, limit: 1 });
  return view;
}
