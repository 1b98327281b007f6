import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWechatSimulator, simOpenid, simUnionid, type WechatSimulatorServer } from './login-sim.js';

const APPID = 'wx8d2c3f1a5b7e9d01';
const SECRET = 'dev-secret-change-me';
const OTHER_APPID = 'wx0000000000000002';
const OTHER_SECRET = 'other-secret';

let clock = Date.parse('2025-01-01T00:00:00Z');
let server: WechatSimulatorServer;
let base: string;

beforeAll(async () => {
  server = createWechatSimulator({
    apps: [
      { appid: APPID, secret: SECRET },
      { appid: OTHER_APPID, secret: OTHER_SECRET },
    ],
    now: () => clock,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  server.wechat.reset();
});

async function getJson(path: string): Promise<{ status: number; body: any; contentType: string | null }> {
  const res = await fetch(base + path);
  // parse the text, as a client of the real jscode2session (text/plain) has to
  return { status: res.status, body: JSON.parse(await res.text()), contentType: res.headers.get('content-type') };
}

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: JSON.parse(await res.text()) as any, headers: res.headers };
}

async function deviceLogin(simUser: string, appid = APPID): Promise<string> {
  const r = await postJson('/sim/wx/login', { appid, simUser });
  expect(r.status).toBe(200);
  expect(typeof r.body.code).toBe('string');
  return r.body.code;
}

async function devicePhone(simUser: string, phone: string, appid = APPID): Promise<string> {
  const r = await postJson('/sim/wx/phone', { appid, simUser, phone });
  expect(r.status).toBe(200);
  return r.body.code;
}

function session(code: string, { appid = APPID, secret = SECRET, grant = 'authorization_code' } = {}) {
  const q = new URLSearchParams({ appid, secret, js_code: code, grant_type: grant });
  return getJson(`/sns/jscode2session?${q}`);
}

async function accessToken(appid = APPID, secret = SECRET): Promise<string> {
  const r = await getJson(`/cgi-bin/token?${new URLSearchParams({ grant_type: 'client_credential', appid, secret })}`);
  expect(r.body.access_token).toBeTypeOf('string');
  return r.body.access_token;
}

function phoneNumber(token: string, code: unknown) {
  return postJson(`/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`, { code });
}

describe('jscode2session', () => {
  it('exchanges a device login code for openid, session_key and unionid', async () => {
    const code = await deviceLogin('alice');
    expect(code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const r = await session(code);
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^text\/plain/);
    expect(r.body.errcode).toBeUndefined();
    expect(r.body.openid).toBe(simOpenid(APPID, 'alice'));
    expect(r.body.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(r.body.unionid).toBe(simUnionid('alice'));
    expect(Buffer.from(r.body.session_key, 'base64')).toHaveLength(16);
  });

  it('gives the same simUser the same openid, and different users/apps different ones', async () => {
    const a1 = (await session(await deviceLogin('alice'))).body;
    const a2 = (await session(await deviceLogin('alice'))).body;
    const b = (await session(await deviceLogin('bob'))).body;
    const aOther = (await session(await deviceLogin('alice', OTHER_APPID), { appid: OTHER_APPID, secret: OTHER_SECRET })).body;
    expect(a2.openid).toBe(a1.openid);
    expect(a2.session_key).not.toBe(a1.session_key);
    expect(b.openid).not.toBe(a1.openid);
    expect(aOther.openid).not.toBe(a1.openid);
    expect(aOther.unionid).toBe(a1.unionid);
    const lookup = await getJson(`/sim/wx/openid?appid=${APPID}&simUser=alice`);
    expect(lookup.body.openid).toBe(a1.openid);
  });

  it('rejects a wrong appid with 40013 and a wrong secret with 40125', async () => {
    const code = await deviceLogin('alice');
    const badApp = await session(code, { appid: 'wx_nope' });
    expect(badApp.body.errcode).toBe(40013);
    expect(badApp.body.errmsg).toMatch(/^invalid appid/);
    const badSecret = await session(code, { secret: 'wrong' });
    expect(badSecret.body.errcode).toBe(40125);
    expect(badSecret.body.errmsg).toMatch(/^invalid appsecret/);
    // the code was not consumed by the failed attempts
    expect((await session(code)).body.openid).toBe(simOpenid(APPID, 'alice'));
  });

  it('rejects an unknown code with 40029', async () => {
    const r = await session('0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d');
    expect(r.status).toBe(200);
    expect(r.body.errcode).toBe(40029);
    expect(r.body.errmsg).toMatch(/^invalid code/);
  });

  it('rejects a used code with 40163', async () => {
    const code = await deviceLogin('alice');
    expect((await session(code)).body.openid).toBeTruthy();
    const again = await session(code);
    expect(again.body.errcode).toBe(40163);
    expect(again.body.errmsg).toMatch(/^code been used/);
  });

  it('rejects a code older than 5 minutes with 40029', async () => {
    const code = await deviceLogin('alice');
    const fresh = await deviceLogin('bob');
    clock += 5 * 60_000; // exactly 5 minutes: still valid
    expect((await session(fresh)).body.openid).toBe(simOpenid(APPID, 'bob'));
    clock += 1;
    const r = await session(code);
    expect(r.body.errcode).toBe(40029);
  });

  it('rejects a code issued for another appid with 40029', async () => {
    const code = await deviceLogin('alice', OTHER_APPID);
    expect((await session(code)).body.errcode).toBe(40029);
  });

  it('reports missing parameters and a bad grant_type', async () => {
    expect((await getJson('/sns/jscode2session?secret=x&js_code=y')).body.errcode).toBe(41002);
    expect((await getJson(`/sns/jscode2session?appid=${APPID}&js_code=y`)).body.errcode).toBe(41004);
    expect((await getJson(`/sns/jscode2session?appid=${APPID}&secret=${SECRET}&grant_type=authorization_code`)).body.errcode).toBe(41008);
    expect((await session('x', { grant: 'password' })).body.errcode).toBe(40002);
    const post = await postJson('/sns/jscode2session', {});
    expect(post.body.errcode).toBe(43001);
  });
});

describe('access tokens', () => {
  it('issues an access_token valid for 7200 s via /cgi-bin/token', async () => {
    const r = await getJson(`/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`);
    expect(r.body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
  });

  it('rejects bad credentials and grant types', async () => {
    expect((await getJson(`/cgi-bin/token?grant_type=client_credential&appid=wx_nope&secret=${SECRET}`)).body.errcode).toBe(40013);
    expect((await getJson(`/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=bad`)).body.errcode).toBe(40125);
    expect((await getJson(`/cgi-bin/token?grant_type=nope&appid=${APPID}&secret=${SECRET}`)).body.errcode).toBe(40002);
  });

  it('serves POST /cgi-bin/stable_token, stable until force_refresh', async () => {
    const body = { grant_type: 'client_credential', appid: APPID, secret: SECRET };
    const a = await postJson('/cgi-bin/stable_token', body);
    expect(a.body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    clock += 60_000;
    const b = await postJson('/cgi-bin/stable_token', body);
    expect(b.body.access_token).toBe(a.body.access_token);
    expect(b.body.expires_in).toBe(7140);
    const c = await postJson('/cgi-bin/stable_token', { ...body, force_refresh: true });
    expect(c.body.access_token).not.toBe(a.body.access_token);
    expect((await postJson('/cgi-bin/stable_token', { ...body, secret: 'bad' })).body.errcode).toBe(40125);
    expect((await postJson('/cgi-bin/stable_token', '{not json')).body.errcode).toBe(47001);
    // a stable token works for the business APIs
    const phone = await phoneNumber(c.body.access_token, await devicePhone('alice', '13800000001'));
    expect(phone.body.errcode).toBe(0);
  });

  it('expires tokens (42001) and retires a replaced token after 5 minutes (40001)', async () => {
    const first = await accessToken();
    const second = await accessToken();
    clock += 4 * 60_000;
    expect((await phoneNumber(first, await devicePhone('a', '13800000001'))).body.errcode).toBe(0);
    clock += 2 * 60_000;
    expect((await phoneNumber(first, await devicePhone('a', '13800000001'))).body.errcode).toBe(40001);
    expect((await phoneNumber(second, await devicePhone('a', '13800000001'))).body.errcode).toBe(0);
    clock += 7200 * 1000;
    expect((await phoneNumber(second, await devicePhone('a', '13800000001'))).body.errcode).toBe(42001);
  });
});

describe('getuserphonenumber', () => {
  it('returns phone_info with our appid in the watermark', async () => {
    const token = await accessToken();
    const code = await devicePhone('alice', '13900000001');
    const r = await phoneNumber(token, code);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13900000001',
        purePhoneNumber: '13900000001',
        countryCode: '86',
        watermark: { timestamp: Math.floor(clock / 1000), appid: APPID },
      },
    });
  });

  it('rejects a bad access_token with 40001 and a missing one with 41001', async () => {
    const code = await devicePhone('alice', '13900000001');
    const r = await phoneNumber('not-a-token', code);
    expect(r.body.errcode).toBe(40001);
    const missing = await postJson('/wxa/business/getuserphonenumber', { code });
    expect(missing.body.errcode).toBe(41001);
    // the code is still usable with a good token
    expect((await phoneNumber(await accessToken(), code)).body.errcode).toBe(0);
  });

  it('rejects unknown (40029), used (40163), expired (40029) and foreign-app (40029) codes', async () => {
    const token = await accessToken();
    expect((await phoneNumber(token, 'nope')).body.errcode).toBe(40029);

    const code = await devicePhone('alice', '13900000001');
    expect((await phoneNumber(token, code)).body.errcode).toBe(0);
    const used = await phoneNumber(token, code);
    expect(used.body.errcode).toBe(40163);
    expect(used.body.errmsg).toMatch(/^code been used/);

    const old = await devicePhone('alice', '13900000001');
    clock += 5 * 60_000 + 1;
    expect((await phoneNumber(token, old)).body.errcode).toBe(40029);

    const foreign = await devicePhone('alice', '13900000001', OTHER_APPID);
    expect((await phoneNumber(await accessToken(), foreign)).body.errcode).toBe(40029);
  });

  it('rejects a missing code or a malformed body with 47001 and GET with 43002', async () => {
    const token = await accessToken();
    expect((await phoneNumber(token, undefined)).body.errcode).toBe(47001);
    expect((await postJson(`/wxa/business/getuserphonenumber?access_token=${token}`, '[1,2')).body.errcode).toBe(47001);
    expect((await getJson(`/wxa/business/getuserphonenumber?access_token=${token}`)).body.errcode).toBe(43002);
  });
});

describe('device side', () => {
  it('answers CORS preflight and sets CORS headers', async () => {
    const pre = await fetch(base + '/sim/wx/login', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:10086',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:10086');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toContain('content-type');
    const r = await postJson('/sim/wx/login', { appid: APPID, simUser: 'alice' }, { origin: 'http://localhost:3000' });
    expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it('validates device requests', async () => {
    expect((await postJson('/sim/wx/login', { appid: 'wx_nope', simUser: 'a' })).status).toBe(400);
    expect((await postJson('/sim/wx/login', { appid: APPID })).status).toBe(400);
    expect((await postJson('/sim/wx/login', 'nope')).status).toBe(400);
    expect((await postJson('/sim/wx/phone', { appid: APPID, simUser: 'a', phone: '12345' })).status).toBe(400);
    expect((await postJson('/sim/wx/phone', { appid: APPID, simUser: 'a' })).status).toBe(400);
    expect((await fetch(base + '/sim/wx/login')).status).toBe(405);
    expect((await fetch(base + '/nope')).status).toBe(404);
    const health = await getJson('/sim/health');
    expect(health.body.appids).toEqual([APPID, OTHER_APPID]);
  });

  it('accepts +86 numbers and keeps the area code of foreign ones', async () => {
    const token = await accessToken();
    const cn = await phoneNumber(token, await devicePhone('a', '+86 138-0000-0001'));
    expect(cn.body.phone_info.purePhoneNumber).toBe('13800000001');
    const hk = await postJson('/sim/wx/phone', { appid: APPID, simUser: 'a', phone: '61234567', countryCode: '852' });
    const r = await phoneNumber(token, hk.body.code);
    expect(r.body.phone_info).toMatchObject({ phoneNumber: '+85261234567', purePhoneNumber: '61234567', countryCode: '852' });
  });
});
