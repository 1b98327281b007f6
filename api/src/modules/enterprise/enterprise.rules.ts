import { createHash, randomInt } from 'node:crypto';
import { DomainError } from '../../lib/errors';

/**
 * Enterprise onboarding and people (issue 11), pure rules: application status, the last-admin rule,
 * invitation codes. No I/O here (the crypto helpers are deterministic given their input, except the code itself).
 */

export const ENTERPRISE_STATUSES = ['draft', 'pending', 'verified', 'rejected'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];

export const ENTERPRISE_MEMBER_ROLES = ['enterprise_admin', 'enterprise_finance', 'enterprise_electrician'] as const;
export type EnterpriseMemberRole = (typeof ENTERPRISE_MEMBER_ROLES)[number];

export const JOIN_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type JoinRequestStatus = (typeof JOIN_REQUEST_STATUSES)[number];

export const INVITE_STATUSES = ['pending', 'accepted', 'cancelled'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

/** Seeded enterprises carry only `verified`; onboarding ones carry both, kept in step. */
export function enterpriseStatusOf(e: { status?: string | null; verified?: boolean | null }): EnterpriseStatus {
  if (e.status && (ENTERPRISE_STATUSES as readonly string[]).includes(e.status)) return e.status as EnterpriseStatus;
  return e.verified ? 'verified' : 'pending';
}

/** The applicant may (re)submit documents while signed up (draft) or after a rejection. */
export function canSubmit(status: EnterpriseStatus): boolean {
  return status === 'draft' || status === 'rejected';
}

/** Staff decide only on a submitted application. */
export function assertReviewable(status: EnterpriseStatus): void {
  if (status === 'verified') throw new DomainError('CONFLICT', '该企业已通过认证');
  if (status === 'draft') throw new DomainError('CONFLICT', '该企业尚未提交认证资料');
  if (status === 'rejected') throw new DomainError('CONFLICT', '该申请已驳回，等待企业重新提交');
}

export interface MemberState {
  id: string;
  roles: readonly string[];
  disabled: boolean;
}

export type MemberChange = { kind: 'role'; role: EnterpriseMemberRole } | { kind: 'disable' } | { kind: 'remove' };

const isActiveAdmin = (m: MemberState) => !m.disabled && m.roles.includes('enterprise_admin');

/**
 * An enterprise keeps at least one active admin: a change that would leave none is refused, whoever makes it
 * (the last admin demoting, disabling or removing themselves is the usual case).
 */
export function checkMemberChange(members: readonly MemberState[], targetId: string, change: MemberChange): void {
  const target = members.find((m) => m.id === targetId);
  if (!target) throw new DomainError('NOT_FOUND', '成员不存在');
  if (!isActiveAdmin(target)) return;
  const staysAdmin = change.kind === 'role' && change.role === 'enterprise_admin';
  if (staysAdmin) return;
  const others = members.filter((m) => m.id !== targetId && isActiveAdmin(m)).length;
  if (others === 0) {
    const what = change.kind === 'remove' ? '移除' : change.kind === 'disable' ? '停用' : '变更角色';
    throw new DomainError('BAD_REQUEST', `不能${what}：企业至少需要保留一位管理员，请先指定另一位管理员`);
  }
}

// ---------------------------------------------------------------------------------------------
// Invitation codes

export const INVITE_TTL_MS = 24 * 3600_000;
export const INVITE_MAX_ATTEMPTS = 5;
export const INVITE_RESEND_MS = 60_000;

export const newInviteCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');
export const inviteCodeHash = (inviteId: string, phone: string, code: string): string =>
  createHash('sha256').update(`invite:${inviteId}:${phone}:${code}`).digest('hex');

export type InviteCheck = { ok: true } | { ok: false; reason: 'expired' | 'exhausted' | 'wrong'; left: number };

/** Whether a presented code opens the invitation, and if not why (the message the invitee reads). */
export function checkInviteCode(
  invite: { id: string; phone: string; codeHash: string; expiresAt: Date; attempts: number; status: string },
  code: string,
  now: Date,
): InviteCheck {
  if (invite.status !== 'pending' || invite.expiresAt <= now) return { ok: false, reason: 'expired', left: 0 };
  if (invite.attempts >= INVITE_MAX_ATTEMPTS) return { ok: false, reason: 'exhausted', left: 0 };
  if (inviteCodeHash(invite.id, invite.phone, code) !== invite.codeHash) {
    return { ok: false, reason: 'wrong', left: Math.max(0, INVITE_MAX_ATTEMPTS - invite.attempts - 1) };
  }
  return { ok: true };
}

export function inviteRefusal(c: Exclude<InviteCheck, { ok: true }>): DomainError {
  if (c.reason === 'expired') return new DomainError('BAD_REQUEST', '邀请已失效或已过期，请联系企业管理员重新邀请');
  if (c.reason === 'exhausted' || c.left === 0) return new DomainError('BAD_REQUEST', '验证码错误次数过多，请联系企业管理员重新邀请');
  return new DomainError('BAD_REQUEST', `验证码错误，还可尝试${c.left}次`);
}

/** The SMS an invitee receives (the provider adds the brand). */
export const inviteSmsText = (company: string, roleLabel: string, code: string) =>
  `${company}邀请您以“${roleLabel}”身份加入企业服务平台，邀请码 ${code}，24小时内有效。请在“企业邀请”页面输入手机号和邀请码并设置密码。`;

/** Normalised company name for duplicate checks (full-width, spaces). */
export const normaliseCompanyName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').trim();

/**
 * An account's holder as a viewer may read it: an enterprise's own users read their own company's name in
 * full (it is theirs, SPEC §3.5); everyone else reads it masked. For every screen and document that shows a
 * holder name (payments, receipts, orders): `holderNameFor(ctx.user, account, maskName)`.
 */
export function holderNameFor(
  viewer: { ent?: string | null; roles: readonly string[] } | null,
  account: { holderName: string; enterpriseId?: { toString(): string } | null },
  mask: (name: string) => string,
): string {
  const own =
    !!viewer?.ent &&
    !!account.enterpriseId &&
    String(account.enterpriseId) === viewer.ent &&
    viewer.roles.some((r) => (ENTERPRISE_MEMBER_ROLES as readonly string[]).includes(r));
  return own ? account.holderName : mask(account.holderName);
}
