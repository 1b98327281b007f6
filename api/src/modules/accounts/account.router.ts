import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { accountNumberSchema, objectIdSchema } from '../../lib/schemas';
import { loadAccessibleAccount } from './account.access';
import { bindByHolderName, bindBySmsCode, listMyAccounts, lookupAccount, sendBindCode, toAccountSummary, unbindAccount } from './account.service';

const relationSchema = z.enum(['self', 'family', 'tenant'], { error: '请选择与户主的关系' });

export const accountRouter = router({
  list: authedProcedure.query(({ ctx }) => listMyAccounts(ctx.user)),

  get: authedProcedure.input(z.object({ accountId: objectIdSchema })).query(async ({ ctx, input }) => {
    const { account, relation, level } = await loadAccessibleAccount(ctx.user, input.accountId, 'view');
    return toAccountSummary(account, relation ?? 'self', level ?? 'holder');
  }),

  lookup: authedProcedure.input(z.object({ number: accountNumberSchema })).query(({ ctx, input }) => lookupAccount(ctx.user, ctx.ip, input.number)),

  bind: authedProcedure
    .input(
      z.object({
        number: accountNumberSchema,
        holderName: z.string({ error: '请输入户主姓名' }).trim().min(1, '请输入户主姓名').max(50),
        relation: relationSchema,
      }),
    )
    .mutation(({ ctx, input }) => bindByHolderName(ctx.user, ctx.ip, input.number, input.holderName, input.relation)),

  sendBindCode: authedProcedure
    .input(z.object({ number: accountNumberSchema }))
    .mutation(({ ctx, input }) => sendBindCode(ctx.sms, ctx.user, ctx.ip, input.number, ctx.cfg.SMS_DAILY_CAP)),

  bindWithCode: authedProcedure
    .input(z.object({ number: accountNumberSchema, code: z.string().regex(/^\d{6}$/, '验证码为6位数字'), relation: relationSchema }))
    .mutation(({ ctx, input }) => bindBySmsCode(ctx.user, ctx.ip, input.number, input.code, input.relation)),

  unbind: authedProcedure.input(z.object({ accountId: objectIdSchema })).mutation(({ ctx, input }) => unbindAccount(ctx.user, input.accountId)),
});
