import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { expectTrpcError } from '../../testing/harness';
import { AccountModel } from '../accounts/account.model';
import { AuditLogModel } from '../audit/audit.model';
import { InAppNotificationModel } from '../events/event.model';
import { WorkOrderModel } from '../workorders/workorder.model';
import {
  BillModel,
  BillingNoticeModel,
  UsageHistoryModel,
  PaymentModel,
  PrepaidDayModel,
  PrepaidStateModel,
  ReconnectRequestModel,
  RemoteCommandModel,
} from './billing.model';
import { settlePrepaidAccountDay } from './billing.jobs';
import { reconcilePayments } from './payment.service';
import { findAccount, residentFor, startPayTestEnv, type PayTestEnv } from './test-env';

let env: PayTestEnv;
beforeAll(async () => {
  env = await startPayTestEnv({ seedAccounts: 400 });
});
afterAll(async () => {
  await env?.stop();
});

async function staff(username: string) {
  const r = await env.api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return env.api.client(r.accessToken);
}

describe('demo billing data', () => {
  it('24 months of readings per account, bills for postpaid, arrears equal to the unpaid bills', async () => {
    const accounts = await AccountModel.countDocuments();
    expect(await UsageHistoryModel.countDocuments()).toBe(accounts);
    expect((await UsageHistoryModel.findOne().lean())!.months).toHaveLength(24);
    const postpaid = await AccountModel.countDocuments({ paymentMode: 'postpaid' });
    expect(await BillModel.countDocuments()).toBeGreaterThanOrEqual(postpaid);
    expect(await BillModel.countDocuments()).toBeLessThan(postpaid * 5);
    const owed = await BillModel.aggregate([{ $match: { status: 'unpaid' } }, { $group: { _id: '$accountId', fen: { $sum: '$amountFen' } } }]);
    const byId = new Map(owed.map((o) => [String(o._id), o.fen]));
    for (const a of await AccountModel.find({ paymentMode: 'postpaid' }).lean()) expect(a.arrearsFen).toBe(byId.get(String(a._id)) ?? 0);
    expect(await PrepaidStateModel.countDocuments()).toBe(accounts - postpaid);
  });

  it('bills, bill detail, usage and prepaid status through the API, for bound accounts only', async () => {
    const post = await findAccount({ paymentMode: 'postpaid', usageCategory: 'residential', number: { $regex: '^32' } });
    const c = await residentFor(env, 'reader', post);
    const bills = await c.billing.bills.query({ accountId: String(post._id) });
    expect(bills).toHaveLength(24);
    for (const id of [bills[0].id, bills[23].id]) {
      const d = await c.billing.bill.query({ billId: id });
      expect(d.lines.reduce((s, l) => s + l.amountMilliFen, 0)).toBe(d.totalMilliFen);
      expect(d.amountFen).toBe(Math.floor((2 * d.totalMilliFen + 1000) / 2000));
    }
    expect(bills[23].id).toMatch(/^[0-9a-f]{24}:\d{4}-\d{2}$/);
    const d = await c.billing.bill.query({ billId: bills[0].id });
    expect(d.lines[0].priceYuan).toMatch(/^0\.\d{4}$/);
    const usage = await c.billing.usage.query({ accountId: String(post._id) });
    expect(usage).toHaveLength(24);
    expect(usage[0].period < usage[23].period).toBe(true);
    const other = await findAccount({ paymentMode: 'postpaid', _id: { $ne: post._id } });
    await expectTrpcError(c.billing.bills.query({ accountId: String(other._id) }), 'NOT_FOUND');
    const otherBill = await BillModel.findOne({ accountId: other._id }).lean();
    await expectTrpcError(c.billing.bill.query({ billId: String(otherBill!._id) }), 'NOT_FOUND');

    const pre = await findAccount({ paymentMode: 'prepaid', supplyState: 'normal', number: { $regex: '^32' } });
    const c2 = await residentFor(env, 'reader-prepaid', pre);
    const st = await c2.billing.prepaid.query({ accountId: String(pre._id) });
    expect(st.thresholdsFen).toEqual([3000, 1000]);
    expect(st.estimatedDaysLeft).toBeGreaterThan(0);
    expect(await c2.billing.setAlertThresholds.mutate({ accountId: String(pre._id), thresholdsYuan: [10, 200] })).toEqual({
      thresholdsFen: [20000, 1000],
    });
    await expectTrpcError(c2.billing.setAlertThresholds.mutate({ accountId: String(pre._id), thresholdsYuan: [10, 10] }), 'BAD_REQUEST');
  });
});

describe('paying a bill', () => {
  it('代缴 needs the masked holder name; a new attempt closes the old one; reconciliation settles a payment whose notice never came', async () => {
    const post = await findAccount({ paymentMode: 'postpaid', supplyState: 'arrears' });
    const payer = await residentFor(env, 'payer-1');
    const info = await payer.billing.payFor.query({ number: post.number });
    expect(info.holderNameMasked).not.toBe(post.holderName);
    expect(info.unpaidBills.length).toBeGreaterThan(0);
    await expectTrpcError(payer.billing.createPayment.mutate({ number: post.number, holderNameMasked: '王*', channel: 'native' }), 'BAD_REQUEST');
    const oldest = info.unpaidBills[0];
    const a = await payer.billing.createPayment.mutate({
      number: post.number,
      holderNameMasked: info.holderNameMasked,
      billId: oldest.id,
      channel: 'native',
    });
    expect(a.amountFen).toBe(oldest.totalDueFen);
    const b = await payer.billing.createPayment.mutate({
      number: post.number,
      holderNameMasked: info.holderNameMasked,
      billId: oldest.id,
      channel: 'jsapi',
    });
    expect((await PaymentModel.findById(a.paymentId).lean())!.status).toBe('closed');
    expect(env.sim.wechatpay.orders.get(a.outTradeNo)!.trade_state).toBe('CLOSED');
    expect(String((await BillModel.findById(oldest.id).lean())!.openPaymentId)).toBe(b.paymentId);
    // The payer pays; the notification is lost. The client's "success" changes nothing.
    env.sim.wechatpay.pay(b.outTradeNo, { notify: false });
    expect((await payer.billing.paymentStatus.query({ paymentId: b.paymentId })).status).toBe('paying');
    const stats = await reconcilePayments(env.api.cfg, { queryAfterMs: 0 });
    expect(stats.settled).toBeGreaterThanOrEqual(1);
    const paid = (await PaymentModel.findById(b.paymentId).lean())!;
    expect(paid).toMatchObject({ status: 'paid', settledBy: 'query', creditResult: 'bill_paid' });
    const bill = (await BillModel.findById(oldest.id).lean())!;
    expect(bill.status).toBe('paid');
    expect(bill.openPaymentId).toBeNull();
    expect((await AccountModel.findById(post._id).lean())!.arrearsFen).toBe(post.arrearsFen - bill.amountFen);
    // Running again changes nothing.
    await reconcilePayments(env.api.cfg, { queryAfterMs: 0 });
    expect((await AccountModel.findById(post._id).lean())!.arrearsFen).toBe(post.arrearsFen - bill.amountFen);
    expect((await payer.billing.payments.query({})).map((p) => p.id)).toContain(b.paymentId);
  });

  it("20 parallel create-payment calls for one bill leave at most one open order, and the amount is the server's", async () => {
    const post = await findAccount({ paymentMode: 'postpaid', supplyState: 'arrears', number: { $regex: '^32' } });
    const payer = await residentFor(env, 'payer-parallel');
    const info = await payer.billing.payFor.query({ number: post.number });
    const bill = info.unpaidBills[0];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        payer.billing.createPayment.mutate({ number: post.number, holderNameMasked: info.holderNameMasked, billId: bill.id, channel: 'native' }),
      ),
    );
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.every((p) => p.amountFen === bill.totalDueFen)).toBe(true);
    const open = await PaymentModel.countDocuments({ billId: bill.id, status: { $in: ['created', 'paying'] } });
    expect(open).toBeLessThanOrEqual(1);
    const openAtWechat = [...env.sim.wechatpay.orders.values()].filter(
      (o) => ok.some((p) => p.outTradeNo === o.out_trade_no) && o.trade_state === 'NOTPAY',
    );
    expect(openAtWechat.length).toBeLessThanOrEqual(1);
  });

  it('unpaid orders close after expiry, here and at WeChat, and free the bill', async () => {
    const post = await findAccount({ paymentMode: 'postpaid', supplyState: 'arrears', _id: { $ne: null } });
    const c = await residentFor(env, 'expiry', post);
    const p = await c.billing.createPayment.mutate({ accountId: String(post._id), channel: 'native' });
    const before = await reconcilePayments(env.api.cfg, { queryAfterMs: 0 });
    expect(before.closed).toBe(0);
    expect((await PaymentModel.findById(p.paymentId).lean())!.status).toBe('paying');
    await reconcilePayments(env.api.cfg, { queryAfterMs: 0, now: new Date(Date.parse(p.expiresAt) + 61_000) });
    expect((await PaymentModel.findById(p.paymentId).lean())!.status).toBe('closed');
    expect(env.sim.wechatpay.orders.get(p.outTradeNo)!.trade_state).toBe('CLOSED');
    expect(await BillModel.countDocuments({ openPaymentId: p.paymentId })).toBe(0);
  });

  it('a double payment that still happens is refunded automatically and flagged for staff', async () => {
    const post = await findAccount({ paymentMode: 'postpaid', supplyState: 'disconnected' });
    const c = await residentFor(env, 'double', post);
    const first = await c.billing.createPayment.mutate({ accountId: String(post._id), channel: 'native' });
    const billId = (await PaymentModel.findById(first.paymentId).lean())!.billId;
    // Race: the payer pays the first order in the very moment it is replaced (its close lost the race here).
    env.sim.wechatpay.pay(first.outTradeNo, { notify: false });
    await PaymentModel.updateOne({ _id: first.paymentId }, { $set: { status: 'closed', closeReason: 'superseded' } });
    await BillModel.updateOne({ _id: billId }, { $set: { openPaymentId: null } });
    const second = await c.billing.createPayment.mutate({ accountId: String(post._id), billId: String(billId), channel: 'native' });
    env.sim.wechatpay.pay(second.outTradeNo);
    await env.sim.wechatpay.settled(second.outTradeNo);
    expect((await PaymentModel.findById(second.paymentId).lean())!.creditResult).toBe('bill_paid');
    const arrearsAfterOne = (await AccountModel.findById(post._id).lean())!.arrearsFen;
    // Now the first order's notification arrives.
    expect(await env.sim.wechatpay.deliverOnce(first.outTradeNo)).toBe(204);
    const dbl = (await PaymentModel.findById(first.paymentId).lean())!;
    expect(dbl.status).toBe('refunded');
    expect(dbl.creditResult).toBe('double_payment');
    expect(dbl.flags.map((f) => f.kind)).toEqual(['double_payment']);
    expect(dbl.refund).toMatchObject({ amountFen: first.amountFen, status: 'SUCCESS' });
    expect(env.sim.wechatpay.orders.get(first.outTradeNo)!.refunds).toHaveLength(1);
    expect((await AccountModel.findById(post._id).lean())!.arrearsFen).toBe(arrearsAfterOne);
    expect(await InAppNotificationModel.countDocuments({ kind: 'billing.double_payment', recipientRole: 'supervisor' })).toBe(1);
    const sup = await staff('supervisor01');
    const flagged = await sup.billing.staffPayments.query({ flagged: true });
    expect(flagged.map((p) => p.id)).toContain(first.paymentId);
    expect(flagged.find((p) => p.id === first.paymentId)).toMatchObject({
      status: 'refunded',
      refundable: false,
      holderNameMasked: expect.stringContaining('*'),
    });
    // The payment that settled the bill is listed for the account but cannot be refunded from the console.
    const ofAccount = await (await staff('agent01')).billing.staffPayments.query({ accountNumber: post.number });
    expect(ofAccount.find((p) => p.id === second.paymentId)).toMatchObject({ status: 'paid', refundable: false });
    await expectTrpcError(sup.billing.refund.mutate({ paymentId: second.paymentId, reason: '客户要求退款' }), 'BAD_REQUEST');
    await expectTrpcError(c.billing.staffPayments.query({ accountNumber: post.number }), 'FORBIDDEN');
    // Replaying it refunds nothing more.
    expect(await env.sim.wechatpay.deliverOnce(first.outTradeNo)).toBe(204);
    expect(env.sim.wechatpay.orders.get(first.outTradeNo)!.refunds).toHaveLength(1);
  });

  it('clearing the arrears of an account disconnected for arrears creates a reconnection order at once', async () => {
    const post = await findAccount({
      paymentMode: 'postpaid',
      supplyState: 'disconnected',
      number: { $ne: (await findAccount({ paymentMode: 'postpaid', supplyState: 'disconnected' })).number },
    });
    const c = await residentFor(env, 'reconnect', post);
    const unpaid = await BillModel.find({ accountId: post._id, status: 'unpaid' }).sort({ period: 1 }).lean();
    expect(unpaid.length).toBeGreaterThanOrEqual(2);
    for (const [i, b] of unpaid.entries()) {
      const p = await c.billing.createPayment.mutate({ accountId: String(post._id), billId: String(b._id), channel: 'jsapi' });
      env.sim.wechatpay.pay(p.outTradeNo);
      await env.sim.wechatpay.settled(p.outTradeNo);
      const orders = await WorkOrderModel.find({ accountId: post._id, type: 'reconnection' }).lean();
      // Not before the last bill is paid; at once after it.
      expect(orders).toHaveLength(i === unpaid.length - 1 ? 1 : 0);
    }
    const acct = (await AccountModel.findById(post._id).lean())!;
    expect(acct.arrearsFen).toBe(0);
    const [order] = await WorkOrderModel.find({ accountId: post._id, type: 'reconnection' }).lean();
    expect(order).toMatchObject({ status: 'received', accountNumber: post.number, category: '缴费后复电' });
    expect(order.nextDeadline?.kind).toBe('reconnect');
    expect(order.timeline[0].actorRole).toBe('system');
    expect(await ReconnectRequestModel.countDocuments({ accountId: post._id, createdOrderAt: { $ne: null } })).toBe(1);
    // The staff queue sees it.
    const agent = await staff('agent01');
    const detail = await agent.workorder.get.query({ orderId: String(order._id) }).catch(() => null);
    if (detail) expect(detail.type).toBe('reconnection');
  });
});

describe('smart prepaid', () => {
  it('alerts, below-zero notice, disconnection the next day, remote reconnection on recharge', async () => {
    const pre = await findAccount({ paymentMode: 'prepaid', supplyState: 'normal', usageCategory: 'residential', balanceFen: { $gte: 1000 } });
    await AccountModel.updateOne({ _id: pre._id }, { $set: { balanceFen: 4000 } });
    await PrepaidStateModel.updateOne(
      { _id: pre._id },
      { $set: { thresholdsFen: [3000, 1000], negativeSinceDay: null, mtdPeriod: null, mtdMilliFen: 0, tierYear: null } },
    );
    const settle = (day: string, kwh: number) => settlePrepaidAccountDay(pre, day, kwh);
    const d1 = await settle('2031-03-01', 20); // ≈ 10.94 yuan
    expect(d1!.notices).toEqual([{ kind: 'threshold', thresholdFen: 3000 }]);
    expect(await settle('2031-03-01', 20)).toBeNull(); // once per day
    await settle('2031-03-02', 40); // ≈ 21.88 → below 10 yuan
    const d3 = await settle('2031-03-03', 20);
    expect(d3!.balanceFen).toBeLessThan(0);
    expect(d3!.notices.map((n) => n.kind)).toEqual(['below_zero']);
    expect((await AccountModel.findById(pre._id).lean())!.supplyState).toBe('arrears');
    const d4 = await settle('2031-03-04', 5);
    expect(d4!.notices.map((n) => n.kind)).toEqual(['disconnected']);
    const acct = (await AccountModel.findById(pre._id).lean())!;
    expect(acct.supplyState).toBe('disconnected');
    expect(await RemoteCommandModel.countDocuments({ accountId: pre._id, command: 'disconnect' })).toBe(1);
    expect((await BillingNoticeModel.find({ accountId: pre._id }).lean()).map((n) => n.kind).sort()).toEqual([
      'below_zero',
      'disconnected',
      'threshold',
      'threshold',
    ]);
    expect(await PrepaidDayModel.countDocuments({ accountId: pre._id })).toBe(4);

    const c = await residentFor(env, 'prepaid-owner', pre);
    const p = await c.billing.createPayment.mutate({ accountId: String(pre._id), amountFen: -acct.balanceFen + 5000, channel: 'jsapi' });
    env.sim.wechatpay.pay(p.outTradeNo);
    await env.sim.wechatpay.settled(p.outTradeNo);
    const after = (await AccountModel.findById(pre._id).lean())!;
    expect(after.balanceFen).toBe(5000);
    expect(after.supplyState).toBe('normal');
    expect(await RemoteCommandModel.countDocuments({ accountId: pre._id, command: 'reconnect' })).toBe(1);
    expect(await WorkOrderModel.countDocuments({ accountId: pre._id, type: 'reconnection', paymentMode: 'prepaid' })).toBe(1);
    expect((await c.billing.prepaid.query({ accountId: String(pre._id) })).supplyState).toBe('normal');

    // Staff refund of an overpayment: reason required, audited, taken back out of the balance.
    const sup = await staff('supervisor01');
    const [listed] = await sup.billing.staffPayments.query({ outTradeNo: p.outTradeNo });
    expect(listed).toMatchObject({ id: p.paymentId, purpose: 'recharge', status: 'paid', refundable: true });
    await expectTrpcError(
      (await staff('agent01')).billing.refund.mutate({ paymentId: p.paymentId, amountFen: 100, reason: '客户多充' }),
      'FORBIDDEN',
    );
    await expectTrpcError(sup.billing.refund.mutate({ paymentId: p.paymentId, amountFen: listed.amountFen + 1, reason: '客户多充' }), 'BAD_REQUEST');
    await expectTrpcError(sup.billing.refund.mutate({ paymentId: p.paymentId, amountFen: 100, reason: '' }), 'BAD_REQUEST');
    await expectTrpcError(c.billing.refund.mutate({ paymentId: p.paymentId, amountFen: 100, reason: '客户多充' }), 'FORBIDDEN');
    const r = await sup.billing.refund.mutate({ paymentId: p.paymentId, amountFen: 2000, reason: '客户多充，申请退回' });
    expect(r).toMatchObject({ status: 'refunded', refund: { amountFen: 2000, status: 'SUCCESS' }, refundable: false });
    expect((await AccountModel.findById(pre._id).lean())!.balanceFen).toBe(3000);
    expect(await AuditLogModel.countDocuments({ action: 'payment.refund', targetId: p.paymentId, reason: '客户多充，申请退回' })).toBe(1);
    await expectTrpcError(sup.billing.refund.mutate({ paymentId: p.paymentId, amountFen: 100, reason: '再退一次试试' }), 'CONFLICT');
  });
});
