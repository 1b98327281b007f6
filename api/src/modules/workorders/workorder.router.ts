import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { objectIdSchema, phoneSchema, textSchema, versionSchema } from '../../lib/schemas';
import { liveOrderEvents } from './workorder.live';
import { categoryLists } from './categories';
import { SUPPLY_CLASSES } from './sla.rules';
import { orderPhotoLinks } from './photo.links';
import { listAgents } from './agents';
import {
  applyStep,
  createOrder,
  crewOrders,
  getOrder,
  listCrews,
  listMyOrders,
  queueOrders,
  returnVisitQueue,
  uploadPhoto,
} from './workorder.service';
import { CHANNELS, CLOSE_REASONS, FAULT_KINDS, ORDER_STATUSES, ORDER_TYPES, SERVICE_SUBTYPES } from './workorder.rules';

const orderId = objectIdSchema;
const version = versionSchema;
const text = textSchema;
const photoIds = z.array(objectIdSchema).max(9, '最多上传9张照片').optional();

const createBase = {
  type: z.enum(ORDER_TYPES, { error: '请选择工单类型' }),
  subtype: z.enum(SERVICE_SUBTYPES, { error: '业务类型不正确' }).nullish(),
  faultKind: z.enum(FAULT_KINDS, { error: '故障类型不正确' }).nullish(),
  category: z.string().trim().max(50).nullish(),
  description: z.string({ error: '请描述您的问题' }).trim().min(5, '问题描述至少5个字').max(2000, '问题描述不能超过2000字'),
  photos: photoIds,
  contactName: z.string().trim().min(1).max(50).nullish(),
  contactPhone: phoneSchema.nullish(),
  supplyClass: z.enum(SUPPLY_CLASSES).nullish(),
};

// Who may call each procedure: trpc/access-table.ts.

export const workorderRouter = router({
  // ---- customers (residents and enterprise users)
  create: authedProcedure
    .input(
      z.object({
        ...createBase,
        accountId: objectIdSchema.nullish(),
        channel: z.enum(['miniprogram', 'web']).default('miniprogram'),
        /** One per form: sending the same create again (a retry after a lost reply) returns the order already filed. */
        requestId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确')
          .nullish(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { channel, ...rest } = input;
      return createOrder(ctx.user, rest, { channel, ip: ctx.ip });
    }),
  mine: authedProcedure
    .input(z.object({ state: z.enum(['open', 'closed', 'all']).default('all'), limit: z.number().int().min(1).max(100).default(50) }).optional())
    .query(({ ctx, input }) => listMyOrders(ctx.user, { state: input?.state, limit: input?.limit })),
  get: authedProcedure.input(z.object({ orderId })).query(({ ctx, input }) => getOrder(ctx.user, input.orderId, { ip: ctx.ip, fieldContact: true })),
  /** Signed 10-minute links to the photos the caller may see on the order (for thumbnails and preview). */
  photoLinks: authedProcedure.input(z.object({ orderId })).query(({ ctx, input }) => orderPhotoLinks(ctx, ctx.user, input.orderId)),
  rate: authedProcedure
    .input(
      z.object({
        orderId,
        version,
        stars: z.number({ error: '请选择满意度评分' }).int().min(1, '满意度评分为1到5星').max(5, '满意度评分为1到5星'),
        comment: z.string().trim().max(500).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'visit', input, ctx.ip)),
  uploadPhoto: authedProcedure
    .input(
      z.object({
        dataUrl: z
          .string({ error: '请选择图片' })
          .min(1, '请选择图片')
          .max(8 * 1024 * 1024, '图片不能超过5MB'),
      }),
    )
    .mutation(({ ctx, input }) => uploadPhoto(ctx.user, input.dataUrl, ctx.ip)),
  categories: authedProcedure.query(() => categoryLists()),

  // ---- desk
  queue: authedProcedure
    .input(
      z
        .object({
          types: z.array(z.enum(ORDER_TYPES)).max(10).optional(),
          priority: z
            .array(z.enum(['urgent', 'high', 'medium', 'low']))
            .max(4)
            .optional(),
          regionId: objectIdSchema.optional(),
          statuses: z.array(z.enum(ORDER_STATUSES)).max(10).optional(),
          overdue: z.boolean().optional(),
          escalated: z.boolean().optional(),
          mine: z.boolean().optional(),
          hideMerged: z.boolean().optional(),
          limit: z.number().int().min(1).max(200).default(50),
          offset: z.number().int().min(0).max(10_000).default(0),
        })
        .optional(),
    )
    .query(({ ctx, input }) => queueOrders(ctx.user, input ?? {})),
  createForCaller: authedProcedure
    .input(z.object({ ...createBase, accountId: objectIdSchema.nullish(), channel: z.enum(CHANNELS).default('phone') }))
    .mutation(({ ctx, input }) => {
      const { channel, ...rest } = input;
      return createOrder(ctx.user, rest, { channel, ip: ctx.ip, forCaller: true });
    }),
  claim: authedProcedure.input(z.object({ orderId, version })).mutation(({ ctx, input }) => applyStep(ctx.user, 'claim', input, ctx.ip)),
  /** Desk staff by name with their current load, for assigning (no raw ids typed by hand). */
  agents: authedProcedure
    .input(z.object({ q: z.string().trim().max(20, '姓名不能超过20字').nullish() }).optional())
    .query(({ input }) => listAgents({ q: input?.q })),
  assign: authedProcedure
    .input(z.object({ orderId, version, agentId: objectIdSchema, notes: z.string().trim().max(500).nullish() }))
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'assign', input, ctx.ip)),
  transfer: authedProcedure
    .input(z.object({ orderId, version, department: text('请选择转派部门', 50), notes: text('请填写转派说明', 1000) }))
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'transfer', input, ctx.ip)),
  reply: authedProcedure
    .input(z.object({ orderId, version, notes: text('请填写答复内容'), visibility: z.enum(['customer', 'internal'], { error: '请选择可见范围' }) }))
    .mutation(async ({ ctx, input }) => {
      // A customer-visible answer on a desk order is the "reply" step; everything else is a note on the timeline.
      const current = await getOrder(ctx.user, input.orderId);
      const action = current.actions.includes('reply') ? 'reply' : 'note';
      return applyStep(ctx.user, action, input, ctx.ip);
    }),
  process: authedProcedure
    .input(z.object({ orderId, version, notes: z.string().trim().max(1000).nullish() }))
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'process', input, ctx.ip)),

  // ---- dispatch
  dispatch: authedProcedure
    .input(z.object({ orderId, version, crewId: objectIdSchema, notes: z.string().trim().max(500).nullish(), overCapacity: z.boolean().optional() }))
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'dispatch', input, ctx.ip)),
  crews: authedProcedure
    .input(z.object({ regionId: objectIdSchema.optional() }).optional())
    .query(({ input }) => listCrews({ regionId: input?.regionId })),

  // ---- crews in the field
  crewOrders: authedProcedure
    .input(z.object({ includeDone: z.boolean().optional() }).optional())
    .query(({ ctx, input }) => crewOrders(ctx.user, { includeDone: input?.includeDone })),
  accept: authedProcedure.input(z.object({ orderId, version })).mutation(({ ctx, input }) => applyStep(ctx.user, 'accept', input, ctx.ip)),
  arrive: authedProcedure
    .input(z.object({ orderId, version, notes: z.string().trim().max(500).nullish() }))
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'arrive', input, ctx.ip)),
  resolve: authedProcedure
    .input(
      z.object({
        orderId,
        version,
        notes: text('请填写处理说明'),
        attachments: photoIds,
        reasonCode: z.enum(CLOSE_REASONS, { error: '办结原因不正确' }).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => applyStep(ctx.user, input.reasonCode ? 'closeWithReason' : 'resolve', input, ctx.ip)),
  returnForRedispatch: authedProcedure
    .input(z.object({ orderId, version, reason: text('请填写退回原因', 500) }))
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'returnForRedispatch', input, ctx.ip)),

  // ---- return visits and closing
  returnVisits: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .query(({ ctx, input }) => returnVisitQueue(ctx.user, { limit: input?.limit })),
  recordReturnVisit: authedProcedure
    .input(
      z.object({
        orderId,
        version,
        stars: z.number({ error: '请选择满意度评分' }).int().min(1, '满意度评分为1到5星').max(5, '满意度评分为1到5星'),
        comment: z.string().trim().max(500).nullish(),
        notes: z.string().trim().max(1000).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'visit', input, ctx.ip)),
  pause: authedProcedure
    .input(
      z.object({
        orderId,
        version,
        reasonCode: z.enum(['waiting_customer'], { error: '挂起原因不正确' }).default('waiting_customer'),
        notes: text('请填写挂起说明', 500),
      }),
    )
    .mutation(({ ctx, input }) => applyStep(ctx.user, 'pause', input, ctx.ip)),
  resume: authedProcedure.input(z.object({ orderId, version })).mutation(({ ctx, input }) => applyStep(ctx.user, 'resume', input, ctx.ip)),
  close: authedProcedure
    .input(
      z.object({
        orderId,
        version,
        reasonCode: z.enum(CLOSE_REASONS, { error: '办结原因不正确' }).nullish(),
        notes: z.string().trim().max(1000).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => applyStep(ctx.user, input.reasonCode ? 'closeWithReason' : 'close', input, ctx.ip)),

  /** Live queue over SSE: the process's one reader of the database-backed event log, fanned out per subscriber. */
  live: authedProcedure
    .input(
      z
        .object({
          lastEventId: z
            .string()
            .regex(/^\d{1,15}$/)
            .nullish(),
          regionId: objectIdSchema.nullish(),
        })
        .optional(),
    )
    .subscription(({ ctx, input, signal }) => liveOrderEvents(ctx, input, signal)),
});
