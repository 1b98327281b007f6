import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Types } from 'mongoose';
import { DEMO } from '../../seed/generate';
import { AccountModel, BindingModel } from '../accounts/account.model';
import { CrewModel, UserModel } from '../auth/user.model';
import { BillModel, PaymentModel, PrepaidStateModel, UsageHistoryModel } from '../billing/billing.model';
import { settlePrepaidAccountDay } from '../billing/billing.jobs';
import { findAccount, residentFor, startPayTestEnv, type PayTestEnv } from '../billing/test-env';
import { WorkOrderModel } from '../workorders/workorder.model';
import { flushOrderOutbox } from '../workorders/workorder.service';
import { billIssuedNotice } from './billing-notices';
import { CustomerNoticeModel, enqueueNotices, resumeCustomerNotices } from './customer-notice';
import { MessageModel } from './message.model';
import { SmsOutboxModel } from './sms-provider';
import { WechatOutboxModel } from './wechat-subscribe';

let env: PayTestEnv;
type Client = ReturnType<PayTestEnv['api']['client']>;
let resident: Client;
let residentUserId: Types.ObjectId;

async function staff(username: string) {
  const r = await env.api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return env.api.client(r.accessToken);
}

beforeAll(async () => {
  env = await startPayTestEnv({ seedAccounts: 300 });
  // The demo web resident signs in with a code to their phone: their notices go to the message centre and by SMS.
  await env.api.client().auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const r = await env.api.client().auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
  resident = env.api.client(r.accessToken);
  residentUserId = (await UserModel.findOne({ phone: DEMO.residentPhone, kind: 'web' }).lean())!._id;
});
afterAll(async () => {
  await env?.stop();
});

const messagesOf = async (c: Client) => c.messages.list.query({ limit: 100 });
const kindsFor = async (c: Client, orderId: string) =>
  (await messagesOf(c))
    .filter((m) => m.orderId === orderId)
    .map((m) => m.kind)
    .reverse();

describe('work-order progress reaches the customer, once each, from the order outbox', () => {
  it('a fault report: 已受理, crew sent with name, work phone and expected arrival, arrived, fixed and a request to rate; no staff deadline or internal note in the customer view', async () => {
    const account = await AccountModel.findOne({ number: DEMO.residentAccounts[0].number }).lean();
    const smsBefore = await SmsOutboxModel.countDocuments({ phone: DEMO.residentPhone });
    const created = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: String(account!._id),
      faultKind: 'flicker',
      description: '家里灯一直闪，电压不稳',
    });
    expect(created).toMatchObject({ statusLabel: '已受理', countdown: null, progress: { statusLabel: '已受理', crew: null, expected: null } });
    let msgs = await messagesOf(resident);
    const accepted = msgs.find((m) => m.orderId === created.id)!;
    expect(accepted).toMatchObject({ kind: 'order.accepted', title: '报修已受理', link: `/home/orders/${created.id}`, read: false });
    expect(accepted.body).toContain(created.orderNo);

    // The dispatcher sends a crew with a note for the crew only.
    const dispatcher = await staff('dispatcher01');
    const crew = await CrewModel.findOne({ regionId: account!.regionId }).sort({ name: 1 }).lean();
    expect(crew!.workPhone).toMatch(/^0731-\d{8}$/);
    const staffView = await dispatcher.workorder.dispatch.mutate({
      orderId: created.id,
      crewId: String(crew!._id),
      notes: '从北门进小区，注意看门狗',
    });
    expect(staffView.countdown!.kind).toBe('arrival');
    expect(staffView.timeline.find((t) => t.action === 'dispatch')!.note).toContain('北门');

    const mine = await resident.workorder.get.query({ orderId: created.id });
    expect(JSON.stringify(mine)).not.toContain('北门');
    expect(mine.countdown).toBeNull();
    expect(mine.statusLabel).toBe('抢修人员已出发');
    expect(mine.progress).toMatchObject({
      statusLabel: '抢修人员已出发',
      crew: { name: crew!.name, phone: crew!.workPhone },
      expected: { label: '预计到达现场', late: false },
    });
    expect(Date.parse(mine.progress!.expected!.at)).toBe(Date.parse(staffView.countdown!.dueAt));
    expect(mine.timeline.find((t) => t.action === 'dispatch')).toMatchObject({ actionLabel: '已安排抢修班组', note: `由${crew!.name}负责抢修` });
    expect(mine.timeline.every((t) => t.visibility === 'customer' && !/时限|督办/.test(t.actionLabel))).toBe(true);
    const list = await resident.workorder.mine.query({});
    expect(list.find((o) => o.id === created.id)).toMatchObject({
      statusLabel: '抢修人员已出发',
      countdown: null,
      progress: { crew: { name: crew!.name } },
    });

    msgs = await messagesOf(resident);
    const dispatched = msgs.find((m) => m.orderId === created.id && m.kind === 'order.dispatched')!;
    expect(dispatched.body).toContain(crew!.name);
    expect(dispatched.body).toContain(crew!.workPhone!);
    expect(dispatched.body).toMatch(/预计\d{2}月\d{2}日\d{2}:\d{2}前到达现场/);
    expect(dispatched.body).not.toContain('北门');

    // The crew: accepted (no notice of its own), an internal note (none), arrived, resolved.
    const crewUser = await UserModel.create({
      kind: 'staff',
      identityKey: `pw:notice-crew`,
      roles: ['crew'],
      displayName: '周师傅',
      username: 'notice-crew',
      passwordHash: (await UserModel.findOne({ username: 'crew01' }).lean())!.passwordHash,
      crewId: crew!._id,
    });
    await CrewModel.updateOne({ _id: crew!._id }, { $addToSet: { memberIds: crewUser._id } });
    const field = await staff('notice-crew');
    await field.workorder.accept.mutate({ orderId: created.id });
    await field.workorder.reply.mutate({ orderId: created.id, notes: '需带绝缘梯', visibility: 'internal' });
    await field.workorder.arrive.mutate({ orderId: created.id });
    expect((await resident.workorder.get.query({ orderId: created.id })).progress).toMatchObject({
      statusLabel: '已到达现场',
      expected: { label: '预计修复' },
    });
    await field.workorder.resolve.mutate({ orderId: created.id, notes: '更换老化的进户线接头' });
    const fixed = await resident.workorder.get.query({ orderId: created.id });
    expect(fixed).toMatchObject({ statusLabel: '已修复', countdown: null, progress: { expected: null } });
    expect(fixed.actions).toContain('visit');

    expect(await kindsFor(resident, created.id)).toEqual([
      'order.accepted',
      'order.dispatched',
      'order.arrived',
      'order.resolved',
      'order.rate_request',
    ]);
    msgs = await messagesOf(resident);
    expect(msgs.find((m) => m.orderId === created.id && m.kind === 'order.resolved')!.body).toContain('更换老化的进户线接头');
    expect(JSON.stringify(msgs)).not.toContain('需带绝缘梯');

    // A web resident has no openid: each notice went by SMS too, without digit runs a code reader could take for a code.
    const sms = await SmsOutboxModel.find({ phone: DEMO.residentPhone }).sort({ createdAt: 1 }).skip(smsBefore).lean();
    expect(sms.map((s) => s.template)).toEqual([
      'notice.order.accepted',
      'notice.order.dispatched',
      'notice.order.arrived',
      'notice.order.resolved',
      'notice.order.rate_request',
    ]);
    for (const s of sms) expect(s.text).not.toMatch(/\d{6}/);

    // The sweep's republish of an effect already handled (a crash before the outbox was cleared) tells nobody twice.
    const dispatchEffect = {
      key: `${created.id}:workorder.dispatch:1`,
      type: 'workorder.dispatch',
      at: new Date(),
      payload: { orderId: created.id },
    };
    await WorkOrderModel.updateOne({ _id: created.id }, { $push: { outbox: dispatchEffect } });
    const stale = await WorkOrderModel.find({ _id: created.id }, { _id: 1, regionId: 1, outbox: 1 }).lean();
    await flushOrderOutbox(stale as never);
    expect(await kindsFor(resident, created.id)).toHaveLength(5);
    expect(await SmsOutboxModel.countDocuments({ phone: DEMO.residentPhone })).toBe(smsBefore + 5);
  });

  it('a consultation by a WeChat user: 已受理 when an agent takes it, 已答复 for a customer-visible reply (WeChat subscribe message, no SMS); internal notes say nothing', async () => {
    const account = await findAccount({ paymentMode: 'postpaid', supplyState: 'normal', number: { $regex: '^32' } });
    const wx = await residentFor(env, 'notice-desk', account);
    const me = await wx.auth.me.query();
    const u = await UserModel.findById(me.id).lean();
    const o = await wx.workorder.create.mutate({
      type: 'consultation',
      category: '电费电价',
      description: '峰谷电价怎么申请？',
      accountId: String(account._id),
    });
    expect(o.statusLabel).toBe('已提交');
    expect(await kindsFor(wx, o.id)).toEqual([]);
    const agent = await staff('agent01');
    await agent.workorder.claim.mutate({ orderId: o.id });
    await agent.workorder.reply.mutate({ orderId: o.id, notes: '内部：需确认表计类型', visibility: 'internal' });
    await agent.workorder.reply.mutate({ orderId: o.id, notes: '您可在营业厅或线上申请峰谷分时电价，次月生效。', visibility: 'customer' });
    expect(await kindsFor(wx, o.id)).toEqual(['order.accepted', 'order.answered']);
    const answered = (await messagesOf(wx)).find((m) => m.kind === 'order.answered')!;
    expect(answered.body).toContain('峰谷分时电价');
    expect(JSON.stringify(await messagesOf(wx))).not.toContain('需确认表计类型');
    const view = await wx.workorder.get.query({ orderId: o.id });
    expect(view).toMatchObject({ statusLabel: '已答复', countdown: null });
    expect(JSON.stringify(view)).not.toContain('需确认表计类型');
    const sent = await WechatOutboxModel.find({ openid: u!.openid }).lean();
    expect(sent.map((s) => s.templateId)).toEqual(['dev-order-progress', 'dev-order-progress']);
    expect(sent[0].page).toBe(`pkg-service/order/index?id=${o.id}`);
    expect(await MessageModel.countDocuments({ userId: u!._id, sms: { $ne: 'none' } })).toBe(0);
  });
});

describe('payments, reconnection and smart-prepaid notices', () => {
  it('paying off an account disconnected for arrears: 缴费成功 per bill, 复电中 with the promised time in customer words, then 已恢复供电 and normal supply when staff resolve the 复电 order', async () => {
    const post = await findAccount({ paymentMode: 'postpaid', supplyState: 'disconnected' });
    const c = await residentFor(env, 'notice-reconnect', post);
    const unpaid = await BillModel.find({ accountId: post._id, status: 'unpaid' }).sort({ period: 1 }).lean();
    for (const b of unpaid) {
      const p = await c.billing.createPayment.mutate({ accountId: String(post._id), billId: String(b._id), channel: 'jsapi' });
      env.sim.wechatpay.pay(p.outTradeNo);
      await env.sim.wechatpay.settled(p.outTradeNo);
    }
    const msgs = await messagesOf(c);
    expect(msgs.filter((m) => m.kind === 'payment.settled')).toHaveLength(unpaid.length);
    expect(msgs.find((m) => m.kind === 'payment.settled')!.body).toMatch(/电费\d+\.\d{2}元.*已缴纳成功/);
    const started = msgs.find((m) => m.kind === 'reconnect.started')!;
    expect(started.title).toBe('正在为您复电');
    expect(started.body).toMatch(/预计\d{2}月\d{2}日\d{2}:\d{2}前恢复供电/);
    expect(started.body).not.toMatch(/PW\d/);
    expect(started.link).toBe(`/home/accounts/${post._id}`);

    // 我的工单: the system-made order in customer words, with the promised time; no payment number, no staff deadline.
    const [order] = (await c.workorder.mine.query({})).filter((o) => o.type === 'reconnection');
    expect(order).toMatchObject({ statusLabel: '复电中', countdown: null, progress: { expected: { label: '预计恢复供电' } } });
    expect(order.descriptionPreview).toContain('欠费已结清');
    const detail = await c.workorder.get.query({ orderId: order.id });
    expect(JSON.stringify(detail)).not.toMatch(/PW\d{6}/);
    expect(detail.timeline[0]).toMatchObject({ actionLabel: '申请复电' });
    // Staff still see the payment number.
    const agent = await staff('agent01');
    expect((await agent.workorder.get.query({ orderId: order.id })).description).toMatch(/PW\d+/);
    expect((await AccountModel.findById(post._id).lean())!.supplyState).toBe('disconnected');

    await agent.workorder.claim.mutate({ orderId: order.id });
    await agent.workorder.resolve.mutate({ orderId: order.id, notes: '营业厅已远程合闸，现场确认恢复供电' });
    expect((await AccountModel.findById(post._id).lean())!.supplyState).toBe('normal');
    expect((await c.account.get.query({ accountId: String(post._id) })).supplyState).toBe('normal');
    const done = (await messagesOf(c)).find((m) => m.kind === 'reconnect.done')!;
    expect(done).toMatchObject({ title: '已恢复供电', link: `/home/accounts/${post._id}` });
    expect((await c.workorder.get.query({ orderId: order.id })).statusLabel).toBe('已复电');
    expect(
      (await messagesOf(c))
        .filter((m) => m.kind.startsWith('reconnect.'))
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['reconnect.done', 'reconnect.started']);
  });

  it('smart prepaid: below each threshold the customer picked, below zero, disconnected, then 充值成功 and 已为您远程复电; a refund is told to the payer; each once', async () => {
    const pre = await findAccount({ paymentMode: 'prepaid', supplyState: 'normal', usageCategory: 'residential', balanceFen: { $gte: 1000 } });
    await AccountModel.updateOne({ _id: pre._id }, { $set: { balanceFen: 6000 } });
    await PrepaidStateModel.updateOne(
      { _id: pre._id },
      { $set: { thresholdsFen: [5000, 1000], negativeSinceDay: null, mtdPeriod: null, mtdMilliFen: 0, tierYear: null } },
    );
    const c = await residentFor(env, 'notice-prepaid', pre);
    const settle = (day: string, kwh: number) => settlePrepaidAccountDay(pre, day, kwh);
    await settle('2031-05-01', 20); // ≈ 10.94 yuan: below 50
    await settle('2031-05-01', 20); // the same day again: nothing
    await settle('2031-05-02', 80); // ≈ 43.75 yuan: below 10
    await settle('2031-05-03', 20); // below zero
    await settle('2031-05-04', 5); // still negative: disconnected
    let msgs = (await messagesOf(c)).reverse();
    expect(msgs.map((m) => m.kind)).toEqual(['account.threshold', 'account.threshold', 'account.below_zero', 'account.disconnected']);
    expect(msgs[0].body).toContain('低于50元');
    expect(msgs[1].body).toContain('低于10元');
    expect(msgs.every((m) => m.link === `/home/accounts/${pre._id}` && m.accountNumbers[0] === pre.number)).toBe(true);

    const acct = (await AccountModel.findById(pre._id).lean())!;
    const p = await c.billing.createPayment.mutate({ accountId: String(pre._id), amountFen: -acct.balanceFen + 5000, channel: 'jsapi' });
    env.sim.wechatpay.pay(p.outTradeNo);
    await env.sim.wechatpay.settled(p.outTradeNo);
    msgs = (await messagesOf(c)).reverse();
    expect(
      msgs
        .slice(4)
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['account.reconnected', 'payment.settled']);
    const reconnected = msgs.find((m) => m.kind === 'account.reconnected')!;
    expect(reconnected.body).not.toMatch(/PW\d/);
    expect(msgs.find((m) => m.kind === 'payment.settled')!.body).toContain('当前余额50.00元');

    const sup = await staff('supervisor01');
    await sup.billing.refund.mutate({ paymentId: p.paymentId, amountFen: 1000, reason: '客户多充，申请退回' });
    const refund = (await messagesOf(c)).find((m) => m.kind === 'payment.refunded')!;
    expect(refund.body).toContain('已退款10.00元');
    expect(refund.body).toContain('客户多充，申请退回');
    // Each once, however often the senders ran.
    expect(await CustomerNoticeModel.countDocuments({ accountId: pre._id, status: 'pending' })).toBe(0);
    expect((await messagesOf(c)).length).toBe(7);
  });

  it('a bill issued is told to everyone bound to the account, once', async () => {
    const post = await findAccount({
      paymentMode: 'postpaid',
      supplyState: 'normal',
      number: { $regex: '^32' },
      _id: { $nin: (await BindingModel.distinct('accountId')) as never },
    });
    const a = await residentFor(env, 'notice-bill-a', post);
    const b = await residentFor(env, 'notice-bill-b');
    const bu = await UserModel.findById((await b.auth.me.query()).id).lean();
    await BindingModel.create({ userId: bu!._id, accountId: post._id, relation: 'family', verifiedBy: 'holder_name', level: 'follow' });
    const bill = (await BillModel.findOne({ accountId: post._id }).sort({ period: -1 }).lean())!;
    await billIssuedNotice(bill);
    await billIssuedNotice(bill);
    for (const c of [a, b]) {
      const issued = (await messagesOf(c)).filter((m) => m.kind === 'bill.issued');
      expect(issued).toHaveLength(1);
      expect(issued[0].body).toContain(`请于${bill.dueDay}前缴纳`);
    }
  });

  it('a notice its writer left pending is delivered by the resume, once', async () => {
    await enqueueNotices([
      {
        key: 'test:left-pending',
        kind: 'order.accepted',
        title: '报修已受理',
        body: '测试：未送达的通知',
        templateId: 'dev-order-progress',
        wechatData: {},
        audience: { userIds: [residentUserId], topic: 'service' },
        at: new Date(Date.now() - 60_000),
      },
    ]);
    expect(await resumeCustomerNotices(30_000)).toBe(1);
    expect(await resumeCustomerNotices(30_000)).toBe(0);
    expect((await messagesOf(resident)).filter((m) => m.body === '测试：未送达的通知')).toHaveLength(1);
  });
});

describe('what the bill and payment screens explain', () => {
  it('an overdue bill carries how its late fee was computed; every bill payment names its 账期, seeded history included', async () => {
    // An account with an overdue bill nobody has touched in this file.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const bound = (await BindingModel.distinct('accountId')).map(String);
    const overdue = await BillModel.find({ status: 'unpaid', dueDay: { $lt: today } }, { accountId: 1 }).lean();
    const accountId = overdue.map((b) => String(b.accountId)).find((id) => !bound.includes(id))!;
    const post = (await AccountModel.findById(accountId).lean())!;
    const c = await residentFor(env, 'notice-latefee', post as never);
    const unpaid = (await c.billing.bills.query({ accountId: String(post._id), status: 'unpaid' })).filter((b) => b.lateFeeFen > 0);
    expect(unpaid.length).toBeGreaterThan(0);
    for (const b of unpaid) {
      const basis = b.lateFeeBasis!;
      expect(basis).toMatchObject({ baseFen: b.amountFen, perMillePerDay: 1 });
      expect(basis.fromDay > b.dueDay).toBe(true);
      expect(b.lateFeeFen).toBe(Math.floor((2 * b.amountFen * basis.days + 1000) / 2000));
      expect(b.totalDueFen).toBe(b.amountFen + b.lateFeeFen);
    }
    const p = await c.billing.createPayment.mutate({ accountId: String(post._id), billId: unpaid[0].id, channel: 'jsapi' });
    env.sim.wechatpay.pay(p.outTradeNo);
    await env.sim.wechatpay.settled(p.outTradeNo);
    const rows = await c.billing.payments.query({ accountId: String(post._id) });
    expect(rows.find((r) => r.id === p.paymentId)!.period).toBe(unpaid[0].period);
    // A month settled before live billing (history only, no bill document, as the seed imports them) still shows its period.
    const home = await AccountModel.findOne({ number: DEMO.residentAccounts[0].number }).lean();
    const month = (await UsageHistoryModel.findById(home!._id).lean())!.months[0];
    month.paidAt = new Date(Date.parse(`${month.period}-25T10:00:00+08:00`));
    await UsageHistoryModel.updateOne({ _id: home!._id, 'months.period': month.period }, { $set: { 'months.$.paidAt': month.paidAt } });
    const old = await PaymentModel.create({
      outTradeNo: `PHTEST${home!.number}`,
      purpose: 'bill',
      accountId: home!._id,
      accountNumber: home!.number,
      billId: null,
      billAmountFen: month.amountFen!,
      amountFen: month.amountFen!,
      channel: 'jsapi',
      appid: 'wx-test',
      mchid: 'mch-test',
      userId: residentUserId,
      status: 'paid',
      expiresAt: month.paidAt!,
      paidAt: month.paidAt!,
      creditedAt: month.paidAt!,
    });
    const history = await resident.billing.payments.query({ accountId: String(home!._id) });
    expect(history.find((r) => r.id === String(old._id))!.period).toBe(month.period);
  });
});

describe('outage lookup and notices', () => {
  it("停电查询 lists every upcoming outage of the customer's areas (a planned one 8 days out too), and its notice links to it", async () => {
    const account = await AccountModel.findOne({ number: DEMO.residentAccounts[1].number }).lean();
    await resident.outage.subscribe.mutate({ accountId: String(account!._id) });
    const dispatcher = await staff('dispatcher01');
    const start = new Date(Date.now() + 8 * 86_400_000);
    const { outage } = await dispatcher.outage.publish.mutate({
      kind: 'planned',
      scope: { feederIds: [], transformerAreaIds: [String(account!.transformerAreaId)] },
      startAt: start,
      etr: new Date(start.getTime() + 4 * 3600_000),
      reason: '10kV线路检修',
    });
    const mine = await resident.outage.mine.query();
    expect(mine.find((a) => a.number === account!.number)!.outages.map((o) => o.id)).toContain(outage.id);
    expect((await env.api.client().outage.byAccountNumber.query({ number: account!.number })).outages.map((o) => o.id)).toContain(outage.id);
    expect((await env.api.client().outage.list.query({ transformerAreaId: String(account!.transformerAreaId) })).items.map((o) => o.id)).toContain(
      outage.id,
    );
    const notice = (await messagesOf(resident)).find((m) => m.outageId === outage.id)!;
    expect(notice).toMatchObject({ kind: 'outage.published', link: `/outages/${outage.id}` });
    expect((await env.api.client().outage.get.query({ outageId: outage.id })).phase).toBe('upcoming');
  });
});
