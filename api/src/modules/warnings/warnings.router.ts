import { z } from 'zod';
import { noteSchema, objectIdSchema, textSchema } from '../../lib/schemas';
import { authedProcedure, router } from '../../trpc/trpc';
import {
  acknowledgeSupervision,
  commentSupervision,
  createManualSupervision,
  listSupervision,
  myStaffNotices,
  openSupervisionCount,
  readStaffNotice,
  urgeSupervision,
} from './supervision.service';
import { warningBoard } from './warning.service';
import { listWeeklyReports, weeklyReportFile } from './weekly-report.service';
import { SUPERVISION_STATES } from './warning.rules';

// Who may call each procedure: trpc/access-table.ts (the warnings:scope reach is enforced in warning.service warningScope).

const itemId = z.object({ id: objectIdSchema });

export const warningsRouter = router({
  /** 预警看板: near-deadline orders, backlog against crew capacity, areas above their usual level, sensitive customers. */
  board: authedProcedure.query(({ ctx }) => warningBoard(ctx.user)),

  /** 督办 inbox of the caller's scope. */
  supervision: authedProcedure
    .input(z.object({ state: z.enum([...SUPERVISION_STATES, 'all'], { error: '请选择督办状态' }).default('all') }).default({ state: 'all' }))
    .query(({ ctx, input }) => listSupervision(ctx.user, { state: input.state })),
  /** 待处理 督办 (the menu's badge). */
  supervisionCount: authedProcedure.query(async ({ ctx }) => ({ count: await openSupervisionCount(ctx.user) })),
  acknowledge: authedProcedure.input(itemId).mutation(({ ctx, input }) => acknowledgeSupervision(ctx.user, input.id)),
  comment: authedProcedure
    .input(z.object({ id: objectIdSchema, text: textSchema('请填写督办意见', 500) }))
    .mutation(({ ctx, input }) => commentSupervision(ctx.user, input.id, input.text)),
  urge: authedProcedure
    .input(z.object({ id: objectIdSchema, text: noteSchema(200) }))
    .mutation(({ ctx, input }) => urgeSupervision(ctx.user, input.id, input.text, ctx.ip)),
  /** A manual 督办 on an open order, by its number (or id, from the order drawer). */
  createSupervision: authedProcedure
    .input(
      z
        .object({
          orderNo: z.string().trim().max(40, '工单编号格式不正确').nullish(),
          orderId: objectIdSchema.nullish(),
          reason: textSchema('请填写督办原因', 200),
        })
        .refine((v) => !!v.orderNo || !!v.orderId, { message: '请输入工单编号' }),
    )
    .mutation(({ ctx, input }) => createManualSupervision(ctx.user, input, ctx.ip)),

  /** The caller's unread urges and routed warnings (a crew, an agent, an account or area manager). */
  myNotices: authedProcedure.query(({ ctx }) => myStaffNotices(ctx.user)),
  readNotice: authedProcedure.input(itemId).mutation(({ ctx, input }) => readStaffNotice(ctx.user, input.id)),

  /** 服务质量周报 of the caller's teams (admin: all). */
  weeklyReports: authedProcedure.query(({ ctx }) => listWeeklyReports(ctx.user)),
  weeklyReportFile: authedProcedure.input(itemId).mutation(({ ctx, input }) => weeklyReportFile(ctx.user, input.id)),
});
