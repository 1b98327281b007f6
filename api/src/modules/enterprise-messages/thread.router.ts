import { z } from 'zod';
import { objectIdSchema } from '../../lib/schemas';
import { authedProcedure, router } from '../../trpc/trpc';
import { liveThreadEvents } from './thread.live';
import { MAX_MESSAGE_ATTACHMENTS, MAX_MESSAGE_CHARS } from './thread.rules';
import { inbox, markThreadRead, myAccountManager, readThread, replyWarnings, sendMessage, unreadCount } from './thread.service';

// Who may call each procedure: trpc/access-table.ts; whose thread: thread.service.ts (threadActor).

const enterpriseId = objectIdSchema.nullish();

export const entMessagesRouter = router({
  /** The enterprise's account manager: name, work phone, service hours. */
  manager: authedProcedure.query(({ ctx }) => myAccountManager(ctx.user)),
  thread: authedProcedure
    .input(
      z
        .object({
          enterpriseId,
          beforeSeq: z.number().int().min(1).nullish(),
          limit: z.number().int().min(1).max(100).default(50),
        })
        .optional(),
    )
    .query(({ ctx, input }) => readThread(ctx, ctx.user, input ?? {})),
  send: authedProcedure
    .input(
      z.object({
        enterpriseId,
        text: z.string({ error: '请输入留言内容' }).trim().max(MAX_MESSAGE_CHARS, `留言不能超过${MAX_MESSAGE_CHARS}字`),
        attachmentIds: z.array(objectIdSchema).max(MAX_MESSAGE_ATTACHMENTS, `每条留言最多${MAX_MESSAGE_ATTACHMENTS}个附件`).default([]),
        clientKey: z
          .string()
          .regex(/^[A-Za-z0-9-]{8,64}$/, '消息标识格式不正确')
          .nullish(),
      }),
    )
    .mutation(({ ctx, input }) => sendMessage(ctx, ctx.user, input)),
  markRead: authedProcedure
    .input(z.object({ enterpriseId, upToSeq: z.number().int().min(0).nullish() }))
    .mutation(({ ctx, input }) => markThreadRead(ctx.user, input)),
  unread: authedProcedure.query(({ ctx }) => unreadCount(ctx.user)),
  inbox: authedProcedure.query(({ ctx }) => inbox(ctx.user)),
  warnings: authedProcedure.query(({ ctx }) => replyWarnings(ctx.user)),
  live: authedProcedure
    .input(
      z
        .object({
          lastEventId: z
            .string()
            .regex(/^\d{1,15}$/)
            .nullish(),
        })
        .optional(),
    )
    .subscription(({ ctx, input, signal }) => liveThreadEvents(ctx, input, signal)),
});
