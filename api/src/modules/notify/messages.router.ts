import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../../trpc/trpc';
import { objectIdSchema } from '../../lib/schemas';
import { listMessages, markRead, unreadCount } from './fanout';
import { WechatOutboxModel } from './wechat-subscribe';
import { DomainError } from '../../lib/errors';

/** The in-app message centre (消息中心): every signed-in person reads only their own messages. */
export const messagesRouter = router({
  list: authedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(100).default(20),
          /** createdAt (ISO) of the last message shown: the next page starts after it. */
          before: z.iso.datetime({ error: '分页参数不正确' }).nullish(),
          unreadOnly: z.boolean().optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => listMessages(ctx.user.sub, { limit: input?.limit, before: input?.before ?? null, unreadOnly: input?.unreadOnly })),
  unreadCount: authedProcedure.query(async ({ ctx }) => ({ count: await unreadCount(ctx.user.sub) })),
  markRead: authedProcedure
    .input(
      z.union([z.object({ ids: z.array(objectIdSchema).min(1, '请选择消息').max(200, '一次最多200条') }), z.object({ all: z.literal(true) })], {
        error: '请选择消息',
      }),
    )
    .mutation(({ ctx, input }) => markRead(ctx.user.sub, 'all' in input ? { all: true } : { ids: input.ids })),
  /** Development outbox of WeChat subscribe messages (like dev.smsOutbox); absent in production. */
  devWechatOutbox: publicProcedure.input(z.object({ openid: z.string().min(1).max(64).optional() }).optional()).query(async ({ ctx, input }) => {
    // Development aid: only with DEV_MODE on (see dev.smsOutbox).
    if (!ctx.cfg.DEV_MODE || ctx.cfg.NODE_ENV === 'production') throw new DomainError('NOT_FOUND', '不可用');
    const rows = await WechatOutboxModel.find(input?.openid ? { openid: input.openid } : {})
      .sort({ createdAt: -1 })
      .limit(50)
      .lean();
    return rows.map((r) => ({
      openid: r.openid,
      templateId: r.templateId,
      data: r.data as Record<string, { value: string }>,
      page: r.page ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
  }),
});
