/**
 * The demo accounts' history has its payments: every bill the seed marks 已缴清 was settled by one
 * payment, listed in 缴费记录, paid by whoever the seed bound the account to (the demo resident), whose
 * receipts then work — and none of them is credited again by reconciliation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { SmsOutboxModel } from '../notify/sms-provider';
import { AccountModel } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { BillModel, PaymentModel, PaymentTxnModel } from './billing.model';
import { reconcilePayments } from './payment.service';
import { SEED_PAYMENT_PREFIX, seedBilling } from './seed';
import { startPayTestEnv, type PayTestEnv } from './test-env';

let env: PayTestEnv;
let c: Awaited<ReturnType<typeof webResident>>;
beforeAll(async () => {
  env = await startPayTestEnv({ seedAccounts: 60 });
  c = await webResident();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

async function webResident() {
  await env.api.client().auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const r = await env.api.client().auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
  return env.api.client(r.accessToken);
}

describe('seeded payments of the demo accounts', () => {
  it('the resident sees one paid payment per 已缴清 bill of her account, and opens their receipts', async () => {
    // Her postpaid account (the seed draws which of her two is smart-prepaid).
    const account = (await c.account.list.query()).find((a) => a.paymentMode === 'postpaid')!;
    const own = { number: account.number };
    expect(account.level).toBe('holder');
    const bills = await c.billing.bills.query({ accountId: account.id, limit: 60 });
    const paidPeriods = bills.filter((b) => b.status === 'paid').map((b) => b.period);
    expect(paidPeriods).toHaveLength(24);

    const history = await c.billing.payments.query({ accountId: account.id, limit: 200 });
    const seeded = history.filter((p) => p.outTradeNo.startsWith(SEED_PAYMENT_PREFIX));
    expect(seeded).toHaveLength(paidPeriods.length);
    expect(seeded.every((p) => p.status === 'paid' && p.purpose === 'bill' && p.paidAt && !p.onBehalf)).toBe(true);
    // One per period (the out_trade_no names it), the same amounts as the bills.
    const byNo = new Map(seeded.map((p) => [p.outTradeNo, p]));
    for (const b of bills.filter((x) => x.status === 'paid')) {
      const p = byNo.get(`${SEED_PAYMENT_PREFIX}${own!.number}${b.period.replace('-', '')}`);
      expect(p, b.period).toBeTruthy();
      expect(p!.amountFen).toBe(b.amountFen);
    }
    // They are hers: in her own list, and their receipts open.
    const mine = await c.billing.payments.query({ limit: 200 });
    expect(mine.map((p) => p.id)).toEqual(expect.arrayContaining(seeded.map((p) => p.id)));
    const link = await c.billing.documentLink.mutate({ paymentId: seeded[0]!.id, kind: 'receipt' });
    expect(link.url).toMatch(/^\/files\/billing\/[0-9a-f]{24}\/receipt\.pdf\?token=/);
    const pdf = await fetch(`${env.api.url}${link.url}`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });

  it('the latest paid bill document points at its payment (its detail offers the receipt)', async () => {
    const account = (await c.account.list.query()).find((a) => a.paymentMode === 'postpaid')!;
    const family = { number: account.number };
    const latest = (await c.billing.bills.query({ accountId: account.id, limit: 1 }))[0]!;
    expect(latest.status).toBe('paid');
    const detail = await c.billing.bill.query({ billId: latest.id });
    expect(detail.paymentId).toBeTruthy();
    const p = await PaymentModel.findById(detail.paymentId).lean();
    expect(p!.outTradeNo).toBe(`${SEED_PAYMENT_PREFIX}${family.number}${latest.period.replace('-', '')}`);
  });

  it('demo accounts bound to nobody have their payments without a payer; unpaid bills have none', async () => {
    const unpaid = (await AccountModel.findOne({ number: DEMO.disconnected.number }).lean())!;
    const open = await BillModel.countDocuments({ accountId: unpaid._id, status: 'unpaid' });
    expect(open).toBe(2);
    const ps = await PaymentModel.find({ accountId: unpaid._id }).lean();
    expect(ps).toHaveLength(22);
    expect(ps.every((p) => p.userId === null && p.creditResult === 'bill_paid' && p.creditedAt)).toBe(true);
    expect(await PaymentTxnModel.countDocuments({ paymentId: { $in: ps.map((p) => p._id) } })).toBe(22);
    // Generated accounts keep no payment history.
    const generated = (await AccountModel.findOne({ number: /^32/ }).lean())!;
    expect(await PaymentModel.countDocuments({ accountId: generated._id })).toBe(0);
    // The payer of the resident's accounts is the resident.
    const resident = await UserModel.findOne({ phone: DEMO.residentPhone }).lean();
    for (const d of DEMO.residentAccounts) {
      const own = (await AccountModel.findOne({ number: d.number }).lean())!;
      expect(await PaymentModel.countDocuments({ accountId: own._id, userId: { $ne: resident!._id } })).toBe(0);
    }
    // 王桂英's account (the mini-program's payment demo): 23 settled bills, 23 payments, the latest bill open.
    const wang = (await AccountModel.findOne({ number: '3101000000004' }).lean())!;
    expect(await PaymentModel.countDocuments({ accountId: wang._id })).toBe(23);
    expect(await BillModel.countDocuments({ accountId: wang._id, status: 'unpaid' })).toBe(1);
  });

  it('reconciliation leaves them alone (credited once, never again) and a reset seeds them again, the same', async () => {
    const acc = (await AccountModel.findOne({ number: DEMO.disconnected.number }).lean())!;
    const stats = await reconcilePayments(env.api.cfg, { queryAfterMs: 0 });
    expect(stats.credited).toBe(0);
    expect((await AccountModel.findById(acc._id).lean())!.arrearsFen).toBe(acc.arrearsFen);
    const before = (
      await PaymentModel.find({ accountId: acc._id }, { outTradeNo: 1, transactionId: 1, amountFen: 1, paidAt: 1 }).sort({ outTradeNo: 1 }).lean()
    ).map(({ outTradeNo, transactionId, amountFen }) => ({ outTradeNo, transactionId, amountFen }));
    const r = await seedBilling({ reset: true });
    expect(r.skipped).toBe(false);
    const after = (
      await PaymentModel.find({ accountId: acc._id }, { outTradeNo: 1, transactionId: 1, amountFen: 1 }).sort({ outTradeNo: 1 }).lean()
    ).map(({ outTradeNo, transactionId, amountFen }) => ({ outTradeNo, transactionId, amountFen }));
    expect(after).toEqual(before);
  }, 60_000);
});
