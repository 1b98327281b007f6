import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { expectTrpcError, liveClient, startTestApi, type TestApi } from '../../testing/harness';
import { hashPassword } from '../auth/password';
import type { AccessClaims } from '../auth/tokens';
import { identityKey, UserModel } from '../auth/user.model';
import { EnterpriseModel } from '../accounts/account.model';
import { InAppNotificationModel } from '../events/event.model';
import { EnterpriseThreadMessageModel } from './thread.model';
import { sendMessage, warnUnanswered } from './thread.service';

let api: TestApi;
const tokens: Record<string, string> = {};
async function token(username: string) {
  tokens[username] ??= (await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password })).accessToken!;
  return tokens[username];
}
const as = async (username: string) => api.client(await token(username));
const sh = (local: string) => new Date(`${local}:00+08:00`);

let entId: string;
let otherEntId: string;
let thirdEntId: string;

async function addUser(username: string, doc: Record<string, unknown>) {
  await UserModel.create({
    identityKey: identityKey.password(username),
    username,
    passwordHash: await hashPassword(DEMO.password),
    ...doc,
  });
}

async function claimsOf(username: string): Promise<AccessClaims> {
  const u = (await UserModel.findOne({ username }).lean())!;
  return {
    sub: String(u._id),
    kind: u.kind as AccessClaims['kind'],
    roles: u.roles as AccessClaims['roles'],
    sid: 'test',
    ent: u.enterpriseId ? String(u.enterpriseId) : null,
    crew: null,
  };
}

/** Opens someone's live thread stream and collects what reaches it. */
async function openLive(username: string) {
  const sse = liveClient(api.url, await token(username));
  const got: { type: string; enterpriseId: string; side: string | null }[] = [];
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const sub = sse.entMessages.live.subscribe(undefined, {
    onStarted: () => started(),
    onData: (d) => got.push((d as { data: { type: string; enterpriseId: string; side: string | null } }).data),
  });
  await ready;
  return { got, close: () => sub.unsubscribe() };
}
const waitFor = async (ok: () => boolean, ms = 8000) => {
  const until = Date.now() + ms;
  while (!ok() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
};

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 50 });
  const ents = await EnterpriseModel.find({}, { name: 1 }).lean();
  entId = String(ents.find((e) => e.name === DEMO.enterpriseName)!._id);
  otherEntId = String(ents.find((e) => e.name === DEMO.otherEnterpriseName)!._id);
  const third = await EnterpriseModel.create({ name: '长沙湘江物流有限公司', creditCode: '91430100MA4LT00003', tier: 'B', verified: true });
  thirdEntId = String(third._id);
  // A second account manager, serving only a third enterprise.
  await addUser('manager_t2', { kind: 'staff', roles: ['account_manager'], displayName: '邓经理', workPhone: '0731-85550002' });
  const m2 = (await UserModel.findOne({ username: 'manager_t2' }).lean())!;
  await EnterpriseModel.updateOne({ _id: third._id }, { $set: { accountManagerId: m2._id } });
  // The other demo enterprise gets its own manager too, so manager01 serves only 长沙星城.
  await EnterpriseModel.updateOne({ _id: otherEntId }, { $set: { accountManagerId: m2._id } });
  await UserModel.updateOne({ username: 'manager01' }, { $set: { workPhone: '0731-85550001' } });
  await addUser('ent_leaver', {
    kind: 'enterprise',
    roles: ['enterprise_finance'],
    displayName: '离职会计',
    enterpriseId: new Types.ObjectId(entId),
  });
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

describe('the account manager card', () => {
  it("shows the enterprise's manager with a work phone to every enterprise role", async () => {
    for (const u of ['ent_admin', 'ent_finance', 'ent_elec']) {
      const r = await (await as(u)).entMessages.manager.query();
      expect(r.manager).toMatchObject({ name: '何经理', workPhone: '0731-85550001' });
      expect(r.enterprise.name).toBe(DEMO.enterpriseName);
    }
    await expectTrpcError((await as('agent01')).entMessages.manager.query(), 'FORBIDDEN');
  });
});

describe('the thread: messages, unread counts, read marks', () => {
  it('a customer message reaches the manager as unread; the reply reaches the enterprise as unread; reading clears it', async () => {
    const admin = await as('ent_admin');
    const elec = await as('ent_elec');
    const mgr = await as('manager01');
    const before = await mgr.entMessages.unread.query();
    const elecBefore = (await elec.entMessages.unread.query()).count; // the seeded conversation, never opened by the liaison
    const sent = await admin.entMessages.send.mutate({ text: '下月要增容，想约个时间沟通一下', clientKey: 'test-key-0001' });
    expect(sent).toMatchObject({ side: 'customer', authorName: '王经理', mine: true, read: false });
    // A retried send (lost answer) stores nothing twice.
    const again = await admin.entMessages.send.mutate({ text: '下月要增容，想约个时间沟通一下', clientKey: 'test-key-0001' });
    expect(again.id).toBe(sent.id);

    expect((await mgr.entMessages.unread.query()).count).toBe(before.count + 1);
    const box = await mgr.entMessages.inbox.query();
    expect(box.readOnly).toBe(false);
    expect(box.rows.map((r) => r.enterpriseId)).toEqual([entId]); // only their enterprises
    expect(box.rows[0]).toMatchObject({ enterpriseName: DEMO.enterpriseName, unread: 1, lastSide: 'customer' });
    expect(box.rows[0].waiting).toMatchObject({ overdue: false });

    const thread = await mgr.entMessages.thread.query({ enterpriseId: entId });
    expect(thread.messages.at(-1)).toMatchObject({ text: '下月要增容，想约个时间沟通一下', mine: false, side: 'customer' });
    await mgr.entMessages.markRead.mutate({ enterpriseId: entId });
    expect((await mgr.entMessages.unread.query()).count).toBe(before.count);
    // The sender sees the read receipt.
    expect((await admin.entMessages.thread.query()).messages.at(-1)).toMatchObject({ id: sent.id, read: true });

    await mgr.entMessages.send.mutate({ enterpriseId: entId, text: '好的，明天上午十点电话联系您' });
    expect((await admin.entMessages.unread.query()).count).toBe(1);
    expect((await elec.entMessages.unread.query()).count).toBe(elecBefore + 1); // each enterprise user has their own mark
    const t = await admin.entMessages.thread.query();
    expect(t.waiting).toBeNull(); // answered
    await admin.entMessages.markRead.mutate({});
    expect((await admin.entMessages.unread.query()).count).toBe(0);
    expect((await elec.entMessages.unread.query()).count).toBe(elecBefore + 1);
    expect((await mgr.entMessages.inbox.query()).rows[0].waiting).toBeNull();
  });

  it('refuses an empty message and one over 2000 characters', async () => {
    const admin = await as('ent_admin');
    await expectTrpcError(admin.entMessages.send.mutate({ text: '   ' }), 'BAD_REQUEST');
    const e = await expectTrpcError(admin.entMessages.send.mutate({ text: '字'.repeat(2001) }), 'BAD_REQUEST');
    expect(e.message).toContain('2000');
  });

  it('attachments: only the sender’s own uploads; signed links for the thread’s people', async () => {
    const admin = await as('ent_admin');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const file = await admin.files.upload.mutate({
      purpose: 'message_attachment',
      name: '增容申请.pdf',
      dataUrl: `data:application/pdf;base64,${pdf.toString('base64')}`,
    });
    const m = await admin.entMessages.send.mutate({ text: '附上申请材料', attachmentIds: [file.id] });
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ name: '增容申请.pdf', mime: 'application/pdf' });
    expect(m.attachments[0].url).toMatch(/^\/files\/docs\/[0-9a-f]{24}\?token=/);
    const seen = await (await as('manager01')).entMessages.thread.query({ enterpriseId: entId });
    const link = seen.messages.find((x) => x.id === m.id)!.attachments[0];
    const res = await fetch(`${api.url}${link.url}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    // Someone else's upload cannot be attached.
    await expectTrpcError((await as('ent_elec')).entMessages.send.mutate({ text: '转发', attachmentIds: [file.id] }), 'BAD_REQUEST');
  });
});

describe('who reaches a thread', () => {
  it("another enterprise's user, a manager of another enterprise and a removed user are refused", async () => {
    const other = await as('other_ent_admin');
    await expectTrpcError(other.entMessages.thread.query({ enterpriseId: entId }), 'NOT_FOUND');
    await expectTrpcError(other.entMessages.send.mutate({ enterpriseId: entId, text: '你好' }), 'NOT_FOUND');
    // Their own thread is theirs alone: nothing of 长沙星城's in it.
    const own = await other.entMessages.thread.query();
    expect(own.enterprise.id).toBe(otherEntId);
    expect(own.messages.every((m) => !m.text.includes('增容'))).toBe(true);

    const m2 = await as('manager_t2');
    await expectTrpcError(m2.entMessages.thread.query({ enterpriseId: entId }), 'NOT_FOUND');
    await expectTrpcError(m2.entMessages.send.mutate({ enterpriseId: entId, text: '您好' }), 'NOT_FOUND');
    expect((await m2.entMessages.inbox.query()).rows.map((r) => r.enterpriseId).sort()).toEqual([otherEntId, thirdEntId].sort());

    const leaver = await as('ent_leaver');
    expect((await leaver.entMessages.thread.query()).enterprise.id).toBe(entId);
    await UserModel.updateOne({ username: 'ent_leaver' }, { $set: { enterpriseId: null } }); // removed from the enterprise
    await expectTrpcError(leaver.entMessages.thread.query(), 'NOT_FOUND');
    await expectTrpcError(leaver.entMessages.send.mutate({ text: '还能发吗' }), 'NOT_FOUND');
    await expectTrpcError(leaver.entMessages.unread.query(), 'NOT_FOUND');

    // Roles without a thread: the gate refuses.
    await expectTrpcError((await as('agent01')).entMessages.thread.query({ enterpriseId: entId }), 'FORBIDDEN');
    await expectTrpcError((await as('dispatcher01')).entMessages.inbox.query(), 'FORBIDDEN');
  });

  it('supervisors read every thread but do not write or move read marks', async () => {
    const sup = await as('supervisor01');
    const box = await sup.entMessages.inbox.query();
    expect(box.readOnly).toBe(true);
    expect(box.rows.map((r) => r.enterpriseId)).toContain(entId);
    const t = await sup.entMessages.thread.query({ enterpriseId: entId });
    expect(t.canWrite).toBe(false);
    expect(t.messages.length).toBeGreaterThan(0);
    await expectTrpcError(sup.entMessages.send.mutate({ enterpriseId: entId, text: '我来回复' }), 'FORBIDDEN');
  });
});

describe('live delivery, filtered per subscriber', () => {
  it("each side gets its own thread's events only", async () => {
    const admin = await openLive('ent_admin');
    const other = await openLive('other_ent_admin');
    const mgr = await openLive('manager01');
    const m2 = await openLive('manager_t2');
    await new Promise((r) => setTimeout(r, 300));
    await (await as('ent_elec')).entMessages.send.mutate({ text: '1号车间电压偏低' });
    await (await as('manager01')).entMessages.send.mutate({ enterpriseId: entId, text: '已安排台区经理今天下午去看' });
    await (await as('other_ent_admin')).entMessages.send.mutate({ text: '我们想咨询峰谷电价' });
    await waitFor(
      () =>
        admin.got.filter((e) => e.type === 'entmsg.posted').length >= 2 &&
        mgr.got.filter((e) => e.type === 'entmsg.posted').length >= 2 &&
        other.got.some((e) => e.type === 'entmsg.posted') &&
        m2.got.some((e) => e.type === 'entmsg.posted'),
    );
    await new Promise((r) => setTimeout(r, 500));
    for (const c of [admin, other, mgr, m2]) c.close();
    expect(admin.got.filter((e) => e.type === 'entmsg.posted').map((e) => e.side)).toEqual(['customer', 'manager']);
    expect(admin.got.every((e) => e.enterpriseId === entId)).toBe(true);
    expect(mgr.got.every((e) => e.enterpriseId === entId)).toBe(true);
    expect(other.got.every((e) => e.enterpriseId === otherEntId)).toBe(true);
    expect(m2.got.every((e) => e.enterpriseId !== entId)).toBe(true);
    expect(m2.got.some((e) => e.enterpriseId === otherEntId)).toBe(true);
  });
});

describe('the 30-minute promise', () => {
  it('warns the manager once per waiting message, by service time only', async () => {
    // Friday 17:20: due at 08:50 on Monday — nothing on Saturday, one warning on Monday, none after.
    const elec = await claimsOf('ent_elec');
    const m = await sendMessage(api.services, elec, { text: '周五傍晚的留言' }, sh('2026-12-04T17:20'));
    const doc = (await EnterpriseThreadMessageModel.findById(m.id).lean())!;
    expect(doc.replyDueAt).toEqual(sh('2026-12-07T08:50'));
    await warnUnanswered(sh('2026-12-05T10:00'));
    expect((await EnterpriseThreadMessageModel.findById(m.id).lean())!.warnedAt).toBeNull();
    await warnUnanswered(sh('2026-12-07T08:49'));
    expect((await EnterpriseThreadMessageModel.findById(m.id).lean())!.warnedAt).toBeNull();
    await warnUnanswered(sh('2026-12-07T08:51'));
    await Promise.all([warnUnanswered(sh('2026-12-07T09:00')), warnUnanswered(sh('2026-12-07T09:00'))]);
    expect((await EnterpriseThreadMessageModel.findById(m.id).lean())!.warnedAt).toEqual(sh('2026-12-07T08:51'));
    const notes = await InAppNotificationModel.find({ key: { $regex: `:${m.id}:reply_due$` } }).lean();
    expect(notes).toHaveLength(1);
    const manager = (await UserModel.findOne({ username: 'manager01' }).lean())!;
    expect(String(notes[0].recipientUserId)).toBe(String(manager._id));
    expect(notes[0].body).toContain(DEMO.enterpriseName);
    // The manager sees it among their warnings and the inbox highlights the thread as overdue.
    const mgr = await as('manager01');
    expect((await mgr.entMessages.warnings.query()).some((w) => w.id === String(notes[0]._id))).toBe(true);
  });

  it('an answered message never warns', async () => {
    const elec = await claimsOf('ent_elec');
    const mgr = await claimsOf('manager01');
    const m = await sendMessage(api.services, elec, { text: '周四上午的留言' }, sh('2026-12-03T10:00'));
    await sendMessage(api.services, mgr, { enterpriseId: entId, text: '收到' }, sh('2026-12-03T10:10'));
    await warnUnanswered(sh('2026-12-03T11:00'));
    const doc = (await EnterpriseThreadMessageModel.findById(m.id).lean())!;
    expect(doc.answeredAt).toEqual(sh('2026-12-03T10:10'));
    expect(doc.warnedAt).toBeNull();
    expect(await InAppNotificationModel.countDocuments({ key: { $regex: `:${m.id}:reply_due$` } })).toBe(0);
  });
});
