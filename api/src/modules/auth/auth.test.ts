import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, base64url } from 'jose';
import { expectTrpcError, simLoginCode, startTestApi, type TestApi } from '../../testing/harness';
import { OutboxSmsProvider, SmsOutboxModel } from '../notify/sms-provider';
import { sendSmsCode } from './sms-code';
import { RefreshTokenModel, SmsCodeModel } from './session.model';
import { sha256 } from './tokens';
import { UserModel } from './user.model';
import { disableUser } from './auth.service';
import { DEMO } from '../../seed/generate';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 100 });
});
afterAll(async () => {
  await api?.stop();
});

async function lastSmsCode(phone: string): Promise<string> {
  const msg = await SmsOutboxModel.findOne({ phone }).sort({ createdAt: -1 }).lean();
  const m = msg?.text.match(/(\d{6})/);
  if (!m) throw new Error(`no SMS for ${phone}`);
  return m[1];
}

describe('WeChat mini-program login', () => {
  it('logs in with a wx.login code and reads the profile with the bearer token', async () => {
    const code = await simLoginCode(api, 'auth-test-user');
    const r = await api.client().auth.wechatLogin.mutate({ code });
    expect(r.accessToken).toBeTruthy();
    expect(r.user.roles).toEqual(['resident']);
    const me = await api.client(r.accessToken).auth.me.query();
    expect(me.id).toBe(r.user.id);
    // The same WeChat user logging in again is the same platform user.
    const again = await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, 'auth-test-user') });
    expect(again.user.id).toBe(r.user.id);
  });

  it('refuses an invalid code and a code used twice', async () => {
    const bad = await expectTrpcError(api.client().auth.wechatLogin.mutate({ code: 'not-a-real-code' }), 'BAD_REQUEST');
    expect(bad.message).toContain('登录凭证无效');
    const code = await simLoginCode(api, 'twice');
    await api.client().auth.wechatLogin.mutate({ code });
    const used = await expectTrpcError(api.client().auth.wechatLogin.mutate({ code }), 'BAD_REQUEST');
    expect(used.message).toContain('已被使用');
  });
});

describe('SMS code login', () => {
  const phone = '13700000077';
  it('sends a code, rate-limits resends, and logs in once with it', async () => {
    await api.client().auth.sendSmsCode.mutate({ phone });
    const tooSoon = await expectTrpcError(api.client().auth.sendSmsCode.mutate({ phone }), 'TOO_MANY_REQUESTS');
    expect(tooSoon.message).toMatch(/秒后再试/);
    const code = await lastSmsCode(phone);
    const r = await api.client().auth.smsLogin.mutate({ phone, code });
    expect(r.user.phoneMasked).toBe('137****0077');
    // Single use.
    await expectTrpcError(api.client().auth.smsLogin.mutate({ phone, code }), 'BAD_REQUEST');
  });

  it('kills a code after 5 wrong tries, even if the right one comes next', async () => {
    const p = '13700000078';
    await api.client().auth.sendSmsCode.mutate({ phone: p });
    const code = await lastSmsCode(p);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await expectTrpcError(api.client().auth.smsLogin.mutate({ phone: p, code: wrong }), 'BAD_REQUEST');
    const dead = await expectTrpcError(api.client().auth.smsLogin.mutate({ phone: p, code }), 'BAD_REQUEST');
    expect(dead.message).toMatch(/次数过多|失效/);
  });

  it('refuses an expired code', async () => {
    const p = '13700000079';
    await api.client().auth.sendSmsCode.mutate({ phone: p });
    const code = await lastSmsCode(p);
    await SmsCodeModel.updateMany({ phone: p }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const e = await expectTrpcError(api.client().auth.smsLogin.mutate({ phone: p, code }), 'BAD_REQUEST');
    expect(e.message).toContain('失效');
  });

  it('enforces the daily cap per phone, whatever the purpose', async () => {
    const p = '13700000080';
    // The cap counts every purpose and the 60 s resend rule is per purpose: codes sent for binding
    // just now fill today's cap and leave the login send to the cap alone, at any hour of the run.
    const now = new Date();
    await SmsCodeModel.insertMany(
      Array.from({ length: api.cfg.SMS_DAILY_CAP }, () => ({
        phone: p,
        purpose: 'bind',
        codeHash: 'x',
        createdAt: now,
        expiresAt: now,
        consumedAt: now,
      })),
    );
    const e = await expectTrpcError(api.client().auth.sendSmsCode.mutate({ phone: p }), 'TOO_MANY_REQUESTS');
    expect(e.message).toContain('上限');
  });

  it('starts a new cap at midnight China time, not UTC', async () => {
    const p = '13700000081';
    const cap = 3;
    const sms = new OutboxSmsProvider();
    // 2026-03-10 23:50 in China is 15:50 UTC: three sends fill the 10th.
    const evening = Date.parse('2026-03-10T15:50:00Z');
    for (let i = 0; i < cap; i++) await sendSmsCode(sms, p, 'login', cap, new Date(evening + i * 61_000));
    const refused = await sendSmsCode(sms, p, 'login', cap, new Date(evening + 5 * 60_000)).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain('上限');
    // 00:00:30 on the 11th in China: a new day, though still the 10th in UTC.
    await expect(sendSmsCode(sms, p, 'login', cap, new Date(Date.parse('2026-03-10T16:00:30Z')))).resolves.toEqual({
      retryAfterSec: 60,
    });
  });
});

describe('tokens', () => {
  async function staffLogin() {
    return api.client().auth.passwordLogin.mutate({ username: 'agent01', password: DEMO.password });
  }

  it('rotates refresh tokens and revokes the family when a used one is replayed', async () => {
    const login = await staffLogin();
    const first = await api.client().auth.refresh.mutate({ refreshToken: login.refreshToken });
    expect(first.refreshToken).not.toBe(login.refreshToken);
    // Replay of the already-used token after the grace window (parallel refreshes inside it share
    // one pair: session-revocation.test.ts): refused, and the newer token dies with its family.
    await RefreshTokenModel.updateOne(
      { hash: sha256(login.refreshToken!) },
      { $set: { usedAt: new Date(Date.now() - (api.cfg.REFRESH_GRACE_SEC + 1) * 1000) } },
    );
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: login.refreshToken }), 'UNAUTHORIZED');
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: first.refreshToken }), 'UNAUTHORIZED');
  });

  it('refuses tampered, expired, unsigned and foreign-key tokens', async () => {
    const login = await staffLogin();
    const [h, p, s] = login.accessToken!.split('.');
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
    const forged = base64url.encode(JSON.stringify({ ...payload, roles: ['admin'] }));
    await expectTrpcError(api.client(`${h}.${forged}.${s}`).auth.me.query(), 'UNAUTHORIZED');
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'k-bootstrap' }))}.${p}.`;
    await expectTrpcError(api.client(none).auth.me.query(), 'UNAUTHORIZED');
    const hs = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: 'k-bootstrap' }).sign(new TextEncoder().encode('guess'));
    await expectTrpcError(api.client(hs).auth.me.query(), 'UNAUTHORIZED');
    const expired = await expectTrpcError(
      api.client(await expiredToken(payload, JSON.parse(new TextDecoder().decode(base64url.decode(h))).kid)).auth.me.query(),
      'UNAUTHORIZED',
    );
    expect(expired.message).toContain('过期');
    // And the genuine token still works.
    expect((await api.client(login.accessToken).auth.me.query()).roles).toEqual(['agent']);
  });

  async function expiredToken(payload: Record<string, unknown>, kid: string) {
    const { SigningKeyModel } = await import('./session.model');
    const { importJWK } = await import('jose');
    const key = await SigningKeyModel.findById(kid).lean();
    const priv = await importJWK(key!.privateJwk as never, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...payload, iat: now - 3600, exp: now - 1800 }).setProtectedHeader({ alg: 'ES256', kid }).sign(priv);
  }

  it('rotates signing keys: new tokens carry the new kid, tokens signed before still verify', async () => {
    const { rotateSigningKey } = await import('./tokens');
    const before = await staffLogin();
    const kid = await rotateSigningKey();
    // Another instance (or this one after its cache) loads the new key set.
    const { KeyRing } = await import('./tokens');
    const ring = new KeyRing({});
    // A real session: every request also checks that the token's session stands.
    const sid = (await RefreshTokenModel.findOne({ hash: sha256(before.refreshToken!) }).lean())!.sessionId;
    const fresh = await ring.signAccess(
      { sub: before.user.id, kind: 'staff', roles: ['agent'], sid, ent: null, crew: null },
      60,
      api.cfg.AUTH_ISSUER,
    );
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(fresh.split('.')[0]))).kid).toBe(kid);
    expect((await api.client(fresh).auth.me.query()).id).toBe(before.user.id);
    expect((await api.client(before.accessToken).auth.me.query()).id).toBe(before.user.id);
  });

  it('logout ends the session: its refresh token no longer works', async () => {
    const login = await staffLogin();
    await api.client(login.accessToken).auth.logout.mutate({});
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: login.refreshToken }), 'UNAUTHORIZED');
  });

  it('disabling a user stops refresh and new logins', async () => {
    const login = await api.client().auth.passwordLogin.mutate({ username: 'agent02', password: DEMO.password });
    const u = await UserModel.findOne({ username: 'agent02' }).lean();
    await disableUser(String(u!._id), { id: 'admin-test', roles: ['admin'] }, 'left the company');
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: login.refreshToken }), 'UNAUTHORIZED');
    await expectTrpcError(api.client().auth.passwordLogin.mutate({ username: 'agent02', password: DEMO.password }), 'FORBIDDEN');
  });

  it('locks a username after 5 wrong passwords', async () => {
    for (let i = 0; i < 5; i++) {
      await expectTrpcError(api.client().auth.passwordLogin.mutate({ username: 'expert01', password: 'wrong' }), 'UNAUTHORIZED');
    }
    await expectTrpcError(api.client().auth.passwordLogin.mutate({ username: 'expert01', password: DEMO.password }), 'TOO_MANY_REQUESTS');
  });
});

describe('cookie transport (web origin)', () => {
  it('sets HttpOnly cookies, keeps tokens out of the body, and authenticates by cookie', async () => {
    const res = await api.raw(
      'auth.passwordLogin',
      { username: 'supervisor01', password: DEMO.password },
      { headers: { 'x-auth-transport': 'cookie' } },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: Record<string, unknown> } };
    expect(body.result.data.accessToken).toBeUndefined();
    expect(body.result.data.refreshToken).toBeUndefined();
    const cookies = res.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith('ps_at=') && c.includes('HttpOnly') && c.includes('SameSite=Lax'))).toBe(true);
    expect(cookies.some((c) => c.startsWith('ps_rt=') && c.includes('HttpOnly'))).toBe(true);
    const cookieHeader = cookies.map((c) => c.split(';')[0]).join('; ');
    const me = await api.raw('auth.me', undefined, { method: 'GET', headers: { 'x-auth-transport': 'cookie', cookie: cookieHeader } });
    expect(((await me.json()) as { result: { data: { roles: string[] } } }).result.data.roles).toEqual(['supervisor']);
    // A cookie is not a bearer token: without the web proxy's transport header it is ignored.
    const direct = await api.raw('auth.me', undefined, { method: 'GET', headers: { cookie: cookieHeader } });
    expect(direct.status).toBe(401);
  });
});
