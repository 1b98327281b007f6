import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { maskName, maskPhone } from '../../lib/mask';
import { objectIdSchema, phoneSchema } from '../../lib/schemas';
import { UserModel } from '../auth/user.model';
import { AccountModel, CustomerModel, type Account } from '../accounts/account.model';
import { loadAccessibleAccount } from '../accounts/account.access';
import { toAccountSummary } from '../accounts/account.service';
import { recordAudit } from '../audit/audit.service';
import { callerContext } from './caller-context';
import { supervisorHome } from '../warnings/warning.service';

type HomeCard = { key: string; label: string; value: number; href?: string };

// Who may call each procedure (screen-pop and audited reveals are the desk's): trpc/access-table.ts.

export const staffRouter = router({
  home: authedProcedure.query(async ({ ctx }) => {
    const me = await UserModel.findById(ctx.user.sub, { displayName: 1 }).lean();
    // A supervisor's home: today's warnings of their teams' regions and a few KPIs (warnings module).
    if (ctx.user.roles.includes('supervisor')) {
      const home = await supervisorHome(ctx.user);
      return { displayName: me?.displayName ?? '', roles: ctx.user.roles, cards: home.cards as HomeCard[], supervisor: home };
    }
    const [accounts, arrears, disconnected, important] = await Promise.all([
      AccountModel.estimatedDocumentCount(),
      AccountModel.countDocuments({ supplyState: 'arrears' }),
      AccountModel.countDocuments({ supplyState: 'disconnected' }),
      CustomerModel.countDocuments({ 'flags.important': true }),
    ]);
    return {
      displayName: me?.displayName ?? '',
      roles: ctx.user.roles,
      cards: [
        { key: 'accounts', label: '在册户号', value: accounts },
        { key: 'arrears', label: '欠费户号', value: arrears },
        { key: 'disconnected', label: '欠费停电户号', value: disconnected },
        { key: 'important', label: '重要客户', value: important },
      ] as HomeCard[],
      supervisor: null,
    };
  }),

  /** Screen-pop (来电弹屏): the caller's customers and accounts, masked. */
  findCustomer: authedProcedure.input(z.object({ phone: phoneSchema })).query(async ({ input }) => {
    const [byCustomer, byAccount] = await Promise.all([
      CustomerModel.find({ phone: input.phone }).limit(10).lean(),
      AccountModel.find({ phone: input.phone }, { customerId: 1 }).limit(50).lean(),
    ]);
    const ids = new Set([...byCustomer.map((c) => String(c._id)), ...byAccount.map((a) => String(a.customerId))]);
    const customers = await CustomerModel.find({ _id: { $in: [...ids] } })
      .limit(10)
      .lean();
    const accounts = (await AccountModel.find({ customerId: { $in: customers.map((c) => c._id) } })
      .limit(200)
      .lean()) as Account[];
    return {
      customers: customers.map((c) => ({
        id: String(c._id),
        nameMasked: maskName(c.name),
        phoneMasked: maskPhone(c.phone) ?? '',
        tier: c.tier as 'A' | 'B' | 'C',
        flags: { important: !!c.flags?.important, sensitive: !!c.flags?.sensitive, vulnerable: !!c.flags?.vulnerable },
        accounts: accounts.filter((a) => String(a.customerId) === String(c._id)).map((a) => toAccountSummary(a, 'self')),
      })),
    };
  }),

  /** Screen-pop, the rest of it: the caller's orders (open and recent), outages on their areas, last contact per channel. */
  callerContext: authedProcedure
    .input(z.object({ customerId: objectIdSchema, phone: phoneSchema.nullish() }))
    .query(({ input }) => callerContext(input)),

  /** Full personal data for an account: only roles that need it, only with a reason, always audited. */
  revealAccount: authedProcedure
    .input(z.object({ accountId: objectIdSchema, reason: z.string({ error: '请填写查看原因' }).trim().min(2, '请填写查看原因').max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { account } = await loadAccessibleAccount(ctx.user, input.accountId, 'view');
      await recordAudit({
        actorId: ctx.user.sub,
        actorRoles: ctx.user.roles,
        action: 'account.reveal_personal_data',
        targetType: 'account',
        targetId: String(account._id),
        reason: input.reason,
        ip: ctx.ip,
      });
      return { holderName: account.holderName, phone: account.phone ?? '', address: account.address };
    }),
});
