import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { SmsOutboxModel } from '../notify/sms-provider';
import { MessageModel } from '../notify/message.model';
import { AccountModel, CustomerModel } from '../accounts/account.model';
import { identityKey, UserModel } from '../auth/user.model';
import { GridNodeModel } from '../grid/grid.model';
import { EventModel } from '../events/event.model';
import { WorkOrderModel } from '../workorders/workorder.model';
import { OutageProposalModel, OutageSubscriptionModel } from './outage.model';
import { poissonTail } from './outage.rules';

let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let agent: Client;
let dispatcher: Client;
let resident: Client;
let residentId: string;
let seq = 0;

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}

type Area = { _id: Types.ObjectId; name: string; feederId: Types.ObjectId; regionId: Types.ObjectId; areaType: 'urban' | 'rural' | 'remote' };
/** Feeders not used by any other test, with their transformer areas. */
const feeders: { feederId: Types.ObjectId; areas: Area[] }[] = [];
const takeFeeder = () => feeders.shift()!;

/** A residential customer with one account in the area (and an optional flag). */
async function makeAccount(area: Area, flags: { important?: boolean; vulnerable?: boolean } = {}) {
  const n = ++seq;
  const phone = `1370000${String(n).padStart(4, '0')}`;
  const customerId = new Types.ObjectId();
  await CustomerModel.create({
    _id: customerId,
    kind: 'residential',
    tier: 'C',
    name: `测试${n}`,
    phone,
    flags: { important: !!flags.important, sensitive: false, vulnerable: !!flags.vulnerable },
  });
  const acc = await AccountModel.create({
    number: `39${String(n).padStart(11, '0')}`,
    customerId,
    holderName: `测试${n}`,
    phone,
    address: '长沙市岳麓区测试路1号',
    regionId: area.regionId,
    feederId: area.feederId,
    transformerAreaId: area._id,
    transformerAreaName: area.name,
    areaType: area.areaType,
    meterNumber: `MT${n}`,
    usageCategory: 'residential',
    tariffCode: 'RES-TIER-HN',
    paymentMode: 'postpaid',
  });
  return { id: String(acc._id), number: acc.number, phone, customerId };
}

const report = (accountId: string, faultKind: 'whole_house_outage' | 'sparking' | 'area_outage' = 'whole_house_outage') =>
  agent.workorder.createForCaller.mutate({ type: 'fault_repair', accountId, faultKind, description: '来电反映家中停电', contactPhone: undefined });

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 300 });
  [agent, dispatcher] = await Promise.all(['agent01', 'dispatcher01'].map(login));
  await api.client().auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const r = await api.client().auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
  resident = api.client(r.accessToken);
  residentId = String((await UserModel.findOne({ phone: DEMO.residentPhone, kind: 'web' }).lean())!._id);
  const demoAreas = new Set(
    (await AccountModel.find({ number: { $in: DEMO.residentAccounts.map((a) => a.number) } }).lean()).map((a) => String(a.feederId)),
  );
  const fs = await GridNodeModel.find({ kind: 'feeder' }).sort({ code: -1 }).limit(20).lean();
  for (const f of fs) {
    if (demoAreas.has(String(f._id))) continue;
    const areas = (await GridNodeModel.find({ kind: 'transformer_area', feederId: f._id }).sort({ code: 1 }).lean()) as unknown as Area[];
    feeders.push({ feederId: f._id, areas });
  }
});
afterAll(async () => {
  await api?.stop();
});

describe('publication rules', () => {
  it('refuses a planned outage less than 7 days ahead unless it is temporary maintenance', async () => {
    const f = takeFeeder();
    const start = new Date(Date.now() + 3 * 86_400_000);
    const base = {
      scope: { feederIds: [String(f.feederId)], transformerAreaIds: [] },
      startAt: start,
      etr: new Date(start.getTime() + 4 * 3600_000),
      reason: '线路检修',
    };
    const e = await expectTrpcError(dispatcher.outage.publish.mutate({ ...base, kind: 'planned' }), 'BAD_REQUEST');
    expect(e.message).toContain('至少提前7天');
    const ok = await dispatcher.outage.publish.mutate({ ...base, kind: 'temporary' });
    expect(ok.outage.phase).toBe('upcoming');
    expect(ok.outage.areaText).toContain('5个台区');
    const planned = await dispatcher.outage.publish.mutate({
      ...base,
      kind: 'planned',
      startAt: new Date(Date.now() + 8 * 86_400_000),
      etr: new Date(Date.now() + 8.2 * 86_400_000),
    });
    expect(planned.outage.kind).toBe('planned');
    // Public list: every announced outage still to come (the planned one 8 days out too), filterable by area; `days` narrows it.
    const list = await api.client().outage.list.query({ feederId: String(f.feederId) });
    expect(list.items.map((o) => o.id)).toEqual(expect.arrayContaining([ok.outage.id, planned.outage.id]));
    const week = await api.client().outage.list.query({ feederId: String(f.feederId), days: 7 });
    expect(week.items.map((o) => o.id)).toContain(ok.outage.id);
    expect(week.items.map((o) => o.id)).not.toContain(planned.outage.id);
    // Customers may not publish.
    await expectTrpcError(resident.outage.publish.mutate({ ...base, kind: 'temporary' }), 'FORBIDDEN');
  });

  it('keeps every edit in the history; ETR changes are visible to customers', async () => {
    const f = takeFeeder();
    const start = new Date(Date.now() + 3600_000);
    const p = await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [], transformerAreaIds: [String(f.areas[0]._id)] },
      startAt: start,
      etr: new Date(start.getTime() + 2 * 3600_000),
      reason: '变压器检修',
    });
    const etr2 = new Date(start.getTime() + 3 * 3600_000);
    const u = await dispatcher.outage.update.mutate({ outageId: p.outage.id, version: p.outage.version, etr: etr2, note: '现场情况复杂' });
    expect(u.history.map((h) => h.action)).toEqual(['publish', 'edit']);
    expect(u.history[1].changes.etr.to).toBe(etr2.toISOString());
    await expectTrpcError(dispatcher.outage.update.mutate({ outageId: p.outage.id, version: p.outage.version, etr: etr2 }), 'CONFLICT');
    const pub = await api.client().outage.get.query({ outageId: p.outage.id });
    expect(pub.etrHistory.map((e) => e.etr)).toEqual([p.outage.etr, etr2.toISOString()]);
    expect(pub.etrText).toContain('恢复送电');
  });
});

describe('linking reports to active outages (deflection)', () => {
  it('a customer reporting inside an active outage is linked at once, told the ETR, and no dispatch row appears', async () => {
    const acc = await AccountModel.findOne({ number: DEMO.residentAccounts[0].number }).lean();
    const etr = new Date(Date.now() + 2 * 3600_000);
    const p = await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [], transformerAreaIds: [String(acc!.transformerAreaId)] },
      startAt: new Date(Date.now() - 60_000),
      etr,
      reason: '配变检修',
    });
    // Before filing, the customer sees it.
    const mine = await resident.outage.mine.query();
    expect(mine.find((m) => m.number === acc!.number)!.outages.map((o) => o.id)).toContain(p.outage.id);
    expect((await api.client().outage.byAccountNumber.query({ number: acc!.number })).outages[0].id).toBe(p.outage.id);

    const o = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: String(acc!._id),
      faultKind: 'whole_house_outage',
      description: '家里整户停电了',
    });
    expect(o.linkedOutage?.id).toBe(p.outage.id);
    expect(o.linkedOutage?.etrText).toContain('预计');
    expect(o.incidentId).toBe(p.outage.id);
    expect(o.countdown).toBeNull();
    expect(o.timeline.some((t) => t.note?.includes('无需重复报修'))).toBe(true);

    const q = await dispatcher.workorder.queue.query({ types: ['fault_repair'], limit: 200 });
    expect(q.items.map((i) => i.id)).not.toContain(o.id);
    expect(q.items.map((i) => i.id)).toContain(p.outage.id); // the incident order
    const all = await dispatcher.workorder.queue.query({ types: ['fault_repair'], hideMerged: false, limit: 200 });
    expect(all.items.map((i) => i.id)).toContain(o.id);
    expect(await EventModel.exists({ type: 'workorder.linked', orderId: new Types.ObjectId(o.id) })).toBeTruthy();

    // Danger is never swallowed by an outage: it keeps its own dispatch.
    const danger = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: String(acc!._id),
      faultKind: 'sparking',
      description: '电表箱冒烟打火',
    });
    expect(danger.linkedOutage).toBeNull();
    expect(danger.incidentId).toBeNull();
    await dispatcher.outage.restore.mutate({ outageId: p.outage.id });
  });

  it('an upcoming (not yet started) outage does not swallow reports', async () => {
    const f = takeFeeder();
    const a = await makeAccount(f.areas[0]);
    await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [String(f.feederId)], transformerAreaIds: [] },
      startAt: new Date(Date.now() + 3600_000),
      etr: new Date(Date.now() + 7200_000),
      reason: '检修',
    });
    const o = await report(a.id);
    expect(o.linkedOutage).toBeNull();
  });
});

describe('clustering proposals', () => {
  it('transformer area: the third report within 10 minutes proposes an outage, with the evidence', async () => {
    const f = takeFeeder();
    const accs = await Promise.all([0, 1, 2].map(() => makeAccount(f.areas[0])));
    await report(accs[0].id);
    await report(accs[1].id);
    expect(await OutageProposalModel.countDocuments({ feederId: f.feederId })).toBe(0);
    await report(accs[2].id);
    const props = (await dispatcher.outage.proposals.query()).filter((p) => p.feederId === String(f.feederId));
    expect(props).toHaveLength(1);
    expect(props[0].level).toBe('transformer_area');
    expect(props[0].scopeId).toBe(String(f.areas[0]._id));
    expect(props[0].evidence.reports).toBe(3);
    expect(props[0].evidence.rule).toContain('3户');
    expect(await EventModel.exists({ type: 'outage.proposed', 'payload.proposalId': props[0].id })).toBeTruthy();
    // More reports do not open a second proposal.
    await report((await makeAccount(f.areas[0])).id);
    expect(await OutageProposalModel.countDocuments({ feederId: f.feederId, status: 'open' })).toBe(1);
    // Dismissed: not proposed again within the window.
    await dispatcher.outage.dismissProposal.mutate({ proposalId: props[0].id, reason: '用户内部故障' });
    await report((await makeAccount(f.areas[0])).id);
    expect(await OutageProposalModel.countDocuments({ feederId: f.feederId, status: 'open' })).toBe(0);
  });

  it('danger and meter reports do not count towards clustering', async () => {
    const f = takeFeeder();
    for (let i = 0; i < 3; i++) await report((await makeAccount(f.areas[0])).id, 'sparking');
    expect(await OutageProposalModel.countDocuments({ feederId: f.feederId })).toBe(0);
  });

  it('feeder: one stray report in a second area is not a feeder outage; two areas each over their threshold are', async () => {
    const f = takeFeeder();
    for (let i = 0; i < 3; i++) await report((await makeAccount(f.areas[0])).id);
    expect((await OutageProposalModel.findOne({ feederId: f.feederId, status: 'open' }).lean())!.level).toBe('transformer_area');
    await report((await makeAccount(f.areas[1])).id);
    expect((await OutageProposalModel.find({ feederId: f.feederId, status: 'open' }).lean()).map((p) => p.level)).toEqual(['transformer_area']);
    await report((await makeAccount(f.areas[1])).id);
    await report((await makeAccount(f.areas[1])).id);
    const open = await OutageProposalModel.find({ feederId: f.feederId, status: 'open' }).lean();
    expect(open.map((p) => p.level)).toEqual(['feeder']);
    expect(await OutageProposalModel.countDocuments({ feederId: f.feederId, status: 'superseded' })).toBe(1);
    const view = (await dispatcher.outage.proposals.query()).find((p) => p.feederId === String(f.feederId))!;
    expect(view.evidence.reports).toBe(6);
    expect(view.evidence.areas).toHaveLength(2);
    expect(view.evidence.rule).toContain('各达3户');
    // How unusual: 6 reports against the feeder's normal rate (no history here), with the exact tail probability.
    expect(view.unusual).toMatchObject({ observed: 6, baselineReports: 0, baselineDays: 28, firedBy: 'areas' });
    expect(view.unusual!.pValue).toBeGreaterThan(0);
    expect(view.unusual!.pValue).toBeLessThan(1e-12);
    expect(view.unusual!.text).toContain('本次6起');
  });

  it('feeder: two unrelated single-house reports in two areas of each of many healthy feeders propose nothing', async () => {
    const healthy = [takeFeeder(), takeFeeder(), takeFeeder()];
    for (const f of healthy) {
      await report((await makeAccount(f.areas[0])).id);
      await report((await makeAccount(f.areas[1])).id);
      expect(await OutageProposalModel.countDocuments({ feederId: f.feederId })).toBe(0);
    }
  });

  it("the normal rate comes from the scope's history: a busy area makes the same count less unusual", async () => {
    const f = takeFeeder();
    const quiet = f.areas[0];
    const busy = f.areas[1];
    for (let i = 0; i < 3; i++) await report((await makeAccount(quiet)).id);
    // 60 earlier "no power" reports in the busy area over the last weeks (not merged into any outage).
    const template = (await WorkOrderModel.findOne({ transformerAreaId: quiet._id }).lean()) as unknown as Record<string, unknown>;
    const { requestKey: _r, ...rest } = template;
    void _r;
    await WorkOrderModel.collection.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        ...rest,
        _id: new Types.ObjectId(),
        orderNo: `GDHIST-${f.feederId}-${i}`,
        transformerAreaId: busy._id,
        status: 'closed',
        nextDeadline: null,
        createdAt: new Date(Date.now() - (i + 1) * 8 * 3600_000),
      })),
    );
    for (let i = 0; i < 3; i++) await report((await makeAccount(busy)).id);
    const docs = await OutageProposalModel.find({ feederId: f.feederId }).lean();
    type Stats = { pValue: number; baselineReports: number; expected: number };
    const quietStats = docs.find((d) => String(d.scopeId) === String(quiet._id))!.stats as Stats;
    expect(quietStats.baselineReports).toBe(0);
    // The feeder's normal rate counts the busy area's 60 earlier reports: λ = 60.5 per 28 days of 10-minute windows.
    const feederStats = docs.find((d) => d.level === 'feeder')!.stats as Stats;
    expect(feederStats.baselineReports).toBe(60);
    expect(feederStats.expected).toBeCloseTo(60.5 / 4032, 9);
    expect(feederStats.pValue).toBeCloseTo(poissonTail(6, 60.5 / 4032), 20);
    expect(feederStats.pValue).toBeGreaterThan(poissonTail(6, 0.5 / 4032));
  });

  it('thresholds are configurable by an admin', async () => {
    const admin = await login('admin01');
    const c = await admin.outage.setClusterSettings.mutate({ areaThreshold: 4 });
    expect(c).toEqual({ areaThreshold: 4, windowMinutes: 10, feederMinAreas: 2 });
    const f = takeFeeder();
    for (let i = 0; i < 3; i++) await report((await makeAccount(f.areas[0])).id);
    expect(await OutageProposalModel.countDocuments({ feederId: f.feederId })).toBe(0);
    await report((await makeAccount(f.areas[0])).id);
    expect(await OutageProposalModel.countDocuments({ feederId: f.feederId })).toBe(1);
    await admin.outage.setClusterSettings.mutate({ areaThreshold: 3 });
    await expectTrpcError(dispatcher.outage.setClusterSettings.mutate({ areaThreshold: 2 }), 'FORBIDDEN');
  });
});

describe('confirmation, merge and restoration', () => {
  it('confirming merges open and future reports under one incident; restoring resolves them all and tells each reporter once', async () => {
    const f = takeFeeder();
    const accs = [];
    for (const i of [0, 0, 0, 1, 1, 1, 2]) accs.push(await makeAccount(f.areas[i]));
    const orders = [];
    for (const a of accs.slice(0, 6)) orders.push(await report(a.id));
    const danger = await report(accs[6].id, 'sparking');
    const prop = (await dispatcher.outage.proposals.query()).find((p) => p.feederId === String(f.feederId))!;
    expect(prop.level).toBe('feeder');
    const etr = new Date(Date.now() + 3 * 3600_000);
    const c = await dispatcher.outage.confirmProposal.mutate({ proposalId: prop.id, etr, reason: '10kV线路跳闸' });
    expect(c.merged).toBe(6);
    expect(c.outage.kind).toBe('fault');
    expect(c.outage.phase).toBe('active');
    // Retrying the confirmation is harmless: same outage, nothing merged twice.
    const again = await dispatcher.outage.confirmProposal.mutate({ proposalId: prop.id });
    expect(again.outage.id).toBe(c.outage.id);
    expect(again.merged).toBe(0);

    // A later report in scope is linked at once.
    const late = await report(accs[6].id);
    expect(late.incidentId).toBe(c.outage.id);
    expect(late.linkedOutage?.etr).toBe(etr.toISOString());

    const merged = await WorkOrderModel.find({ incidentId: new Types.ObjectId(c.outage.id) }).lean();
    expect(merged).toHaveLength(7);
    expect((await WorkOrderModel.findById(danger.id).lean())!.incidentId).toBeNull();
    const q = await dispatcher.workorder.queue.query({ types: ['fault_repair'], regionId: String(f.areas[0].regionId), limit: 200 });
    const ids = q.items.map((i) => i.id);
    expect(ids).toContain(c.incidentOrderId);
    for (const o of [...orders, late]) expect(ids).not.toContain(o.id);
    expect(ids).toContain(danger.id);

    const r = await dispatcher.outage.restore.mutate({ outageId: c.outage.id, note: '已更换跌落式熔断器' });
    expect(r.resolved).toBe(7);
    for (const o of await WorkOrderModel.find({ incidentId: new Types.ObjectId(c.outage.id) }).lean()) expect(o.status).toBe('resolved');
    expect((await WorkOrderModel.findById(c.incidentOrderId).lean())!.status).toBe('resolved');
    // Restoring again (a retry) notifies nobody twice.
    await dispatcher.outage.restore.mutate({ outageId: c.outage.id });
    for (const a of accs) {
      const n = await MessageModel.countDocuments({ noticeKey: `${c.outage.id}:restored`, recipientKey: `p:${a.phone}` });
      const sms = await SmsOutboxModel.countDocuments({ phone: a.phone, template: 'outage.outage.restored' });
      expect(n).toBe(1); // accs[6]: through its later linked report (its danger report stays separate)
      expect(sms).toBe(1);
    }
    // New reports after restoration are ordinary reports again.
    const after = await report(accs[0].id);
    expect(after.linkedOutage).toBeNull();
  });
});

describe('notifications', () => {
  it('one person with several accounts in scope gets each notice once; message centre lists, counts and marks read', async () => {
    const accs = await AccountModel.find({ number: { $in: DEMO.residentAccounts.map((a) => a.number) } }).lean();
    for (const a of accs) await resident.outage.subscribe.mutate({ accountId: String(a._id), channels: ['inapp', 'sms'] });
    expect(await resident.outage.subscriptions.query()).toHaveLength(2);
    const p = await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [], transformerAreaIds: [...new Set(accs.map((a) => String(a.transformerAreaId)))] },
      startAt: new Date(Date.now() + 3600_000),
      etr: new Date(Date.now() + 5 * 3600_000),
      reason: '线路改造',
    });
    const msgs = (await resident.messages.list.query()).filter((m) => m.outageId === p.outage.id);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].accountNumbers.sort()).toEqual(accs.map((a) => a.number).sort());
    expect(msgs[0].title).toContain('临时检修');
    expect(await SmsOutboxModel.countDocuments({ phone: DEMO.residentPhone, template: 'outage.outage.published' })).toBe(1);
    // ETR change: one more notice, once.
    await dispatcher.outage.update.mutate({ outageId: p.outage.id, etr: new Date(Date.now() + 6 * 3600_000) });
    const msgs2 = (await resident.messages.list.query()).filter((m) => m.outageId === p.outage.id);
    expect(msgs2.map((m) => m.kind).sort()).toEqual(['outage.etr_changed', 'outage.published']);
    expect((await resident.messages.unreadCount.query()).count).toBeGreaterThanOrEqual(2);
    await resident.messages.markRead.mutate({ ids: [msgs2[0].id] });
    expect((await resident.messages.list.query({ unreadOnly: true })).map((m) => m.id)).not.toContain(msgs2[0].id);
    await resident.messages.markRead.mutate({ all: true });
    expect((await resident.messages.unreadCount.query()).count).toBe(0);
    // Another user cannot mark it (their own messages only).
    expect((await dispatcher.messages.markRead.mutate({ ids: [msgs2[1].id] })).updated).toBe(0);
    // The unique (notice, person) key holds even if the fan-out runs again.
    const { processNotices } = await import('./outage.service');
    await import('./outage.model').then((m) =>
      m.OutageModel.updateOne(
        { _id: p.outage.id },
        { $push: { pendingNotices: { key: `${p.outage.id}:published`, kind: 'published', at: new Date() } } },
      ),
    );
    await processNotices(new Types.ObjectId(p.outage.id), new (await import('../notify/sms-provider')).OutboxSmsProvider());
    expect(await MessageModel.countDocuments({ noticeKey: `${p.outage.id}:published`, userId: new Types.ObjectId(residentId) })).toBe(1);
    expect(await SmsOutboxModel.countDocuments({ phone: DEMO.residentPhone, template: 'outage.outage.published' })).toBe(1);
    await resident.outage.unsubscribe.mutate({ accountId: String(accs[0]._id) });
    await resident.outage.unsubscribe.mutate({ accountId: String(accs[1]._id) });
  });

  it('important, sensitive and vulnerable customers are notified first', async () => {
    const f = takeFeeder();
    const people = [];
    for (let i = 0; i < 8; i++) {
      const flags = i === 5 ? { important: true } : i === 7 ? { vulnerable: true } : {};
      const a = await makeAccount(f.areas[i % f.areas.length], flags);
      const u = await UserModel.create({
        kind: 'web',
        identityKey: identityKey.sms(a.phone),
        roles: ['resident'],
        displayName: `用户${i}`,
        phone: a.phone,
      });
      await OutageSubscriptionModel.create({
        userId: u._id,
        accountId: new Types.ObjectId(a.id),
        transformerAreaId: f.areas[i % f.areas.length]._id,
        channels: ['inapp'],
      });
      people.push({ userId: String(u._id), flagged: i === 5 || i === 7 });
    }
    const p = await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [String(f.feederId)], transformerAreaIds: [] },
      startAt: new Date(Date.now() + 3600_000),
      etr: new Date(Date.now() + 4 * 3600_000),
      reason: '检修',
      importantContactNote: '已电话通知重要客户测试6',
    });
    const rows = await MessageModel.find({ noticeKey: `${p.outage.id}:published` })
      .sort({ seq: 1 })
      .lean();
    expect(rows).toHaveLength(8);
    const flagged = new Set(people.filter((x) => x.flagged).map((x) => x.userId));
    expect(rows.slice(0, 2).every((r) => flagged.has(String(r.userId)))).toBe(true);
    expect(rows.slice(0, 2).every((r) => r.rank === 0)).toBe(true);
    expect(rows[0].createdAt.getTime()).toBeLessThanOrEqual(rows[7].createdAt.getTime());
  });

  it('temporary maintenance within 24 h over an important customer needs the phone-contact record; the customer is told first by SMS', async () => {
    const f = takeFeeder();
    const vip = await makeAccount(f.areas[0], { important: true }); // nobody subscribed
    const plain = await makeAccount(f.areas[1]);
    const u = await UserModel.create({
      kind: 'web',
      identityKey: identityKey.sms(plain.phone),
      roles: ['resident'],
      displayName: '普通用户',
      phone: plain.phone,
    });
    await OutageSubscriptionModel.create({
      userId: u._id,
      accountId: new Types.ObjectId(plain.id),
      transformerAreaId: f.areas[1]._id,
      channels: ['inapp'],
    });
    const base = {
      kind: 'temporary' as const,
      scope: { feederIds: [String(f.feederId)], transformerAreaIds: [] },
      startAt: new Date(Date.now() + 6 * 3600_000),
      etr: new Date(Date.now() + 9 * 3600_000),
      reason: '开关柜缺陷处理',
    };
    const e = await expectTrpcError(dispatcher.outage.publish.mutate(base), 'BAD_REQUEST');
    expect(e.message).toContain('至少提前24小时通知重要客户');
    expect(e.message).toContain('电话通知记录');
    // 24 h or more ahead needs no record.
    const later = await dispatcher.outage.publish.mutate({
      ...base,
      startAt: new Date(Date.now() + 25 * 3600_000),
      etr: new Date(Date.now() + 28 * 3600_000),
    });
    expect(later.outage.kind).toBe('temporary');
    await dispatcher.outage.cancel.mutate({ outageId: later.outage.id, version: later.outage.version, reason: '测试取消' });

    const p = await dispatcher.outage.publish.mutate({ ...base, importantContactNote: '09:40 已电话告知客户本人（调度员）' });
    expect(p.outage.history[0].note).toContain('已电话告知客户本人');
    const rows = await MessageModel.find({ noticeKey: `${p.outage.id}:published` })
      .sort({ seq: 1 })
      .lean();
    expect(rows[0]).toMatchObject({ recipientKey: `p:${vip.phone}`, rank: 0, sms: 'sent' });
    expect(rows.some((r) => String(r.userId) === String(u._id))).toBe(true);
    // Moving it earlier needs the record again (the edit's note); moving it later does not.
    const earlier = new Date(base.startAt.getTime() - 3600_000);
    await expectTrpcError(dispatcher.outage.update.mutate({ outageId: p.outage.id, version: p.outage.version, startAt: earlier }), 'BAD_REQUEST');
    const moved = await dispatcher.outage.update.mutate({
      outageId: p.outage.id,
      version: p.outage.version,
      startAt: earlier,
      note: '10:20 再次电话告知客户提前一小时',
    });
    expect(moved.startAt).toBe(earlier.toISOString());
  });
});
