import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { cookieSecure } from '../../config';
import { maskPhone } from '../../lib/mask';
import { ACCESS_COOKIE, REFRESH_COOKIE, type Context } from '../../trpc/context';
import { EnterpriseModel } from '../accounts/account.model';
import { enterpriseStatusOf, type EnterpriseStatus } from '../enterprise/enterprise.rules';
import { recordAudit } from '../audit/audit.service';
import { verifyPassword } from './password';
import { evictSession, evictUserSessions } from './session-check';
import { RefreshTokenModel, SessionModel } from './session.model';
import { verifySmsCode } from './sms-code';
import { newOpaqueToken, sha256, type AccessClaims } from './tokens';
import { identityKey, UserModel, type Role, type User, type UserKind } from './user.model';
import { DomainError } from '../../lib/errors';

export interface Me {
  id: string;
  kind: UserKind;
  roles: Role[];
  displayName: string;
  phoneMasked: string | null;
  /** status: the enterprise's onboarding state (modules/enterprise): only 'verified' ones reach accounts. */
  enterprise: { id: string; name: string; status: EnterpriseStatus } | null;
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
  const ent = user.enterpriseId ? await EnterpriseModel.findById(user.enterpriseId, { name: 1, status: 1, verified: 1 }).lean() : null;
  return {
    id: String(user._id),
    kind: user.kind as UserKind,
    roles: user.roles as Role[],
    displayName: user.displayName,
    phoneMasked: maskPhone(user.phone),
    enterprise: ent ? { id: String(ent._id), name: ent.name, status: enterpriseStatusOf(ent) } : null,
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

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** Mints an access token and a refresh token of the given session. */
async function issueTokens(ctx: Context, user: User, sessionId: string): Promise<TokenPair> {
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
  return { accessToken, refreshToken };
}

/** Hands a pair to the caller; cookie transport keeps both out of the body. */
async function deliverTokens(ctx: Context, user: User, pair: TokenPair, expiresIn = ctx.cfg.ACCESS_TOKEN_TTL_SEC): Promise<AuthResult> {
  const { cfg } = ctx;
  const me = await toMe(user);
  if (ctx.transport === 'cookie') {
    setCookie(ctx, ACCESS_COOKIE, pair.accessToken, expiresIn, '/');
    setCookie(ctx, REFRESH_COOKIE, pair.refreshToken, cfg.REFRESH_TOKEN_TTL_SEC, '/trpc');
    return { user: me, expiresIn };
  }
  return { user: me, accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresIn };
}

async function mintTokens(ctx: Context, user: User, sessionId: string): Promise<AuthResult> {
  return deliverTokens(ctx, user, await issueTokens(ctx, user, sessionId));
}

export async function startSession(ctx: Context, user: User): Promise<AuthResult> {
  if (user.disabled) throw new DomainError('FORBIDDEN', '账号已停用，请联系管理员');
  const now = new Date();
  const sessionId = randomUUID();
  await SessionModel.create({
    _id: sessionId,
    userId: user._id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ctx.cfg.REFRESH_TOKEN_TTL_SEC * 1000),
    client: ctx.transport === 'cookie' ? 'web' : 'app',
  });
  // Session first, then disabled-ness (the guard): a disable that lands in between either revokes
  // this session (disableUser revokes after marking) or is seen here. The session check relies on it.
  const live = await UserModel.updateOne(
    { _id: user._id, disabled: { $ne: true } },
    { $set: { lastLoginAt: now, failedLogins: 0, lockedUntil: null } },
  );
  if (live.matchedCount === 0) {
    await SessionModel.updateOne({ _id: sessionId }, { $set: { revokedAt: now, revokeReason: 'user_disabled' } });
    throw new DomainError('FORBIDDEN', '账号已停用，请联系管理员');
  }
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
  const user = await upsertUser(
    { identityKey: identityKey.wechat(openid) },
    { kind: 'wechat', openid, roles: ['resident'], displayName: '微信用户' },
  );
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
    throw new DomainError('TOO_MANY_REQUESTS', '密码错误次数过多，账号已临时锁定15分钟');
  }
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok) {
    if (user) {
      const after = await UserModel.findOneAndUpdate({ _id: user._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' }).lean();
      if (after && after.failedLogins >= LOCK_AFTER_FAILURES) {
        await UserModel.updateOne({ _id: user._id }, { $set: { lockedUntil: new Date(now.getTime() + LOCK_MS), failedLogins: 0 } });
      }
    }
    throw new DomainError('UNAUTHORIZED', '用户名或密码错误');
  }
  return startSession(ctx, user);
}

/**
 * Rotating refresh: each token works once. Presenting a used one after REFRESH_GRACE_SEC means it was
 * copied, so the whole session family is revoked and the holder of the newer token is logged out too.
 *
 * Exactly one successor per token, without transactions: the claim is one guarded single-document
 * update (`usedAt: null` → now), so of any number of parallel refreshes, on any number of instances,
 * exactly one wins and mints the next pair; nobody else mints. The winner publishes that pair on the
 * used token's own record, sealed with AES-256-GCM under HKDF-SHA256(presented token) — the token is
 * stored only as its sha256, so the database alone cannot open it, and only a holder of the same token
 * can. A loser within the grace window (a tab or request racing the winner, not a thief's late
 * replay) waits for that record, opens it and answers with the same pair, so all of them end up on one
 * linear chain. After the window the same presentation is reuse, and revokes the family as before.
 */
export async function refreshSession(ctx: Context, presented: string | undefined): Promise<AuthResult> {
  if (!presented) throw new DomainError('UNAUTHORIZED', '请先登录');
  const now = new Date();
  const hash = sha256(presented);
  const claimed = await RefreshTokenModel.findOneAndUpdate({ hash, usedAt: null }, { $set: { usedAt: now } }).lean();
  if (!claimed) {
    const seen = await RefreshTokenModel.findOne({ hash }).lean();
    const graceMs = ctx.cfg.REFRESH_GRACE_SEC * 1000;
    if (seen?.usedAt && graceMs > 0 && now.getTime() - seen.usedAt.getTime() <= graceMs) {
      return refreshWithinGrace(ctx, presented, seen, now);
    }
    if (seen) {
      await SessionModel.updateOne({ _id: seen.sessionId, revokedAt: null }, { $set: { revokedAt: now, revokeReason: 'refresh_token_reuse' } });
      evictSession(seen.sessionId);
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
    throw new DomainError('UNAUTHORIZED', '登录状态已失效，请重新登录');
  }
  const session = await SessionModel.findById(claimed.sessionId).lean();
  const user = (await UserModel.findById(claimed.userId).lean()) as User | null;
  if (!session || session.revokedAt || claimed.expiresAt <= now || !user || user.disabled) {
    clearAuthCookies(ctx);
    throw new DomainError('UNAUTHORIZED', '登录状态已失效，请重新登录');
  }
  await SessionModel.updateOne({ _id: session._id }, { $set: { lastRefreshAt: now } });
  const pair = await issueTokens(ctx, user, session._id);
  try {
    // Only the winner writes here; the guard keeps a first publication from ever being replaced.
    await RefreshTokenModel.updateOne(
      { _id: claimed._id, successor: null },
      { $set: { successor: sealSuccessor(presented, hash, pair), successorAt: new Date() } },
    );
  } catch (err) {
    // The winner still gets its pair; parallel losers then time out and are refused (no revocation).
    ctx.log.warn({ err: String(err), sessionId: session._id }, 'refresh: successor not published');
  }
  return deliverTokens(ctx, user, pair);
}

const SUCCESSOR_WAIT_MS = 2000;
const SUCCESSOR_POLL_MS = 50;
const SUCCESSOR_INFO = 'power-api/refresh-successor/v1';

type UsedRefreshToken = {
  _id: unknown;
  hash: string;
  sessionId: string;
  userId: Types.ObjectId;
  expiresAt: Date;
  successor?: string | null;
  successorAt?: Date | null;
};

/** A parallel refresh of a token the winner has just used: the winner's pair, or a refusal without revoking. */
async function refreshWithinGrace(ctx: Context, presented: string, seen: UsedRefreshToken, now: Date): Promise<AuthResult> {
  const refuse = () => {
    clearAuthCookies(ctx);
    return new DomainError('UNAUTHORIZED', '登录状态已失效，请重新登录');
  };
  const session = await SessionModel.findById(seen.sessionId, { revokedAt: 1, expiresAt: 1 }).lean();
  if (!session || session.revokedAt || session.expiresAt <= now || seen.expiresAt <= now) throw refuse();
  let sealed = seen.successor ?? null;
  let sealedAt = seen.successorAt ?? null;
  const until = Date.now() + SUCCESSOR_WAIT_MS;
  while (!sealed && Date.now() < until) {
    await new Promise((r) => setTimeout(r, SUCCESSOR_POLL_MS));
    const again = await RefreshTokenModel.findOne({ hash: seen.hash }, { successor: 1, successorAt: 1 }).lean();
    sealed = again?.successor ?? null;
    sealedAt = again?.successorAt ?? null;
  }
  // No pair: the winner failed (its session was refused, or it died before publishing).
  const pair = sealed ? openSuccessor(presented, seen.hash, sealed) : null;
  if (!pair) throw refuse();
  const user = (await UserModel.findById(seen.userId).lean()) as User | null;
  if (!user || user.disabled) throw refuse();
  const age = sealedAt ? Math.floor((Date.now() - sealedAt.getTime()) / 1000) : 0;
  return deliverTokens(ctx, user, pair, Math.max(1, ctx.cfg.ACCESS_TOKEN_TTL_SEC - age));
}

/** The key opening a token's successor: derived from the token itself, which the database never holds. */
function successorKey(presented: string, hash: string): Buffer {
  return Buffer.from(hkdfSync('sha256', presented, hash, SUCCESSOR_INFO, 32));
}

function sealSuccessor(presented: string, hash: string, pair: TokenPair): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', successorKey(presented, hash), iv);
  cipher.setAAD(Buffer.from(hash));
  const ct = Buffer.concat([cipher.update(JSON.stringify(pair), 'utf8'), cipher.final()]);
  return ['v1', iv, ct, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

function openSuccessor(presented: string, hash: string, sealed: string): TokenPair | null {
  const [v, iv, ct, tag] = sealed.split('.');
  if (v !== 'v1' || !iv || !ct || !tag) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', successorKey(presented, hash), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(hash));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    const pair = JSON.parse(plain) as TokenPair;
    return typeof pair.accessToken === 'string' && typeof pair.refreshToken === 'string' ? pair : null;
  } catch {
    return null;
  }
}

export async function logout(ctx: Context, sessionId: string | null): Promise<void> {
  if (sessionId) {
    await SessionModel.updateOne({ _id: sessionId, revokedAt: null }, { $set: { revokedAt: new Date(), revokeReason: 'logout' } });
    evictSession(sessionId);
  }
  clearAuthCookies(ctx);
}

/**
 * Disabling a user revokes every session: no refresh works, and access tokens are refused on the next
 * request (the session check; at once on this instance, within SESSION_CHECK_CACHE_MS on others).
 * Marked disabled first, revoked second: startSession relies on that order (see there).
 */
export async function disableUser(userId: string, actor: { id: string; roles: Role[] }, reason: string): Promise<void> {
  const now = new Date();
  await UserModel.updateOne({ _id: userId }, { $set: { disabled: true }, $inc: { tokenVersion: 1 } });
  await SessionModel.updateMany({ userId: new Types.ObjectId(userId), revokedAt: null }, { $set: { revokedAt: now, revokeReason: 'user_disabled' } });
  evictUserSessions(userId);
  await recordAudit({ actorId: actor.id, actorRoles: actor.roles, action: 'user.disable', targetType: 'user', targetId: userId, reason });
}

function clearAuthCookies(ctx: Context) {
  if (ctx.transport !== 'cookie') return;
  setCookie(ctx, ACCESS_COOKIE, '', 0, '/');
  setCookie(ctx, REFRESH_COOKIE, '', 0, '/trpc');
}
