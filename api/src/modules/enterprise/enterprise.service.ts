import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import type { AppServices } from '../../http/types';
import { DomainError } from '../../lib/errors';
import { maskName, maskPhone } from '../../lib/mask';
import type { Context } from '../../trpc/context';
import { AccountModel, EnterpriseModel } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import { startSession, type AuthResult } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import { verifySmsCode } from '../auth/sms-code';
import type { AccessClaims } from '../auth/tokens';
import { identityKey, UserModel, type User } from '../auth/user.model';
import { assertOwnFiles, fileViews, signDocumentLinks, type DocumentLink } from '../files/file.service';
import { JoinRequestModel } from './enterprise.model';
import { assertReviewable, canSubmit, enterpriseStatusOf, normaliseCompanyName, type EnterpriseStatus } from './enterprise.rules';

/**
 * Enterprise onboarding (issue 11): a company signs up on the web (its contact becomes the first enterprise
 * admin, phone + password), submits its business licence, and staff (account manager, supervisor, admin)
 * verify or reject it with a reason. Until verified, account.access gives its users no account at all.
 * Also: the company page (invoice title) and the account manager assignment.
 */

const oid = (id: string) => new Types.ObjectId(id);
const notFound = () => new DomainError('NOT_FOUND', '企业不存在');

export interface Actor {
  user: AccessClaims;
  ip: string | null;
}

async function audit(actor: Actor, action: string, targetId: string, detail: Record<string, unknown>, reason?: string | null) {
  await recordAudit({
    actorId: actor.user.sub,
    actorRoles: actor.user.roles,
    action,
    targetType: 'enterprise',
    targetId,
    ip: actor.ip,
    reason: reason ?? null,
    detail,
  });
}

type EnterpriseDoc = {
  _id: Types.ObjectId;
  name: string;
  creditCode: string;
  tier: string;
  verified?: boolean | null;
  status?: string | null;
  rejectReason?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  licenceFileId?: Types.ObjectId | null;
  applicantUserId?: Types.ObjectId | null;
  accountManagerId?: Types.ObjectId | null;
  submittedAt?: Date | null;
  reviewedAt?: Date | null;
  invoiceTitle?: {
    title?: string | null;
    taxId?: string | null;
    registeredAddress?: string | null;
    registeredPhone?: string | null;
    bankName?: string | null;
    bankAccount?: string | null;
  } | null;
  createdAt?: Date;
};

/** The enterprise of an enterprise user, from the database (not the token), or a refusal. */
export async function ownEnterprise(user: AccessClaims): Promise<EnterpriseDoc> {
  if (!user.ent || !Types.ObjectId.isValid(user.ent)) throw notFound();
  const [u, e] = await Promise.all([
    UserModel.findById(user.sub, { enterpriseId: 1, disabled: 1 }).lean(),
    EnterpriseModel.findById(user.ent).lean() as Promise<EnterpriseDoc | null>,
  ]);
  if (!u || u.disabled || !u.enterpriseId || String(u.enterpriseId) !== user.ent || !e) throw notFound();
  return e;
}

/** Only a verified enterprise joins accounts and invites colleagues. */
export async function ownVerifiedEnterprise(user: AccessClaims): Promise<EnterpriseDoc> {
  const e = await ownEnterprise(user);
  if (enterpriseStatusOf(e) !== 'verified') throw new DomainError('FORBIDDEN', '企业尚未通过认证，认证通过后才能使用此功能');
  return e;
}

// ---------------------------------------------------------------------------------------------
// Application

export interface ApplyInput {
  companyName: string;
  creditCode: string;
  contactName: string;
  phone: string;
  code: string;
  password: string;
}

/**
 * Sign-up: the SMS code proves the contact's phone; the company and its first admin are created (draft until
 * the licence is submitted), and the applicant is signed in. Login afterwards: phone + password on /login/enterprise.
 */
export async function applyForEnterprise(ctx: Context, input: ApplyInput): Promise<AuthResult> {
  const name = normaliseCompanyName(input.companyName);
  const existing = await EnterpriseModel.findOne({ creditCode: input.creditCode }, { _id: 1 }).lean();
  if (existing) throw new DomainError('CONFLICT', '该统一社会信用代码已注册企业账号，请由企业管理员登录或联系客户经理');
  const key = identityKey.password(input.phone);
  if (await UserModel.exists({ identityKey: key })) throw new DomainError('CONFLICT', '该手机号已开通企业账号，请直接登录');
  await verifySmsCode(input.phone, 'login', input.code);

  const enterpriseId = new Types.ObjectId();
  const userId = new Types.ObjectId();
  try {
    await EnterpriseModel.create({
      _id: enterpriseId,
      name,
      creditCode: input.creditCode,
      tier: 'B',
      verified: false,
      status: 'draft',
      contactName: input.contactName.trim(),
      contactPhone: input.phone,
      applicantUserId: userId,
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new DomainError('CONFLICT', '该统一社会信用代码已注册企业账号，请由企业管理员登录或联系客户经理');
    throw err;
  }
  let user: User;
  try {
    user = (
      await UserModel.create({
        _id: userId,
        kind: 'enterprise',
        identityKey: key,
        roles: ['enterprise_admin'],
        displayName: input.contactName.trim(),
        phone: input.phone,
        username: input.phone,
        passwordHash: await hashPassword(input.password),
        enterpriseId,
      })
    ).toObject() as User;
  } catch (err) {
    // No transactions: undo the enterprise so the credit code is free again.
    await EnterpriseModel.deleteOne({ _id: enterpriseId, status: 'draft' });
    if (isDuplicateKeyError(err)) throw new DomainError('CONFLICT', '该手机号已开通企业账号，请直接登录');
    throw err;
  }
  await recordAudit({
    actorId: String(userId),
    actorRoles: ['enterprise_admin'],
    action: 'enterprise.apply',
    targetType: 'enterprise',
    targetId: String(enterpriseId),
    ip: ctx.ip,
    detail: { name, creditCode: input.creditCode },
  });
  return startSession(ctx, user);
}

export interface SubmitInput {
  licenceFileId: string;
  companyName?: string | null;
  creditCode?: string | null;
  contactName?: string | null;
}

/** Submits (or, after a rejection, resubmits) the licence and corrected details; status → 待审核. Admin only. */
export async function submitApplication(actor: Actor, input: SubmitInput) {
  const e = await ownEnterprise(actor.user);
  const status = enterpriseStatusOf(e);
  if (!canSubmit(status)) throw new DomainError('CONFLICT', status === 'pending' ? '资料已提交，请等待审核' : '企业已通过认证');
  await assertOwnFiles([input.licenceFileId], actor.user.sub, 'enterprise_licence');
  const set: Record<string, unknown> = {
    status: 'pending',
    verified: false,
    licenceFileId: oid(input.licenceFileId),
    submittedAt: new Date(),
    rejectReason: null,
  };
  if (input.companyName) set.name = normaliseCompanyName(input.companyName);
  if (input.contactName) set.contactName = input.contactName.trim();
  if (input.creditCode && input.creditCode !== e.creditCode) {
    if (await EnterpriseModel.exists({ creditCode: input.creditCode, _id: { $ne: e._id } })) {
      throw new DomainError('CONFLICT', '该统一社会信用代码已注册企业账号');
    }
    set.creditCode = input.creditCode;
  }
  const r = await EnterpriseModel.updateOne({ _id: e._id, status: { $in: ['draft', 'rejected'] } }, { $set: set });
  if (r.matchedCount === 0) throw new DomainError('CONFLICT', '资料已提交，请等待审核');
  await audit(actor, status === 'rejected' ? 'enterprise.resubmit' : 'enterprise.submit', String(e._id), {
    licenceFileId: input.licenceFileId,
    changes: Object.keys(set),
  });
  return myApplication(actor.user);
}

export interface ApplicationView {
  id: string;
  name: string;
  creditCode: string;
  tier: string;
  status: EnterpriseStatus;
  rejectReason: string | null;
  contactName: string | null;
  contactPhoneMasked: string | null;
  submittedAt: string | null;
  reviewedAt: string | null;
  licence: { id: string; name: string; mime: string; size: number } | null;
}

function applicationOf(e: EnterpriseDoc, licence: ApplicationView['licence']): ApplicationView {
  return {
    id: String(e._id),
    name: e.name,
    creditCode: e.creditCode,
    tier: e.tier,
    status: enterpriseStatusOf(e),
    rejectReason: e.rejectReason ?? null,
    contactName: e.contactName ?? null,
    contactPhoneMasked: maskPhone(e.contactPhone),
    submittedAt: e.submittedAt ? e.submittedAt.toISOString() : null,
    reviewedAt: e.reviewedAt ? e.reviewedAt.toISOString() : null,
    licence,
  };
}

async function licenceView(e: EnterpriseDoc): Promise<ApplicationView['licence']> {
  if (!e.licenceFileId) return null;
  const [v] = await fileViews([String(e.licenceFileId)]);
  return v ? { id: v.id, name: v.name, mime: v.mime, size: v.size } : null;
}

/** The caller's own enterprise and its application status (any enterprise role). */
export async function myApplication(user: AccessClaims): Promise<ApplicationView> {
  const e = await ownEnterprise(user);
  return applicationOf(e, await licenceView(e));
}

// ---------------------------------------------------------------------------------------------
// Staff review

export interface StaffEnterpriseRow {
  id: string;
  name: string;
  creditCode: string;
  tier: string;
  status: EnterpriseStatus;
  contactNameMasked: string;
  contactPhoneMasked: string | null;
  submittedAt: string | null;
  accountManager: { id: string; name: string } | null;
  accountCount: number;
  pendingJoins: number;
}

export async function staffListEnterprises(filter: { status?: EnterpriseStatus | null; q?: string | null; limit?: number }) {
  const q: Record<string, unknown> = {};
  if (filter.status === 'verified') q.$or = [{ status: 'verified' }, { status: { $exists: false }, verified: true }];
  else if (filter.status === 'pending') q.$or = [{ status: 'pending' }, { status: { $exists: false }, verified: { $ne: true } }];
  else if (filter.status) q.status = filter.status;
  const text = filter.q?.trim();
  if (text) {
    const esc = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    Object.assign(q, { $and: [{ $or: [{ name: { $regex: esc } }, { creditCode: { $regex: esc.toUpperCase() } }] }] });
  }
  const rows = (await EnterpriseModel.find(q)
    .sort({ submittedAt: -1, createdAt: -1 })
    .limit(Math.min(filter.limit ?? 200, 500))
    .lean()) as EnterpriseDoc[];
  const managerIds = [...new Set(rows.flatMap((r) => (r.accountManagerId ? [String(r.accountManagerId)] : [])))];
  const managers = new Map(
    (await UserModel.find({ _id: { $in: managerIds.map(oid) } }, { displayName: 1 }).lean()).map((m) => [String(m._id), m.displayName]),
  );
  const ids = rows.map((r) => r._id);
  const [counts, joins] = await Promise.all([
    AccountModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { enterpriseId: { $in: ids } } },
      { $group: { _id: '$enterpriseId', n: { $sum: 1 } } },
    ]),
    JoinRequestModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { enterpriseId: { $in: ids }, status: 'pending' } },
      { $group: { _id: '$enterpriseId', n: { $sum: 1 } } },
    ]),
  ]);
  const countOf = new Map(counts.map((c) => [String(c._id), c.n]));
  const joinsOf = new Map(joins.map((c) => [String(c._id), c.n]));
  return rows.map(
    (r): StaffEnterpriseRow => ({
      id: String(r._id),
      name: r.name,
      creditCode: r.creditCode,
      tier: r.tier,
      status: enterpriseStatusOf(r),
      contactNameMasked: maskName(r.contactName ?? ''),
      contactPhoneMasked: maskPhone(r.contactPhone),
      submittedAt: r.submittedAt ? r.submittedAt.toISOString() : null,
      accountManager: r.accountManagerId ? { id: String(r.accountManagerId), name: managers.get(String(r.accountManagerId)) ?? '' } : null,
      accountCount: countOf.get(String(r._id)) ?? 0,
      pendingJoins: joinsOf.get(String(r._id)) ?? 0,
    }),
  );
}

/** One enterprise for staff: its application with a signed licence link (staff may see it: they review it). */
export async function staffEnterpriseDetail(services: Pick<AppServices, 'cfg' | 'keys'>, user: AccessClaims, id: string) {
  const e = (await EnterpriseModel.findById(oid(id)).lean()) as EnterpriseDoc | null;
  if (!e) throw notFound();
  const links: DocumentLink[] = e.licenceFileId ? await signDocumentLinks(services, user, [String(e.licenceFileId)]) : [];
  const [manager, members] = await Promise.all([
    e.accountManagerId ? UserModel.findById(e.accountManagerId, { displayName: 1 }).lean() : null,
    UserModel.countDocuments({ enterpriseId: e._id, kind: 'enterprise' }),
  ]);
  const view = applicationOf(e, null);
  return {
    ...view,
    contactName: maskName(e.contactName ?? ''),
    licence: links[0] ?? null,
    accountManager: manager ? { id: String(manager._id), name: manager.displayName } : null,
    memberCount: members,
  };
}

async function notifyApplicant(sms: AppServices['sms'], e: EnterpriseDoc, text: string) {
  if (e.contactPhone) await sms.send(e.contactPhone, 'enterprise_review', text);
}

export async function verifyEnterprise(services: Pick<AppServices, 'sms'>, actor: Actor, id: string) {
  const e = (await EnterpriseModel.findById(oid(id)).lean()) as EnterpriseDoc | null;
  if (!e) throw notFound();
  assertReviewable(enterpriseStatusOf(e));
  const now = new Date();
  const r = await EnterpriseModel.updateOne(
    { _id: e._id, status: 'pending' },
    { $set: { status: 'verified', verified: true, rejectReason: null, reviewedAt: now, reviewedBy: oid(actor.user.sub) } },
  );
  if (r.matchedCount === 0) throw new DomainError('CONFLICT', '该申请已被处理，请刷新');
  await audit(actor, 'enterprise.verify', id, { before: { status: 'pending' }, after: { status: 'verified' } });
  await notifyApplicant(services.sms, e, `您提交的企业认证（${e.name}）已通过审核，现在可以登录企业服务平台添加户号、邀请同事。`);
  return { ok: true as const };
}

export async function rejectEnterprise(services: Pick<AppServices, 'sms'>, actor: Actor, id: string, reason: string) {
  const e = (await EnterpriseModel.findById(oid(id)).lean()) as EnterpriseDoc | null;
  if (!e) throw notFound();
  assertReviewable(enterpriseStatusOf(e));
  const r = await EnterpriseModel.updateOne(
    { _id: e._id, status: 'pending' },
    { $set: { status: 'rejected', verified: false, rejectReason: reason, reviewedAt: new Date(), reviewedBy: oid(actor.user.sub) } },
  );
  if (r.matchedCount === 0) throw new DomainError('CONFLICT', '该申请已被处理，请刷新');
  await audit(actor, 'enterprise.reject', id, { before: { status: 'pending' }, after: { status: 'rejected' } }, reason);
  await notifyApplicant(services.sms, e, `您提交的企业认证（${e.name}）未通过审核，原因：${reason}。请登录企业服务平台修改后重新提交。`);
  return { ok: true as const };
}

/** Staff who may be named an enterprise's account manager (客户经理). */
export async function accountManagerOptions() {
  const rows = await UserModel.find({ kind: 'staff', roles: 'account_manager', disabled: { $ne: true } }, { displayName: 1 })
    .sort({ displayName: 1 })
    .lean();
  return rows.map((u) => ({ id: String(u._id), name: u.displayName }));
}

export async function assignAccountManager(actor: Actor, id: string, managerId: string | null) {
  if (managerId) {
    const m = await UserModel.exists({ _id: oid(managerId), kind: 'staff', roles: 'account_manager', disabled: { $ne: true } });
    if (!m) throw new DomainError('BAD_REQUEST', '所选人员不是在岗的客户经理');
  }
  const before = await EnterpriseModel.findOneAndUpdate(
    { _id: oid(id) },
    { $set: { accountManagerId: managerId ? oid(managerId) : null } },
    { returnDocument: 'before' },
  ).lean();
  if (!before) throw notFound();
  await audit(actor, 'enterprise.assign_manager', id, {
    before: { accountManagerId: before.accountManagerId ? String(before.accountManagerId) : null },
    after: { accountManagerId: managerId },
  });
  return { ok: true as const };
}

// ---------------------------------------------------------------------------------------------
// Company page and invoice title

export interface InvoiceTitle {
  title: string;
  taxId: string;
  registeredAddress: string | null;
  registeredPhone: string | null;
  bankName: string | null;
  bankAccount: string | null;
}

/** Whether the 专票 fields are complete (普票 needs title + tax id only). */
export const specialInvoiceReady = (t: InvoiceTitle) => !!(t.registeredAddress && t.registeredPhone && t.bankName && t.bankAccount);

function invoiceTitleView(e: EnterpriseDoc): InvoiceTitle {
  const t = e.invoiceTitle ?? {};
  return {
    // Until the admin fills it in, the title is the company's registered name and its credit code.
    title: t.title || e.name,
    taxId: t.taxId || e.creditCode,
    registeredAddress: t.registeredAddress ?? null,
    registeredPhone: t.registeredPhone ?? null,
    bankName: t.bankName ?? null,
    bankAccount: t.bankAccount ?? null,
  };
}

/**
 * The enterprise's VAT invoice title (for the statements lane's invoices): 普票 title + tax id, 专票 also
 * registered address and phone, bank and account. Null for an unknown enterprise.
 */
export async function invoiceTitleOf(enterpriseId: string | Types.ObjectId): Promise<(InvoiceTitle & { specialReady: boolean }) | null> {
  const id = typeof enterpriseId === 'string' ? (Types.ObjectId.isValid(enterpriseId) ? oid(enterpriseId) : null) : enterpriseId;
  if (!id) return null;
  const e = (await EnterpriseModel.findById(id).lean()) as EnterpriseDoc | null;
  if (!e) return null;
  const t = invoiceTitleView(e);
  return { ...t, specialReady: specialInvoiceReady(t) };
}

/** 企业信息: the company in full to its own users, its account manager with name and work phone, the invoice title. */
export async function companyView(user: AccessClaims) {
  const e = await ownEnterprise(user);
  const manager = e.accountManagerId
    ? await UserModel.findOne({ _id: e.accountManagerId, disabled: { $ne: true } }, { displayName: 1, workPhone: 1 }).lean()
    : null;
  const accountCount = enterpriseStatusOf(e) === 'verified' ? await AccountModel.countDocuments({ enterpriseId: e._id }) : 0;
  const title = invoiceTitleView(e);
  return {
    id: String(e._id),
    name: e.name,
    creditCode: e.creditCode,
    tier: e.tier,
    status: enterpriseStatusOf(e),
    accountCount,
    // The manager's work phone (工作电话) is a duty number published to their enterprises, not personal data.
    accountManager: manager ? { name: manager.displayName, workPhone: manager.workPhone ?? null } : null,
    invoiceTitle: { ...title, specialReady: specialInvoiceReady(title) },
    canEdit: user.roles.includes('enterprise_admin'),
  };
}

export async function updateInvoiceTitle(actor: Actor, input: InvoiceTitle) {
  const e = await ownVerifiedEnterprise(actor.user);
  const before = invoiceTitleView(e);
  const after: InvoiceTitle = {
    title: input.title.trim(),
    taxId: input.taxId.trim().toUpperCase(),
    registeredAddress: input.registeredAddress?.trim() || null,
    registeredPhone: input.registeredPhone?.trim() || null,
    bankName: input.bankName?.trim() || null,
    bankAccount: input.bankAccount?.replace(/\s+/g, '') || null,
  };
  await EnterpriseModel.updateOne({ _id: e._id }, { $set: { invoiceTitle: { ...after, updatedAt: new Date() } } });
  await audit(actor, 'enterprise.invoice_title', String(e._id), { before, after });
  return companyView(actor.user);
}
