import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../../trpc/trpc';
import { noteSchema, objectIdSchema, textSchema, versionSchema } from '../../lib/schemas';
import { enterpriseOutages, setSiteSubscriptions } from './enterprise-outages';
import { getClusterConfig, setClusterConfig } from './outage.intake';
import { OUTAGE_KINDS, OUTAGE_STATUSES } from './outage.rules';
import {
  areaTree,
  cancelOutage,
  confirmProposal,
  dismissProposal,
  editOutage,
  listProposals,
  mySubscriptions,
  outageForIncident,
  outagesByAccountNumber,
  outagesForMyAccounts,
  publicList,
  publicOutage,
  publishOutage,
  restoreOutage,
  resumeStaleNotices,
  staffList,
  staffOutage,
  subscribe,
  unsubscribe,
} from './outage.service';

const when = (msg: string) => z.coerce.date({ error: msg });
const text = (msg: string, max = 500) => textSchema(msg, max);
const version = versionSchema;
const outageId = objectIdSchema;
const scope = z.object({
  feederIds: z.array(objectIdSchema).max(50, '线路最多50条').default([]),
  transformerAreaIds: z.array(objectIdSchema).max(500, '台区最多500个').default([]),
});
const areaFilter = { regionId: objectIdSchema.optional(), feederId: objectIdSchema.optional(), transformerAreaId: objectIdSchema.optional() };
const channels = z
  .array(z.enum(['inapp', 'wechat', 'sms'], { error: '通知方式不正确' }))
  .max(3)
  .default(['inapp', 'wechat']);

// Who may call each procedure: trpc/access-table.ts.

export const outageRouter = router({
  // ---- public (no login): the outage page and the area filter
  list: publicProcedure
    .input(
      z
        .object({
          ...areaFilter,
          days: z.number().int().min(1, '天数须为1到365之间的整数').max(365, '天数须为1到365之间的整数').optional(),
          limit: z.number().int().min(1).max(100).default(50),
          offset: z.number().int().min(0).max(10_000).default(0),
        })
        .optional(),
    )
    .query(({ input }) => publicList(input ?? {})),
  get: publicProcedure.input(z.object({ outageId })).query(({ input }) => publicOutage(input.outageId)),
  areas: publicProcedure.input(z.object({ regionId: objectIdSchema.optional() }).optional()).query(({ input }) => areaTree(input?.regionId)),
  byAccountNumber: publicProcedure
    .input(
      z.object({
        number: z
          .string({ error: '请输入户号' })
          .trim()
          .regex(/^\d{13}$/, '户号为13位数字'),
      }),
    )
    .query(({ ctx, input }) => outagesByAccountNumber({ userId: ctx.user?.sub ?? null, ip: ctx.ip }, input.number)),

  // ---- customers
  mine: authedProcedure.query(({ ctx }) => outagesForMyAccounts(ctx.user)),
  subscribe: authedProcedure
    .input(z.object({ accountId: objectIdSchema, channels }))
    .mutation(({ ctx, input }) => subscribe(ctx.user, input.accountId, input.channels)),
  unsubscribe: authedProcedure.input(z.object({ accountId: objectIdSchema })).mutation(({ ctx, input }) => unsubscribe(ctx.user, input.accountId)),
  subscriptions: authedProcedure.query(({ ctx }) => mySubscriptions(ctx.user)),
  /** Enterprise users: current and upcoming outages over any of their sites, and a subscription switch per site. */
  enterpriseView: authedProcedure.query(({ ctx }) => enterpriseOutages(ctx.user)),
  setSiteSubscriptions: authedProcedure
    .input(
      z.union([
        z.object({ accountIds: z.array(objectIdSchema).min(1, '请选择户号').max(2000, '一次最多2000个户号'), on: z.boolean() }),
        z.object({ all: z.literal(true), on: z.boolean() }),
      ]),
    )
    .mutation(({ ctx, input }) => setSiteSubscriptions(ctx.user, input)),

  // ---- staff
  staffList: authedProcedure
    .input(
      z
        .object({
          ...areaFilter,
          statuses: z.array(z.enum(OUTAGE_STATUSES)).max(3).optional(),
          kinds: z.array(z.enum(OUTAGE_KINDS)).max(3).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          offset: z.number().int().min(0).max(10_000).default(0),
        })
        .optional(),
    )
    .query(({ ctx, input }) => {
      void resumeStaleNotices(ctx.sms).catch((err) => ctx.log.error({ err: String(err) }, 'outage notices resume failed'));
      return staffList(input ?? {});
    }),
  detail: authedProcedure.input(z.object({ outageId })).query(({ input }) => staffOutage(input.outageId)),
  forIncident: authedProcedure.input(z.object({ orderId: objectIdSchema })).query(({ ctx, input }) => outageForIncident(ctx.user, input.orderId)),
  publish: authedProcedure
    .input(
      z.object({
        kind: z.enum(OUTAGE_KINDS, { error: '请选择停电类型' }),
        scope,
        startAt: when('请填写停电开始时间'),
        etr: when('预计恢复时间格式不正确').nullish(),
        reason: text('请填写停电原因'),
        /** 临时检修 within 24 h over important customers: the record of reaching them by phone. */
        importantContactNote: noteSchema(500),
      }),
    )
    .mutation(({ ctx, input }) => publishOutage(ctx.user, { ...input, etr: input.etr ?? null }, ctx.sms, ctx.ip)),
  update: authedProcedure
    .input(
      z.object({
        outageId,
        version,
        startAt: when('停电开始时间格式不正确').optional(),
        etr: when('预计恢复时间格式不正确').nullish(),
        reason: text('请填写停电原因').optional(),
        note: z.string().trim().max(500).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => editOutage(ctx.user, input, ctx.sms, ctx.ip)),
  restore: authedProcedure
    .input(z.object({ outageId, version, restoredAt: when('恢复送电时间格式不正确').optional(), note: z.string().trim().max(500).nullish() }))
    .mutation(({ ctx, input }) => restoreOutage(ctx.user, input, ctx.sms, ctx.ip)),
  cancel: authedProcedure
    .input(z.object({ outageId, version, reason: text('请填写取消原因') }))
    .mutation(({ ctx, input }) => cancelOutage(ctx.user, input, ctx.sms, ctx.ip)),

  // ---- clustering proposals (故障研判)
  proposals: authedProcedure
    .input(
      z
        .object({
          status: z.enum(['open', 'confirmed', 'dismissed', 'superseded']).default('open'),
          regionId: objectIdSchema.optional(),
          limit: z.number().int().min(1).max(100).default(50),
        })
        .optional(),
    )
    .query(({ ctx, input }) => {
      void resumeStaleNotices(ctx.sms).catch((err) => ctx.log.error({ err: String(err) }, 'outage notices resume failed'));
      return listProposals(input ?? {});
    }),
  confirmProposal: authedProcedure
    .input(z.object({ proposalId: objectIdSchema, etr: when('预计恢复时间格式不正确').nullish(), reason: z.string().trim().max(500).nullish() }))
    .mutation(({ ctx, input }) => confirmProposal(ctx.user, input, ctx.sms, ctx.ip)),
  dismissProposal: authedProcedure
    .input(z.object({ proposalId: objectIdSchema, reason: text('请填写驳回原因') }))
    .mutation(({ ctx, input }) => dismissProposal(ctx.user, input, ctx.ip)),
  clusterSettings: authedProcedure.query(async () => {
    const c = await getClusterConfig();
    return { areaThreshold: c.areaThreshold, windowMinutes: c.windowMs / 60_000, feederMinAreas: c.feederMinAreas };
  }),
  setClusterSettings: authedProcedure
    .input(
      z.object({
        areaThreshold: z.number().int().min(2).max(100).optional(),
        windowMinutes: z.number().int().min(1).max(120).optional(),
        feederMinAreas: z.number().int().min(2).max(50).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const c = await setClusterConfig(
        {
          ...(input.areaThreshold !== undefined ? { areaThreshold: input.areaThreshold } : {}),
          ...(input.windowMinutes !== undefined ? { windowMs: input.windowMinutes * 60_000 } : {}),
          ...(input.feederMinAreas !== undefined ? { feederMinAreas: input.feederMinAreas } : {}),
        },
        ctx.user,
        ctx.ip,
      );
      return { areaThreshold: c.areaThreshold, windowMinutes: c.windowMs / 60_000, feederMinAreas: c.feederMinAreas };
    }),
});
