/**
 * The edges of the API: what a hostile or merely broken client meets before any procedure runs —
 * body size, JSON, content type, batch size, cache headers, the client address, development-only
 * procedures, the WeChat Pay callback's framing and the key ring's reaction to unknown key ids.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { ConfigError, loadConfig } from '../config';
import { normalizeIp, parseTrustedProxies, resolveClientIp, isValidProxyList } from './client-ip';
import { encryptResource, postNotify, signNotification, startPayTestEnv, type PayTestEnv } from '../modules/billing/test-env';
import { PaymentModel } from '../modules/billing/billing.model';
import { wechatPayFor } from '../modules/billing/wechatpay.client';
import { SigningKeyModel } from '../modules/auth/session.model';
import { generateSigningKey, KeyRing, TOKEN_AUDIENCE } from '../modules/auth/tokens';
import { SmsOutboxModel } from '../modules/notify/sms-provider';
import { expectTrpcError } from '../testing/harness';
import { INTERNAL_MESSAGE, MAX_BATCH_SIZE } from '../trpc/edge-errors';

let env: PayTestEnv;
beforeAll(async () => {
  env = await startPayTestEnv({ seedAccounts: 20 });
});
afterAll(async () => {
  await env?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

type TrpcErrorBody = { error: { message: string; code: number; data: { code: string; httpStatus: number } } };
const trpcUrl = (path: string) => `${env.api.url}/trpc/${path}`;
const errorOf = (body: TrpcErrorBody | TrpcErrorBody[]) => (Array.isArray(body) ? body[0].error : body.error);

describe('WeChat Pay callback framing', () => {
  const notify = () => `${env.api.url}/pay/wechat/notify`;

  it('answers a 100 KB body with 413 {"code":"FAIL"} — received by the client, not a connection reset', async () => {
    const body = JSON.stringify({ id: 'EV-big', pad: 'x'.repeat(100 * 1024) });
    const r = await fetch(notify(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ code: 'FAIL', message: '请求体过大' });
    // Chunked (no content-length) too.
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(10 * 1024).fill(0x61));
        c.close();
      },
    });
    const r2 = await fetch(notify(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(r2.status).toBe(413);
    expect(await r2.json()).toMatchObject({ code: 'FAIL', message: '请求体过大' });
    // And the server still answers the next request normally.
    const small = await fetch(notify(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(small.status).toBe(401);
    expect(await small.json()).toMatchObject({ code: 'FAIL' });
  });

  /** A notification correctly signed and encrypted whose decrypted resource is `resource`. */
  function signed(resource: Record<string, unknown>, eventType = 'TRANSACTION.SUCCESS') {
    const body = JSON.stringify({
      id: `EV-${randomBytes(4).toString('hex')}`,
      create_time: new Date().toISOString(),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary: '支付成功',
      resource: encryptResource(env.keys.apiV3Key, JSON.stringify(resource)),
    });
    return { headers: signNotification(env, body), body };
  }

  it('refuses an out_trade_no that is not an order number with 400, before any database query', async () => {
    const s = wechatPayFor(env.api.cfg).settings;
    const base = {
      appid: s.appid,
      mchid: s.mchid,
      transaction_id: '4200000000202603050000000001',
      trade_state: 'SUCCESS',
      amount: { total: 100, currency: 'CNY' },
    };
    const findOne = vi.spyOn(PaymentModel, 'findOne');
    const updateOne = vi.spyOn(PaymentModel, 'updateOne');
    for (const outTradeNo of [{ $ne: null }, { $regex: '.*' }, 12345, ['PW260305003005123456789012'], 'PW 1; drop', 'x'.repeat(40), null]) {
      const n = signed({ ...base, out_trade_no: outTradeNo });
      const r = await postNotify(env, n.headers, n.body);
      expect(r.status, JSON.stringify(outTradeNo)).toBe(400);
      expect(r.body).toMatchObject({ code: 'FAIL', message: 'out_trade_no 格式不正确' });
    }
    // Refund notifications read out_trade_no too.
    const refund = signed({ mchid: s.mchid, out_trade_no: { $ne: null }, refund_status: 'SUCCESS' }, 'REFUND.SUCCESS');
    const rr = await postNotify(env, refund.headers, refund.body);
    expect(rr.status).toBe(400);
    expect(findOne).not.toHaveBeenCalled();
    expect(updateOne).not.toHaveBeenCalled();
    // A well-formed number reaches the lookup (and is unknown).
    const ok = signed({ ...base, out_trade_no: 'PW000000000000000000000000' });
    expect((await postNotify(env, ok.headers, ok.body)).status).toBe(404);
    expect(findOne).toHaveBeenCalled();
  });
});

describe('client address (X-Forwarded-For only from trusted proxies)', () => {
  const trusted = parseTrustedProxies('127.0.0.1,::1,::ffff:127.0.0.1,10.0.0.0/8,fd00::/8');

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(resolveClientIp('203.0.113.9', '1.2.3.4', trusted)).toBe('203.0.113.9');
    expect(resolveClientIp('::ffff:203.0.113.9', '10.1.1.1', trusted)).toBe('203.0.113.9');
    expect(resolveClientIp('2001:db8::5', '127.0.0.1', trusted)).toBe('2001:db8::5');
  });

  it('from a trusted peer takes the right-most untrusted address, not the spoofable left-most', () => {
    expect(resolveClientIp('127.0.0.1', '198.51.100.7', trusted)).toBe('198.51.100.7');
    expect(resolveClientIp('::ffff:127.0.0.1', '6.6.6.6, 198.51.100.7', trusted)).toBe('198.51.100.7');
    // Through an internal load balancer (10.x, CIDR) in front of the web proxy.
    expect(resolveClientIp('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.2.3.4', trusted)).toBe('198.51.100.7');
    expect(resolveClientIp('10.9.9.9', ['6.6.6.6', '198.51.100.7, fd00::1'], trusted)).toBe('198.51.100.7');
    // Everything trusted (a browser on the proxy's own machine): the left-most.
    expect(resolveClientIp('127.0.0.1', '::ffff:127.0.0.1', trusted)).toBe('127.0.0.1');
    // No header: the peer.
    expect(resolveClientIp('127.0.0.1', undefined, trusted)).toBe('127.0.0.1');
    // Garbage in the chain stops the walk at the last address we can believe.
    expect(resolveClientIp('127.0.0.1', '198.51.100.7, not-an-ip', trusted)).toBe('127.0.0.1');
    expect(resolveClientIp('127.0.0.1', 'not-an-ip, 198.51.100.7', trusted)).toBe('198.51.100.7');
  });

  it('parses addresses with ports, brackets, zones and IPv4-mapped IPv6; validates the setting', () => {
    expect(normalizeIp('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(normalizeIp('198.51.100.7:8080')).toBe('198.51.100.7');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(normalizeIp('localhost')).toBeNull();
    expect(isValidProxyList('127.0.0.1, 10.0.0.0/8, ::1, fd00::/8')).toBe(true);
    expect(isValidProxyList('')).toBe(true);
    expect(isValidProxyList('10.0.0.0/33')).toBe(false);
    expect(isValidProxyList('proxy.internal')).toBe(false);
    const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/x', WECHAT_APP_SECRET: 'dev-secret' };
    expect(loadConfig(base).TRUSTED_PROXIES).toContain('127.0.0.1');
    expect(() => loadConfig({ ...base, TRUSTED_PROXIES: '10.0.0.0/99' })).toThrow('TRUSTED_PROXIES');
    // Nobody trusted: the header is never believed.
    expect(resolveClientIp('127.0.0.1', '6.6.6.6', parseTrustedProxies(''))).toBe('127.0.0.1');
  });
});

describe('tRPC transport', () => {
  it('every /trpc answer carries Cache-Control: no-store and nosniff (results and errors)', async () => {
    const ok = await fetch(`${trpcUrl('dev.smsOutbox')}?input=${encodeURIComponent('{}')}`);
    expect(ok.status).toBe(200);
    const err = await fetch(trpcUrl('auth.me'));
    expect(err.status).toBe(401);
    for (const r of [ok, err]) {
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it(`refuses a batch of more than ${MAX_BATCH_SIZE} calls with a Chinese message`, async () => {
    const batch = (n: number) => `${trpcUrl(Array.from({ length: n }, () => 'dev.smsOutbox').join(','))}?batch=1&input=${encodeURIComponent('{}')}`;
    const full = await fetch(batch(MAX_BATCH_SIZE));
    expect(full.status).toBe(200);
    expect(((await full.json()) as unknown[]).length).toBe(MAX_BATCH_SIZE);
    const over = await fetch(batch(MAX_BATCH_SIZE + 1));
    expect(over.status).toBe(400);
    const e = errorOf((await over.json()) as TrpcErrorBody);
    expect(e.data.code).toBe('BAD_REQUEST');
    expect(e.message).toBe(`一次批量请求最多包含 ${MAX_BATCH_SIZE} 个调用，请分批发送`);
  });

  it('bad JSON, a wrong content type and an oversized body get Chinese messages', async () => {
    const bad = await fetch(trpcUrl('auth.passwordLogin'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": ',
    });
    expect(bad.status).toBe(400);
    const badErr = errorOf((await bad.json()) as TrpcErrorBody);
    // tRPC 11 calls a body that is not JSON BAD_REQUEST (its cause a SyntaxError); PARSE_ERROR where it parses itself.
    expect(['BAD_REQUEST', 'PARSE_ERROR']).toContain(badErr.data.code);
    expect(badErr.message).toBe('请求格式有误：内容不是合法的 JSON');

    const badQuery = await fetch(`${trpcUrl('dev.smsOutbox')}?input=%7Bnot-json`);
    expect(errorOf((await badQuery.json()) as TrpcErrorBody).message).toBe('请求格式有误：内容不是合法的 JSON');

    const wrongType = await fetch(trpcUrl('auth.passwordLogin'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(wrongType.status).toBe(415);
    const typeErr = errorOf((await wrongType.json()) as TrpcErrorBody);
    expect(typeErr.data.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(typeErr.message).toBe('不支持的请求内容类型，请以 application/json 发送');

    const huge = await fetch(trpcUrl('auth.passwordLogin'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x'.repeat(16 * 1024 * 1024), password: 'y' }),
    });
    expect(huge.status).toBe(413);
    const hugeErr = errorOf((await huge.json()) as TrpcErrorBody);
    expect(hugeErr.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(hugeErr.message).toMatch(/^请求内容过大/);

    const missing = await fetch(trpcUrl('auth.nope'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(errorOf((await missing.json()) as TrpcErrorBody).message).toBe('请求的接口不存在');
  });

  it('a domain refusal keeps its code, HTTP status and Chinese message (mapped once, in trpc.ts)', async () => {
    const r = await fetch(trpcUrl('auth.passwordLogin'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agent01', password: 'not-the-password' }),
    });
    expect(r.status).toBe(401);
    const err = errorOf((await r.json()) as TrpcErrorBody);
    expect(err.data.code).toBe('UNAUTHORIZED');
    expect(err.message).toBe('用户名或密码错误');
  });

  it('an internal error never shows its own message', async () => {
    vi.spyOn(SmsOutboxModel, 'find').mockImplementation(() => {
      throw new Error('MongoServerError: connection to mongodb://admin:s3cret@db-internal:27017 lost');
    });
    const r = await fetch(`${trpcUrl('dev.smsOutbox')}?input=${encodeURIComponent('{}')}`);
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(text).not.toMatch(/s3cret|db-internal|MongoServerError/);
    expect(errorOf(JSON.parse(text) as TrpcErrorBody).message).toBe(INTERNAL_MESSAGE);
  });
});

describe('development mode', () => {
  it('dev.smsOutbox and messages.devWechatOutbox answer NOT_FOUND with DEV_MODE off and work with it on', async () => {
    const c = env.api.client();
    expect(Array.isArray(await c.dev.smsOutbox.query({}))).toBe(true);
    expect(Array.isArray(await c.messages.devWechatOutbox.query({}))).toBe(true);
    // The same process with development mode off (services read the config on each call).
    env.api.cfg.DEV_MODE = false;
    try {
      await expectTrpcError(c.dev.smsOutbox.query({}), 'NOT_FOUND');
      await expectTrpcError(c.messages.devWechatOutbox.query({}), 'NOT_FOUND');
    } finally {
      env.api.cfg.DEV_MODE = true;
    }
    expect(Array.isArray(await c.dev.smsOutbox.query({}))).toBe(true);
  });

  it('is off by default and cannot be on in production', () => {
    const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/x', WECHAT_APP_SECRET: 'dev-secret' };
    expect(loadConfig(base).DEV_MODE).toBe(false);
    expect(loadConfig({ ...base, DEV_MODE: 'true' }).DEV_MODE).toBe(true);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', WECHAT_APP_SECRET: 'prod-secret', DEV_MODE: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', WECHAT_APP_SECRET: 'prod-secret', DEV_MODE: 'true' })).toThrow('DEV_MODE');
  });
});

describe('key ring and unknown key ids', () => {
  async function tokenWithKid(kid: string, key?: CryptoKey) {
    const signKey = key ?? (await generateKeyPair('ES256')).privateKey;
    return new SignJWT({ kind: 'staff', roles: ['admin'], sid: 's' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('000000000000000000000000')
      .setIssuer(env.api.cfg.AUTH_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signKey);
  }

  it('50 tokens with random kids cause at most one key-set read', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const tokens = await Promise.all(Array.from({ length: 50 }, () => tokenWithKid(`k-${randomBytes(6).toString('hex')}`, privateKey)));
    const find = vi.spyOn(SigningKeyModel, 'find');
    // Half at once, half one after another.
    await Promise.all(tokens.slice(0, 25).map((t) => expectTrpcError(env.api.client(t).auth.me.query(), 'UNAUTHORIZED')));
    for (const t of tokens.slice(25)) await expectTrpcError(env.api.client(t).auth.me.query(), 'UNAUTHORIZED');
    expect(find.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it('a key added by another instance is still picked up once the throttle interval has passed', async () => {
    const ring = new KeyRing({ forcedReloadIntervalMs: 300 });
    await ring.load();
    const opts = { issuer: env.api.cfg.AUTH_ISSUER, audience: TOKEN_AUDIENCE };
    // An unknown kid: one reload, then refused.
    await expect(ring.verifyScoped(await tokenWithKid('k-random-1'), opts)).rejects.toThrow();
    expect(ring.forcedReloads).toBe(1);
    // Another instance adds a key (not retiring the others).
    const k = await generateSigningKey();
    await SigningKeyModel.create({ _id: k.kid, alg: 'ES256', privateJwk: k.privateJwk, publicJwk: k.publicJwk, createdAt: new Date(0) });
    const fresh = await tokenWithKid(k.kid, (await importJWK(k.privateJwk, 'ES256')) as CryptoKey);
    // Within the interval: refused without reading the key set again.
    await expect(ring.verifyScoped(fresh, opts)).rejects.toThrow('unknown kid');
    expect(ring.forcedReloads).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect((await ring.verifyScoped(fresh, opts)).sub).toBe('000000000000000000000000');
    expect(ring.forcedReloads).toBe(2);
    await SigningKeyModel.deleteOne({ _id: k.kid });
  });
});
