import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { expectTrpcError, liveClient, simLoginCode, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { SmsOutboxModel } from '../notify/sms-provider';
import { AccountModel, BindingModel } from '../accounts/account.model';
import { CrewModel, identityKey, UserModel } from '../auth/user.model';
import { hashPassword } from '../auth/password';
import { AuditLogModel } from '../audit/audit.model';
import { EventModel } from '../events/event.model';
import { WorkOrderModel } from './workorder.model';
import { PhotoModel } from './photo.store';

let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let resident: Client;
let residentToken: string;
let agent: Client;
let agent2: Client;
let dispatcher: Client;
let supervisor: Client;
let myAccountId: string;
let myAccount: { regionId: Types.ObjectId };

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const png = `data:image/png;base64,${PNG_1PX}`;

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}
async function webResident() {
  await api.client().auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const r = await api.client().auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
  return { client: api.client(r.accessToken), token: r.accessToken! };
}
/** A crew member of a crew (created on the fly: the seed staffs only one crew). */
async function crewMember(crewId: Types.ObjectId, username: string) {
  const u = await UserModel.create({
    kind: 'staff',
    identityKey: identityKey.password(username),
    roles: ['crew'],
    displayName: `${username}师傅`,
    username,
    passwordHash: await hashPassword(DEMO.password),
    crewId,
  });
  await CrewModel.updateOne({ _id: crewId }, { $addToSet: { memberIds: u._id } });
  return login(username);
}

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 300 });
  const r = await webResident();
  resident = r.client;
  residentToken = r.token;
  [agent, agent2, dispatcher, supervisor] = await Promise.all(['agent01', 'agent02', 'dispatcher01', 'supervisor01'].map(login));
  const acc = await AccountModel.findOne({ number: DEMO.residentAccounts[0].number }).lean();
  myAccountId = String(acc!._id);
  myAccount = acc as never;
});
afterAll(async () => {
  await api?.stop();
});

async function crewsForMyRegion() {
  const crews = await CrewModel.find({ regionId: myAccount.regionId }).sort({ name: 1 }).lean();
  expect(crews.length).toBeGreaterThanOrEqual(2);
  return crews;
}

describe('fault repair: the five-call closed loop', () => {
  it('report → dispatch → accept → arrive → resolve → dissatisfied visit reopens → re-work → visit → close', async () => {
    const photo = await resident.workorder.uploadPhoto.mutate({ dataUrl: png });
    const created = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: myAccountId,
      faultKind: 'sparking',
      description: '楼道电表箱打火冒烟，有焦味',
      photos: [photo.id],
    });
    expect(created.orderNo).toMatch(/^GD\d{8}-\d{6}$/);
    // The customer reads the status in plain words; the 5-minute dispatch deadline is the staff's (see the queue below).
    expect(created).toMatchObject({
      status: 'reported',
      statusLabel: '已受理',
      priority: { label: '紧急' },
      photos: [photo.id],
      version: 0,
      countdown: null,
    });
    expect(created.contactPhoneMasked).toBe('138****0001');
    expect(JSON.stringify(created)).not.toContain(DEMO.residentPhone);
    expect(JSON.stringify(created)).not.toContain(DEMO.residentAccounts[0].holderName);

    // The dispatcher sees it first in the queue and picks a crew of that region with free capacity.
    const queue = await dispatcher.workorder.queue.query({ types: ['fault_repair'] });
    expect(queue.items[0].id).toBe(created.id);
    expect(queue.items[0]).toMatchObject({ statusLabel: '待派单', countdown: { kind: 'dispatch', overdue: false } });
    const crews = await dispatcher.workorder.crews.query({ regionId: String(myAccount.regionId) });
    expect(crews.every((c) => c.load === 0 && c.available === c.capacity)).toBe(true);
    const crewDoc = (await crewsForMyRegion())[0];
    const crew = await crewMember(crewDoc._id, 'loopcrew1');

    const dispatched = await dispatcher.workorder.dispatch.mutate({ orderId: created.id, crewId: String(crewDoc._id), version: 0 });
    expect(dispatched).toMatchObject({ status: 'dispatched', version: 1, assignee: { crewId: String(crewDoc._id) } });
    expect(dispatched.countdown!.kind).toBe('arrival');
    expect((await dispatcher.workorder.crews.query({ regionId: String(myAccount.regionId) })).find((c) => c.id === String(crewDoc._id))!.load).toBe(
      1,
    );

    expect((await crew.workorder.crewOrders.query()).map((o) => o.id)).toEqual([created.id]);
    await crew.workorder.accept.mutate({ orderId: created.id });
    await crew.workorder.arrive.mutate({ orderId: created.id });
    const crewPhoto = await crew.workorder.uploadPhoto.mutate({ dataUrl: png });
    const resolved = await crew.workorder.resolve.mutate({ orderId: created.id, notes: '更换烧损的表前开关', attachments: [crewPhoto.id] });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: '更换烧损的表前开关' });
    expect(resolved.countdown!.kind).toBe('return_visit');

    // Dissatisfied: back to the same crew with reopenCount + 1.
    const reopened = await resident.workorder.rate.mutate({ orderId: created.id, stars: 2, comment: '第二天又跳闸' });
    expect(reopened).toMatchObject({ status: 'dispatched', reopenCount: 1, rating: { stars: 2 } });
    await crew.workorder.accept.mutate({ orderId: created.id });
    await crew.workorder.arrive.mutate({ orderId: created.id });
    await crew.workorder.resolve.mutate({ orderId: created.id, notes: '更换进户线' });
    expect((await agent.workorder.returnVisits.query()).map((o) => o.id)).toContain(created.id);
    const visited = await agent.workorder.recordReturnVisit.mutate({ orderId: created.id, stars: 5, comment: '满意', notes: '电话回访' });
    expect(visited.status).toBe('visited');
    const closed = await agent.workorder.close.mutate({ orderId: created.id });
    expect(closed).toMatchObject({ status: 'closed', countdown: null });

    // The customer sees the customer-visible timeline only, without staff names.
    const mine = await resident.workorder.get.query({ orderId: created.id });
    expect(mine.timeline.every((t) => t.visibility === 'customer' && t.actorName === null)).toBe(true);
    expect(mine.timeline.map((t) => t.action)).toEqual(
      expect.arrayContaining(['create', 'dispatch', 'accept', 'arrive', 'resolve', 'visit', 'reopen', 'close']),
    );
    const staffView = await supervisor.workorder.get.query({ orderId: created.id });
    expect(staffView.timeline.some((t) => t.actorName === '郑海')).toBe(true);

    // Every state change audited; every write reached the event log exactly once.
    const audits = await AuditLogModel.find({ targetType: 'workorder', targetId: created.id }).lean();
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'workorder.create',
        'workorder.dispatch',
        'workorder.accept',
        'workorder.arrive',
        'workorder.resolve',
        'workorder.visit',
        'workorder.close',
      ]),
    );
    // 11 state changes, plus the crew's one read of the address and phone on its card (crewOrders).
    expect(audits.filter((a) => a.action === 'order.field_contact_read')).toHaveLength(1);
    expect(audits.length).toBe(12);
    const events = await EventModel.find({ orderId: new Types.ObjectId(created.id), type: { $not: /sla_/ } }).lean();
    expect(events.length).toBe(11);
    expect((await WorkOrderModel.findById(created.id).lean())!.outbox).toEqual([]);

    // Every deadline that ended is kept with its outcome (quality reports read these, not recomputed promises).
    const history = (await WorkOrderModel.findById(created.id).lean())!.slaHistory!;
    expect(history.map((h) => h.kind)).toEqual(['dispatch', 'arrival', 'restoration', 'return_visit', 'arrival', 'restoration', 'return_visit']);
    expect(history.every((h) => h.met && h.endedAt!.getTime() <= h.dueAt!.getTime() && h.startedAt!.getTime() <= h.endedAt!.getTime())).toBe(true);
  });

  it('a deadline that ends after its due time is kept as missed; the next one starts fresh', async () => {
    const o = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: myAccountId,
      faultKind: 'whole_house_outage',
      description: '家里整户没电了',
    });
    // The 5-minute dispatch promise ran out before anyone dispatched it.
    const doc = (await WorkOrderModel.findById(o.id).lean())!;
    const late = new Date(Date.now() - 60_000);
    await WorkOrderModel.updateOne({ _id: doc._id }, { $set: { 'nextDeadline.dueAt': late } });
    await dispatcher.workorder.dispatch.mutate({ orderId: o.id, crewId: String((await crewsForMyRegion())[0]._id) });
    const after = (await WorkOrderModel.findById(o.id).lean())!;
    expect(after.slaHistory).toHaveLength(1);
    expect(after.slaHistory![0]).toMatchObject({ kind: 'dispatch', met: false, dueAt: late });
    expect(after.nextDeadline!.kind).toBe('arrival');
  });

  it('a crew cannot refuse, only return the order for re-dispatch with a reason, kept on the timeline', async () => {
    const o = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: myAccountId,
      faultKind: 'whole_house_outage',
      description: '家里整户没电了',
    });
    const crewDoc = (await crewsForMyRegion())[1];
    const crew = await crewMember(crewDoc._id, 'returncrew');
    await dispatcher.workorder.dispatch.mutate({ orderId: o.id, crewId: String(crewDoc._id) });
    await expectTrpcError(crew.workorder.returnForRedispatch.mutate({ orderId: o.id, reason: '' }), 'BAD_REQUEST');
    const back = await crew.workorder.returnForRedispatch.mutate({ orderId: o.id, reason: '该地址属于相邻班组辖区' });
    expect(back).toMatchObject({ status: 'reported', assignee: { crewId: null } });
    expect(back.countdown!.kind).toBe('dispatch');
    const staff = await supervisor.workorder.get.query({ orderId: o.id });
    expect(staff.timeline.find((t) => t.action === 'returnForRedispatch')).toMatchObject({
      visibility: 'internal',
      note: '退回重派：该地址属于相邻班组辖区',
    });
    // The crew no longer has it, and cannot act on it any more.
    await expectTrpcError(crew.workorder.accept.mutate({ orderId: o.id }), 'NOT_FOUND');
  });

  it('reason codes: customer-side fault closes with advice; waiting for the customer pauses the clock', async () => {
    const o = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: myAccountId,
      faultKind: 'whole_house_outage',
      description: '家里整户没电了',
    });
    const paused = await dispatcher.workorder.pause.mutate({ orderId: o.id, notes: '客户不在家，约定下午上门' });
    expect(paused.paused).toBe(true);
    expect(paused.countdown!.paused).toBe(true);
    await expectTrpcError(dispatcher.workorder.dispatch.mutate({ orderId: o.id, crewId: String((await crewsForMyRegion())[0]._id) }), 'CONFLICT');
    const before = (await WorkOrderModel.findById(o.id).lean())!;
    // Pretend the pause began 10 minutes ago: resuming moves every deadline date by those 10 minutes.
    await WorkOrderModel.updateOne({ _id: before._id }, { $set: { pausedAt: new Date(before.pausedAt!.getTime() - 600_000) } });
    const resumed = await dispatcher.workorder.resume.mutate({ orderId: o.id });
    const after = (await WorkOrderModel.findById(o.id).lean())!;
    const shift = after.nextDeadline!.dueAt.getTime() - before.nextDeadline!.dueAt.getTime();
    expect(shift).toBeGreaterThanOrEqual(600_000);
    expect(shift).toBeLessThan(610_000);
    expect(after.nextDeadline!.id).toEqual(before.nextDeadline!.id);
    expect(after.pauses).toHaveLength(1);
    expect(resumed.pauses[0]).toMatchObject({ reasonCode: 'waiting_customer', note: expect.stringContaining('客户不在家') });

    const closed = await agent.workorder.close.mutate({ orderId: o.id, reasonCode: 'customer_internal_fault', notes: '户内空开跳闸，已告知客户' });
    expect(closed).toMatchObject({ status: 'closed', reasonCode: 'customer_internal_fault' });
    const seen = await resident.workorder.get.query({ orderId: o.id });
    expect(seen.timeline.at(-1)!.note).toContain('客户内部故障');
  });
});

describe('desk orders', () => {
  it('consultation by phone: agent files for the caller, claims, replies to the customer, resolves and closes (no visit needed)', async () => {
    const o = await agent.workorder.createForCaller.mutate({
      type: 'consultation',
      accountId: myAccountId,
      category: '电费电价',
      description: '客户咨询阶梯电价第二档的起算电量',
    });
    expect(o).toMatchObject({ status: 'received', channel: 'phone', countdown: { kind: 'answer' } });
    await agent.workorder.claim.mutate({ orderId: o.id });
    await agent.workorder.reply.mutate({ orderId: o.id, notes: '客户语气急，注意安抚', visibility: 'internal' });
    const replied = await agent.workorder.reply.mutate({ orderId: o.id, notes: '第二档为2521至4800千瓦时', visibility: 'customer' });
    expect(replied.status).toBe('replied');
    await agent.workorder.resolve.mutate({ orderId: o.id, notes: '已解答' });
    expect((await agent.workorder.close.mutate({ orderId: o.id })).status).toBe('closed');
    // The resident (the account is bound to them) sees it, without the internal note.
    const seen = await resident.workorder.get.query({ orderId: o.id });
    expect(seen.timeline.map((t) => t.note)).not.toContain('客户语气急，注意安抚');
    expect(seen.timeline.map((t) => t.note)).toContain('第二档为2521至4800千瓦时');
  });

  it('transfer to another department keeps everything the customer said; the new department claims it', async () => {
    const o = await resident.workorder.create.mutate({
      type: 'complaint',
      accountId: myAccountId,
      category: '电费争议',
      description: '本月电费比上月高出很多，怀疑电表有问题',
    });
    await agent.workorder.claim.mutate({ orderId: o.id });
    const moved = await agent.workorder.transfer.mutate({ orderId: o.id, department: '计量中心', notes: '疑似电表计量异常，请校验' });
    expect(moved).toMatchObject({ status: 'received', assignee: { department: '计量中心', agentId: null } });
    expect(moved.description).toBe(o.description);
    expect(moved.countdown!.dueAt).toBe(o.progress!.expected!.at); // the promise to the customer does not restart
    expect((await agent2.workorder.claim.mutate({ orderId: o.id })).status).toBe('accepted');
  });

  it('50 concurrent claims of one order: exactly one winner, the rest CONFLICT, one timeline entry', async () => {
    const o = await resident.workorder.create.mutate({ type: 'consultation', accountId: myAccountId, description: '请问如何办理峰谷电价' });
    const clients = [agent, agent2, supervisor];
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => clients[i % 3].workorder.claim.mutate({ orderId: o.id })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason.data.code).toBe('CONFLICT');
    }
    const doc = (await WorkOrderModel.findById(o.id).lean())!;
    expect(doc.version).toBe(1);
    expect(doc.timeline.filter((t) => t.action === 'claim')).toHaveLength(1);
    expect(await EventModel.countDocuments({ orderId: doc._id, type: 'workorder.claim' })).toBe(1);
  });

  it('a stale screen (old version) gets CONFLICT and changes nothing', async () => {
    const o = await resident.workorder.create.mutate({ type: 'opinion', description: '建议在小程序里增加用电分析', category: '线上渠道' });
    await agent.workorder.claim.mutate({ orderId: o.id, version: 0 });
    const e = await expectTrpcError(agent2.workorder.process.mutate({ orderId: o.id, version: 0 }), 'CONFLICT');
    expect(e.message).toBe('工单状态已变化，请刷新后重试');
    expect((await WorkOrderModel.findById(o.id).lean())!.version).toBe(1);
  });

  it('the queue sorts by priority then deadline and filters', async () => {
    const q = await agent.workorder.queue.query({ limit: 200 });
    const scores = q.items.map((i) => i.priority.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const complaints = await agent.workorder.queue.query({ types: ['complaint'] });
    expect(complaints.items.every((i) => i.type === 'complaint')).toBe(true);
    expect(complaints.total).toBeGreaterThan(0);
    expect((await agent.workorder.queue.query({ priority: ['urgent'] })).items.every((i) => i.priority.label === '紧急')).toBe(true);
  });
});

describe('object-level access', () => {
  it("a crew acting on another crew's order: FORBIDDEN/NOT_FOUND and nothing changed", async () => {
    const [mineCrew, otherCrew] = await crewsForMyRegion();
    const outsider = await crewMember(otherCrew._id, 'outsider1');
    const o = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: myAccountId,
      faultKind: 'flicker',
      description: '灯一直闪烁不停',
    });
    await dispatcher.workorder.dispatch.mutate({ orderId: o.id, crewId: String(mineCrew._id) });
    const before = (await WorkOrderModel.findById(o.id).lean())!;
    for (const call of [
      () => outsider.workorder.accept.mutate({ orderId: o.id }),
      () => outsider.workorder.returnForRedispatch.mutate({ orderId: o.id, reason: '不想去' }),
      () => outsider.workorder.get.query({ orderId: o.id }),
    ]) {
      const err = await call().then(
        () => null,
        (e) => e.data.code,
      );
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(err);
    }
    // Customers and agents cannot take crew steps at all.
    await expectTrpcError(resident.workorder.accept.mutate({ orderId: o.id }), 'FORBIDDEN');
    await expectTrpcError(agent.workorder.accept.mutate({ orderId: o.id }), 'FORBIDDEN');
    const after = (await WorkOrderModel.findById(o.id).lean())!;
    expect(after.version).toBe(before.version);
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(after.status).toBe('dispatched');
  });

  it("another customer's account or order → NOT_FOUND", async () => {
    const other = await AccountModel.findOne({ number: DEMO.bindable.number }).lean();
    await expectTrpcError(
      resident.workorder.create.mutate({
        type: 'fault_repair',
        accountId: String(other!._id),
        faultKind: 'whole_house_outage',
        description: '整户停电了呀',
      }),
      'NOT_FOUND',
    );
    const stranger = await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, 'stranger-wo') });
    const s = api.client(stranger.accessToken);
    const mine = await resident.workorder.mine.query();
    expect(mine.length).toBeGreaterThan(0);
    await expectTrpcError(s.workorder.get.query({ orderId: mine[0].id }), 'NOT_FOUND');
    await expectTrpcError(s.workorder.rate.mutate({ orderId: mine[0].id, stars: 1 }), 'NOT_FOUND');
    expect(await s.workorder.mine.query()).toEqual([]);
    await expectTrpcError(s.workorder.get.query({ orderId: new Types.ObjectId().toString() }), 'NOT_FOUND');
    // Enterprise users see their enterprise's orders only.
    const ent = await login('ent_admin');
    // (The seed gives the enterprise service applications of its own: none of them is the resident's.)
    expect((await ent.workorder.mine.query()).filter((o) => mine.some((m) => m.id === o.id))).toEqual([]);
    await expectTrpcError(ent.workorder.get.query({ orderId: mine[0].id }), 'NOT_FOUND');
    await expectTrpcError(resident.workorder.queue.query(), 'FORBIDDEN');
    // A tenant bound to the same account does not read the holder's orders (complaints are personal).
    const tenant = await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, 'tenant-wo') });
    await BindingModel.create({
      userId: new Types.ObjectId(tenant.user.id),
      accountId: new Types.ObjectId(myAccountId),
      relation: 'tenant',
      verifiedBy: 'holder_name',
    });
    const t = api.client(tenant.accessToken);
    expect(await t.workorder.mine.query()).toEqual([]);
    await expectTrpcError(t.workorder.get.query({ orderId: mine[0].id }), 'NOT_FOUND');
  });
});

describe('resent creates', () => {
  it('the same request id files one order however often it arrives (even at once); another user or id files its own', async () => {
    const input = { type: 'consultation' as const, category: '电价电费', description: '请问阶梯电价怎么计算？', requestId: 'req-4f1c2a9e-resend' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => resident.workorder.create.mutate(input)));
    expect(new Set(replies.map((r) => r.id)).size).toBe(1);
    expect(await WorkOrderModel.countDocuments({ description: input.description })).toBe(1);
    const again = await resident.workorder.create.mutate(input);
    expect(again).toMatchObject({ id: replies[0].id, orderNo: replies[0].orderNo });
    const other = api.client((await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, 'resend-other') })).accessToken);
    const theirs = await other.workorder.create.mutate(input);
    expect(theirs.id).not.toBe(replies[0].id);
    const fresh = await resident.workorder.create.mutate({ ...input, requestId: 'req-4f1c2a9e-second' });
    expect(fresh.id).not.toBe(replies[0].id);
    expect(await WorkOrderModel.countDocuments({ description: input.description })).toBe(3);
    await expectTrpcError(resident.workorder.create.mutate({ ...input, requestId: 'bad id!' }), 'BAD_REQUEST');
  });
});

describe('photos', () => {
  it("signed links open the photos the caller may see; customers never get an internal entry's photo; a link opens only its own photo", async () => {
    const mine = await resident.workorder.uploadPhoto.mutate({ dataUrl: png });
    const o = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: myAccountId,
      faultKind: 'meter_problem',
      description: '电表屏幕不亮，拍了照片',
      photos: [mine.id],
    });
    // A staff photo on an internal entry (e.g. a site survey shared between teams).
    const internal = await agent.workorder.uploadPhoto.mutate({ dataUrl: png });
    await WorkOrderModel.updateOne(
      { _id: o.id },
      {
        $push: {
          timeline: {
            actorId: null,
            actorRole: 'agent',
            actorName: null,
            action: 'note',
            from: 'reported',
            to: 'reported',
            at: new Date(),
            note: '现场照片',
            visibility: 'internal',
            attachments: [internal.id],
          },
        },
      },
    );
    const forResident = await resident.workorder.photoLinks.query({ orderId: o.id });
    expect(forResident.map((l) => l.id)).toEqual([mine.id]);
    expect((await agent.workorder.photoLinks.query({ orderId: o.id })).map((l) => l.id).sort()).toEqual([mine.id, internal.id].sort());
    const stranger = api.client((await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, 'stranger-photo') })).accessToken);
    await expectTrpcError(stranger.workorder.photoLinks.query({ orderId: o.id }), 'NOT_FOUND');

    // The link serves the image itself, with no cookie or header, privately cached.
    const url = `${api.url}${forResident[0].url}`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toMatch(/^private/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(PNG_1PX, 'base64'));
    // The same token on another photo's path, a tampered token, no token, or an access token: refused.
    const token = new URL(url).searchParams.get('token')!;
    expect((await fetch(`${api.url}/files/photos/${internal.id}?token=${token}`)).status).toBe(403);
    expect((await fetch(`${api.url}/files/photos/${mine.id}?token=${token.slice(0, -3)}abc`)).status).toBe(401);
    expect((await fetch(`${api.url}/files/photos/${mine.id}`)).status).toBe(401);
    expect((await fetch(`${api.url}/files/photos/${mine.id}?token=${residentToken}`)).status).toBe(401);
    expect((await fetch(`${api.url}/files/photos/not-an-id?token=${token}`)).status).toBe(404);
  });
});

describe('bad input: clear Chinese errors, nothing stored', () => {
  it('refuses incomplete orders', async () => {
    const before = await WorkOrderModel.countDocuments();
    const e1 = await expectTrpcError(
      resident.workorder.create.mutate({ type: 'fault_repair', accountId: myAccountId, description: '停电' } as never),
      'BAD_REQUEST',
    );
    expect(e1.message).toBe('问题描述至少5个字');
    const e2 = await expectTrpcError(
      resident.workorder.create.mutate({ type: 'fault_repair', accountId: myAccountId, description: '家里整户没电了' }),
      'BAD_REQUEST',
    );
    expect(e2.message).toBe('请选择故障类型');
    const e3 = await expectTrpcError(
      resident.workorder.create.mutate({ type: 'fault_repair', faultKind: 'flicker', description: '家里灯一直闪' }),
      'BAD_REQUEST',
    );
    expect(e3.message).toBe('请选择户号');
    const e4 = await expectTrpcError(resident.workorder.create.mutate({ type: 'bogus', description: '随便写写看看' } as never), 'BAD_REQUEST');
    expect(e4.message).toBe('请选择工单类型');
    const e5 = await expectTrpcError(
      resident.workorder.create.mutate({ type: 'consultation', description: '问个问题看看', photos: [new Types.ObjectId().toString()] }),
      'BAD_REQUEST',
    );
    expect(e5.message).toContain('照片不存在');
    expect(await WorkOrderModel.countDocuments()).toBe(before);
  });

  it('refuses non-images, disguised files and photos over 5 MB', async () => {
    const before = await PhotoModel.countDocuments();
    const cases: [string, string][] = [
      ['data:text/plain;base64,aGVsbG8=', '仅支持 PNG、JPEG 或 WebP 图片'],
      [`data:image/png;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`, '文件内容不是有效的图片'],
      [`data:image/jpeg;base64,${PNG_1PX}`, '图片类型与内容不符'],
      ['not a data url', '图片格式不正确，请上传 PNG、JPEG 或 WebP 图片'],
      [
        `data:image/png;base64,${Buffer.concat([Buffer.from(PNG_1PX, 'base64'), Buffer.alloc(5 * 1024 * 1024)]).toString('base64')}`,
        '图片不能超过5MB',
      ],
    ];
    for (const [dataUrl, message] of cases) {
      const e = await expectTrpcError(resident.workorder.uploadPhoto.mutate({ dataUrl }), 'BAD_REQUEST');
      expect(e.message).toBe(message);
    }
    expect(await PhotoModel.countDocuments()).toBe(before);
    // Just under the limit is fine.
    const big = Buffer.concat([Buffer.from(PNG_1PX, 'base64'), Buffer.alloc(5 * 1024 * 1024 - 100)]);
    const ok = await resident.workorder.uploadPhoto.mutate({ dataUrl: `data:image/png;base64,${big.toString('base64')}` });
    expect(ok.size).toBe(big.length);
  });

  it('rating needs 1–5 stars', async () => {
    const mine = await resident.workorder.mine.query();
    const e = await expectTrpcError(resident.workorder.rate.mutate({ orderId: mine[0].id, stars: 0 }), 'BAD_REQUEST');
    expect(e.message).toBe('满意度评分为1到5星');
  });
});

describe('live queue over SSE', () => {
  it('streams new orders to staff and resumes from lastEventId', async () => {
    const token = (await api.client().auth.passwordLogin.mutate({ username: 'agent01', password: DEMO.password })).accessToken!;
    const sse = liveClient(api.url, token);
    const got: { id: string; data: { type: string; payload: Record<string, unknown> } }[] = [];
    let started!: () => void;
    const ready = new Promise<void>((r) => (started = r));
    const sub = sse.workorder.live.subscribe(undefined, {
      onStarted: () => started(),
      onData: (d) => got.push(d as never),
    });
    await ready;
    await new Promise((r) => setTimeout(r, 300));
    const o = await resident.workorder.create.mutate({ type: 'praise', description: '抢修师傅很负责，点赞', category: '抢修人员' });
    const deadline = Date.now() + 5000;
    while (!got.some((g) => g.data.payload.orderId === o.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    sub.unsubscribe();
    const ev = got.find((g) => g.data.payload.orderId === o.id)!;
    expect(ev.data.type).toBe('workorder.created');
    expect(ev.data.payload).toMatchObject({ orderNo: o.orderNo, orderType: 'praise' });
    expect(JSON.stringify(got)).not.toContain(DEMO.residentPhone);

    // Resume: events after the last id we saw, including ones written while we were away.
    await agent.workorder.claim.mutate({ orderId: o.id });
    const resumed: { id: string; data: { type: string } }[] = [];
    const sub2 = sse.workorder.live.subscribe({ lastEventId: ev.id }, { onData: (d) => resumed.push(d as never) });
    const d2 = Date.now() + 5000;
    while (!resumed.some((g) => g.data.type === 'workorder.claim') && Date.now() < d2) await new Promise((r) => setTimeout(r, 100));
    sub2.unsubscribe();
    expect(resumed.map((r) => r.data.type)).toContain('workorder.claim');
    expect(Number(resumed[0].id)).toBeGreaterThan(Number(ev.id));

    // Customers may not listen.
    const res = await fetch(`${api.url}/trpc/workorder.live`, { headers: { authorization: `Bearer ${residentToken}`, accept: 'text/event-stream' } });
    const body = await res.text();
    expect(body).toContain('FORBIDDEN');
  });
});
