import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { expectTrpcError, simLoginCode, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { AccountModel, BindingModel, CustomerModel, type Account } from '../accounts/account.model';
import { AuditLogModel } from '../audit/audit.model';
import { CrewModel, identityKey, UserModel } from '../auth/user.model';
import { hashPassword } from '../auth/password';
import { GridNodeModel } from '../grid/grid.model';
import { OutageProposalModel } from '../outages/outage.model';
import { signSms, SmsOutboxModel } from '../notify/sms-provider';
import { WorkOrderModel } from './workorder.model';

/**
 * Intake answers (re-sent creates, arrears), the crew's cards, screen-pop by customer and agents with load:
 * each against the real database through the API.
 */
let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let agent: Client;
let dispatcher: Client;
let supervisor: Client;
let seq = 0;

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}

type Area = { _id: Types.ObjectId; name: string; feederId: Types.ObjectId; regionId: Types.ObjectId; areaType: 'urban' | 'rural' | 'remote' };
let areas: Area[] = [];

/** A customer with one account in a transformer area of its own (nobody else reports there). */
async function makeAccount(patch: Partial<Account> = {}, area = areas.shift()!) {
  const n = ++seq;
  const phone = `1360000${String(n).padStart(4, '0')}`;
  const customerId = new Types.ObjectId();
  await CustomerModel.create({
    _id: customerId,
    kind: 'residential',
    tier: 'C',
    name: `测试客户${n}`,
    phone,
    flags: { important: false, sensitive: false, vulnerable: false },
  });
  const acc = await AccountModel.create({
    number: `38${String(n).padStart(11, '0')}`,
    customerId,
    holderName: `测试客户${n}`,
    phone,
    address: `长沙市岳麓区麓山路${n}号`,
    regionId: area.regionId,
    feederId: area.feederId,
    transformerAreaId: area._id,
    transformerAreaName: area.name,
    areaType: area.areaType,
    meterNumber: `MT38${n}`,
    usageCategory: 'residential',
    tariffCode: 'RES-TIER-HN',
    paymentMode: 'postpaid',
    ...patch,
  });
  return { id: String(acc._id), number: acc.number, phone, customerId: String(customerId), area };
}

/** A mini-program user holding the account (bound by holder name: enough to report faults). */
async function holderOf(accountId: string) {
  const r = await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, `holder-${accountId}`) });
  await BindingModel.create({
    userId: new Types.ObjectId(r.user.id),
    accountId: new Types.ObjectId(accountId),
    relation: 'self',
    verifiedBy: 'holder_name',
  });
  return api.client(r.accessToken);
}

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 300 });
  [agent, dispatcher, supervisor] = await Promise.all(['agent01', 'dispatcher01', 'supervisor01'].map(login));
  const used = new Set((await AccountModel.distinct('transformerAreaId')).map(String));
  areas = ((await GridNodeModel.find({ kind: 'transformer_area' }).sort({ code: -1 }).limit(200).lean()) as unknown as Area[]).filter(
    (a) => !used.has(String(a._id)),
  );
});
afterAll(async () => {
  await api?.stop();
});

describe('re-sent creates answer what the first send did', () => {
  it('a report linked to an outage answers the outage and its ETR again on a re-send', async () => {
    const acc = await makeAccount();
    const holder = await holderOf(acc.id);
    const etr = new Date(Date.now() + 2 * 3600_000);
    await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [], transformerAreaIds: [String(acc.area._id)] },
      startAt: new Date(Date.now() - 60_000),
      etr,
      reason: '配变检修',
    });
    const input = {
      type: 'fault_repair' as const,
      accountId: acc.id,
      faultKind: 'whole_house_outage' as const,
      description: '家里突然没电了',
      requestId: `req-linked-${acc.number}`,
    };
    const first = await holder.workorder.create.mutate(input);
    expect(first.linkedOutage).not.toBeNull();
    expect(first.linkedOutage!.etr).toBe(etr.toISOString());
    const again = await holder.workorder.create.mutate(input);
    expect(again.id).toBe(first.id);
    expect(again.linkedOutage).toEqual(first.linkedOutage);
    expect(again.arrearsRedirect).toBeNull();
    expect(await WorkOrderModel.countDocuments({ accountId: new Types.ObjectId(acc.id), incidentId: { $ne: null } })).toBe(1);
  });

  it('an ordinary report answers no outage both times, even if an outage is merged over it later', async () => {
    const acc = await makeAccount();
    const holder = await holderOf(acc.id);
    const input = {
      type: 'fault_repair' as const,
      accountId: acc.id,
      faultKind: 'whole_house_outage' as const,
      description: '家里突然没电了',
      requestId: `req-plain-${acc.number}`,
    };
    const first = await holder.workorder.create.mutate(input);
    expect(first.linkedOutage).toBeNull();
    // Published after the report: it merges the open report, but the first answer was "no outage".
    await dispatcher.outage.publish.mutate({
      kind: 'fault',
      scope: { feederIds: [], transformerAreaIds: [String(acc.area._id)] },
      startAt: new Date(Date.now() - 1000),
      reason: '线路故障',
    });
    expect((await WorkOrderModel.findById(first.id).lean())!.incidentId).not.toBeNull();
    const again = await holder.workorder.create.mutate(input);
    expect(again.id).toBe(first.id);
    expect(again.linkedOutage).toBeNull();
  });
});

describe('arrears at intake: an account disconnected for arrears is sent to payment, not to a crew', () => {
  it('a "no power" report is closed at once with the reason 欠费停电, the amount due, and no dispatch, clustering or countdown', async () => {
    const acc = await makeAccount({ supplyState: 'disconnected', arrearsFen: 23_456 });
    const holder = await holderOf(acc.id);
    const input = {
      type: 'fault_repair' as const,
      accountId: acc.id,
      faultKind: 'whole_house_outage' as const,
      description: '家里没电了，邻居家有电',
      requestId: `req-arrears-${acc.number}`,
    };
    const o = await holder.workorder.create.mutate(input);
    expect(o.status).toBe('closed');
    expect(o.reasonCode).toBe('arrears_outage');
    expect(o.countdown).toBeNull();
    expect(o.arrearsRedirect).toMatchObject({ accountId: acc.id, accountNumber: acc.number, dueFen: 23_456 });
    expect(o.arrearsRedirect!.message).toContain('¥234.56');
    expect(o.arrearsRedirect!.message).toContain('缴费');
    expect(o.linkedOutage).toBeNull();
    // The re-send answers the same.
    const again = await holder.workorder.create.mutate(input);
    expect(again.id).toBe(o.id);
    expect(again.arrearsRedirect).toEqual(o.arrearsRedirect);
    // Not in the dispatch queue; not counted for clustering (three of them propose nothing).
    const q = await dispatcher.workorder.queue.query({ types: ['fault_repair'], statuses: ['reported'], limit: 200 });
    expect(q.items.map((i) => i.id)).not.toContain(o.id);
    for (let i = 0; i < 2; i++) await holder.workorder.create.mutate({ ...input, requestId: `req-arrears-${acc.number}-${i}` });
    expect(await OutageProposalModel.countDocuments({ scopeId: acc.area._id })).toBe(0);
  });

  it('an agent filing for the caller gets the same redirect; danger on such an account is still dispatched', async () => {
    const acc = await makeAccount({ supplyState: 'disconnected', paymentMode: 'prepaid', balanceFen: -1_200, arrearsFen: 0 });
    const o = await agent.workorder.createForCaller.mutate({
      type: 'fault_repair',
      accountId: acc.id,
      faultKind: 'area_outage',
      description: '来电反映家中停电',
      contactPhone: acc.phone,
    });
    expect(o.status).toBe('closed');
    expect(o.arrearsRedirect!.dueFen).toBe(1_200);
    const danger = await agent.workorder.createForCaller.mutate({
      type: 'fault_repair',
      accountId: acc.id,
      faultKind: 'sparking',
      description: '表箱打火冒烟',
      contactPhone: acc.phone,
    });
    expect(danger.status).toBe('reported');
    expect(danger.arrearsRedirect).toBeNull();
    expect(danger.countdown).not.toBeNull();
  });
});

describe("the crew's cards: address and a callable phone on assigned orders, audited", () => {
  it('crewOrders carries fieldContact for open field work of the crew, one audit entry per read', async () => {
    const acc = await makeAccount();
    const region = acc.area.regionId;
    const crew = (await CrewModel.findOne({ regionId: region }).lean())!;
    const username = `deskcrew${seq}`;
    const u = await UserModel.create({
      kind: 'staff',
      identityKey: identityKey.password(username),
      roles: ['crew'],
      displayName: `${username}师傅`,
      username,
      passwordHash: await hashPassword(DEMO.password),
      crewId: crew._id,
    });
    await CrewModel.updateOne({ _id: crew._id }, { $addToSet: { memberIds: u._id } });
    const member = await login(username);
    const o = await agent.workorder.createForCaller.mutate({
      type: 'fault_repair',
      accountId: acc.id,
      faultKind: 'sparking',
      description: '表箱打火冒烟',
      contactPhone: acc.phone,
    });
    await dispatcher.workorder.dispatch.mutate({ orderId: o.id, crewId: String(crew._id) });
    const before = await AuditLogModel.countDocuments({ action: 'order.field_contact_read', targetId: o.id });
    const cards = await member.workorder.crewOrders.query();
    const card = cards.find((c) => c.id === o.id)!;
    expect(card.fieldContact).toEqual({ name: `测试客户${seq}`, phone: acc.phone, address: `长沙市岳麓区麓山路${seq}号` });
    expect(card.contactPhoneMasked).not.toBe(acc.phone);
    expect(await AuditLogModel.countDocuments({ action: 'order.field_contact_read', targetId: o.id, actorId: String(u._id) })).toBe(before + 1);
    // Done: no phone on the card any more.
    await member.workorder.accept.mutate({ orderId: o.id });
    await member.workorder.arrive.mutate({ orderId: o.id });
    await member.workorder.resolve.mutate({ orderId: o.id, notes: '已更换表前开关' });
    const done = (await member.workorder.crewOrders.query({ includeDone: true })).find((c) => c.id === o.id)!;
    expect(done.status).toBe('resolved');
    expect(done.fieldContact).toBeNull();
  });
});

describe('screen-pop by customer', () => {
  it("lists the caller's open and recent orders (not the queue's first rows), outages on their areas and the last contact per channel", async () => {
    const acc = await makeAccount();
    const holder = await holderOf(acc.id);
    // Many other open orders first, so a queue page would not show the caller's.
    const web = await holder.workorder.create.mutate({
      type: 'consultation',
      channel: 'web',
      accountId: acc.id,
      category: '电价电费',
      description: '请问峰谷电价怎么申请？',
    });
    const phone = await agent.workorder.createForCaller.mutate({
      type: 'complaint',
      accountId: acc.id,
      description: '抄表员态度不好，要求回复',
      contactPhone: acc.phone,
    });
    const byPhoneOnly = await agent.workorder.createForCaller.mutate({
      type: 'consultation',
      description: '询问营业厅地址和时间',
      contactPhone: acc.phone,
    });
    await WorkOrderModel.updateOne({ _id: web.id }, { $set: { status: 'closed', closedAt: new Date() } });
    const planned = await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [], transformerAreaIds: [String(acc.area._id)] },
      startAt: new Date(Date.now() + 3600_000),
      etr: new Date(Date.now() + 3 * 3600_000),
      reason: '线路改造',
    });

    const ctx = await agent.staff.callerContext.query({ customerId: acc.customerId, phone: acc.phone });
    expect(ctx.open.map((o) => o.id).sort()).toEqual([phone.id, byPhoneOnly.id].sort());
    expect(ctx.recent.map((o) => o.id)).toEqual([web.id]);
    expect(ctx.outages.map((o) => o.id)).toEqual([planned.outage.id]);
    expect(ctx.outages[0].accountNumbers).toEqual([acc.number]);
    const last = Object.fromEntries(ctx.lastContacts.map((c) => [c.channel, c]));
    expect(last.web.orderId).toBe(web.id);
    expect(last.phone.orderId).toBe(byPhoneOnly.id);
    expect(last.miniprogram.at).toBeNull();
    expect(last.web.channelLabel).toBe('网上营业厅');
    // Masked like every desk read.
    expect(JSON.stringify(ctx)).not.toContain(acc.phone);
    await expectTrpcError(dispatcher.staff.callerContext.query({ customerId: acc.customerId }), 'FORBIDDEN');
  });
});

describe('agents with their load', () => {
  it('a supervisor picks agents by name and sees how many open desk orders each holds', async () => {
    const list = await supervisor.workorder.agents.query();
    const a1 = list.find((a) => a.name && a.roles.includes('agent'))!;
    expect(a1).toBeTruthy();
    expect(a1.roleLabel).toContain('坐席');
    const acc = await makeAccount();
    const o = await agent.workorder.createForCaller.mutate({
      type: 'consultation',
      accountId: acc.id,
      description: '咨询电费账单明细',
      contactPhone: acc.phone,
    });
    await supervisor.workorder.assign.mutate({ orderId: o.id, agentId: a1.id });
    const after = (await supervisor.workorder.agents.query({ q: a1.name })).find((a) => a.id === a1.id)!;
    expect(after.load).toBe(a1.load + 1);
    expect(JSON.stringify(after)).not.toMatch(/1[3-9]\d{9}/);
    await expectTrpcError(agent.workorder.agents.query(), 'FORBIDDEN');
  });
});

describe('one brand on every SMS', () => {
  it("the verification SMS is signed with the supplier's own name, whatever the sender wrote first", async () => {
    const phone = '13655550001';
    await api.client().auth.sendSmsCode.mutate({ phone });
    const sms = (await SmsOutboxModel.findOne({ phone }).sort({ createdAt: -1 }).lean())!;
    expect(sms.text.startsWith('【示范市供电有限公司】')).toBe(true);
    expect(sms.text).not.toContain('国网');
    expect(signSms('【国网电力】停电通知', '示范市供电有限公司')).toBe('【示范市供电有限公司】停电通知');
    expect(signSms('无签名的正文', '示范市供电有限公司')).toBe('【示范市供电有限公司】无签名的正文');
  });
});
