import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { objectIdSchema, phoneSchema, textSchema, versionSchema } from '../../lib/schemas';
import { SUPPLY_CLASSES } from '../workorders/sla.rules';
import { listAgents } from '../workorders/agents';
import { APPLICATION_KINDS, CAPACITY_DIRECTIONS, DOC_KINDS, MILESTONE_KEYS } from './application.rules';
import {
  applicationDocumentLinks,
  applicationQueue,
  applicationStep,
  formSpec,
  getApplication,
  myApplications,
  submitApplication,
} from './application.service';

// Who may call each procedure: trpc/access-table.ts.

const orderId = objectIdSchema;
const version = versionSchema;
const docs = z.array(z.object({ kind: z.enum(DOC_KINDS, { error: '资料类型不正确' }), fileId: objectIdSchema })).max(20, '最多上传20份资料');

export const applicationRouter = router({
  // ---- customers (residents; enterprise admin and power liaison)
  submit: authedProcedure
    .input(
      z.object({
        kind: z.enum(APPLICATION_KINDS, { error: '请选择业务类型' }),
        supplyClass: z.enum(SUPPLY_CLASSES, { error: '用电类别不正确' }).nullish(),
        accountId: objectIdSchema.nullish(),
        address: z.string().trim().max(200, '地址不能超过200字').nullish(),
        capacityKva: z.number({ error: '请填写申请容量' }).int('容量请填写整数').min(1, '容量至少1千伏安').max(100_000, '容量超出范围').nullish(),
        capacityDirection: z.enum(CAPACITY_DIRECTIONS, { error: '请选择增容或减容' }).nullish(),
        newHolderName: z.string().trim().max(100, '名称不能超过100字').nullish(),
        reason: textSchema('请填写申请说明', 500),
        contactName: textSchema('请填写联系人', 50),
        contactPhone: phoneSchema,
        documents: docs,
        channel: z.enum(['web', 'miniprogram']).default('web'),
        requestId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确')
          .nullish(),
      }),
    )
    .mutation(({ ctx, input }) => submitApplication(ctx.user, input, ctx.ip)),
  /** What each kind's form asks for: fields, documents (required first, then optional) and supply classes. */
  formSpec: authedProcedure
    .input(z.object({ kind: z.enum(APPLICATION_KINDS, { error: '请选择业务类型' }) }))
    .query(({ ctx, input }) => formSpec(ctx.user, input.kind)),
  mine: authedProcedure.query(({ ctx }) => myApplications(ctx.user)),
  get: authedProcedure.input(z.object({ id: orderId })).query(({ ctx, input }) => getApplication(ctx.user, input.id)),
  documentLinks: authedProcedure.input(z.object({ id: orderId })).query(({ ctx, input }) => applicationDocumentLinks(ctx, ctx.user, input.id)),
  supplyDocs: authedProcedure
    .input(z.object({ orderId, version, documents: docs.min(1, '请上传需补充的资料') }))
    .mutation(({ ctx, input }) => applicationStep(ctx.user, 'supplyDocs', input, ctx.ip)),
  withdraw: authedProcedure
    .input(z.object({ orderId, version, notes: z.string().trim().max(200, '内容不能超过200字').nullish() }))
    .mutation(({ ctx, input }) => applicationStep(ctx.user, 'withdraw', input, ctx.ip)),

  // ---- the business desk
  queue: authedProcedure
    .input(
      z.object({
        kinds: z.array(z.enum(APPLICATION_KINDS)).optional(),
        milestone: z.enum(MILESTONE_KEYS).nullish(),
        overdue: z.boolean().optional(),
        waiting: z.boolean().optional(),
        maxDaysLeft: z.number().min(0).max(60).nullish(),
        mine: z.boolean().optional(),
        includeDone: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) => applicationQueue(ctx.user, input)),
  agents: authedProcedure.query(() => listAgents()),
  claim: authedProcedure.input(z.object({ orderId, version })).mutation(({ ctx, input }) => applicationStep(ctx.user, 'claim', input, ctx.ip)),
  assign: authedProcedure
    .input(z.object({ orderId, version, agentId: objectIdSchema }))
    .mutation(({ ctx, input }) => applicationStep(ctx.user, 'assign', input, ctx.ip)),
  complete: authedProcedure
    .input(z.object({ orderId, version, notes: z.string().trim().max(1000, '内容不能超过1000字').nullish() }))
    .mutation(({ ctx, input }) => applicationStep(ctx.user, 'complete', input, ctx.ip)),
  schedule: authedProcedure
    .input(
      z.object({
        orderId,
        version,
        scheduledAt: z.iso.datetime({ error: '请选择预约时间', offset: true }),
        notes: z.string().trim().max(500, '内容不能超过500字').nullish(),
      }),
    )
    .mutation(({ ctx, input }) => applicationStep(ctx.user, 'schedule', input, ctx.ip)),
  requestDocs: authedProcedure
    .input(
      z.object({
        orderId,
        version,
        docKinds: z.array(z.enum(DOC_KINDS, { error: '资料类型不正确' })).min(1, '请选择需补充的资料'),
        notes: textSchema('请说明需要补充什么', 500),
      }),
    )
    .mutation(({ ctx, input }) => applicationStep(ctx.user, 'requestDocs', input, ctx.ip)),
  refuse: authedProcedure
    .input(z.object({ orderId, version, reason: textSchema('请填写不予受理的原因', 500) }))
    .mutation(({ ctx, input }) => applicationStep(ctx.user, 'refuse', input, ctx.ip)),
  note: authedProcedure
    .input(z.object({ orderId, version, notes: textSchema('请填写内容', 1000), visibility: z.enum(['customer', 'internal']).default('internal') }))
    .mutation(({ ctx, input }) => applicationStep(ctx.user, 'note', input, ctx.ip)),
});
