import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import { cookieSecure } from '../../config';
import { maskPhone } from '../../lib/mask';
import { ACCESS_COOKIE, REFRESH_COOKIE, type Context } from '../../trpc/context';
import { EnterpriseModel } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import { verifyPassword } from './password';
import { RefreshTokenModel, SessionModel } from './session.model';
import { verifySmsCode } from './sms-code';
import { newOpaqueToken, sha256, type AccessClaims } from './tokens';
import { identityKey, UserModel, type Role, type User, type UserKind } from './user.model';

export interface Me {
  id: string;
  kind: UserKind;
  roles: Role[];
  displayName: string;
  phoneMasked: string | null;
  enterprise: { id: string; name: string } | null;
}

export interface AuthResult {
  user: Me;
  accessToken?: string;
  refreshToken?: string;
  expiresIn: number;
}

const LOCK_AFTER_FAILURES = 5;
const LOCK_MS = 15 * 60_000;

export async function toMe(user: Pick<User, 'kind' | 'roles' | 'displayName' | 'phone' | 'enterpriseId'> & { _id: Types.ObjectId }): Promise<Me> {
  const ent = user.enterpriseId ? await EnterpriseModel.findById(user.enterpriseId, { name: 1 }).lean() : null;
  return {
    id: String(user._id),
    kind: user.kind as UserKind,
    roles: user.roles as Role[],
    displayName: user.displayName,
    phoneMasked: maskPhone(user.phone),
    enterprise: ent ? { id: String(ent._id), name: ent.name } : null,
  };
}

function claimsOf(user: User, sid: string): AccessClaims {
  return {
    sub: String(user._id),
    kind: user.kind as UserKind,
    roles: user.roles as Role[],
    sid,
    ent: user.enterpriseId ? String(user.enterpriseId) : null,
    crew: user.crewId ? String(user.crewId) : null,
  };
}

function setCookie(ctx: Context, name: string, value: string, maxAgeSec: number, path: string) {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${path}`, `Max-Age=${maxAgeSec}`, 'HttpOnly', 'SameSite=Lax'];
  if (cookieSecure(ctx.cfg)) parts.push('Secure');
  ctx.res.appendHeader('set-cookie', parts.join('; '));
}

/** Mints an access token and a refresh token of the given session; cookie transport keeps both out of the body. */
async function mintTokens(ctx: Context, user: User, sessionId: string): Promise<AuthResult> {
  const { cfg } = ctx;
  const accessToken = await ctx.keys.signAccess(claimsOf(user, sessionId), cfg.ACCESS_TOKEN_TTL_SEC, cfg.AUTH_ISSUER);
  const refreshToken = newOpaqueToken('rt_');
  const now = new Date();
  await RefreshTokenModel.create({
    hash: sha256(refreshToken),
    sessionId,
    userId: user._id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + cfg.REFRESH_TOKEN_TTL_SEC * 1000),
  });
  const me = await toMe(user);
  if (ctx.transport === 'cookie') {
    setCookie(ctx, ACCESS_COOKIE, accessToken, cfg.ACCESS_TOKEN_TTL_SEC, '/');
    setCookie(ctx, REFRESH_COOKIE, refreshToken, cfg.REFRESH_TOKEN_TTL_SEC, '/trpc');
    return { user: me, expiresIn: cfg.ACCESS_TOKEN_TTL_SEC };
  }
  return { user: me, accessToken, refreshToken, expiresIn: cfg.ACCESS_TOKEN_TTL_SEC };
}

export async function startSession(ctx: Context, user: User): Promise<AuthResult> {
  if (user.disabled) throw new TRPCError({ code: 'FORBIDDEN', message: '账号已停用，请联系管理员' });
  const now = new Date();
  const sessionId = randomUUID();
  await SessionModel.create({
    _id: sessionId,
    userId: user._id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ctx.cfg.REFRESH_TOKEN_TTL_SEC * 1000),
    client: ctx.transport === 'cookie' ? 'web' : 'app',
  });
  await UserModel.updateOne({ _id: user._id }, { $set: { lastLoginAt: now, failedLogins: 0, lockedUntil: null } });
  return mintTokens(ctx, user, sessionId);
}

/** Find-or-create by a unique key; a concurrent first login loses the insert race and reads the winner. */
async function upsertUser(filter: Record<string, unknown>, onInsert: Record<string, unknown>): Promise<User> {
  try {
    const u = await UserModel.findOneAndUpdate(filter, { $setOnInsert: onInsert }, { upsert: true, returnDocument: 'after' }).lean();
    return u as User;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    return (await UserModel.findOne(filter).lean()) as User;
  }
}

export async function loginWithWechat(ctx: Context, code: string): Promise<AuthResult> {
  const { openid } = await ctx.wechat.code2Session(code);
  const user = await upsertUser({ identityKey: identityKey.wechat(openid) }, { kind: 'wechat', openid, roles: ['resident'], displayName: '微信用户' });
  return startSession(ctx, user);
}

export async function attachWechatPhone(ctx: Context, userId: string, code: string): Promise<{ phoneMasked: string }> {
  const phone = await ctx.wechat.phoneNumber(code);
  await UserModel.updateOne({ _id: userId, kind: 'wechat' }, { $set: { phone } });
  return { phoneMasked: maskPhone(phone)! };
}

export async function loginWithSms(ctx: Context, phone: string, code: string): Promise<AuthResult> {
  await verifySmsCode(phone, 'login', code);
  const user = await upsertUser(
    { identityKey: identityKey.sms(phone) },
    { kind: 'web', phone, roles: ['resident'], displayName: `用户${phone.slice(-4)}` },
  );
  return startSession(ctx, user);
}

export async function loginWithPassword(ctx: Context, username: string, password: string): Promise<AuthResult> {
  const user = (await UserModel.findOne({ identityKey: identityKey.password(username) }).lean()) as User | null;
  const now = new Date();
  if (user?.lockedUntil && user.lockedUntil > now) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: '密码错误次数过多，账号已临时锁定15分钟' });
  }
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok) {
    if (user) {
      const after = await UserModel.findOneAndUpdate({ _id: user._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' }).lean();
      if (after && after.failedLogins >= LOCK_AFTER_FAILURES) {
        await UserModel.updateOne({ _id: user._id }, { $set: { lockedUntil: new Date(now.getTime() + LOCK_MS), failedLogins: 0 } });
      }
    }
    throw new TRPCError({ code: 'UNAUTHORIZED', message: '用户名或密码错误' });
  }
  return startSession(ctx, user);
}

/**
 * Rotating refresh: each token works once. Presenting a used one means it was copied, so the whole
 * session family is revoked and the holder of the newer token is logged out too.
 */
export async function refreshSession(ctx: Context, presented: string | undefined): Promise<AuthResult> {
  if (!presented) throw new TRPCError({ code: 'UNAUTHORIZED', message: '请先登录' });
  const now = new Date();
  const hash = sha256(presented);
  const claimed = await RefreshTokenModel.findOneAndUpdate({ hash, usedAt: null }, { $set: { usedAt: now } }).lean();
  if (!claimed) {
    const seen = await RefreshTokenModel.findOne({ hash }).lean();
    if (seen) {
      await SessionModel.updateOne(
        { _id: seen.sessionId, revokedAt: null },
        { $set: { revokedAt: now, revokeReason: 'refresh_token_reuse' } },
      );
      await recordAudit({
        actorId: String(seen.userId),
        actorRoles: [],
        action: 'session.revoke_on_reuse',
        targetType: 'session',
        targetId: seen.sessionId,
        reason: 'refresh token presented twice',
        ip: ctx.ip,
      });
    }
    clearAuthCookies(ctx);
    throw new TRPCError({ code: 'UNAUTHORIZED', message: '登录状态已失效，请重新登录' });
  }
  const session = await SessionModel.findById(claimed.sessionId).lean();
  const user = (await UserModel.findById(claimed.userId).lean()) as User | null;
  if (!session || session.revokedAt || claimed.expiresAt <= now || !user || user.disabled) {
    clearAuthCookies(ctx);
    throw new TRPCError({ code: 'UNAUTHORIZED', message: '登录状态已失效，请重新登录' });
  }
  await SessionModel.updateOne({ _id: session._id }, { $set: { lastRefreshAt: now } });
  return mintTokens(ctx, user, session._id);
}

export async function logout(ctx: Context, sessionId: string | null): Promise<void> {
  if (sessionId) {
    await SessionModel.updateOne({ _id: sessionId, revokedAt: null }, { $set: { revokedAt: new Date(), revokeReason: 'logout' } });
  }
  clearAuthCookies(ctx);
}

/** Disabling a user revokes every session: no refresh works, and access tokens die within their 15 minutes. */
export async function disableUser(userId: string, actor: { id: string; roles: Role[] }, reason: string): Promise<void> {
  const now = new Date();
  await UserModel.updateOne({ _id: userId }, { $set: { disabled: true }, $inc: { tokenVersion: 1 } });
  await SessionModel.updateMany({ userId: new Types.ObjectId(userId), revokedAt: null }, { $set: { revokedAt: now, revokeReason: 'user_disabled' } });
  await recordAudit({ actorId: actor.id, actorRoles: actor.roles, action: 'user.disable', targetType: 'user', targetId: userId, reason });
}

function clearAuthCookies(ctx: Context) {
  if (ctx.transport !== 'cookie') return;
  setCookie(ctx, ACCESS_COOKIE, '', 0, '/');
  setCookie(ctx, REFRESH_COOKIE, '', 0, '/trpc');
}
