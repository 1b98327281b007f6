import { z } from 'zod';
import { noteSchema, objectIdSchema } from '../../lib/schemas';
import { authedProcedure, router } from '../../trpc/trpc';
import { QC_ITEMS } from './points.rules';
import { agentPoints, leaderboard, myPoints, pointsScope } from './points.service';
import { listQualityChecks, qcCandidates, qcOrder, submitQualityCheck } from './qc.service';

// Who may call each procedure: trpc/access-table.ts (own ledger; points:team for a supervisor's teams).

const limit = z.number({ error: '条数须为数字' }).int('条数须为整数').min(1, '条数至少为1').max(200, '条数不能超过200').default(50);
const periodKey = z
  .string()
  .regex(/^(all|\d{4}-\d{2}|\d{4}-Q[1-4])$/, '统计区间格式不正确')
  .nullish();

export const pointsRouter = router({
  /** 我的积分: totals (all time, this month, this quarter) and entries newest first. */
  mine: authedProcedure.input(z.object({ limit }).default({ limit: 50 })).query(({ ctx, input }) => myPoints(ctx.user, input)),
  /** Leaderboards by month / quarter / all time: every agent across teams, and per-team totals. */
  leaderboard: authedProcedure
    .input(z.object({ period: z.enum(['month', 'quarter', 'all'], { error: '请选择统计区间' }), key: periodKey }))
    .query(({ ctx, input }) => leaderboard(ctx.user, input)),
  /** The teams and agents whose ledgers the caller may read. */
  scope: authedProcedure.query(({ ctx }) => pointsScope(ctx.user)),
  /** A team member's ledger. */
  agent: authedProcedure.input(z.object({ agentId: objectIdSchema, limit })).query(({ ctx, input }) => agentPoints(ctx.user, input.agentId, input)),
  /** 质检: recent handled orders of my teams not yet checked by me. */
  qcCandidates: authedProcedure
    .input(z.object({ limit: limit.default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => qcCandidates(ctx.user, input)),
  /** 质检: one handled order by its number, with its timeline. */
  qcOrder: authedProcedure
    .input(
      z.object({
        orderNo: z.string({ error: '请输入工单编号' }).trim().min(1, '请输入工单编号').max(40, '工单编号格式不正确'),
      }),
    )
    .query(({ ctx, input }) => qcOrder(ctx.user, input.orderNo)),
  qcSubmit: authedProcedure
    .input(
      z.object({
        orderId: objectIdSchema,
        items: z
          .array(z.object({ item: z.enum(QC_ITEMS, { error: '质检项目不正确' }), passed: z.boolean({ error: '请选择合格或不合格' }) }), {
            error: '请填写质检结果',
          })
          .length(QC_ITEMS.length, '请对每一项质检内容给出结论'),
        comment: noteSchema(500),
      }),
    )
    .mutation(({ ctx, input }) => submitQualityCheck(ctx.user, input, ctx.ip ?? null)),
  qcList: authedProcedure
    .input(z.object({ limit: limit.default(30) }).default({ limit: 30 }))
    .query(({ ctx, input }) => listQualityChecks(ctx.user, input)),
});
