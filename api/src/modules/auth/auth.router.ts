import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../../trpc/trpc';
import { phoneSchema } from '../../lib/schemas';
import { parseCookies, REFRESH_COOKIE } from '../../trpc/context';
import { attachWechatPhone, loginWithPassword, loginWithSms, loginWithWechat, logout, refreshSession, toMe } from './auth.service';
import { sendSmsCode } from './sms-code';
import { UserModel, type User } from './user.model';
import { DomainError } from '../../lib/errors';

const smsCodeSchema = z.string({ error: '请输入验证码' }).regex(/^\d{6}$/, '验证码为6位数字');

export const authRouter = router({
  wechatLogin: publicProcedure
    .input(z.object({ code: z.string({ error: '缺少登录凭证' }).min(1, '缺少登录凭证').max(128) }))
    .mutation(({ ctx, input }) => loginWithWechat(ctx, input.code)),

  wechatPhone: authedProcedure
    .input(z.object({ code: z.string({ error: '缺少手机号凭证' }).min(1).max(128) }))
    .mutation(({ ctx, input }) => attachWechatPhone(ctx, ctx.user.sub, input.code)),

  sendSmsCode: publicProcedure.input(z.object({ phone: phoneSchema })).mutation(async ({ ctx, input }) => {
    const r = await sendSmsCode(ctx.sms, input.phone, 'login', ctx.cfg.SMS_DAILY_CAP);
    return { sent: true as const, retryAfterSec: r.retryAfterSec };
  }),

  smsLogin: publicProcedure
    .input(z.object({ phone: phoneSchema, code: smsCodeSchema }))
    .mutation(({ ctx, input }) => loginWithSms(ctx, input.phone, input.code)),

  passwordLogin: publicProcedure
    .input(
      z.object({
        username: z.string({ error: '请输入用户名' }).min(1, '请输入用户名').max(64),
        password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128),
      }),
    )
    .mutation(({ ctx, input }) => loginWithPassword(ctx, input.username, input.password)),

  refresh: publicProcedure.input(z.object({ refreshToken: z.string().max(200).optional() }).optional()).mutation(({ ctx, input }) => {
    const token = ctx.transport === 'cookie' ? parseCookies(ctx.req.headers.cookie)[REFRESH_COOKIE] : input?.refreshToken;
    return refreshSession(ctx, token);
  }),

  logout: publicProcedure.input(z.object({}).optional()).mutation(async ({ ctx }) => {
    await logout(ctx, ctx.user?.sid ?? null);
    return { ok: true as const };
  }),

  me: authedProcedure.query(async ({ ctx }) => {
    const user = (await UserModel.findById(ctx.user.sub).lean()) as User | null;
    if (!user || user.disabled) throw new DomainError('UNAUTHORIZED', '请先登录');
    return toMe(user);
  }),
});
