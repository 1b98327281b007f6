import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateWechatPayDevKeys } from './dev-keys';
import { createWechatPaySimulator, devSimulatorOptions, NOTIFY_RETRY_SCHEDULE_MS, type WechatPaySimServer } from './pay-sim';
import { WechatPayClient } from '../../modules/billing/wechatpay.client';
import { decryptResource, notifyHeadersOf, PlatformKeys, verifyNotifySignature } from '../../modules/billing/wechatpay.crypto';
import { createPrivateKey, X509Certificate } from 'node:crypto';

const keys = generateWechatPayDevKeys();
let sim: WechatPaySimServer;
let base: string;
let receiver: Server;
let receiverUrl: string;
const received: { status: number; at: number; body: string; headers: Record<string, string | string[] | undefined> }[] = [];
let failFirst = 0;

function client(overrides: Partial<ConstructorParameters<typeof WechatPayClient>[0]> = {}) {
  const platformKeys = new PlatformKeys();
  platformKeys.addPublicKey(keys.platformPublicKeyId, keys.platformPublicKeyPem);
  return new WechatPayClient({
    apiBase: base,
    mchid: keys.mchid,
    appid: 'wx8d2c3f1a5b7e9d01',
    apiV3Key: keys.apiV3Key,
    merchantPrivateKey: createPrivateKey(keys.merchantPrivateKeyPem),
    merchantPrivateKeyPem: keys.merchantPrivateKeyPem,
    merchantSerial: keys.merchantSerial,
    platformKeys,
    notifyUrl: null,
    source: 'config',
    ...overrides,
  });
}
const order = (no: string, amountFen = 100) => ({
  outTradeNo: no,
  description: '测试',
  amountFen,
  notifyUrl: receiverUrl,
  expiresAt: new Date(Date.now() + 600_000),
});

beforeAll(async () => {
  sim = createWechatPaySimulator(devSimulatorOptions(keys, { retryScale: 0.0005 }));
  await new Promise<void>((r) => sim.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(sim.address() as AddressInfo).port}`;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = failFirst-- > 0 ? 500 : 204;
      received.push({ status, at: Date.now(), body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(status).end(status === 500 ? JSON.stringify({ code: 'FAIL', message: 'busy' }) : undefined);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
});
afterAll(async () => {
  await new Promise((r) => sim.close(r));
  await new Promise((r) => receiver.close(r));
});

describe('WeChat Pay simulator', () => {
  it('dev keys: a parseable platform certificate whose serial is the one announced', () => {
    const cert = new X509Certificate(keys.platformCertPem);
    expect(cert.serialNumber.toUpperCase()).toBe(keys.platformCertSerial);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(keys.platformPublicKeyId).toMatch(/^PUB_KEY_ID_/);
    expect(keys.apiV3Key).toHaveLength(32);
  });

  it('verifies our request signatures: a wrong key or serial is SIGN_ERROR 401', async () => {
    const other = generateWechatPayDevKeys();
    const bad = client({ merchantPrivateKey: createPrivateKey(other.merchantPrivateKeyPem), merchantPrivateKeyPem: other.merchantPrivateKeyPem });
    expect(await bad.prepayNative(order('SIGNBAD0001'))).toMatchObject({ status: 401, code: 'SIGN_ERROR' });
    expect(await client({ merchantSerial: other.merchantSerial }).prepayNative(order('SIGNBAD0002'))).toMatchObject({
      status: 401,
      code: 'SIGN_ERROR',
    });
    const raw = await fetch(`${base}/v3/pay/transactions/native`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(raw.status).toBe(401);
  });

  it('prepay (JSAPI, Native), query, close, refund', async () => {
    const c = client();
    const j = await c.prepayJsapi({ ...order('JSAPI000001'), openid: 'o_test' });
    expect(j.status).toBe(200);
    expect(j.params!.paySign).toBeTruthy();
    expect((await c.prepayJsapi({ ...order('JSAPI000002'), openid: '' })).status).toBe(400);
    const n = await c.prepayNative(order('NATIVE00001', 250));
    expect(n.data!.code_url).toMatch(/^weixin:\/\//);
    expect(await c.prepayNative(order('NATIVE00001', 251))).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect((await c.queryByOutTradeNo('NATIVE00001')).data).toMatchObject({ trade_state: 'NOTPAY', amount: { total: 250 } });
    expect(await c.queryByOutTradeNo('NOSUCHORDER1')).toMatchObject({ status: 404, code: 'ORDER_NOT_EXIST' });
    expect((await c.close('JSAPI000001')).status).toBe(204);
    expect((await c.queryByOutTradeNo('JSAPI000001')).data!.trade_state).toBe('CLOSED');
    sim.wechatpay.pay('NATIVE00001', { notify: false });
    expect(await c.close('NATIVE00001')).toMatchObject({ status: 400, code: 'ORDERPAID' });
    const r = await c.refund({ outTradeNo: 'NATIVE00001', outRefundNo: 'RNATIVE00001', reason: '测试', refundFen: 100, totalFen: 250 });
    expect(r.data).toMatchObject({ status: 'SUCCESS' });
    // Same out_refund_no again: the same refund, not a second one.
    await c.refund({ outTradeNo: 'NATIVE00001', outRefundNo: 'RNATIVE00001', reason: '测试', refundFen: 100, totalFen: 250 });
    expect(sim.wechatpay.orders.get('NATIVE00001')!.refunds).toHaveLength(1);
    expect(await c.refund({ outTradeNo: 'NATIVE00001', outRefundNo: 'RNATIVE00002', reason: '测试', refundFen: 200, totalFen: 250 })).toMatchObject({
      status: 400,
      code: 'NOT_ENOUGH',
    });
  });

  it('the device side shows an open order as a cashier would: amount, item and the merchant name', async () => {
    await client().prepayJsapi({ ...order('JSAPI000009', 11594), description: '电费缴纳-3101000000004-2026-11', openid: 'o_test' });
    const r = await fetch(`${base}/sim/orders/JSAPI000009`);
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(await r.json()).toMatchObject({
      trade_state: 'NOTPAY',
      amount: { total: 11594 },
      description: '电费缴纳-3101000000004-2026-11',
      merchant_name: '示范市供电有限公司',
    });
    expect((await fetch(`${base}/sim/orders/NOSUCHORDER9`)).status).toBe(404);
  });

  it('notifications: signed and encrypted, retried on the schedule until 2xx', async () => {
    expect(NOTIFY_RETRY_SCHEDULE_MS.slice(0, 5)).toEqual([15_000, 15_000, 30_000, 180_000, 600_000]);
    const c = client();
    await c.prepayNative(order('NOTIFY00001', 300));
    received.length = 0;
    failFirst = 3;
    sim.wechatpay.pay('NOTIFY00001');
    await sim.wechatpay.settled('NOTIFY00001');
    expect(received.map((r) => r.status)).toEqual([500, 500, 500, 204]);
    // Gaps follow 15s, 15s, 30s scaled.
    const gaps = received.slice(1).map((r, i) => r.at - received[i].at);
    expect(gaps[2]).toBeGreaterThanOrEqual(gaps[0]);
    const last = received.at(-1)!;
    const pk = new PlatformKeys();
    pk.addPublicKey(keys.platformPublicKeyId, keys.platformPublicKeyPem);
    verifyNotifySignature(pk, notifyHeadersOf(last.headers), Buffer.from(last.body));
    const tx = JSON.parse(decryptResource(keys.apiV3Key, JSON.parse(last.body).resource));
    expect(tx).toMatchObject({ out_trade_no: 'NOTIFY00001', trade_state: 'SUCCESS', mchid: keys.mchid, amount: { total: 300 } });
  });
});
