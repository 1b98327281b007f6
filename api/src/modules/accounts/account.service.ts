import { Types } from 'mongoose';
import { maskAddress, maskName, maskPhone } from '../../lib/mask';
import { isDuplicateKeyError } from '../../db/connect';
import type { AccessClaims } from '../auth/tokens';
import { sendSmsCode, verifySmsCode } from '../auth/sms-code';
import type { SmsProvider } from '../notify/sms-provider';
import { accountAccessFilter, isEnterpriseUser } from './account.access';
import { recordAudit } from '../audit/audit.service';
import { assertUnderLimit, consumeLimit, recordFailure } from '../limits/rate-limit.service';
import { AccountModel, BindAttemptModel, BindingModel, bindingLevelOf, type Account, type BindingLevel, type Relation } from './account.model';
import { DomainError } from '../../lib/errors';

export interface AccountSummary {
  id: string;
  number: string;
  holderNameMasked: string;
  addressMasked: string;
  /** The phone on file, masked — only for the account's 户主 (or its enterprise): a name-only follower gets null. */
  phoneMasked: string | null;
  relation: Relation;
  /** follow: bound by name (pay and notices); holder: 户主 (verified by the phone on file, or the enterprise). */
  level: BindingLevel;
  usageCategory: 'residential' | 'commercial' | 'industrial';
  paymentMode: 'postpaid' | 'prepaid';
  supplyState: 'normal' | 'arrears' | 'disconnected';
  balanceFen: number;
  arrearsFen: number;
  transformerAreaName: string;
  areaType: 'urban' | 'rural' | 'remote';
}

export const MAX_BOUND_ACCOUNTS = 20;

export function toAccountSummary(a: Account, relation: Relation, level: BindingLevel = 'holder'): AccountSummary {
  return {
    id: String(a._id),
    number: a.number,
    // An enterprise's own users see its own name in full (it is their company); people's names stay masked.
    holderNameMasked: relation === 'enterprise' ? a.holderName : maskName(a.holderName),
    addressMasked: maskAddress(a.address),
    phoneMasked: level === 'holder' ? maskPhone(a.phone) : null,
    relation,
    level,
    usageCategory: a.usageCategory as AccountSummary['usageCategory'],
    paymentMode: a.paymentMode as AccountSummary['paymentMode'],
    supplyState: a.supplyState as AccountSummary['supplyState'],
    balanceFen: a.balanceFen,
    arrearsFen: a.arrearsFen,
    transformerAreaName: a.transformerAreaName,
    areaType: a.areaType as AccountSummary['areaType'],
  };
}

/** Residents: their bound accounts. Enterprise users: the accounts of their enterprise within their site scope. */
export async function listMyAccounts(user: AccessClaims): Promise<AccountSummary[]> {
  if (isEnterpriseUser(user)) {
    const filter = await accountAccessFilter(user, 'view');
    if (!filter) return [];
    const accounts = (await AccountModel.find(filter).sort({ number: 1 }).limit(500).lean()) as Account[];
    return accounts.map((a) => toAccountSummary(a, 'enterprise'));
  }
  const bindings = await BindingModel.find({ userId: new Types.ObjectId(user.sub) })
    .sort({ createdAt: 1 })
    .lean();
  if (bindings.length === 0) return [];
  const accounts = (await AccountModel.find({ _id: { $in: bindings.map((b) => b.accountId) } }).lean()) as Account[];
  const byId = new Map(accounts.map((a) => [String(a._id), a]));
  return bindings.flatMap((b) => {
    const a = byId.get(String(b.accountId));
    return a ? [toAccountSummary(a, b.relation as Relation, bindingLevelOf(b))] : [];
  });
}

async function findByNumber(number: string): Promise<Account> {
  const a = (await AccountModel.findOne({ number }).lean()) as Account | null;
  if (!a) throw new DomainError('NOT_FOUND', '未找到该户号，请核对后重试');
  return a;
}

/** Binding step 1: is there such an account, and may the code path be offered? Counted against guessing. */
export async function lookupAccount(user: AccessClaims, ip: string, number: string) {
  await consumeLimit('numberLookup', { user: user.sub, ip });
  const a = await findByNumber(number);
  // No phone digits here, masked or not: the masked number appears only once a code was sent to it.
  return { number: a.number, holderNameMasked: maskName(a.holderName), phoneOnFile: Boolean(a.phone) };
}

const bindSubjects = (user: AccessClaims, ip: string, number: string) => ({ user: user.sub, ip, account: number });

function tooManyBindFailures(per: 'user' | 'ip' | 'account', resetsAt: number): string {
  const min = Math.max(1, Math.ceil((resetsAt - Date.now()) / 60_000));
  return per === 'account' ? `该户号验证失败次数过多，请${min}分钟后再试，或由户主用预留手机号验证` : `尝试次数过多，请${min}分钟后再试`;
}

async function recordBindFailure(user: AccessClaims, ip: string, number: string): Promise<number> {
  const [left] = await Promise.all([
    recordFailure('bindFailure', bindSubjects(user, ip, number)),
    BindAttemptModel.create({ userId: new Types.ObjectId(user.sub), accountNumber: number, ip, at: new Date() }),
  ]);
  return left;
}

async function createBinding(user: AccessClaims, account: Account, relation: Relation, verifiedBy: 'holder_name' | 'sms_code', ip: string) {
  const userId = new Types.ObjectId(user.sub);
  const level: BindingLevel = verifiedBy === 'sms_code' ? 'holder' : 'follow';
  const existing = await BindingModel.findOne({ userId, accountId: account._id }).lean();
  if (existing) {
    // A code to the phone on file upgrades a name-only binding to 户主; anything else is a repeat.
    // The relation stays what the person said when they bound it (the code form's default is not an answer).
    if (level === 'holder' && bindingLevelOf(existing) === 'follow') {
      const kept = existing.relation as Relation;
      await BindingModel.updateOne({ _id: existing._id, level: { $ne: 'holder' } }, { $set: { level: 'holder', verifiedBy } });
      await recordAudit({
        actorId: user.sub,
        actorRoles: user.roles,
        action: 'account.bind_upgrade',
        targetType: 'account',
        targetId: String(account._id),
        reason: 'verified by sms_code',
        ip,
        detail: { relation: kept },
      });
      return toAccountSummary(account, kept, 'holder');
    }
    throw new DomainError('CONFLICT', '该户号已绑定，无需重复绑定');
  }
  const count = await BindingModel.countDocuments({ userId });
  if (count >= MAX_BOUND_ACCOUNTS) {
    throw new DomainError('BAD_REQUEST', `最多绑定${MAX_BOUND_ACCOUNTS}个户号`);
  }
  try {
    await BindingModel.create({ userId, accountId: account._id, relation, verifiedBy, level });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new DomainError('CONFLICT', '该户号已绑定，无需重复绑定');
    throw err;
  }
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'account.bind',
    targetType: 'account',
    targetId: String(account._id),
    reason: `verified by ${verifiedBy}`,
    ip,
    detail: { relation, level },
  });
  return toAccountSummary(account, relation, level);
}

const normaliseName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/** Confirming the holder's full name gives the follow level: pay, bills, notices — nobody's orders or documents. */
export async function bindByHolderName(user: AccessClaims, ip: string, number: string, holderName: string, relation: Relation) {
  // Limited per user, per client address and per account across all users, so a second WeChat user does not start again.
  await assertUnderLimit('bindFailure', bindSubjects(user, ip, number), tooManyBindFailures);
  const account = await findByNumber(number);
  if (normaliseName(account.holderName) !== normaliseName(holderName)) {
    const remaining = await recordBindFailure(user, ip, number);
    throw new DomainError(
      remaining > 0 ? 'BAD_REQUEST' : 'TOO_MANY_REQUESTS',
      remaining > 0 ? `户名与户号不匹配，还可尝试${remaining}次` : '尝试次数过多，请1小时后再试',
    );
  }
  return createBinding(user, account, relation, 'holder_name', ip);
}

/** The code path does not count the account's name failures: the real holder can always bind with their phone. */
const codeSubjects = (user: AccessClaims, ip: string) => ({ user: user.sub, ip });

export async function sendBindCode(sms: SmsProvider, user: AccessClaims, ip: string, number: string, dailyCap: number) {
  await assertUnderLimit('bindFailure', codeSubjects(user, ip), tooManyBindFailures);
  await consumeLimit('numberLookup', { user: user.sub, ip });
  const account = await findByNumber(number);
  if (!account.phone) throw new DomainError('BAD_REQUEST', '该户号未登记手机号，请使用户名验证');
  await sendSmsCode(sms, account.phone, 'bind', dailyCap);
  return { phoneMasked: maskPhone(account.phone)! };
}

/** The code sent to the phone on file gives the 户主 level, or upgrades a name-only binding to it. */
export async function bindBySmsCode(user: AccessClaims, ip: string, number: string, code: string, relation: Relation) {
  await assertUnderLimit('bindFailure', codeSubjects(user, ip), tooManyBindFailures);
  const account = await findByNumber(number);
  if (!account.phone) throw new DomainError('BAD_REQUEST', '该户号未登记手机号，请使用户名验证');
  try {
    await verifySmsCode(account.phone, 'bind', code);
  } catch (err) {
    await recordFailure('bindFailure', codeSubjects(user, ip));
    throw err;
  }
  return createBinding(user, account, relation, 'sms_code', ip);
}

export async function unbindAccount(user: AccessClaims, accountId: string) {
  if (!Types.ObjectId.isValid(accountId)) throw new DomainError('NOT_FOUND', '户号不存在或无权访问');
  const r = await BindingModel.deleteOne({ userId: new Types.ObjectId(user.sub), accountId: new Types.ObjectId(accountId) });
  if (r.deletedCount === 0) throw new DomainError('NOT_FOUND', '户号不存在或无权访问');
  await recordAudit({ actorId: user.sub, actorRoles: user.roles, action: 'account.unbind', targetType: 'account', targetId: accountId });
  return { ok: true as const };
}
