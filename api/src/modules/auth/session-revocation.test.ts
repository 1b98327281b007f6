import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import type { AppRouter } from '../../trpc/app-router';
import { DEMO } from '../../seed/generate';
import { SmsOutboxModel } from '../notify/sms-provider';
import { AuditLogModel } from '../audit/audit.model';
import { disableUser } from './auth.service';
import { checkSession } from './session-check';
import { RefreshTokenModel, SessionModel } from './session.model';
import { KeyRing, sha256 } from './tokens';
import { UserModel } from './user.model';

/**
 * SPEC §6a: logout, disabling a user and a revoked refresh family take effect on the next request;
 * parallel refreshes of one token within the grace window share one new pair.
 */
const GRACE_SEC = 2;
const CACHE_MS = 500;
const REVOKED = '登录状态已失效';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 20, env: { REFRESH_GRACE_SEC: String(GRACE_SEC), SESSION_CHECK_CACHE_MS: String(CACHE_MS) } });
});
afterAll(async () => {
  await api?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const staffLogin = (username = 'agent01') => api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });

async function residentLogin(phone: string) {
  await api.client().auth.sendSmsCode.mutate({ phone });
  const msg = await SmsOutboxModel.findOne({ phone }).sort({ createdAt: -1 }).lean();
  const code = msg!.text.match(/(\d{6})/)![1];
  return api.client().auth.smsLogin.mutate({ phone, code });
}

describe('revocation takes effect on the next request', () => {
  it('logout refuses the old access token on the very next call', async () => {
    const login = await residentLogin('13700000101');
    const c = api.client(login.accessToken);
    // Warm the cache: the token is accepted (and remembered) before the logout.
    expect((await c.auth.me.query()).id).toBe(login.user.id);
    expect((await c.messages.unreadCount.query()).count).toBeGreaterThanOrEqual(0);
    await c.auth.logout.mutate({});
    const e = await expectTrpcError(c.auth.me.query(), 'UNAUTHORIZED');
    expect(e.message).toContain(REVOKED);
    await expectTrpcError(c.messages.unreadCount.query(), 'UNAUTHORIZED');
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: login.refreshToken }), 'UNAUTHORIZED');
    // Only that session ends: another session of the same user keeps working.
    const one = await staffLogin('agent01');
    const two = await staffLogin('agent01');
    await api.client(one.accessToken).auth.logout.mutate({});
    await expectTrpcError(api.client(one.accessToken).auth.me.query(), 'UNAUTHORIZED');
    expect((await api.client(two.accessToken).auth.me.query()).id).toBe(two.user.id);
  });

  it('disableUser refuses the access token on the next call', async () => {
    const login = await staffLogin('areamgr01');
    const c = api.client(login.accessToken);
    expect((await c.auth.me.query()).roles).toEqual(['area_manager']);
    const u = await UserModel.findOne({ username: 'areamgr01' }).lean();
    await disableUser(String(u!._id), { id: 'admin-test', roles: ['admin'] }, 'left the company');
    const e = await expectTrpcError(c.auth.me.query(), 'UNAUTHORIZED');
    expect(e.message).toContain(REVOKED);
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: login.refreshToken }), 'UNAUTHORIZED');
    await expectTrpcError(staffLogin('areamgr01'), 'FORBIDDEN');
    // disableUser revoked the session itself, which is why one session read answers for the user too.
    const s = await SessionModel.findOne({ userId: u!._id }).sort({ createdAt: -1 }).lean();
    expect(s?.revokeReason).toBe('user_disabled');
  });

  it("refuses a validly signed token whose session is someone else's, unknown, or expired", async () => {
    const a = await staffLogin('agent01');
    const b = await staffLogin('expert01');
    const sid = await sessionOf(a.refreshToken!);
    const ring = new KeyRing({});
    const sign = (sub: string, s: string) =>
      ring.signAccess({ sub, kind: 'staff', roles: ['agent'], sid: s, ent: null, crew: null }, 60, api.cfg.AUTH_ISSUER);
    expect((await api.client(await sign(a.user.id, sid)).auth.me.query()).id).toBe(a.user.id); // the genuine pairing works
    await expectTrpcError(api.client(await sign(b.user.id, sid)).auth.me.query(), 'UNAUTHORIZED');
    await expectTrpcError(api.client(await sign(a.user.id, 'no-such-session')).auth.me.query(), 'UNAUTHORIZED');
    await SessionModel.updateOne({ _id: sid }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await sleep(CACHE_MS + 100);
    await expectTrpcError(api.client(a.accessToken).auth.me.query(), 'UNAUTHORIZED');
  });

  it('fails closed, and logs, when the database cannot answer the session check', async () => {
    const login = await staffLogin('dispatcher01');
    const sid = await sessionOf(login.refreshToken!);
    const original = SessionModel.findById.bind(SessionModel);
    const spy = vi
      .spyOn(SessionModel, 'findById')
      .mockImplementation(((id: unknown, ...rest: unknown[]) =>
        id === sid
          ? { lean: () => Promise.reject(new Error('connection reset')) }
          : (original as (...a: unknown[]) => unknown)(id, ...rest)) as never);
    const log = { error: vi.fn() };
    try {
      expect(await checkSession({ cfg: { SESSION_CHECK_CACHE_MS: 2000 }, log }, { sid, sub: login.user.id })).toBe(false);
      expect(log.error).toHaveBeenCalledOnce();
      await expectTrpcError(api.client(login.accessToken).auth.me.query(), 'UNAUTHORIZED');
    } finally {
      spy.mockRestore();
    }
    expect((await api.client(login.accessToken).auth.me.query()).roles).toEqual(['dispatcher']);
  });

  it('a revocation written by another instance (here: straight to the database) is seen within SESSION_CHECK_CACHE_MS', async () => {
    const login = await staffLogin('expert01');
    const c = api.client(login.accessToken);
    await c.auth.me.query(); // cached now
    await SessionModel.updateOne({ _id: await sessionOf(login.refreshToken!) }, { $set: { revokedAt: new Date(), revokeReason: 'test' } });
    await sleep(CACHE_MS + 100);
    const e = await expectTrpcError(c.auth.me.query(), 'UNAUTHORIZED');
    expect(e.message).toContain(REVOKED);
  });
});

async function sessionOf(refreshToken: string): Promise<string> {
  return (await RefreshTokenModel.findOne({ hash: sha256(refreshToken) }).lean())!.sessionId;
}

describe('refresh grace window', () => {
  it('10 parallel refreshes of one token all get the same new pair, and the user stays logged in', async () => {
    const login = await staffLogin('supervisor01');
    const results = await Promise.all(Array.from({ length: 10 }, () => api.client().auth.refresh.mutate({ refreshToken: login.refreshToken })));
    const next = results[0];
    expect(next.refreshToken).not.toBe(login.refreshToken);
    for (const r of results) {
      expect(r.refreshToken).toBe(next.refreshToken);
      expect(r.accessToken).toBe(next.accessToken);
    }
    // Exactly one successor was minted: the family holds the first token and this one.
    const sid = await sessionOf(login.refreshToken!);
    expect(await RefreshTokenModel.countDocuments({ sessionId: sid })).toBe(2);
    expect((await SessionModel.findById(sid).lean())?.revokedAt).toBeNull();
    // Still logged in: the new access token works, the old one too (same session), the new refresh token refreshes again.
    expect((await api.client(next.accessToken).auth.me.query()).roles).toEqual(['supervisor']);
    expect((await api.client(login.accessToken).auth.me.query()).roles).toEqual(['supervisor']);
    const third = await api.client().auth.refresh.mutate({ refreshToken: next.refreshToken });
    expect(third.refreshToken).not.toBe(next.refreshToken);
    expect((await api.client(third.accessToken).auth.me.query()).roles).toEqual(['supervisor']);
  });

  it('stores the successor sealed: the record holds neither the new tokens nor the old one', async () => {
    const login = await staffLogin('dispatcher01');
    const next = await api.client().auth.refresh.mutate({ refreshToken: login.refreshToken });
    const rec = await RefreshTokenModel.findOne({ hash: sha256(login.refreshToken!) }).lean();
    expect(rec?.successor).toMatch(/^v1\./);
    expect(rec!.successor).not.toContain(next.refreshToken!);
    expect(rec!.successor).not.toContain(next.accessToken!.split('.')[1]);
    expect(JSON.stringify(rec)).not.toContain(login.refreshToken!);
  });

  it('cookie transport: parallel refreshes set the same cookies', async () => {
    const res = await api.raw('auth.passwordLogin', { username: 'crew01', password: DEMO.password }, { headers: { 'x-auth-transport': 'cookie' } });
    const rt = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('ps_rt='))!
      .split(';')[0];
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.raw('auth.refresh', {}, { headers: { 'x-auth-transport': 'cookie', cookie: rt } })),
    );
    const cookieSets = answers.map((a) => {
      expect(a.status).toBe(200);
      return a.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .sort()
        .join('; ');
    });
    expect(new Set(cookieSets).size).toBe(1);
    expect(cookieSets[0]).toMatch(/ps_at=.+; ps_rt=rt_/);
    const me = await api.raw('auth.me', undefined, { method: 'GET', headers: { 'x-auth-transport': 'cookie', cookie: cookieSets[0] } });
    expect(me.status).toBe(200);
  });

  it('reuse after the window revokes the family, with its audit entry, and the new access token is refused on the next call', async () => {
    const login = await staffLogin('agent02');
    const next = await api.client().auth.refresh.mutate({ refreshToken: login.refreshToken });
    const c = api.client(next.accessToken);
    expect((await c.auth.me.query()).roles).toEqual(['agent']);
    await sleep(GRACE_SEC * 1000 + 300);
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: login.refreshToken }), 'UNAUTHORIZED');
    const e = await expectTrpcError(c.auth.me.query(), 'UNAUTHORIZED');
    expect(e.message).toContain(REVOKED);
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: next.refreshToken }), 'UNAUTHORIZED');
    const sid = await sessionOf(login.refreshToken!);
    expect((await SessionModel.findById(sid).lean())?.revokeReason).toBe('refresh_token_reuse');
    expect(await AuditLogModel.countDocuments({ action: 'session.revoke_on_reuse', targetId: sid })).toBe(1);
  });

  it('a loser within the window gets nothing once the session is revoked', async () => {
    const login = await staffLogin('admin01');
    await api.client().auth.refresh.mutate({ refreshToken: login.refreshToken });
    await api.client(login.accessToken).auth.logout.mutate({});
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: login.refreshToken }), 'UNAUTHORIZED');
  });
});

describe('two API instances on one database', () => {
  let child: ChildProcess | null = null;
  let otherUrl = '';

  beforeAll(async () => {
    const dbName = mongoose.connection.db!.databaseName;
    const base = inject('mongoUri');
    const uri = /^mongodb:\/\/[^/]+\/?$/.test(base)
      ? `${base.replace(/\/$/, '')}/${dbName}`
      : (() => {
          const u = new URL(base);
          u.pathname = `/${dbName}`;
          return u.toString();
        })();
    const root = path.resolve(import.meta.dirname, '../../../..');
    child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'api/src/main.ts')], {
      env: {
        ...process.env,
        MONGODB_URI: uri,
        API_PORT: '0',
        API_HOST: '127.0.0.1',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        WECHAT_API_BASE: api.wechatSimUrl,
        WECHAT_APP_SECRET: 'dev-test-secret',
        EXIT_ON_STDIN_EOF: '1',
        SESSION_CHECK_CACHE_MS: String(CACHE_MS),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    otherUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`second API did not start:\n${out}`)), 90_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = out.match(/"port":(\d+)/);
        if (m) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${m[1]}`);
        }
      });
      child!.once('exit', (code) => reject(new Error(`second API exited (${code}):\n${out}`)));
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
  });

  const otherClient = (token?: string) =>
    createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${otherUrl}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
    });

  it('a logout on one instance is refused there at once and on the other within SESSION_CHECK_CACHE_MS', async () => {
    const login = await residentLogin('13700000102');
    expect((await otherClient(login.accessToken).auth.me.query()).id).toBe(login.user.id); // cached on the other instance
    await api.client(login.accessToken).auth.logout.mutate({});
    await expectTrpcError(api.client(login.accessToken).auth.me.query(), 'UNAUTHORIZED');
    await sleep(CACHE_MS + 100);
    const e = await expectTrpcError(otherClient(login.accessToken).auth.me.query(), 'UNAUTHORIZED');
    expect(e.message).toContain(REVOKED);
  });

  it('parallel refreshes split across both instances still share one pair', async () => {
    const login = await staffLogin('ent_admin');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? otherClient() : api.client()).auth.refresh.mutate({ refreshToken: login.refreshToken })),
    );
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    expect((await otherClient(results[0].accessToken).auth.me.query()).roles).toEqual(['enterprise_admin']);
  });
});
