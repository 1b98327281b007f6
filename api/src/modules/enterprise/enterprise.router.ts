import { z } from 'zod';
import { accountNumberSchema, noteSchema, objectIdSchema, phoneSchema, textSchema } from '../../lib/schemas';
import { authedProcedure, publicProcedure, router } from '../../trpc/trpc';
import type { AccessClaims } from '../auth/tokens';
import { usccSchema } from '../billing/documents.rules';
import {
  decideJoinRequest,
  enterpriseSites,
  joinLookup,
  joinWithCode,
  myJoinRequests,
  requestJoin,
  sendJoinCode,
  staffJoinRequests,
} from './enterprise.join';
import { ENTERPRISE_MEMBER_ROLES, ENTERPRISE_STATUSES, JOIN_REQUEST_STATUSES } from './enterprise.rules';
import {
  accountManagerOptions,
  applyForEnterprise,
  assignAccountManager,
  companyView,
  myApplication,
  rejectEnterprise,
  staffEnterpriseDetail,
  staffListEnterprises,
  submitApplication,
  updateInvoiceTitle,
  verifyEnterprise,
} from './enterprise.service';
import { acceptInvite, cancelInvite, inviteColleague, listTeam, removeMember, setMemberDisabled, updateMember } from './enterprise.team';

const smsCode = z.string({ error: '请输入验证码' }).regex(/^\d{6}$/, '验证码为6位数字');
const password = z
  .string({ error: '请设置登录密码' })
  .min(8, '密码至少8位')
  .max(64, '密码不能超过64位')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), '密码须同时包含字母和数字');
const companyName = z.string({ error: '请填写企业名称' }).trim().min(4, '企业名称至少4个字').max(100, '企业名称不能超过100字');
const personName = z.string({ error: '请填写姓名' }).trim().min(2, '姓名至少2个字').max(30, '姓名不能超过30字');
const memberRole = z.enum(ENTERPRISE_MEMBER_ROLES, { error: '请选择角色' });
const sites = z.array(objectIdSchema).max(1000, '所选户号过多').default([]);
const optionalText = (max: number) => z.string().trim().max(max, `内容不能超过${max}字`).nullish();

const actor = (ctx: { user: AccessClaims; ip: string }) => ({ user: ctx.user, ip: ctx.ip });

export const enterpriseRouter = router({
  // ---- application (public sign-up, then the applicant's own status page)
  signUp: publicProcedure
    .input(z.object({ companyName, creditCode: usccSchema, contactName: personName, phone: phoneSchema, code: smsCode, password }))
    .mutation(({ ctx, input }) => applyForEnterprise(ctx, input)),
  myApplication: authedProcedure.query(({ ctx }) => myApplication(ctx.user)),
  submitApplication: authedProcedure
    .input(
      z.object({
        licenceFileId: objectIdSchema,
        companyName: companyName.nullish(),
        creditCode: usccSchema.nullish(),
        contactName: personName.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => submitApplication(actor(ctx), input)),

  // ---- staff: verification and account manager
  staffList: authedProcedure
    .input(z.object({ status: z.enum(ENTERPRISE_STATUSES).nullish(), q: optionalText(50) }).optional())
    .query(({ input }) => staffListEnterprises({ status: input?.status ?? null, q: input?.q ?? null })),
  staffGet: authedProcedure.input(z.object({ id: objectIdSchema })).query(({ ctx, input }) => staffEnterpriseDetail(ctx, ctx.user, input.id)),
  verify: authedProcedure.input(z.object({ id: objectIdSchema })).mutation(({ ctx, input }) => verifyEnterprise(ctx, actor(ctx), input.id)),
  reject: authedProcedure
    .input(z.object({ id: objectIdSchema, reason: textSchema('请填写驳回原因', 200) }))
    .mutation(({ ctx, input }) => rejectEnterprise(ctx, actor(ctx), input.id, input.reason)),
  accountManagers: authedProcedure.query(() => accountManagerOptions()),
  assignManager: authedProcedure
    .input(z.object({ id: objectIdSchema, managerId: objectIdSchema.nullable() }))
    .mutation(({ ctx, input }) => assignAccountManager(actor(ctx), input.id, input.managerId)),
  staffJoinRequests: authedProcedure
    .input(z.object({ enterpriseId: objectIdSchema.nullish(), status: z.enum(JOIN_REQUEST_STATUSES).nullish() }).optional())
    .query(({ input }) => staffJoinRequests({ enterpriseId: input?.enterpriseId ?? null, status: input?.status ?? null })),
  decideJoin: authedProcedure
    .input(z.object({ id: objectIdSchema, approve: z.boolean(), reason: noteSchema(200) }))
    .mutation(({ ctx, input }) => decideJoinRequest(actor(ctx), input.id, input.approve, input.reason ?? null)),

  // ---- accounts join the enterprise by number
  joinLookup: authedProcedure.input(z.object({ number: accountNumberSchema })).query(({ ctx, input }) => joinLookup(actor(ctx), input.number)),
  sendJoinCode: authedProcedure
    .input(z.object({ number: accountNumberSchema }))
    .mutation(({ ctx, input }) => sendJoinCode(ctx, actor(ctx), input.number)),
  joinWithCode: authedProcedure
    .input(z.object({ number: accountNumberSchema, code: smsCode }))
    .mutation(({ ctx, input }) => joinWithCode(actor(ctx), input.number, input.code)),
  requestJoin: authedProcedure
    .input(z.object({ number: accountNumberSchema, note: noteSchema(200) }))
    .mutation(({ ctx, input }) => requestJoin(actor(ctx), input.number, input.note ?? null)),
  joinRequests: authedProcedure.query(({ ctx }) => myJoinRequests(actor(ctx))),

  // ---- colleagues
  team: authedProcedure.query(({ ctx }) => listTeam(actor(ctx))),
  sites: authedProcedure.query(({ ctx }) => enterpriseSites(actor(ctx))),
  invite: authedProcedure
    .input(z.object({ phone: phoneSchema, displayName: personName, role: memberRole, siteAccountIds: sites }))
    .mutation(({ ctx, input }) => inviteColleague(ctx, actor(ctx), input)),
  cancelInvite: authedProcedure.input(z.object({ id: objectIdSchema })).mutation(({ ctx, input }) => cancelInvite(actor(ctx), input.id)),
  acceptInvite: publicProcedure
    .input(z.object({ phone: phoneSchema, code: smsCode, password }))
    .mutation(({ ctx, input }) => acceptInvite(ctx, input)),
  updateMember: authedProcedure
    .input(z.object({ userId: objectIdSchema, role: memberRole, siteAccountIds: sites }))
    .mutation(({ ctx, input }) => updateMember(actor(ctx), input.userId, input)),
  setMemberDisabled: authedProcedure
    .input(z.object({ userId: objectIdSchema, disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setMemberDisabled(actor(ctx), input.userId, input.disabled)),
  removeMember: authedProcedure.input(z.object({ userId: objectIdSchema })).mutation(({ ctx, input }) => removeMember(actor(ctx), input.userId)),

  // ---- company page and invoice title
  company: authedProcedure.query(({ ctx }) => companyView(ctx.user)),
  updateInvoiceTitle: authedProcedure
    .input(
      z.object({
        title: textSchema('请填写发票抬头', 100),
        taxId: usccSchema,
        registeredAddress: optionalText(150),
        registeredPhone: z
          .string()
          .trim()
          .regex(/^[\d\-+ ()]{7,20}$/, '注册电话格式不正确')
          .nullish()
          .or(z.literal('')),
        bankName: optionalText(60),
        bankAccount: z
          .string()
          .trim()
          .regex(/^[\d ]{8,34}$/, '银行账号应为8至34位数字')
          .nullish()
          .or(z.literal('')),
      }),
    )
    .mutation(({ ctx, input }) =>
      updateInvoiceTitle(actor(ctx), {
        title: input.title,
        taxId: input.taxId,
        registeredAddress: input.registeredAddress ?? null,
        registeredPhone: input.registeredPhone || null,
        bankName: input.bankName ?? null,
        bankAccount: input.bankAccount || null,
      }),
    ),
});
