import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';

// Default validation messages in Simplified Chinese; schemas override them where a field needs its own words.
z.config(z.locales.zhCN());
import type { Context } from './context';
import { edgeErrorMessage } from './edge-errors';
import { accessRuleFor, rolesPass } from './access-table';
import { DomainError } from '../lib/errors';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      // The first validation message in Chinese is what the apps show; the full list helps forms.
      // Transport errors (too large, not JSON, wrong content type, batch too big) in Chinese; internal errors never leak.
      message: zodError ? (zodError.issues[0]?.message ?? '输入有误') : (edgeErrorMessage(error) ?? shape.message),
      data: {
        ...shape.data,
        stack: undefined,
        fieldErrors: zodError ? zodError.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Marks a refusal by the access gate (as opposed to one from a handler), for tests and logs. */
export class AccessGateRefusal extends Error {}

function signInRefusal(ctx: Context): TRPCError {
  return new TRPCError({
    code: 'UNAUTHORIZED',
    message: ctx.authError === 'expired' ? '登录已过期，请重新登录' : ctx.authError === 'revoked' ? '登录状态已失效，请重新登录' : '请先登录',
    cause: new AccessGateRefusal('not signed in'),
  });
}

/**
 * The access gate: every procedure's roles come from ACCESS_TABLE, checked here before the input is
 * parsed. A procedure missing from the table is refused to everyone. Object-level rules (whose
 * account, order, payment) are enforced by each object kind's access module inside the handlers.
 */
const gate = t.middleware(({ ctx, path, next }) => {
  const rule = accessRuleFor(path);
  if (!rule) throw new TRPCError({ code: 'FORBIDDEN', message: '无权执行此操作', cause: new AccessGateRefusal(`no access rule for ${path}`) });
  if (rule.roles === 'public') return next();
  if (!ctx.user) throw signInRefusal(ctx);
  if (!rolesPass(rule, ctx.user.roles))
    throw new TRPCError({ code: 'FORBIDDEN', message: '无权执行此操作', cause: new AccessGateRefusal(`role not allowed for ${path}`) });
  return next();
});

/**
 * The one place a DomainError becomes a TRPCError: its code and its (Chinese, user-facing) message pass
 * through; anything else a procedure throws stays an internal error whose message the formatter hides.
 */
const domainErrors = t.middleware(async ({ next }) => {
  const r = await next();
  if (!r.ok && r.error.cause instanceof DomainError) {
    const d = r.error.cause;
    throw new TRPCError({ code: d.code, message: d.message, cause: d });
  }
  return r;
});

/** Anyone (the table may still demand a sign-in or a role). */
export const publicProcedure = t.procedure.use(domainErrors).use(gate);

/** Signed in, with `ctx.user` typed as present; which roles is the table's business. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw signInRefusal(ctx);
  return next({ ctx: { ...ctx, user: ctx.user } });
});
