import { z } from 'zod';
import { publicProcedure, router } from '../../trpc/trpc';
import { phoneSchema } from '../../lib/schemas';
import { SmsOutboxModel } from './sms-provider';
import { DomainError } from '../../lib/errors';

/**
 * Development outbox reader: exists only with DEV_MODE on (npm start and the tests set it; off by default,
 * refused in production) and the outbox SMS provider. Otherwise NOT_FOUND, as if there were no such procedure.
 */
export const devRouter = router({
  smsOutbox: publicProcedure.input(z.object({ phone: phoneSchema.optional() }).optional()).query(async ({ ctx, input }) => {
    if (!ctx.cfg.DEV_MODE || ctx.cfg.NODE_ENV === 'production' || ctx.sms.name !== 'outbox') {
      throw new DomainError('NOT_FOUND', '不可用');
    }
    const rows = await SmsOutboxModel.find(input?.phone ? { phone: input.phone } : {})
      .sort({ createdAt: -1 })
      .limit(50)
      .lean();
    return rows.map((r) => ({ phone: r.phone, text: r.text, createdAt: r.createdAt.toISOString() }));
  }),
});
