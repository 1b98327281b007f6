import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import { maskAddress, maskName, maskPhone } from '../../lib/mask';
import { isDuplicateKeyError } from '../../db/connect';
import type { AccessClaims } from '../auth/tokens';
import { sendSmsCode, verifySmsCode } from '../auth/sms-code';
import type { SmsProvider } from '../notify/sms-provider';
import { isEnterpriseUser } from './account.access';
import { recordAudit } from '../audit/audit.service';
import { AccountModel, BindAttemptModel, BindingModel, type Account, type Relation } from './account.model';

export interface AccountSummary {
  id: string;
  number: string;
  holderNameMasked: string;
  addressMasked: string;
  relation: Relation;
  usageCategory: 'residential' | 'commercial' | 'industrial';
  paymentMode: 'postpaid' | 'prepaid';
  supplyState: 'normal' | 'arrears' | 'disconnected';
  balanceFen: number;
  arrearsFen: number;
  transformerAreaName: string;
  areaType: 'urban' | 'rural' | 'remote';
}

export const MAX_BIND_FAILURES_PER_HOUR = 5;
export const MAX_BOUND_ACCOUNTS = 20;

export function toAccountSummary(a: Account, relation: Relation): AccountSummary {
  return {
    id: String(a._id),
    number: a.number,
    holderNameMasked: maskName(a.holderName),
    addressMasked: maskAddress(a.address),
    relation,
    usageCategory: a.usageCategory as AccountSummary['usageCategory'],
    paymentMode: a.paymentMode as AccountSummary['paymentMode'],
    supplyState: a.supplyState as AccountSummary['supplyState'],
    balanceFen: a.balanceFen,
    arrearsFen: a.arrearsFen,
    transformerAreaName: a.transformerAreaName,
    areaType: a.areaType as AccountSummary['areaType'],
  };
}

/** Residents: their bound accounts. Enterprise users: every account of their enterprise. */
export async function listMyAccounts(user: AccessClaims): Promise<AccountSummary[]> {
  if (isEnterpriseUser(user)) {
    if (!user.ent) return [];
    const accounts = (await AccountModel.find({ enterpriseId: new Types.ObjectId(user.ent) }).sort({ number: 1 }).limit(500).lean()) as Account[];
    return accounts.map((a) => toAccountSummary(a, 'enterprise'));
  }
  const bindings = await BindingModel.find({ userId: new Types.ObjectId(user.sub) }).sort({ createdAt: 1 }).lean();
  if (bindings.length === 0) return [];
  const accounts = (await AccountModel.find({ _id: { $in: bindings.map((b) => b.accountId) } }).lean()) as Account[];
  const byId = new Map(accounts.map((a) => [String(a._id), a]));
  return bindings.flatMap((b) => {
    const a = byId.get(String(b.accountId));
    return a ? [toAccountSummary(a, b.relation as Relation)] : [];
  });
}

async function findByNumber(number: string): Promise<Account> {
  const a = (await AccountModel.findOne({ number }).lean()) as Account | null;
  if (!a) throw new TRPCError({ code: 'NOT_FOUND', message: '未找到该户号，请核对后重试' });
  return a;
}

export async function lookupAccount(number: string) {
  const a = await findByNumber(number);
  return { number: a.number, holderNameMasked: maskName(a.holderName), phoneMasked: maskPhone(a.phone) };
}

async function assertBindAttemptsLeft(userId: string): Promise<number> {
  const since = new Date(Date.now() - 3600_000);
  const failures = await BindAttemptModel.countDocuments({ userId: new Types.ObjectId(userId), at: { $gte: since } });
  if (failures >= MAX_BIND_FAILURES_PER_HOUR) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: '尝试次数过多，请1小时后再试' });
  }
  return MAX_BIND_FAILURES_PER_HOUR - failures;
}

async function recordBindFailure(userId: string, number: string): Promise<void> {
  await BindAttemptModel.create({ userId: new Types.ObjectId(userId), accountNumber: number, at: new Date() });
}

async function createBinding(userId: string, account: Account, relation: Relation, verifiedBy: 'holder_name' | 'sms_code') {
  const count = await BindingModel.countDocuments({ userId: new Types.ObjectId(userId) });
  if (count >= MAX_BOUND_ACCOUNTS) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `最多绑定${MAX_BOUND_ACCOUNTS}个户号` });
  }
  try {
    await BindingModel.create({ userId: new Types.ObjectId(userId), accountId: account._id, relation, verifiedBy });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new TRPCError({ code: 'CONFLICT', message: '该户号已绑定，无需重复绑定' });
    throw err;
  }
  await recordAudit({
    actorId: userId, actorRoles: ['resident'], action: 'account.bind', targetType: 'account', targetId: String(account._id),
    reason: `verified by ${verifiedBy}`, detail: { relation },
  });
  return toAccountSummary(account, relation);
}

const normaliseName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

export async function bindByHolderName(user: AccessClaims, number: string, holderName: string, relation: Relation) {
  const left = await assertBindAttemptsLeft(user.sub);
  const account = await findByNumber(number);
  if (normaliseName(account.holderName) !== normaliseName(holderName)) {
    await recordBindFailure(user.sub, number);
    const remaining = left - 1;
    throw new TRPCError({
      code: remaining > 0 ? 'BAD_REQUEST' : 'TOO_MANY_REQUESTS',
      message: remaining > 0 ? `户名与户号不匹配，还可尝试${remaining}次` : '尝试次数过多，请1小时后再试',
    });
  }
  return createBinding(user.sub, account, relation, 'holder_name');
}

export async function sendBindCode(sms: SmsProvider, user: AccessClaims, number: string, dailyCap: number) {
  await assertBindAttemptsLeft(user.sub);
  const account = await findByNumber(number);
  if (!account.phone) throw new TRPCError({ code: 'BAD_REQUEST', message: '该户号未登记手机号，请使用户名验证' });
  await sendSmsCode(sms, account.phone, 'bind', dailyCap);
  return { phoneMasked: maskPhone(account.phone)! };
}

export async function bindBySmsCode(user: AccessClaims, number: string, code: string, relation: Relation) {
  await assertBindAttemptsLeft(user.sub);
  const account = await findByNumber(number);
  if (!account.phone) throw new TRPCError({ code: 'BAD_REQUEST', message: '该户号未登记手机号，请使用户名验证' });
  try {
    await verifySmsCode(account.phone, 'bind', code);
  } catch (err) {
    await recordBindFailure(user.sub, number);
    throw err;
  }
  return createBinding(user.sub, account, relation, 'sms_code');
}

export async function unbindAccount(user: AccessClaims, accountId: string) {
  if (!Types.ObjectId.isValid(accountId)) throw new TRPCError({ code: 'NOT_FOUND', message: '户号不存在或无权访问' });
  const r = await BindingModel.deleteOne({ userId: new Types.ObjectId(user.sub), accountId: new Types.ObjectId(accountId) });
  if (r.deletedCount === 0) throw new TRPCError({ code: 'NOT_FOUND', message: '户号不存在或无权访问' });
  await recordAudit({ actorId: user.sub, actorRoles: user.roles, action: 'account.unbind', targetType: 'account', targetId: accountId });
  return { ok: true as const };
}
