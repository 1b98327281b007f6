import { z } from 'zod';
import { objectIdSchema } from '../../lib/schemas';
import { authedProcedure, router } from '../../trpc/trpc';
import { CHANNELS, ORDER_TYPES } from '../workorders/workorder.rules';
import { dashboard, drill, exportCsv, metricInfos, qualityScope } from './quality.service';
import { METRIC_KEYS, ON_TIME_KINDS } from './quality.types';

// Who may call each procedure: trpc/access-table.ts (reach report:scope, enforced in quality.scope.ts).

const day = (msg: string) => z.string({ error: msg }).regex(/^\d{4}-\d{2}-\d{2}$/, msg);
const filters = z
  .object({
    types: z
      .array(z.enum(ORDER_TYPES, { error: '工单类型不正确' }))
      .max(20)
      .optional(),
    channels: z
      .array(z.enum(CHANNELS, { error: '渠道不正确' }))
      .max(10)
      .optional(),
    regionIds: z.array(objectIdSchema).max(50, '最多选择50个区域').optional(),
    teamIds: z.array(objectIdSchema).max(50, '最多选择50个班组').optional(),
    agentIds: z.array(objectIdSchema).max(100, '最多选择100名人员').optional(),
  })
  .optional();
const period = {
  from: day('请选择开始日期'),
  to: day('请选择结束日期'),
  filters,
};
const dashboardInput = z.object({ ...period, granularity: z.enum(['day', 'week', 'month'], { error: '趋势粒度不正确' }).optional() });
const drillBase = {
  ...period,
  metric: z.enum(METRIC_KEYS, { error: '指标不正确' }),
  kind: z.enum(ON_TIME_KINDS, { error: '时限类型不正确' }).nullish(),
  part: z.enum(['numerator', 'denominator'], { error: '请选择分子或分母' }),
};

export const qualityRouter = router({
  metrics: authedProcedure.query(() => metricInfos()),
  scope: authedProcedure.query(({ ctx }) => qualityScope(ctx.user)),
  dashboard: authedProcedure.input(dashboardInput).query(({ ctx, input }) => dashboard(ctx.user, input)),
  drill: authedProcedure
    .input(
      z.object({
        ...drillBase,
        page: z.number().int().min(1, '页码不正确').default(1),
        pageSize: z.number().int().min(1).max(200, '每页最多200条').default(20),
      }),
    )
    .query(({ ctx, input }) => drill(ctx.user, input)),
  exportCsv: authedProcedure
    .input(
      z.discriminatedUnion('table', [
        z.object({ table: z.literal('drill'), ...drillBase }),
        z.object({ table: z.literal('agents'), ...dashboardInput.shape }),
      ]),
    )
    .mutation(({ ctx, input }) => exportCsv(ctx.user, input)),
});
