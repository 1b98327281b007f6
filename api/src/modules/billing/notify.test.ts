import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountModel } from '../accounts/account.model';
import { PaymentModel, PaymentTxnModel } from './billing.model';
import { encryptResource, findAccount, postNotify, residentFor, signNotification, startPayTestEnv, type PayTestEnv } from './test-env';

let env: PayTestEnv;
beforeAll(async () => {
  env = await startPayTestEnv({ seedAccounts: 300 });
});
afterAll(async () => {
  await env?.stop();
});

/** A recharge on a prepaid account, paid at the simulator without a notification (we send our own). */
async function paidRecharge(amountFen = 5000) {
  const acct = await findAccount({ paymentMode: 'prepaid', supplyState: 'normal', number: { $regex: '^32' } });
  const c = await residentFor(env, `notify-${Math.random()}`);
  const holder = (await c.billing.payFor.query({ number: acct.number })).holderNameMasked;
  const p = await c.billing.createPayment.mutate({ number: acct.number, holderNameMasked: holder, amountFen, channel: 'native' });
  expect(p.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  const order = env.sim.wechatpay.pay(p.outTradeNo, { notify: false });
  return { acct, p, order };
}

/** A transaction resource as WeChat would send it, with overrides. */
function transaction(order: ReturnType<typeof env.sim.wechatpay.pay>, over: Record<string, unknown> = {}) {
  return {
    appid: order.appid,
    mchid: order.mchid,
    out_trade_no: order.out_trade_no,
    transaction_id: order.transaction_id,
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: '',
    success_time: order.success_time,
    payer: { openid: 'o_sim_payer' },
    amount: { total: order.amount.total, payer_total: order.amount.total, currency: 'CNY', payer_currency: 'CNY' },
    ...over,
  };
}

function notificationBody(resource: object) {
  return JSON.stringify({
    id: 'EV-1',
    create_time: new Date().toISOString(),
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource,
  });
}

describe('POST /pay/wechat/notify', () => {
  it('a valid notification settles once; a replay answers 204 and credits nothing more', async () => {
    const { acct, p, order } = await paidRecharge(5000);
    const n = env.sim.wechatpay.buildNotification(order);
    const first = await postNotify(env, n.headers, n.body);
    expect(first.status).toBe(204);
    const after = (await AccountModel.findById(acct._id).lean())!;
    expect(after.balanceFen).toBe(acct.balanceFen + 5000);
    const paid = (await PaymentModel.findById(p.paymentId).lean())!;
    expect(paid).toMatchObject({ status: 'paid', transactionId: order.transaction_id, settledBy: 'notify', creditResult: 'balance_credited' });
    // Replays: the same notification, and a fresh one for the same transaction.
    expect((await postNotify(env, n.headers, n.body)).status).toBe(204);
    const again = env.sim.wechatpay.buildNotification(order);
    expect((await postNotify(env, again.headers, again.body)).status).toBe(204);
    await Promise.all(Array.from({ length: 5 }, () => postNotify(env, n.headers, n.body)));
    expect((await AccountModel.findById(acct._id).lean())!.balanceFen).toBe(acct.balanceFen + 5000);
    expect(await PaymentTxnModel.countDocuments({ _id: order.transaction_id })).toBe(1);
  });

  it('100 concurrent identical notifications, then repeats later: every reply 2xx, credited once', async () => {
    const { acct, order } = await paidRecharge(3000);
    const n = env.sim.wechatpay.buildNotification(order);
    const replies = await Promise.all(Array.from({ length: 100 }, () => postNotify(env, n.headers, n.body)));
    expect(replies.every((r) => r.status === 200 || r.status === 204)).toBe(true);
    const later = env.sim.wechatpay.buildNotification(order);
    expect([200, 204]).toContain((await postNotify(env, later.headers, later.body)).status);
    expect((await AccountModel.findById(acct._id).lean())!.balanceFen).toBe(acct.balanceFen + 3000);
    expect(await PaymentTxnModel.countDocuments({ _id: order.transaction_id })).toBe(1);
  });

  it('the simulator delivers on its own with retries; the order is credited once and status shows paid', async () => {
    const acct = await findAccount({ paymentMode: 'prepaid', supplyState: 'normal', number: { $regex: '^32' } });
    const c = await residentFor(env, 'notify-delivery', acct);
    const before = (await AccountModel.findById(acct._id).lean())!.balanceFen;
    const p = await c.billing.createPayment.mutate({ accountId: String(acct._id), amountFen: 1234, channel: 'jsapi' });
    expect(p.jsapiParams).toMatchObject({ appId: 'wx8d2c3f1a5b7e9d01', signType: 'RSA' });
    expect(p.jsapiParams!.package).toMatch(/^prepay_id=wx/);
    expect((await c.billing.paymentStatus.query({ paymentId: p.paymentId })).status).toBe('paying');
    env.sim.wechatpay.pay(p.outTradeNo);
    await env.sim.wechatpay.settled(p.outTradeNo);
    const o = env.sim.wechatpay.orders.get(p.outTradeNo)!;
    expect(o.deliveries.at(-1)!.status).toBe(204);
    expect((await c.billing.paymentStatus.query({ paymentId: p.paymentId })).status).toBe('paid');
    expect((await AccountModel.findById(acct._id).lean())!.balanceFen).toBe(before + 1234);
  });

  it('certificate mode: a platform certificate serial is accepted too', async () => {
    const { order } = await paidRecharge(300);
    const body = notificationBody(encryptResource(env.keys.apiV3Key, JSON.stringify(transaction(order))));
    const r = await postNotify(env, signNotification(env, body, { serial: env.keys.platformCertSerial }), body);
    expect(r.status).toBe(204);
  });

  describe('refused with 4xx {"code":"FAIL"} and nothing credited', () => {
    async function expectRefused(headers: Record<string, string>, body: string, status: number, paymentId: string, acctId: unknown, balance: number) {
      const r = await postNotify(env, headers, body);
      expect(r.status).toBe(status);
      expect(r.body).toMatchObject({ code: 'FAIL' });
      expect(typeof r.body!.message).toBe('string');
      expect((await PaymentModel.findById(paymentId).lean())!.status).toBe('paying');
      expect((await AccountModel.findById(acctId).lean())!.balanceFen).toBe(balance);
      return r;
    }

    it('tampered ciphertext (re-signed), wrong AAD, wrong tag', async () => {
      const { acct, p, order } = await paidRecharge(700);
      const good = encryptResource(env.keys.apiV3Key, JSON.stringify(transaction(order)));
      const ct = Buffer.from(good.ciphertext, 'base64');
      ct[5] ^= 0x01;
      const tampered = notificationBody({ ...good, ciphertext: ct.toString('base64') });
      expect((await expectRefused(signNotification(env, tampered), tampered, 400, p.paymentId, acct._id, acct.balanceFen)).body!.message).toBe(
        '解密失败',
      );
      const wrongAad = notificationBody({ ...good, associated_data: 'certificate' });
      await expectRefused(signNotification(env, wrongAad), wrongAad, 400, p.paymentId, acct._id, acct.balanceFen);
      const tag = Buffer.from(good.ciphertext, 'base64');
      tag[tag.length - 1] ^= 0x80;
      const wrongTag = notificationBody({ ...good, ciphertext: tag.toString('base64') });
      await expectRefused(signNotification(env, wrongTag), wrongTag, 400, p.paymentId, acct._id, acct.balanceFen);
      const wrongKey = notificationBody(encryptResource('0'.repeat(32), JSON.stringify(transaction(order))));
      await expectRefused(signNotification(env, wrongKey), wrongKey, 400, p.paymentId, acct._id, acct.balanceFen);
      // A body changed after signing fails the signature itself.
      const n = env.sim.wechatpay.buildNotification(order);
      await expectRefused(n.headers, n.body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS '), 401, p.paymentId, acct._id, acct.balanceFen);
      // Finally the genuine one still settles.
      expect((await postNotify(env, n.headers, n.body)).status).toBe(204);
    });

    it('stale or future timestamp (> 300 s), unknown serial, missing headers, bad signature', async () => {
      const { acct, p, order } = await paidRecharge(800);
      const body = notificationBody(encryptResource(env.keys.apiV3Key, JSON.stringify(transaction(order))));
      const now = Math.floor(Date.now() / 1000);
      expect(
        (await expectRefused(signNotification(env, body, { ts: now - 301 }), body, 401, p.paymentId, acct._id, acct.balanceFen)).body!.message,
      ).toContain('时间戳');
      await expectRefused(signNotification(env, body, { ts: now + 400 }), body, 401, p.paymentId, acct._id, acct.balanceFen);
      await expectRefused(signNotification(env, body, { ts: now - 10 * 86400 }), body, 401, p.paymentId, acct._id, acct.balanceFen);
      expect(
        (await expectRefused(signNotification(env, body, { serial: 'PUB_KEY_ID_0000UNKNOWN' }), body, 401, p.paymentId, acct._id, acct.balanceFen))
          .body!.message,
      ).toContain('序列号');
      await expectRefused(
        signNotification(env, body, { serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' }),
        body,
        401,
        p.paymentId,
        acct._id,
        acct.balanceFen,
      );
      const { 'Wechatpay-Signature': _sig, ...noSig } = signNotification(env, body);
      await expectRefused(noSig, body, 401, p.paymentId, acct._id, acct.balanceFen);
      const h = signNotification(env, body);
      await expectRefused(
        { ...h, 'Wechatpay-Signature': signNotification(env, body + ' ')['Wechatpay-Signature'] },
        body,
        401,
        p.paymentId,
        acct._id,
        acct.balanceFen,
      );
      // 280 s old is still inside the window (a margin for a slow machine between signing and checking).
      expect((await postNotify(env, signNotification(env, body, { ts: Math.floor(Date.now() / 1000) - 280 }), body)).status).toBe(204);
    });

    it('wrong amount, mchid, appid, currency or unknown out_trade_no', async () => {
      const { acct, p, order } = await paidRecharge(900);
      const cases: [Record<string, unknown>, number][] = [
        [{ amount: { total: 901, payer_total: 901, currency: 'CNY' } }, 400],
        [{ amount: { total: 900, currency: 'USD' } }, 400],
        [{ mchid: '1900009999' }, 400],
        [{ appid: 'wx0000000000000000' }, 400],
        [{ out_trade_no: 'PW000000000000000000000' }, 404],
      ];
      for (const [over, status] of cases) {
        const body = notificationBody(encryptResource(env.keys.apiV3Key, JSON.stringify(transaction(order, over))));
        await expectRefused(signNotification(env, body), body, status, p.paymentId, acct._id, acct.balanceFen);
      }
    });
  });
});
