import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import type { AccessClaims } from '../auth/tokens';
import { ENTERPRISE_ROLES, STAFF_ROLES } from '../auth/user.model';
import { AccountModel, BindingModel, type Account, type Relation } from './account.model';

export const isStaff = (u: AccessClaims) => u.roles.some((r) => STAFF_ROLES.includes(r));
export const isEnterpriseUser = (u: AccessClaims) => u.roles.some((r) => ENTERPRISE_ROLES.includes(r));

/**
 * Object-level rule for accounts: residents reach accounts bound to them, enterprise users the
 * accounts of their enterprise, staff any account (masked unless they unmask with a reason).
 * Every procedure that takes an account id goes through here.
 */
export async function loadAccessibleAccount(user: AccessClaims, accountId: string): Promise<{ account: Account; relation: Relation | null }> {
  const notFound = new TRPCError({ code: 'NOT_FOUND', message: '户号不存在或无权访问' });
  if (!Types.ObjectId.isValid(accountId)) throw notFound;
  const account = (await AccountModel.findById(accountId).lean()) as Account | null;
  if (!account) throw notFound;
  if (isStaff(user)) return { account, relation: null };
  if (isEnterpriseUser(user)) {
    if (user.ent && account.enterpriseId && String(account.enterpriseId) === user.ent) return { account, relation: 'enterprise' };
    throw notFound;
  }
  const binding = await BindingModel.findOne({ userId: new Types.ObjectId(user.sub), accountId: account._id }).lean();
  if (!binding) throw notFound; // same answer as "no such account": ids of others reveal nothing
  return { account, relation: binding.relation as Relation };
}
