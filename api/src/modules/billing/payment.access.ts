import { Types } from 'mongoose';
import type { AccessClaims } from '../auth/tokens';
import type { Role } from '../auth/user.model';
import { accountAccessFilter, isEnterpriseUser, isStaff, loadAccessibleAccount } from '../accounts/account.access';
import { AccountModel } from '../accounts/account.model';
import { PaymentModel } from './billing.model';
import { DomainError } from '../../lib/errors';

export type Payment = NonNullable<Awaited<ReturnType<typeof findPayment>>>;
const findPayment = (id: Types.ObjectId) => PaymentModel.findOne({ _id: id }).lean();

/**
 * What a caller wants with one payment:
 * - status: its state (the payer polling after a QR scan; billing staff answering an enquiry; the 户主 of
 *   the account, who sees it in the account's payment history without who paid);
 * - documents: its receipt and e-invoice — the payer's alone (or their enterprise's admin and finance).
 *   Nobody issues or downloads an invoice for a customer except the customer.
 */
export type PaymentNeed = 'status' | 'documents';

const BILLING_STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];
const notFound = () => new DomainError('NOT_FOUND', '支付记录不存在');

/** Object-level rule for one payment; others get the same NOT_FOUND as for an unknown id. */
export async function loadAccessiblePayment(user: AccessClaims, paymentId: string, need: PaymentNeed): Promise<Payment> {
  if (!Types.ObjectId.isValid(paymentId)) throw notFound();
  const p = await findPayment(new Types.ObjectId(paymentId));
  if (!p) throw notFound();
  if (isStaff(user)) {
    if (need === 'status' && user.roles.some((r) => BILLING_STAFF.includes(r))) return p;
    throw notFound();
  }
  if (isEnterpriseUser(user)) {
    // The enterprise's payments belong to the enterprise: its admin and finance, within their site scope.
    if (p.purpose === 'batch') {
      // 合并缴费: every account it covers must be within the caller's scope.
      const scope = await accountAccessFilter(user, 'payments');
      const ids = [...new Set((p.lines ?? []).map((l) => String(l.accountId)))].map((id) => new Types.ObjectId(id));
      if (!scope || !ids.length || (await AccountModel.countDocuments({ $and: [scope, { _id: { $in: ids } }] })) !== ids.length) throw notFound();
      return p;
    }
    await loadAccessibleAccount(user, String(p.accountId), 'payments').catch(() => {
      throw notFound();
    });
    return p;
  }
  if (p.userId && String(p.userId) === user.sub) return p;
  if (need === 'status') {
    await loadAccessibleAccount(user, String(p.accountId), 'payments').catch(() => {
      throw notFound();
    });
    return p;
  }
  throw notFound();
}
