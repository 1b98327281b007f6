import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { reopenLatestBills } from '../../seed/enterprise.seed';
import { expectTrpcError } from '../../testing/harness';
import { type Account, AccountModel, EnterpriseModel } from '../accounts/account.model';
import { identityKey, UserModel } from '../auth/user.model';
import { CustomerNoticeModel } from '../notify/customer-notice';
import { BillModel, PaymentModel, ReconnectRequestModel } from './billing.model';
import { reconcilePayments, settleTransaction } from './payment.service';
import { shanghaiDay } from './tariff.rules';
import { postNotify, startPayTestEnv, type PayTestEnv } from './test-env';
import { wechatPayFor } from './wechatpay.client';

let env: PayTestEnv;
let entId: Types.ObjectId;

type Client = ReturnType<PayTestEnv['api']['client']>;
async function login(username: string): Promise<Client> {
  const r = await env.api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return env.api.client(r.accessToken);
}

/** Unpaid bills of the demo enterprise not held by any order: `perAccount` from each of `accounts` accounts. */
async function freeBills(accounts: number, perAccount = 1, extra: Record<string, unknown> = {}) {
  const bills = await BillModel.find({ status: 'unpaid', openPaymentId: null, accountNumber: { $regex: '^339' }, ...extra })
    .sort({ accountNumber: 1, period: 1 })
    .lean();
  const byAccount = new Map<string, typeof bills>();
  for (const b of bills) byAccount.set(String(b.accountId), [...(byAccount.get(String(b.accountId)) ?? []), b]);
  const picked = [...byAccount.values()].filter((l) => l.length >= perAccount).slice(0, accounts);
  if (picked.length < accounts) throw new Error(`only ${picked.length} accounts with ${perAccount} free bills`);
  return picked.flatMap((l) => l.slice(0, perAccount));
}

const used = new Set<string>();
/** Free bills not used by an earlier test in this file. */
async function take(accounts: number, perAccount = 1, extra: Record<string, unknown> = {}) {
  const out = await freeBills(accounts, perAccount, { ...extra, accountId: { $nin: [...used].map((id) => new Types.ObjectId(id)) } });
  for (const b of out) used.add(String(b.accountId));
  return out;
}

beforeAll(async () => {
  env = await startPayTestEnv({ seedAccounts: 300 });
  entId = (await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean())!._id;
  // The demo's open latest bills on most normal postpaid sites (the billing seed alone leaves them paid).
  const normal = await AccountModel.find({ enterpriseId: entId, paymentMode: 'postpaid', supplyState: 'normal' }, { _id: 1 }).lean();
  await reopenLatestBills(normal.map((a) => a._id));
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

async function arrearsOf(ids: Types.ObjectId[]) {
  const list = await AccountModel.find({ _id: { $in: ids } }, { arrearsFen: 1 }).lean();
  return new Map(list.map((a) => [String(a._id), a.arrearsFen]));
}

describe('合并缴费: one Native order for many bills', () => {
  it('settles every bill once under 50 concurrent duplicate notifications and a replayed query', async () => {
    const finance = await login('ent_finance');
    // Two bills from an account in arrears (overdue: late fees) and one bill from each of eight others.
    const overdue = await take(1, 2, { dueDay: { $lt: shanghaiDay(new Date()) } });
    const bills = [...overdue, ...(await take(8))];
    const accountIds = [...new Set(bills.map((b) => String(b.accountId)))].map((id) => new Types.ObjectId(id));
    const before = await arrearsOf(accountIds);
    const p = await finance.billing.createBatchPayment.mutate({ billIds: bills.map((b) => String(b._id)) });
    expect(p.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(p.billCount).toBe(bills.length);
    const view = await finance.billing.batchPayment.query({ paymentId: p.paymentId });
    expect(view.lines).toHaveLength(bills.length);
    expect(view.amountFen).toBe(view.lines.reduce((s, l) => s + l.billFen + l.lateFeeFen, 0));
    expect(p.amountFen).toBe(view.amountFen);
    // Each overdue bill carries its own late fee to the day, fixed now.
    for (const b of overdue) expect(view.lines.find((l) => l.billId === String(b._id))!.lateFeeFen).toBeGreaterThan(0);
    expect(view.lateFeeFen).toBe(view.lines.reduce((s, l) => s + l.lateFeeFen, 0));
    // Every bill is held by this order.
    for (const b of await BillModel.find({ _id: { $in: bills.map((x) => x._id) } }).lean()) expect(String(b.openPaymentId)).toBe(p.paymentId);

    const order = env.sim.wechatpay.pay(p.outTradeNo, { notify: false });
    const n = env.sim.wechatpay.buildNotification(order);
    const replies = await Promise.all(Array.from({ length: 50 }, () => postNotify(env, n.headers, n.body)));
    expect(replies.every((r) => r.status === 200 || r.status === 204)).toBe(true);

    const check = async () => {
      const after = await arrearsOf(accountIds);
      for (const id of accountIds) {
        const mine = view.lines.filter((l) => l.accountId === String(id)).reduce((s, l) => s + l.billFen, 0);
        expect(after.get(String(id))).toBe(before.get(String(id))! - mine);
      }
      for (const b of await BillModel.find({ _id: { $in: bills.map((x) => x._id) } }).lean()) {
        expect(b).toMatchObject({ status: 'paid', openPaymentId: null });
        expect(String(b.paidByPaymentId)).toBe(p.paymentId);
        expect(b.lateFeePaidFen).toBe(view.lines.find((l) => l.billId === String(b._id))!.lateFeeFen);
      }
      const paid = (await PaymentModel.findById(p.paymentId).lean())!;
      expect(paid).toMatchObject({ status: 'paid', creditResult: 'batch_paid', refund: null });
      expect(paid.lines!.every((l) => l.outcome === 'settled')).toBe(true);
      // Each account carries one key per bill of this payment, once.
      for (const id of accountIds) {
        const raw = (await AccountModel.collection.findOne({ _id: id })) as { billingApplied?: string[] } | null;
        const keys = (raw?.billingApplied ?? []).filter((k) => k.startsWith(`pay:${p.paymentId}:`));
        expect(keys).toHaveLength(view.lines.filter((l) => l.accountId === String(id)).length);
      }
    };
    await check();
    // The query path replays the same transaction: nothing moves.
    const q = await wechatPayFor(env.api.cfg).queryByOutTradeNo(p.outTradeNo);
    expect(q.data?.trade_state).toBe('SUCCESS');
    expect(await settleTransaction(env.api.cfg, q.data!, 'query')).toBe('duplicate');
    await reconcilePayments(env.api.cfg, { queryAfterMs: 0 });
    await check();
    // Told once: the payer and the enterprise's unscoped admin and finance.
    const notices = await CustomerNoticeModel.find({ key: `payment:${p.paymentId}:settled` }).lean();
    expect(notices).toHaveLength(1);
    expect(notices[0].title).toBe('合并缴费成功');

    // One receipt for the whole payment.
    const link = await finance.billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'receipt' });
    const res = await fetch(`${env.api.url}${link.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  });

  it('arrears and supply state per account as the single path: arrears cleared → normal; disconnected → one reconnection', async () => {
    const finance = await login('ent_finance');
    const pickAccount = async (state: 'arrears' | 'disconnected') => {
      const a = await AccountModel.findOne({
        enterpriseId: entId,
        supplyState: state,
        paymentMode: 'postpaid',
        arrearsFen: { $gt: 0 },
        _id: { $nin: [...used].map((id) => new Types.ObjectId(id)) },
      }).lean();
      if (!a) throw new Error(`no ${state} account`);
      used.add(String(a._id));
      return a as unknown as Account;
    };
    const [inArrears, cut] = [await pickAccount('arrears'), await pickAccount('disconnected')];
    const bills = await BillModel.find({ accountId: { $in: [inArrears._id, cut._id] }, status: 'unpaid' }).lean();
    const p = await finance.billing.createBatchPayment.mutate({ billIds: bills.map((b) => String(b._id)) });
    const order = env.sim.wechatpay.pay(p.outTradeNo, { notify: false });
    const n = env.sim.wechatpay.buildNotification(order);
    await Promise.all(Array.from({ length: 5 }, () => postNotify(env, n.headers, n.body)));
    const [a1, a2] = await Promise.all([AccountModel.findById(inArrears._id).lean(), AccountModel.findById(cut._id).lean()]);
    expect(a1).toMatchObject({ arrearsFen: 0, supplyState: 'normal' });
    expect(a2!.arrearsFen).toBe(0);
    const requests = await ReconnectRequestModel.find({ accountId: cut._id }).lean();
    expect(requests).toHaveLength(1);
    expect(requests[0]._id).toMatch(new RegExp(`^pay:${p.paymentId}:`));
    expect(requests[0].createdOrderAt).toBeTruthy();
  });

  it('a bill paid elsewhere meanwhile is refunded for its part, and shown so', async () => {
    const finance = await login('ent_finance');
    const bills = await take(3);
    const p = await finance.billing.createBatchPayment.mutate({ billIds: bills.map((b) => String(b._id)) });
    // Paid by another payment while the QR code was open (e.g. at a counter): the bill no longer waits for us.
    const other = new Types.ObjectId();
    await BillModel.updateOne({ _id: bills[1]._id }, { $set: { status: 'paid', paidAt: new Date(), paidByPaymentId: other, openPaymentId: null } });
    await AccountModel.updateOne({ _id: bills[1].accountId }, { $inc: { arrearsFen: -bills[1].amountFen } });
    const arrearsBefore = await arrearsOf([bills[1].accountId]);

    const order = env.sim.wechatpay.pay(p.outTradeNo, { notify: false });
    const n = env.sim.wechatpay.buildNotification(order);
    const replies = await Promise.all(Array.from({ length: 10 }, () => postNotify(env, n.headers, n.body)));
    expect(replies.every((r) => r.status === 200 || r.status === 204)).toBe(true);

    const view = await finance.billing.batchPayment.query({ paymentId: p.paymentId });
    const refundedLine = view.lines.find((l) => l.billId === String(bills[1]._id))!;
    expect(refundedLine.outcome).toBe('refunded');
    expect(view.lines.filter((l) => l.outcome === 'settled')).toHaveLength(2);
    expect(view.refundedFen).toBe(refundedLine.totalFen);
    expect(view.refund).toMatchObject({ amountFen: refundedLine.totalFen, status: 'SUCCESS' });
    expect(view.status).toBe('paid');
    // The other bill stays paid by the other payment; its account is not credited twice.
    expect(String((await BillModel.findById(bills[1]._id).lean())!.paidByPaymentId)).toBe(String(other));
    expect((await arrearsOf([bills[1].accountId])).get(String(bills[1].accountId))).toBe(arrearsBefore.get(String(bills[1].accountId)));
    // Refunded at WeChat once, for that part only.
    const o = env.sim.wechatpay.orders.get(p.outTradeNo)!;
    expect(o.refunds).toHaveLength(1);
    expect(o.refunds[0].amount.refund).toBe(refundedLine.totalFen);
    const paid = (await PaymentModel.findById(p.paymentId).lean())!;
    expect(paid.creditResult).toBe('batch_partial_refund');
    expect(paid.flags.map((f) => f.kind)).toContain('batch_partial_refund');
    // Re-running settles nothing more and refunds nothing more.
    await reconcilePayments(env.api.cfg, { queryAfterMs: 0 });
    expect(env.sim.wechatpay.orders.get(p.outTradeNo)!.refunds).toHaveLength(1);
    // Staff cannot refund the settled rest by hand.
    const sup = await login('supervisor01');
    await expectTrpcError(sup.billing.refund.mutate({ paymentId: p.paymentId, reason: '测试人工退款' }), 'CONFLICT');
  });

  it('a bill cannot sit in two open batches: of concurrent creations one wins, later ones and single payments are refused', async () => {
    const [finance, admin] = await Promise.all([login('ent_finance'), login('ent_admin')]);
    const bills = await take(4);
    const ids = bills.map((b) => String(b._id));
    // Overlapping selections clicked at once by two people, several times each.
    const attempts = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => finance.billing.createBatchPayment.mutate({ billIds: ids })),
      ...Array.from({ length: 4 }, () => admin.billing.createBatchPayment.mutate({ billIds: ids.slice(1) })),
    ]);
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ paymentId: string }>).value.paymentId;
    for (const a of attempts.filter((x) => x.status === 'rejected')) expect(String((a as PromiseRejectedResult).reason)).toMatch(/支付|合并缴费/);
    const held = await BillModel.find({ _id: { $in: bills.map((b) => b._id) }, openPaymentId: { $ne: null } }).lean();
    expect(new Set(held.map((b) => String(b.openPaymentId)))).toEqual(new Set([winner]));
    // Only the winner's order is open; losers left nothing claimed.
    expect(
      await PaymentModel.countDocuments({
        purpose: 'batch',
        status: { $in: ['created', 'paying'] },
        'lines.billId': { $in: bills.map((b) => b._id) },
      }),
    ).toBe(1);
    // Later: another batch with one of these bills, and a single payment of one, are refused.
    await expectTrpcError(finance.billing.createBatchPayment.mutate({ billIds: [ids[2], String((await take(1))[0]._id)] }), 'CONFLICT');
    await expectTrpcError(
      finance.billing.createPayment.mutate({ accountId: String(bills[2].accountId), billId: ids[2], channel: 'native' }),
      'CONFLICT',
    );
  });

  it('close at expiry releases every claim; the bills can be paid again', async () => {
    const finance = await login('ent_finance');
    const bills = await take(3);
    const ids = bills.map((b) => String(b._id));
    const p = await finance.billing.createBatchPayment.mutate({ billIds: ids });
    const later = new Date(Date.now() + 31 * 60_000);
    await reconcilePayments(env.api.cfg, { now: later, queryAfterMs: 0 });
    expect((await PaymentModel.findById(p.paymentId).lean())!.status).toBe('closed');
    expect(await BillModel.countDocuments({ _id: { $in: bills.map((b) => b._id) }, openPaymentId: null, status: 'unpaid' })).toBe(3);
    const again = await finance.billing.createBatchPayment.mutate({ billIds: ids });
    expect(again.paymentId).not.toBe(p.paymentId);
  });

  it('refuses over 100 bills, other enterprises’ bills, bills outside the site scope, and the electrician', async () => {
    const finance = await login('ent_finance');
    const tooMany = Array.from({ length: 101 }, () => String(new Types.ObjectId()));
    await expectTrpcError(finance.billing.createBatchPayment.mutate({ billIds: tooMany }), 'BAD_REQUEST');
    const foreign = await BillModel.findOne({ status: 'unpaid', accountNumber: { $regex: '^32' } }).lean();
    const mine = await take(1);
    await expectTrpcError(finance.billing.createBatchPayment.mutate({ billIds: [String(mine[0]._id), String(foreign!._id)] }), 'NOT_FOUND');
    const otherEnt = await EnterpriseModel.findOne({ name: DEMO.otherEnterpriseName }).lean();
    const otherAcc = await AccountModel.find({ enterpriseId: otherEnt!._id }, { _id: 1 }).lean();
    await reopenLatestBills(otherAcc.map((a) => a._id));
    const otherBill = await BillModel.findOne({ status: 'unpaid', accountId: { $in: otherAcc.map((a) => a._id) } }).lean();
    await expectTrpcError(finance.billing.createBatchPayment.mutate({ billIds: [String(otherBill!._id)] }), 'NOT_FOUND');
    // Nothing was claimed by the refused attempts.
    expect((await BillModel.findById(mine[0]._id).lean())!.openPaymentId).toBeNull();

    // A finance user limited to one site reaches that site's bills only.
    const [inScope, outScope] = await take(2);
    const model = (await UserModel.findOne({ username: 'ent_finance' }).lean())!;
    await UserModel.create({
      kind: 'enterprise',
      identityKey: identityKey.password('ent_scoped_fin'),
      roles: ['enterprise_finance'],
      displayName: '范出纳',
      username: 'ent_scoped_fin',
      passwordHash: model.passwordHash,
      enterpriseId: entId,
      siteAccountIds: [inScope.accountId],
    });
    const scoped = await login('ent_scoped_fin');
    const list = await scoped.billing.batchBills.query({});
    expect(list.rows.every((r) => r.accountId === String(inScope.accountId))).toBe(true);
    await expectTrpcError(scoped.billing.createBatchPayment.mutate({ billIds: [String(inScope._id), String(outScope._id)] }), 'NOT_FOUND');
    const ok = await scoped.billing.createBatchPayment.mutate({ billIds: [String(inScope._id)] });
    // An unscoped colleague's batch over other sites is not visible to the scoped user.
    const wide = await finance.billing.createBatchPayment.mutate({ billIds: [String(outScope._id)] });
    await expectTrpcError(scoped.billing.batchPayment.query({ paymentId: wide.paymentId }), 'NOT_FOUND');
    expect((await scoped.billing.batchPayment.query({ paymentId: ok.paymentId })).lines).toHaveLength(1);

    const elec = await login('ent_elec');
    await expectTrpcError(elec.billing.createBatchPayment.mutate({ billIds: [String(inScope._id)] }), 'FORBIDDEN');
    await expectTrpcError(elec.billing.batchBills.query({}), 'FORBIDDEN');
  });

  it('lists the unpaid bills to choose from with late fees to date, within scope', async () => {
    const finance = await login('ent_finance');
    const list = await finance.billing.batchBills.query({});
    expect(list.max).toBe(100);
    expect(list.total).toBeGreaterThan(50);
    expect(list.rows.every((r) => r.accountNumber.startsWith('33'))).toBe(true);
    expect(list.rows.some((r) => r.lateFeeFen > 0)).toBe(true);
    for (const r of list.rows.slice(0, 20)) expect(r.totalDueFen).toBe(r.billFen + r.lateFeeFen);
    const search = await finance.billing.batchBills.query({ search: '仓库' });
    expect(search.rows.length).toBeGreaterThan(0);
    expect(search.rows.every((r) => r.siteName.includes('仓库'))).toBe(true);
  });
});
