import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';

// Default validation messages in Simplified Chinese; schemas override them where a field needs its own words.
z.config(z.locales.zhCN());
import type { Context } from './context';
import type { Role } from '../modules/auth/user.model';
import { STAFF_ROLES, ENTERPRISE_ROLES } from '../modules/auth/user.model';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      // The first validation message in Chinese is what the apps show; the full list helps forms.
      message: zodError ? (zodError.issues[0]?.message ?? '输入有误') : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        fieldErrors: zodError ? zodError.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined,
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;

export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: ctx.authError === 'expired' ? '登录已过期，请重新登录' : '请先登录',
    });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Procedures only some roles may call; object-level checks still happen inside each handler. */
export function roleProcedure(...allowed: readonly Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!ctx.user.roles.some((r) => allowed.includes(r))) {
      throw new TRPCError({ code: 'FORBIDDEN', message: '无权执行此操作' });
    }
    return next();
  });
}

export const residentProcedure = roleProcedure('resident');
export const customerProcedure = roleProcedure('resident', ...ENTERPRISE_ROLES);
export const staffProcedure = roleProcedure(...STAFF_ROLES);
