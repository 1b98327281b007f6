import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import type { AppServices } from '../../http/types';
import { DomainError } from '../../lib/errors';
import { maskAddress, maskName, maskPhone } from '../../lib/mask';
import { AccountModel, EnterpriseModel, type Account } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import { sendSmsCode, verifySmsCode } from '../auth/sms-code';
import { UserModel } from '../auth/user.model';
import { assertUnderLimit, consumeLimit, recordFailure } from '../limits/rate-limit.service';
import { JoinRequestModel } from './enterprise.model';
import { holderNameFor, type JoinRequestStatus } from './enterprise.rules';
import { ownVerifiedEnterprise, type Actor } from './enterprise.service';

/**
 * Accounts join a verified enterprise by number (issue 11), never by name alone: either with the code sent to
 * the phone on file (the same SMS code path as a resident's 户主 binding, purpose 'bind'), or by a request that
 * staff confirm. Joining is one guarded single-document update (`enterpriseId: null` → the enterprise).
 */

const oid = (id: string) => new Types.ObjectId(id);
/** A decided request frees its open key (a unique value, since not every server honours partial indexes). */
const closedKey = () => `closed:${new Types.ObjectId()}`;
const subjects = (actor: Actor, number?: string) => ({ user: actor.user.sub, ip: actor.ip, account: number });
const tooMany = (_per: 'user' | 'ip' | 'account', resetsAt: number) =>
  `验证失败次数过多，请${Math.max(1, Math.ceil((resetsAt - Date.now()) / 60_000))}分钟后再试，或申请客户经理确认`;

async function findAccount(number: string): Promise<Account> {
  const a = (await AccountModel.findOne({ number }).lean()) as Account | null;
  if (!a) throw new DomainError('NOT_FOUND', '未找到该户号，请核对后重试');
  return a;
}

function assertJoinable(a: Account, enterpriseId: Types.ObjectId) {
  if (a.enterpriseId?.equals(enterpriseId)) throw new DomainError('CONFLICT', '该户号已在本企业名下');
  if (a.enterpriseId) throw new DomainError('CONFLICT', '该户号已归属其他企业，不能加入本企业；如有疑问请联系客户经理');
}

/** What an admin sees before choosing how to verify: the holder masked, whether a phone is on file, whose it is. */
export async function joinLookup(actor: Actor, number: string) {
  const e = await ownVerifiedEnterprise(actor.user);
  await consumeLimit('numberLookup', { user: actor.user.sub, ip: actor.ip });
  const a = await findAccount(number);
  const state = a.enterpriseId ? (a.enterpriseId.equals(e._id) ? 'mine' : 'other') : 'free';
  const pending = await JoinRequestModel.exists({ accountId: a._id, enterpriseId: e._id, status: 'pending' });
  return {
    number: a.number,
    holderNameMasked: holderNameFor(actor.user, a, maskName),
    addressMasked: maskAddress(a.address),
    phoneOnFile: Boolean(a.phone),
    state: state as 'free' | 'mine' | 'other',
    requestPending: Boolean(pending),
  };
}

export async function sendJoinCode(services: Pick<AppServices, 'sms' | 'cfg'>, actor: Actor, number: string) {
  const e = await ownVerifiedEnterprise(actor.user);
  await assertUnderLimit('bindFailure', subjects(actor), tooMany);
  await consumeLimit('numberLookup', { user: actor.user.sub, ip: actor.ip });
  const a = await findAccount(number);
  assertJoinable(a, e._id);
  if (!a.phone) throw new DomainError('BAD_REQUEST', '该户号未登记手机号，请申请客户经理确认');
  await sendSmsCode(services.sms, a.phone, 'bind', services.cfg.SMS_DAILY_CAP);
  return { phoneMasked: maskPhone(a.phone)! };
}

async function attach(accountId: Types.ObjectId, enterpriseId: Types.ObjectId): Promise<boolean> {
  const r = await AccountModel.updateOne({ _id: accountId, enterpriseId: null }, { $set: { enterpriseId } });
  return r.modifiedCount === 1;
}

export async function joinWithCode(actor: Actor, number: string, code: string) {
  const e = await ownVerifiedEnterprise(actor.user);
  await assertUnderLimit('bindFailure', subjects(actor), tooMany);
  const a = await findAccount(number);
  assertJoinable(a, e._id);
  if (!a.phone) throw new DomainError('BAD_REQUEST', '该户号未登记手机号，请申请客户经理确认');
  try {
    await verifySmsCode(a.phone, 'bind', code);
  } catch (err) {
    await recordFailure('bindFailure', subjects(actor));
    throw err;
  }
  if (!(await attach(a._id, e._id))) throw new DomainError('CONFLICT', '该户号已归属其他企业，不能加入本企业；如有疑问请联系客户经理');
  for (const open of await JoinRequestModel.find({ accountId: a._id, status: 'pending' }, { _id: 1 }).lean()) {
    await JoinRequestModel.updateOne(
      { _id: open._id, status: 'pending' },
      { $set: { status: 'rejected', reason: '已通过验证码加入', decidedAt: new Date(), openKey: closedKey() } },
    );
  }
  await recordAudit({
    actorId: actor.user.sub,
    actorRoles: actor.user.roles,
    action: 'enterprise.join_account',
    targetType: 'account',
    targetId: String(a._id),
    ip: actor.ip,
    reason: 'verified by sms_code',
    detail: { enterpriseId: String(e._id), number: a.number, method: 'sms_code' },
  });
  return { number: a.number, joined: true as const };
}

/** 请客户经理确认: a request in the staff queue (one open request per account and enterprise). */
export async function requestJoin(actor: Actor, number: string, note: string | null) {
  const e = await ownVerifiedEnterprise(actor.user);
  await consumeLimit('numberLookup', { user: actor.user.sub, ip: actor.ip });
  const a = await findAccount(number);
  assertJoinable(a, e._id);
  try {
    const req = await JoinRequestModel.create({
      enterpriseId: e._id,
      accountId: a._id,
      accountNumber: a.number,
      requestedBy: oid(actor.user.sub),
      note: note?.trim() || null,
      status: 'pending',
      openKey: `${e._id}:${a._id}`,
    });
    await recordAudit({
      actorId: actor.user.sub,
      actorRoles: actor.user.roles,
      action: 'enterprise.join_request',
      targetType: 'account',
      targetId: String(a._id),
      ip: actor.ip,
      detail: { enterpriseId: String(e._id), requestId: String(req._id) },
    });
    return { id: String(req._id), status: 'pending' as JoinRequestStatus };
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new DomainError('CONFLICT', '该户号已提交确认申请，请等待客户经理处理');
    throw err;
  }
}

export interface JoinRequestView {
  id: string;
  accountNumber: string;
  holderNameMasked: string;
  addressMasked: string;
  status: JoinRequestStatus;
  note: string | null;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
  enterprise: { id: string; name: string };
}

async function views(rows: Awaited<ReturnType<typeof loadRows>>): Promise<JoinRequestView[]> {
  const accounts = new Map(
    (await AccountModel.find({ _id: { $in: rows.map((r) => r.accountId) } }, { holderName: 1, address: 1 }).lean()).map((a) => [String(a._id), a]),
  );
  const ents = new Map(
    (await EnterpriseModel.find({ _id: { $in: [...new Set(rows.map((r) => String(r.enterpriseId)))].map(oid) } }, { name: 1 }).lean()).map((e) => [
      String(e._id),
      e.name,
    ]),
  );
  return rows.map((r) => {
    const a = accounts.get(String(r.accountId));
    return {
      id: String(r._id),
      accountNumber: r.accountNumber,
      holderNameMasked: maskName(a?.holderName ?? ''),
      addressMasked: maskAddress(a?.address ?? ''),
      status: r.status as JoinRequestStatus,
      note: r.note ?? null,
      reason: r.reason ?? null,
      createdAt: (r as { createdAt: Date }).createdAt.toISOString(),
      decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
      enterprise: { id: String(r.enterpriseId), name: ents.get(String(r.enterpriseId)) ?? '' },
    };
  });
}

const loadRows = (filter: Record<string, unknown>, limit: number) => JoinRequestModel.find(filter).sort({ createdAt: -1 }).limit(limit).lean();

export async function myJoinRequests(actor: Actor) {
  const e = await ownVerifiedEnterprise(actor.user);
  return views(await loadRows({ enterpriseId: e._id }, 50));
}

/** The staff queue: pending requests first-come first-served (or one enterprise's, any status). */
export async function staffJoinRequests(filter: { enterpriseId?: string | null; status?: JoinRequestStatus | null }) {
  const q: Record<string, unknown> = {};
  if (filter.enterpriseId) q.enterpriseId = oid(filter.enterpriseId);
  if (filter.status) q.status = filter.status;
  else if (!filter.enterpriseId) q.status = 'pending';
  return views(await loadRows(q, 200));
}

export async function decideJoinRequest(actor: Actor, id: string, approve: boolean, reason: string | null) {
  const req = await JoinRequestModel.findById(oid(id)).lean();
  if (!req) throw new DomainError('NOT_FOUND', '申请不存在');
  if (req.status !== 'pending') throw new DomainError('CONFLICT', '该申请已被处理，请刷新');
  if (!approve && !reason?.trim()) throw new DomainError('BAD_REQUEST', '请填写驳回原因');
  if (approve) {
    const ent = await EnterpriseModel.findById(req.enterpriseId, { verified: 1 }).lean();
    if (!ent?.verified) throw new DomainError('CONFLICT', '该企业尚未通过认证');
    const a = (await AccountModel.findById(req.accountId).lean()) as Account | null;
    if (!a) throw new DomainError('NOT_FOUND', '户号不存在');
    if (a.enterpriseId && !a.enterpriseId.equals(req.enterpriseId)) throw new DomainError('CONFLICT', '该户号已归属其他企业，不能加入');
    if (!a.enterpriseId) {
      const ok = await attach(a._id, req.enterpriseId);
      if (!ok) throw new DomainError('CONFLICT', '该户号已归属其他企业，不能加入');
    }
  }
  const now = new Date();
  const r = await JoinRequestModel.updateOne(
    { _id: req._id, status: 'pending' },
    {
      $set: {
        status: approve ? 'approved' : 'rejected',
        decidedBy: oid(actor.user.sub),
        decidedAt: now,
        reason: reason?.trim() || null,
        openKey: closedKey(),
      },
    },
  );
  if (r.matchedCount === 0) throw new DomainError('CONFLICT', '该申请已被处理，请刷新');
  await recordAudit({
    actorId: actor.user.sub,
    actorRoles: actor.user.roles,
    action: approve ? 'enterprise.join_approve' : 'enterprise.join_reject',
    targetType: 'account',
    targetId: String(req.accountId),
    ip: actor.ip,
    reason: reason?.trim() || null,
    detail: { enterpriseId: String(req.enterpriseId), requestId: id, method: 'staff' },
  });
  return { ok: true as const };
}

/** For the team page's scope picker: the enterprise's accounts (its own name in full: it is theirs). */
export async function enterpriseSites(actor: Actor) {
  const e = await ownVerifiedEnterprise(actor.user);
  const rows = await AccountModel.find({ enterpriseId: e._id }, { number: 1, holderName: 1, address: 1 }).sort({ number: 1 }).limit(1000).lean();
  return rows.map((a) => ({ id: String(a._id), number: a.number, name: a.holderName, addressMasked: maskAddress(a.address) }));
}

export async function memberNames(ids: Types.ObjectId[]) {
  return new Map((await UserModel.find({ _id: { $in: ids } }, { displayName: 1 }).lean()).map((u) => [String(u._id), u.displayName]));
}
