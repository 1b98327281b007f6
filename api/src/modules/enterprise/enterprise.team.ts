import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import type { AppServices } from '../../http/types';
import { DomainError } from '../../lib/errors';
import { maskPhone } from '../../lib/mask';
import { ROLE_LABELS } from '../../shared/labels';
import type { Context } from '../../trpc/context';
import { AccountModel } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import { disableUser, startSession, type AuthResult } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import { evictUserSessions } from '../auth/session-check';
import { SessionModel } from '../auth/session.model';
import { identityKey, UserModel, type Role, type User } from '../auth/user.model';
import { InviteModel } from './enterprise.model';
import {
  checkInviteCode,
  checkMemberChange,
  INVITE_RESEND_MS,
  INVITE_TTL_MS,
  inviteCodeHash,
  inviteRefusal,
  inviteSmsText,
  newInviteCode,
  type EnterpriseMemberRole,
  type InviteStatus,
  type MemberChange,
  type MemberState,
} from './enterprise.rules';
import { ownVerifiedEnterprise, type Actor } from './enterprise.service';

/**
 * Colleagues (issue 11): the enterprise admin invites by phone with a role and an optional site scope; the
 * invitee accepts on /enterprise/invite with the SMS code and a password (scrypt) and signs in with phone +
 * password. Role changes, disabling and removal end the person's sessions at once (tokens carry roles), the
 * same way org admin does for staff; scope is read fresh by account.access on every request. Every change is
 * audited, and the enterprise always keeps one active admin.
 */

const oid = (id: string) => new Types.ObjectId(id);
/** A closed invitation frees its open key (a unique value, since not every server honours partial indexes). */
const closedKey = () => `closed:${new Types.ObjectId()}`;

async function audit(actor: Actor, action: string, targetType: string, targetId: string, detail: Record<string, unknown>) {
  await recordAudit({ actorId: actor.user.sub, actorRoles: actor.user.roles, action, targetType, targetId, ip: actor.ip, detail });
}

/** Revokes every open session of the user (as org.service does for staff): their token stops on the next call. */
async function endSessions(userId: Types.ObjectId, reason: string) {
  await SessionModel.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: new Date(), revokeReason: reason } });
  evictUserSessions(String(userId));
}

/** Site ids must be accounts of this enterprise; empty means every account. */
async function checkSites(enterpriseId: Types.ObjectId, ids: readonly string[]): Promise<Types.ObjectId[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const n = await AccountModel.countDocuments({ _id: { $in: unique.map(oid) }, enterpriseId });
  if (n !== unique.length) throw new DomainError('BAD_REQUEST', '所选户号不属于本企业');
  return unique.map(oid);
}

type MemberDoc = Pick<User, 'displayName' | 'phone' | 'roles' | 'disabled' | 'lastLoginAt'> & {
  _id: Types.ObjectId;
  siteAccountIds?: Types.ObjectId[] | null;
  createdAt?: Date;
};

export interface MemberView {
  id: string;
  displayName: string;
  phoneMasked: string | null;
  role: EnterpriseMemberRole;
  siteAccountIds: string[];
  siteNumbers: string[];
  disabled: boolean;
  lastLoginAt: string | null;
  isMe: boolean;
}

export interface InviteView {
  id: string;
  displayName: string;
  phoneMasked: string | null;
  role: EnterpriseMemberRole;
  siteNumbers: string[];
  status: InviteStatus;
  expiresAt: string;
  expired: boolean;
  createdAt: string;
}

const roleOf = (roles: readonly string[]): EnterpriseMemberRole =>
  (['enterprise_admin', 'enterprise_finance', 'enterprise_electrician'] as const).find((r) => roles.includes(r)) ?? 'enterprise_electrician';

async function loadMembers(enterpriseId: Types.ObjectId): Promise<MemberDoc[]> {
  return (await UserModel.find(
    { enterpriseId, kind: 'enterprise' },
    { displayName: 1, phone: 1, roles: 1, disabled: 1, lastLoginAt: 1, siteAccountIds: 1, createdAt: 1 },
  )
    .sort({ createdAt: 1 })
    .lean()) as MemberDoc[];
}

const stateOf = (m: MemberDoc): MemberState => ({ id: String(m._id), roles: m.roles as string[], disabled: !!m.disabled });

export async function listTeam(actor: Actor): Promise<{ members: MemberView[]; invites: InviteView[] }> {
  const e = await ownVerifiedEnterprise(actor.user);
  const [members, invites] = await Promise.all([
    loadMembers(e._id),
    InviteModel.find({ enterpriseId: e._id, status: 'pending' }).sort({ createdAt: -1 }).limit(100).lean(),
  ]);
  const siteIds: Types.ObjectId[] = [
    ...members.flatMap((m) => m.siteAccountIds ?? []),
    ...invites.flatMap((i) => (i.siteAccountIds ?? []) as unknown as Types.ObjectId[]),
  ];
  const numbers = new Map((await AccountModel.find({ _id: { $in: siteIds } }, { number: 1 }).lean()).map((a) => [String(a._id), a.number] as const));
  const numbersOf = (ids: Types.ObjectId[] | null | undefined) => (ids ?? []).map((id) => numbers.get(String(id)) ?? '').filter(Boolean);
  const now = new Date();
  return {
    members: members.map((m) => ({
      id: String(m._id),
      displayName: m.displayName,
      phoneMasked: maskPhone(m.phone),
      role: roleOf(m.roles as string[]),
      siteAccountIds: (m.siteAccountIds ?? []).map(String),
      siteNumbers: numbersOf(m.siteAccountIds),
      disabled: !!m.disabled,
      lastLoginAt: m.lastLoginAt ? m.lastLoginAt.toISOString() : null,
      isMe: String(m._id) === actor.user.sub,
    })),
    invites: invites.map((i) => ({
      id: String(i._id),
      displayName: i.displayName,
      phoneMasked: maskPhone(i.phone),
      role: i.role as EnterpriseMemberRole,
      siteNumbers: numbersOf(i.siteAccountIds as unknown as Types.ObjectId[]),
      status: i.status as InviteStatus,
      expiresAt: i.expiresAt.toISOString(),
      expired: i.expiresAt <= now,
      createdAt: (i as { createdAt: Date }).createdAt.toISOString(),
    })),
  };
}

export interface InviteInput {
  phone: string;
  displayName: string;
  role: EnterpriseMemberRole;
  siteAccountIds: string[];
}

/** A new invitation (an older open one for the same phone is replaced); the code goes to the phone by SMS. */
export async function inviteColleague(services: Pick<AppServices, 'sms'>, actor: Actor, input: InviteInput) {
  const e = await ownVerifiedEnterprise(actor.user);
  const sites = await checkSites(e._id, input.siteAccountIds);
  const taken = await UserModel.findOne({ identityKey: identityKey.password(input.phone) }, { enterpriseId: 1 }).lean();
  if (taken) {
    throw new DomainError('CONFLICT', taken.enterpriseId?.equals(e._id) ? '该手机号已是本企业成员' : '该手机号已开通其他企业账号，不能重复邀请');
  }
  const now = new Date();
  // One SMS per phone a minute, like the login code (an admin cannot flood a number).
  const last = await InviteModel.findOne({ phone: input.phone }, { createdAt: 1 }).sort({ createdAt: -1 }).lean();
  const lastAt = (last as { createdAt?: Date } | null)?.createdAt;
  if (lastAt && now.getTime() - lastAt.getTime() < INVITE_RESEND_MS) {
    throw new DomainError(
      'TOO_MANY_REQUESTS',
      `发送过于频繁，请${Math.ceil((INVITE_RESEND_MS - (now.getTime() - lastAt.getTime())) / 1000)}秒后再邀请`,
    );
  }
  // One open invitation per phone: a new one from this enterprise replaces its own older one.
  const stale = await InviteModel.find(
    { phone: input.phone, status: 'pending', $or: [{ enterpriseId: e._id }, { expiresAt: { $lte: now } }] },
    { _id: 1 },
  ).lean();
  for (const old of stale) await InviteModel.updateOne({ _id: old._id, status: 'pending' }, { $set: { status: 'cancelled', openKey: closedKey() } });
  const _id = new Types.ObjectId();
  const code = newInviteCode();
  try {
    await InviteModel.create({
      _id,
      enterpriseId: e._id,
      phone: input.phone,
      displayName: input.displayName.trim(),
      role: input.role,
      siteAccountIds: sites,
      invitedBy: oid(actor.user.sub),
      codeHash: inviteCodeHash(String(_id), input.phone, code),
      expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      status: 'pending',
      openKey: input.phone,
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new DomainError('CONFLICT', '该手机号已有其他企业的待接受邀请');
    throw err;
  }
  await services.sms.send(input.phone, 'enterprise_invite', inviteSmsText(e.name, ROLE_LABELS[input.role], code));
  await audit(actor, 'enterprise.invite', 'enterprise_invite', String(_id), {
    enterpriseId: String(e._id),
    phone: maskPhone(input.phone),
    role: input.role,
    sites: sites.map(String),
  });
  return { id: String(_id), phoneMasked: maskPhone(input.phone)! };
}

export async function cancelInvite(actor: Actor, inviteId: string) {
  const e = await ownVerifiedEnterprise(actor.user);
  const r = await InviteModel.updateOne(
    { _id: oid(inviteId), enterpriseId: e._id, status: 'pending' },
    { $set: { status: 'cancelled', openKey: closedKey() } },
  );
  if (r.matchedCount === 0) throw new DomainError('NOT_FOUND', '邀请不存在或已处理');
  await audit(actor, 'enterprise.invite_cancel', 'enterprise_invite', inviteId, { enterpriseId: String(e._id) });
  return { ok: true as const };
}

export interface AcceptInput {
  phone: string;
  code: string;
  password: string;
}

/** The invitee (signed out) proves the phone with the code, sets a password, and is signed in as a member. */
export async function acceptInvite(ctx: Context, input: AcceptInput): Promise<AuthResult> {
  const now = new Date();
  const invite = await InviteModel.findOne({ phone: input.phone, status: 'pending' }).sort({ createdAt: -1 }).lean();
  if (!invite) throw new DomainError('BAD_REQUEST', '邀请已失效或已过期，请联系企业管理员重新邀请');
  const check = checkInviteCode(
    {
      id: String(invite._id),
      phone: invite.phone,
      codeHash: invite.codeHash,
      expiresAt: invite.expiresAt,
      attempts: invite.attempts,
      status: invite.status,
    },
    input.code,
    now,
  );
  if (!check.ok) {
    if (check.reason === 'wrong') await InviteModel.updateOne({ _id: invite._id, status: 'pending' }, { $inc: { attempts: 1 } });
    throw inviteRefusal(check);
  }
  // Claim the invitation once (a second tab with the same code loses here).
  const claimed = await InviteModel.findOneAndUpdate(
    { _id: invite._id, status: 'pending', attempts: invite.attempts, expiresAt: { $gt: now } },
    { $set: { status: 'accepted', acceptedAt: now, openKey: closedKey() } },
    { returnDocument: 'after' },
  ).lean();
  if (!claimed) throw new DomainError('BAD_REQUEST', '邀请已失效或已过期，请联系企业管理员重新邀请');
  let user: User;
  try {
    user = (
      await UserModel.create({
        kind: 'enterprise',
        identityKey: identityKey.password(input.phone),
        roles: [invite.role],
        displayName: invite.displayName,
        phone: input.phone,
        username: input.phone,
        passwordHash: await hashPassword(input.password),
        enterpriseId: invite.enterpriseId,
        siteAccountIds: invite.siteAccountIds?.length ? invite.siteAccountIds : undefined,
      })
    ).toObject() as User;
  } catch (err) {
    await InviteModel.updateOne({ _id: invite._id, status: 'accepted', acceptedUserId: null }, { $set: { status: 'pending', acceptedAt: null } });
    if (isDuplicateKeyError(err)) throw new DomainError('CONFLICT', '该手机号已开通企业账号，请直接登录');
    throw err;
  }
  await InviteModel.updateOne({ _id: invite._id }, { $set: { acceptedUserId: user._id } });
  await recordAudit({
    actorId: String(user._id),
    actorRoles: [invite.role],
    action: 'enterprise.invite_accept',
    targetType: 'user',
    targetId: String(user._id),
    ip: ctx.ip,
    detail: { enterpriseId: String(invite.enterpriseId), inviteId: String(invite._id), role: invite.role },
  });
  return startSession(ctx, user);
}

async function memberOf(enterpriseId: Types.ObjectId, userId: string) {
  if (!Types.ObjectId.isValid(userId)) throw new DomainError('NOT_FOUND', '成员不存在');
  const members = await loadMembers(enterpriseId);
  const target = members.find((m) => String(m._id) === userId);
  if (!target) throw new DomainError('NOT_FOUND', '成员不存在');
  return { members, target };
}

/** Role and site scope. A role change ends the person's sessions (tokens carry roles); scope is read fresh anyway. */
export async function updateMember(actor: Actor, userId: string, input: { role: EnterpriseMemberRole; siteAccountIds: string[] }) {
  const e = await ownVerifiedEnterprise(actor.user);
  const { members, target } = await memberOf(e._id, userId);
  const change: MemberChange = { kind: 'role', role: input.role };
  checkMemberChange(members.map(stateOf), userId, change);
  const sites = await checkSites(e._id, input.siteAccountIds);
  const beforeRole = roleOf(target.roles as string[]);
  const beforeSites = (target.siteAccountIds ?? []).map(String).sort();
  const afterSites = sites.map(String).sort();
  const roleChanged = beforeRole !== input.role;
  const sitesChanged = beforeSites.join(',') !== afterSites.join(',');
  if (!roleChanged && !sitesChanged) return { ok: true as const, sessionsEnded: false };
  await UserModel.updateOne(
    { _id: target._id, enterpriseId: e._id },
    sites.length ? { $set: { roles: [input.role], siteAccountIds: sites } } : { $set: { roles: [input.role] }, $unset: { siteAccountIds: 1 } },
  );
  if (roleChanged) await endSessions(target._id, 'roles_changed');
  await audit(actor, 'enterprise.member_update', 'user', userId, {
    enterpriseId: String(e._id),
    before: { role: beforeRole, sites: beforeSites },
    after: { role: input.role, sites: afterSites },
    sessionsEnded: roleChanged,
  });
  return { ok: true as const, sessionsEnded: roleChanged };
}

export async function setMemberDisabled(actor: Actor, userId: string, disabled: boolean) {
  const e = await ownVerifiedEnterprise(actor.user);
  const { members, target } = await memberOf(e._id, userId);
  if (!!target.disabled === disabled) return { ok: true as const };
  if (disabled) {
    checkMemberChange(members.map(stateOf), userId, { kind: 'disable' });
    await disableUser(userId, { id: actor.user.sub, roles: actor.user.roles as Role[] }, '企业管理员停用');
  } else {
    await UserModel.updateOne({ _id: target._id, disabled: true }, { $set: { disabled: false, failedLogins: 0, lockedUntil: null } });
  }
  await audit(actor, disabled ? 'enterprise.member_disable' : 'enterprise.member_enable', 'user', userId, {
    enterpriseId: String(e._id),
    before: { disabled: !disabled },
    after: { disabled },
  });
  return { ok: true as const };
}

/**
 * Removal: the person leaves the enterprise at once — disabled, detached, every session ended, and the phone
 * login freed (the record stays, renamed, for the audit trail) so they can be invited again later.
 */
export async function removeMember(actor: Actor, userId: string) {
  const e = await ownVerifiedEnterprise(actor.user);
  const { members, target } = await memberOf(e._id, userId);
  checkMemberChange(members.map(stateOf), userId, { kind: 'remove' });
  await UserModel.updateOne(
    { _id: target._id, enterpriseId: e._id },
    {
      $set: { disabled: true, enterpriseId: null, roles: [], identityKey: `removed:${String(target._id)}`, removedFrom: e._id },
      $unset: { siteAccountIds: 1 },
      $inc: { tokenVersion: 1 },
    },
    { strict: false },
  );
  await endSessions(target._id, 'enterprise_removed');
  await audit(actor, 'enterprise.member_remove', 'user', userId, {
    enterpriseId: String(e._id),
    before: { role: roleOf(target.roles as string[]), disabled: !!target.disabled },
    after: null,
  });
  return { ok: true as const };
}
