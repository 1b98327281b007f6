import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { sweepSlaMarks } from '../../jobs/sla-sweep';
import type { AccessClaims } from '../auth/tokens';
import { CrewModel, UserModel } from '../auth/user.model';
import { AccountModel, CustomerModel, EnterpriseModel } from '../accounts/account.model';
import { AuditLogModel } from '../audit/audit.model';
import { InAppNotificationModel } from '../events/event.model';
import { GridNodeModel } from '../grid/grid.model';
import { TeamModel, type Team } from '../staff/team.model';
import { WorkOrderModel } from '../workorders/workorder.model';
import { applyStep, createSystemOrder } from '../workorders/workorder.service';
import { CustomerContactsModel, SupervisionItemModel, WeeklyReportModel } from './warning.model';
import { anomaliesFor, refreshAreaCounts, refreshBoardSnapshot, warningBoard, warningScope } from './warning.service';
import { evaluateCustomer } from './sensitive.service';
import { followEvents } from './warnings.jobs';
import { dueReportWeek, generateWeeklyReport, pdfBytes, weekStartOf } from './weekly-report.service';
import { shanghaiDays, shanghaiMidnight } from './anomaly.rules';

let api: TestApi;
const tokens: Record<string, string> = {};
async function as(username: string) {
  tokens[username] ??= (await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password })).accessToken!;
  return api.client(tokens[username]);
}
async function claimsOf(username: string): Promise<AccessClaims> {
  const u = (await UserModel.findOne({ username }).lean())!;
  return {
    sub: String(u._id),
    kind: 'staff',
    roles: u.roles as AccessClaims['roles'],
    sid: 'test',
    ent: null,
    crew: u.crewId ? String(u.crewId) : null,
  };
}
const ago = (min: number) => new Date(Date.now() - min * 60_000);
/**
 * Follows the event log until `ok` holds: the background job of the test API runs the same code at the same time,
 * and a reader stops for a moment at a sequence hole another writer left open (events/event.service GAP_GRACE_MS).
 */
async function settle(ok: () => Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    await followEvents();
    if ((await ok()) || Date.now() > until) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

let crew01Crew: { _id: Types.ObjectId; name: string };
let region1: Types.ObjectId;

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 60 });
  const crew01 = (await UserModel.findOne({ username: 'crew01' }).lean())!;
  crew01Crew = (await CrewModel.findById(crew01.crewId).lean()) as never;
  region1 = (await GridNodeModel.findOne({ kind: 'region', code: 'R1' }).lean())!._id;
});
afterAll(async () => {
  await api?.stop();
});

async function accountNo(number: string) {
  return (await AccountModel.findOne({ number }).lean())!;
}

describe('orders approaching their deadline', () => {
  it('shows an order past its 80% mark, not one already overdue, to the supervisor of its region only', async () => {
    const acc = await accountNo(DEMO.bindable.number);
    // 2 h answer promise, 100 minutes in: past 80%, 20 minutes left.
    const near = await createSystemOrder({
      type: 'consultation',
      accountId: acc._id,
      category: '电价咨询',
      description: '咨询阶梯电价',
      department: 'desk',
      now: ago(100),
    });
    // 2 h promise, 130 minutes in: breached.
    const late = await createSystemOrder({
      type: 'consultation',
      accountId: acc._id,
      category: '电价咨询',
      description: '咨询峰谷电价',
      department: 'desk',
      now: ago(130),
    });
    // Just opened: far from its deadline.
    const fresh = await createSystemOrder({
      type: 'consultation',
      accountId: acc._id,
      category: '电价咨询',
      description: '咨询电费',
      department: 'desk',
      now: ago(1),
    });
    await refreshBoardSnapshot();
    const board = await warningBoard(await claimsOf('supervisor01'));
    const nos = board.nearDeadline.map((o) => o.orderNo);
    expect(nos).toContain(near.orderNo);
    expect(nos).not.toContain(late.orderNo);
    expect(nos).not.toContain(fresh.orderNo);
    const row = board.nearDeadline.find((o) => o.orderNo === near.orderNo)!;
    expect(row.countdown?.overdue).toBe(false);
    expect(row.countdown?.label).toMatch(/^答复时限剩余(19|20)分钟$/);
    expect(row.regionName).toBe('岳麓区供电所');
    // supervisor02 leads regions 5–8: not theirs.
    const other = await warningBoard(await claimsOf('supervisor02'));
    expect(other.nearDeadline.map((o) => o.orderNo)).not.toContain(near.orderNo);
    // Through the API: a dispatcher reads the board, an agent may not.
    const viaApi = await (await as('dispatcher01')).warnings.board.query();
    expect(viaApi.nearDeadline.map((o) => o.orderNo)).toContain(near.orderNo);
    await expectTrpcError((await as('agent01')).warnings.board.query(), 'FORBIDDEN');
  });

  it('computes backlog per region from the crews’ capacity', async () => {
    const board = await warningBoard(await claimsOf('supervisor01'));
    expect(board.backlog.map((b) => b.regionName).sort()).toEqual(['天心区供电所', '岳麓区供电所', '开福区供电所', '芙蓉区供电所'].sort());
    const r1 = board.backlog.find((b) => b.regionName === '岳麓区供电所')!;
    const crews = await CrewModel.find({ regionId: region1 }).lean();
    expect(r1.capacity).toBe(crews.reduce((s, c) => s + c.capacity, 0));
    const open = await WorkOrderModel.countDocuments({
      regionId: region1,
      type: 'fault_repair',
      status: { $in: ['reported', 'dispatched', 'accepted', 'arrived'] },
    });
    expect(r1.open).toBe(open);
    expect(r1.over).toBe(open > r1.capacity);
  });
});

describe('督办 inbox', () => {
  let orderId: string;
  let itemId: string;

  it('turns the SLA sweep’s escalation into one 待处理 item, seen by the region’s supervisor', async () => {
    const acc = await accountNo(DEMO.bindable.number);
    const o = await createSystemOrder({
      type: 'fault_repair',
      accountId: acc._id,
      category: '整户停电',
      description: '家里整户没电',
      department: 'repair',
      now: ago(30),
    });
    orderId = o.orderId;
    const swept = await sweepSlaMarks({ now: new Date() });
    expect(swept.fired).toBeGreaterThan(0);
    await settle(async () => (await SupervisionItemModel.countDocuments({ orderId: new Types.ObjectId(orderId) })) > 0);
    await followEvents(); // again: nothing new
    const items = await SupervisionItemModel.find({ orderId: new Types.ObjectId(orderId) }).lean();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ state: 'open', source: 'sla', deadlineKind: 'dispatch', orderNo: o.orderNo });
    itemId = String(items[0]._id);
    const inbox = await (await as('supervisor01')).warnings.supervision.query({ state: 'open' });
    expect(inbox.items.map((i) => i.orderNo)).toContain(o.orderNo);
    const mine = inbox.items.find((i) => i.id === itemId)!;
    expect(mine).toMatchObject({ stateLabel: '待处理', deadlineLabel: '派单时限', sourceLabel: '超时自动督办', orderTypeLabel: '故障报修' });
    expect((await (await as('supervisor01')).warnings.supervisionCount.query()).count).toBeGreaterThanOrEqual(1);
    // Another region's supervisor neither lists nor acts on it.
    const other = await (await as('supervisor02')).warnings.supervision.query({ state: 'all' });
    expect(other.items.map((i) => i.id)).not.toContain(itemId);
    await expectTrpcError((await as('supervisor02')).warnings.acknowledge.mutate({ id: itemId }), 'NOT_FOUND');
  });

  it('acknowledges (who, when), takes comments, refuses a second acknowledgement', async () => {
    const sup = await as('supervisor01');
    const acked = await sup.warnings.acknowledge.mutate({ id: itemId });
    expect(acked).toMatchObject({ state: 'acknowledged', stateLabel: '已签收', ackByName: '马值班长' });
    expect(acked.ackAt).not.toBeNull();
    await expectTrpcError(sup.warnings.acknowledge.mutate({ id: itemId }), 'CONFLICT');
    const commented = await sup.warnings.comment.mutate({ id: itemId, text: '已电话联系配抢指挥' });
    expect(commented.comments.at(-1)).toMatchObject({ byName: '马值班长', text: '已电话联系配抢指挥' });
  });

  it('urges: refused before dispatch; then notifies the crew’s members and notes it on the order', async () => {
    const sup = await as('supervisor01');
    await expectTrpcError(sup.warnings.urge.mutate({ id: itemId, text: '请尽快派单' }), 'CONFLICT');
    await applyStep(await claimsOf('dispatcher01'), 'dispatch', { orderId, crewId: String(crew01Crew._id) });
    const urged = await sup.warnings.urge.mutate({ id: itemId, text: '客户多次来电，请尽快到场' });
    expect(urged.urges.at(-1)?.to).toContain(crew01Crew.name);
    const crew01 = (await UserModel.findOne({ username: 'crew01' }).lean())!;
    const notes = await InAppNotificationModel.find({ recipientUserId: crew01._id, kind: 'supervision.urge' }).lean();
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain('客户多次来电，请尽快到场');
    const order = (await WorkOrderModel.findById(orderId).lean())!;
    // (The background SLA sweep may add its own marks after it: look for the note.)
    const note = order.timeline.filter((e) => e.action === 'note').at(-1)!;
    expect(note).toMatchObject({ action: 'note', visibility: 'internal', actorRole: 'supervisor' });
    expect(note.note).toContain('督办催办（马值班长）：客户多次来电，请尽快到场');
    // The crew sees it in their notices, and can mark it read.
    const crew = await as('crew01');
    const seen = await crew.warnings.myNotices.query();
    expect(seen.map((n) => n.title)).toContain(`督办催办：${order.orderNo}`);
    await crew.warnings.readNotice.mutate({ id: seen[0].id });
    expect(await crew.warnings.myNotices.query()).toHaveLength(0);
  });

  it('closes itself (已办结) when the order is resolved', async () => {
    const crew = await claimsOf('crew01');
    await applyStep(crew, 'accept', { orderId });
    await applyStep(crew, 'arrive', { orderId });
    await applyStep(crew, 'resolve', { orderId, notes: '更换熔丝，已恢复供电' });
    await settle(async () => (await SupervisionItemModel.findById(itemId).lean())?.state === 'resolved');
    const item = (await SupervisionItemModel.findById(itemId).lean())!;
    expect(item.state).toBe('resolved');
    expect(item.resolvedAt).not.toBeNull();
    await expectTrpcError((await as('supervisor01')).warnings.urge.mutate({ id: itemId }), 'CONFLICT');
  });

  it('takes a manual 督办 on an open order by its number, once at a time', async () => {
    const acc = await accountNo(DEMO.bindable.number);
    const o = await createSystemOrder({ type: 'consultation', accountId: acc._id, category: '电费', description: '电费疑问', department: 'desk' });
    const sup = await as('supervisor01');
    const item = await sup.warnings.createSupervision.mutate({ orderNo: o.orderNo, reason: '客户情绪激动，重点关注' });
    expect(item).toMatchObject({ source: 'manual', sourceLabel: '人工督办', state: 'acknowledged', reason: '客户情绪激动，重点关注' });
    await expectTrpcError(sup.warnings.createSupervision.mutate({ orderNo: o.orderNo, reason: '再次督办' }), 'CONFLICT');
    await expectTrpcError(sup.warnings.createSupervision.mutate({ orderNo: 'GD00000000-000000', reason: '不存在' }), 'NOT_FOUND');
    const order = (await WorkOrderModel.findById(o.orderId).lean())!;
    expect(order.timeline.filter((e) => e.action === 'note').at(-1)?.note).toContain('发起督办（马值班长）：客户情绪激动，重点关注');
  });
});

describe('customers turning sensitive', () => {
  it('flags two complaints in 12 months once, audited, routed to the grid-area manager, shown on screen-pop', async () => {
    const acc = await accountNo(DEMO.prepaid.number);
    await createSystemOrder({
      type: 'complaint',
      accountId: acc._id,
      category: '服务态度',
      description: '抢修人员态度差',
      department: 'desk',
      now: ago(60 * 24 * 90),
    });
    await followEvents();
    expect((await CustomerModel.findById(acc.customerId).lean())!.sensitive ?? null).toBeNull();
    await createSystemOrder({ type: 'complaint', accountId: acc._id, category: '停电', description: '频繁停电', department: 'desk' });
    await settle(async () => !!(await CustomerModel.findById(acc.customerId).lean())?.sensitive);
    await followEvents();
    await evaluateCustomer(acc.customerId); // once more by hand: still once
    const c = (await CustomerModel.findById(acc.customerId).lean())!;
    expect(c.sensitive).toMatchObject({ reason: 'complaints_12m', windowDays: 365 });
    expect(c.sensitive?.orderNos).toHaveLength(2);
    expect(await AuditLogModel.countDocuments({ action: 'customer.sensitive_flagged', targetId: String(acc.customerId) })).toBe(1);
    const mgr = (await UserModel.findOne({ username: 'areamgr01' }).lean())!;
    const routed = await InAppNotificationModel.find({ kind: 'warning.sensitive', key: `sensitive:${acc.customerId}` }).lean();
    expect(routed).toHaveLength(1);
    expect(String(routed[0].recipientUserId)).toBe(String(mgr._id));
    // Screen-pop: the badge's reason.
    const ctx = await (await as('agent01')).staff.callerContext.query({ customerId: String(acc.customerId) });
    expect(ctx.sensitive).toMatchObject({ reasonLabel: '12个月内投诉2次及以上' });
    // The board lists them for the supervisor of the region.
    const board = await warningBoard(await claimsOf('supervisor01'));
    expect(board.sensitive.map((s) => s.customerId)).toContain(String(acc.customerId));
  });

  it('flags three contacts within 7 days; an enterprise goes to its account manager', async () => {
    const ent = (await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean())!;
    const acc = (await AccountModel.findOne({ enterpriseId: ent._id }).lean())!;
    for (const [i, type] of (['fault_repair', 'consultation', 'fault_repair'] as const).entries())
      await createSystemOrder({
        type,
        accountId: acc._id,
        category: '用电',
        description: `第${i + 1}次来电`,
        department: 'desk',
        now: ago(60 * 24 * (5 - i)),
      });
    await settle(async () => !!(await CustomerModel.findById(acc.customerId).lean())?.sensitive);
    const c = (await CustomerModel.findById(acc.customerId).lean())!;
    expect(c.sensitive).toMatchObject({ reason: 'repeat_contacts_7d', windowDays: 7 });
    const doc = await CustomerContactsModel.findById(acc.customerId).lean();
    // Every order of the enterprise's customer is a contact (the seed's applications too): at least these three.
    expect(doc?.contacts.length).toBeGreaterThanOrEqual(3);
    const routed = await InAppNotificationModel.findOne({ key: `sensitive:${acc.customerId}` }).lean();
    expect(String(routed?.recipientUserId)).toBe(String(ent.accountManagerId));
  });
});

describe('areas above their usual level', () => {
  it('fires on a planted jump with its evidence; the counts come from the job’s small collection', async () => {
    const area = (await GridNodeModel.findOne({ kind: 'transformer_area', code: 'R2S2F3T4' }).lean())!;
    const days = shanghaiDays(new Date(), 29);
    const docs: Record<string, unknown>[] = [];
    let n = 0;
    const add = (day: string, k: number) => {
      for (let i = 0; i < k; i++)
        docs.push({
          orderNo: `HT${day.replaceAll('-', '')}-${String(n++).padStart(6, '0')}`,
          type: 'fault_repair',
          status: 'closed',
          transformerAreaId: area._id,
          regionId: area.regionId,
          createdAt: new Date(shanghaiMidnight(day).getTime() + 10 * 3600_000 + i * 60_000),
        });
    };
    for (const [i, d] of days.slice(0, -1).entries()) add(d, i % 3 === 0 ? 1 : 0); // about 1 every 3 days
    add(days.at(-1)!, 0);
    // Today: 7 reports by now (placed at midnight + minutes, so they are in the past).
    for (let i = 0; i < 7; i++)
      docs.push({
        orderNo: `HTJ-${i}`,
        type: 'fault_repair',
        status: 'closed',
        transformerAreaId: area._id,
        regionId: area.regionId,
        createdAt: new Date(shanghaiMidnight(days.at(-1)!).getTime() + i * 1000),
      });
    await WorkOrderModel.collection.insertMany(docs);
    const r = await refreshAreaCounts(new Date(), { full: true });
    expect(r.full).toBe(true);
    const all = await warningScope(await claimsOf('admin01'));
    const rows = await anomaliesFor(all);
    const hit = rows.find((a) => a.areaId === String(area._id) && a.metric === 'fault')!;
    expect(hit).toBeDefined();
    expect(hit).toMatchObject({
      count: 7,
      method: 'poisson',
      areaKind: 'transformer_area',
      areaName: area.name,
      metricLabel: '故障报修',
      regionName: '芙蓉区供电所',
    });
    expect(hit.baselineMean).toBeCloseTo(10 / 28, 2);
    expect(hit.limit).toBeLessThan(7);
    expect(hit.recent).toHaveLength(14);
    expect(hit.recent.at(-1)).toEqual({ day: days.at(-1), count: 7 });
    // A quiet area stays off the board.
    expect(rows.filter((a) => a.areaKind === 'transformer_area' && a.areaId !== String(area._id) && a.regionName === '芙蓉区供电所')).toEqual([]);
    // supervisor01 covers regions 1–4 (芙蓉区 is region 2): seen; supervisor02 not.
    expect((await warningBoard(await claimsOf('supervisor01'))).anomalies.map((a) => a.areaId)).toContain(String(area._id));
    expect((await warningBoard(await claimsOf('supervisor02'))).anomalies.map((a) => a.areaId)).not.toContain(String(area._id));
  });
});

describe('weekly team report', () => {
  it('is due from Monday 01:00 Shanghai for the week before', () => {
    // Monday 2026-11-30 00:30 Shanghai: not yet → the week of 11-16; 01:00 → the week of 11-23.
    expect(dueReportWeek(new Date('2026-11-29T16:30:00Z'))).toEqual({ weekStart: '2026-11-16', weekEnd: '2026-11-22' });
    expect(dueReportWeek(new Date('2026-11-29T17:00:00Z'))).toEqual({ weekStart: '2026-11-23', weekEnd: '2026-11-29' });
    expect(weekStartOf(new Date('2026-12-06T15:59:00Z'))).toBe('2026-11-30'); // Sunday 23:59
  });

  it('generates one PDF per team and week, with the team name; downloadable by its supervisor only', async () => {
    const team = (await TeamModel.findOne({ name: '热线一班' }).lean()) as unknown as Team;
    const week = dueReportWeek(new Date());
    await WeeklyReportModel.deleteMany({ teamId: team._id, weekStart: week.weekStart }); // the job may have made it already
    expect(await generateWeeklyReport(team, week)).toBe(true);
    expect(await generateWeeklyReport(team, week)).toBe(false);
    expect(await WeeklyReportModel.countDocuments({ teamId: team._id, weekStart: week.weekStart })).toBe(1);
    const doc = (await WeeklyReportModel.findOne({ teamId: team._id, weekStart: week.weekStart }).lean())!;
    const pdf = pdfBytes(doc.pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The document title (info dictionary) holds the team name, as a UTF-16BE string.
    const literal = Buffer.from(`${team.name}服务质量周报`, 'utf16le')
      .swap16()
      .toString('latin1')
      .replace(/[\\()]/g, (c) => `\\${c}`)
      .replace(/\r/g, '\\r')
      .replace(/\n/g, '\\n');
    expect(pdf.toString('latin1')).toContain(literal);
    const list = await (await as('supervisor01')).warnings.weeklyReports.query();
    const mine = list.find((r) => r.teamName === '热线一班' && r.weekStart === week.weekStart)!;
    expect(mine).toBeDefined();
    const file = await (await as('supervisor01')).warnings.weeklyReportFile.mutate({ id: mine.id });
    expect(file.filename).toContain('热线一班服务质量周报');
    expect(Buffer.from(file.base64, 'base64').subarray(0, 4).toString()).toBe('%PDF');
    await expectTrpcError((await as('supervisor02')).warnings.weeklyReportFile.mutate({ id: mine.id }), 'NOT_FOUND');
    expect((await (await as('supervisor02')).warnings.weeklyReports.query()).map((r) => r.teamName)).not.toContain('热线一班');
  });
});

describe('the demo seed (warnings.seed.ts)', () => {
  it('leaves an escalation for crew01’s crew, a near-deadline complaint of a sensitive customer and a planted jump', async () => {
    const { seedWarningsDemo, WARNINGS_DEMO } = await import('../../seed/warnings.seed');
    await seedWarningsDemo({ force: true });
    const sensitive = (await CustomerModel.findOne({ phone: WARNINGS_DEMO.sensitive.phone }).lean())!;
    await settle(async () => !!(await CustomerModel.findById(sensitive._id).lean())?.sensitive);
    expect((await CustomerModel.findById(sensitive._id).lean())!.sensitive).toMatchObject({ reason: 'complaints_12m' });
    const overdue = (await AccountModel.findOne({ number: WARNINGS_DEMO.overdue.number }).lean())!;
    const fault = (await WorkOrderModel.findOne({ accountId: overdue._id }).lean())!;
    expect(fault).toMatchObject({ status: 'dispatched', assignee: { crewId: crew01Crew._id } });
    await settle(async () => (await SupervisionItemModel.countDocuments({ orderId: fault._id })) > 0);
    expect(await SupervisionItemModel.findOne({ orderId: fault._id }).lean()).toMatchObject({ state: 'open', deadlineKind: 'dispatch' });
    await refreshBoardSnapshot();
    await refreshAreaCounts(new Date(), { full: true });
    const board = await warningBoard(await claimsOf('supervisor01'));
    const complaint = (await WorkOrderModel.findOne({ customerId: sensitive._id, status: { $ne: 'closed' } }).lean())!;
    expect(board.nearDeadline.map((o) => o.orderNo)).toContain(complaint.orderNo);
    const jumpAcc = (await AccountModel.findOne({ number: '3101000014100' }).lean())!;
    const jump = board.anomalies.find((a) => a.areaId === String(jumpAcc.transformerAreaId) && a.metric === 'fault');
    expect(jump).toMatchObject({ count: 6, method: 'poisson' });
  });
});
