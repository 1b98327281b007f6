import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { PORTFOLIO_SORTS } from './portfolio.rules';
import { portfolioList, portfolioOverview } from './portfolio.service';

export const portfolioRouter = router({
  /** The enterprise overview (概览): totals and the sites needing attention. */
  overview: authedProcedure.query(({ ctx }) => portfolioOverview(ctx.user)),

  /** 户号总览: every account of the enterprise within the caller's scope, filtered, sorted and paged on the server. */
  list: authedProcedure
    .input(
      z.object({
        search: z.string().trim().max(40, '搜索内容过长').optional(),
        supplyState: z.enum(['normal', 'arrears', 'disconnected'], { error: '供电状态不正确' }).optional(),
        usageCategory: z.enum(['residential', 'commercial', 'industrial'], { error: '用电类别不正确' }).optional(),
        hasArrears: z.boolean().optional(),
        dueWithinDays: z.number({ error: '天数不正确' }).int('天数不正确').min(0, '天数不正确').max(90, '最多查询90天内到期').optional(),
        sort: z.enum(PORTFOLIO_SORTS, { error: '排序方式不正确' }).default('number'),
        dir: z.enum(['asc', 'desc'], { error: '排序方向不正确' }).default('asc'),
        page: z.number().int().min(1, '页码不正确').default(1),
        pageSize: z.number().int().min(1).max(100, '每页最多100条').default(20),
      }),
    )
    .query(({ ctx, input }) => portfolioList(ctx.user, input)),
});
