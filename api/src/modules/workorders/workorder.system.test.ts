import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Types } from 'mongoose';
import { startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { AccountModel, CustomerModel } from '../accounts/account.model';
import { CrewModel } from '../auth/user.model';
import { GridNodeModel } from '../grid/grid.model';
import { EventModel } from '../events/event.model';
import { MessageModel } from '../notify/message.model';
import { OutageModel, type Outage } from '../outages/outage.model';
import { mergeOpenReports } from '../outages/outage.intake';
import { ORDER_NO_PATTERN } from './order-number';
import { WorkOrderModel, type WorkOrder } from './workorder.model';
import { flushOrderOutbox } from './workorder.effects';
import { mergeIntoIncident, openIncidentOrder, resolveIncident } from './workorder.system';
import {
  ACTIONS,
  availableActions,
  ORDER_STATUSES,
  planStep,
  planSystemStep,
  statusesOf,
  SYSTEM_ACTIONS,
  SYSTEM_REFUSALS,
  SystemStepRefused,
  type ActorRole,
  type OrderStatus,
  type SystemAction,
} from './workorder.rules';

const EVERYONE: ActorRole[] = ['customer', 'agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'admin'];
const INC = new Types.ObjectId();
const OTHER = new Types.ObjectId();

function refusal(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(SystemStepRefused);
    return (err as SystemStepRefused).refusal;
  }
}

describe('system steps in the state machine table (pure)', () => {
  /** Written out independently of the table: `from action → to` for a report merged into INC (merge: not yet merged). */
  const LEGAL = new Map<string, OrderStatus>([
    ['reported merge', 'reported'],
    ['dispatched merge', 'dispatched'],
    ...(['reported', 'dispatched', 'accepted', 'arrived'] as const).flatMap((s) => [
      [`${s} restore`, 'resolved'] as [string, OrderStatus],
      [`${s} outageNote`, s] as [string, OrderStatus],
    ]),
  ]);
  const cases = statusesOf('fault_repair').flatMap((from) => SYSTEM_ACTIONS.map((action) => ({ from, action })));

  it.each(cases)('fault report: $from —$action→', ({ from, action }) => {
    const o = {
      _id: new Types.ObjectId(),
      type: 'fault_repair' as const,
      status: from,
      faultKind: 'whole_house_outage' as const,
      incidentId: action === 'merge' ? null : INC,
    };
    const input = { incidentId: String(INC), notes: '已恢复送电' };
    const expected = LEGAL.get(`${from} ${action}`);
    if (expected) expect(planSystemStep(o, action, input).to).toBe(expected);
    else expect(refusal(() => planSystemStep(o, action, input))).toBe(`${action}_state`);
  });

  it('refuses with one Chinese message per reason', () => {
    const base = {
      _id: new Types.ObjectId(),
      type: 'fault_repair' as const,
      status: 'reported' as const,
      faultKind: 'whole_house_outage' as const,
      incidentId: null,
    };
    const merge = (o: Partial<typeof base> & Record<string, unknown>) =>
      refusal(() => planSystemStep({ ...base, ...o } as never, 'merge', { incidentId: String(INC) }));
    expect(merge({ type: 'complaint' as never, status: 'received' as never })).toBe('not_fault');
    expect(merge({ faultKind: 'sparking' as never })).toBe('not_no_power');
    expect(merge({ faultKind: 'meter_problem' as never })).toBe('not_no_power');
    expect(merge({ _id: INC })).toBe('is_incident');
    expect(merge({ incidentId: INC as never })).toBe('already_merged');
    expect(merge({ incidentId: OTHER as never })).toBe('merged_elsewhere');
    expect(merge({ status: 'accepted' as never })).toBe('merge_state');
    expect(refusal(() => planSystemStep({ ...base, incidentId: OTHER }, 'restore', { incidentId: String(INC), notes: 'x' }))).toBe('not_in_incident');
    expect(refusal(() => planSystemStep({ ...base, incidentId: null }, 'restore', { incidentId: String(INC), notes: 'x' }))).toBe('not_in_incident');
    // The incident order itself is restored like its reports.
    expect(planSystemStep({ ...base, _id: INC, faultKind: 'area_outage' }, 'restore', { incidentId: String(INC), notes: 'x' }).to).toBe('resolved');
    expect(() => planSystemStep(base, 'restore', { notes: 'x' })).toThrow('缺少故障事件');
    expect(() => planSystemStep({ ...base, incidentId: INC }, 'restore', { incidentId: String(INC) })).toThrow('请填写处理说明');
    for (const m of Object.values(SYSTEM_REFUSALS)) expect(m).toMatch(/^[\u4e00-\u9fa5“”，、]+$/);
    expect(new Set(Object.values(SYSTEM_REFUSALS)).size).toBe(Object.keys(SYSTEM_REFUSALS).length);
  });

  it('no person can take a system step, and no system step shows as a button', () => {
    for (const s of ORDER_STATUSES)
      for (const a of availableActions('fault_repair', s, EVERYONE)) expect(SYSTEM_ACTIONS).not.toContain(a as SystemAction);
    for (const a of SYSTEM_ACTIONS) {
      expect(ACTIONS).not.toContain(a as never);
      expect(() => planStep('fault_repair', 'reported', a as never, EVERYONE, { incidentId: String(INC), notes: 'x' })).toThrow();
    }
  });
});

// ---------------------------------------------------------------------------------------------

let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let agent: Client;
let dispatcher: Client;
let seq = 0;
type Area = { _id: Types.ObjectId; name: string; feederId: Types.ObjectId; regionId: Types.ObjectId; areaType: 'urban' | 'rural' | 'remote' };
const areas: Area[] = [];
const takeArea = () => areas.shift()!;

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}

async function makeAccount(area: Area) {
  const n = ++seq;
  const phone = `1361000${String(n).padStart(4, '0')}`;
  const customerId = new Types.ObjectId();
  await CustomerModel.create({
    _id: customerId,
    kind: 'residential',
    tier: 'C',
    name: `系统${n}`,
    phone,
    flags: { important: false, sensitive: false, vulnerable: false },
  });
  const acc = await AccountModel.create({
    number: `38${String(n).padStart(11, '0')}`,
    customerId,
    holderName: `系统${n}`,
    phone,
    address: '长沙市天心区测试路2号',
    regionId: area.regionId,
    feederId: area.feederId,
    transformerAreaId: area._id,
    transformerAreaName: area.name,
    areaType: area.areaType,
    meterNumber: `MS${n}`,
    usageCategory: 'residential',
    tariffCode: 'RES-TIER-HN',
    paymentMode: 'postpaid',
  });
  return { id: String(acc._id), phone };
}

const report = (accountId: string, faultKind: 'whole_house_outage' | 'sparking' = 'whole_house_outage') =>
  agent.workorder.createForCaller.mutate({ type: 'fault_repair', accountId, faultKind, description: '来电反映家中停电' });
const order = async (id: string | Types.ObjectId) => (await WorkOrderModel.findById(id).lean()) as unknown as WorkOrder;
const eventsOf = (id: string | Types.ObjectId, type: string) => EventModel.countDocuments({ orderId: new Types.ObjectId(String(id)), type });

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 300 });
  [agent, dispatcher] = await Promise.all(['agent01', 'dispatcher01'].map(login));
  // Transformer areas of feeders no demo resident lives on, one per test.
  const demoFeeders = new Set(
    (await AccountModel.find({ number: { $in: DEMO.residentAccounts.map((a) => a.number) } }).lean()).map((a) => String(a.feederId)),
  );
  const feeders = await GridNodeModel.find({ kind: 'feeder' }).sort({ code: -1 }).limit(10).lean();
  for (const f of feeders) {
    if (demoFeeders.has(String(f._id))) continue;
    areas.push(...((await GridNodeModel.find({ kind: 'transformer_area', feederId: f._id }).sort({ code: 1 }).limit(1).lean()) as unknown as Area[]));
  }
});
afterAll(async () => {
  await api?.stop();
});

describe('system operations against the database', () => {
  it('an outage merges only reports the table lets in, and its restoration resolves them from where they are', async () => {
    const area = takeArea();
    const accs = await Promise.all([0, 1, 2, 3, 4].map(() => makeAccount(area)));
    const waiting = await report(accs[0].id);
    const sent = await report(accs[1].id);
    const taken = await report(accs[2].id);
    const danger = await report(accs[3].id, 'sparking');
    const closed = await report(accs[4].id);
    const crew = (await CrewModel.findOne({ regionId: area.regionId }).lean())!;
    await dispatcher.workorder.dispatch.mutate({ orderId: sent.id, crewId: String(crew._id), overCapacity: true });
    await dispatcher.workorder.dispatch.mutate({ orderId: taken.id, crewId: String(crew._id), overCapacity: true });
    // The crew has set off for this one (accepted): it is theirs now, not the outage's.
    await WorkOrderModel.updateOne({ _id: taken.id }, { $set: { status: 'accepted' }, $inc: { version: 1 } });
    await agent.workorder.close.mutate({ orderId: closed.id, reasonCode: 'customer_internal_fault', notes: '客户家中空开跳闸' });

    const pub = await dispatcher.outage.publish.mutate({
      kind: 'fault',
      scope: { feederIds: [], transformerAreaIds: [String(area._id)] },
      startAt: new Date(),
      etr: new Date(Date.now() + 2 * 3600_000),
      reason: '台区变压器故障',
    });
    expect(pub.merged).toBe(2);
    const incidentId = pub.outage.id;
    for (const o of [waiting, sent]) {
      const d = await order(o.id);
      expect(String(d.incidentId)).toBe(incidentId);
      expect(d.nextDeadline).toBeNull();
      const m = d.timeline.filter((t) => t.action === 'merge');
      expect(m).toHaveLength(1);
      expect(m[0]).toMatchObject({ actorRole: 'system', from: d.status, to: d.status, visibility: 'customer' });
      expect(m[0].note).toContain('无需重复报修');
    }
    expect((await order(sent.id)).status).toBe('dispatched');
    for (const o of [taken, danger, closed]) expect((await order(o.id)).incidentId).toBeNull();

    // The crew of the dispatched (merged) report reaches the site before the power is back.
    await WorkOrderModel.updateOne({ _id: sent.id }, { $set: { status: 'arrived' }, $inc: { version: 1 } });
    // And the other one waits for the customer (paused): the restoration ends the pause, recorded.
    await WorkOrderModel.updateOne(
      { _id: waiting.id },
      { $set: { pausedAt: new Date(Date.now() - 60_000), pausedReasonCode: 'waiting_customer' }, $inc: { version: 1 } },
    );
    const r = await dispatcher.outage.restore.mutate({ outageId: incidentId, note: '已更换变压器' });
    expect(r.resolved).toBe(2);
    const fromOf = async (id: string) => (await order(id)).timeline.filter((t) => t.action === 'restore').map((t) => `${t.from}→${t.to}`);
    expect(await fromOf(waiting.id)).toEqual(['reported→resolved']);
    expect(await fromOf(sent.id)).toEqual(['arrived→resolved']);
    expect((await order(waiting.id)).resolution).toContain('已更换变压器');
    expect((await order(waiting.id)).pausedAt).toBeNull();
    expect((await order(waiting.id)).pauses).toHaveLength(1);
    expect((await order(waiting.id)).pausedMs).toBeGreaterThanOrEqual(60_000);
    // Not merged, not touched: the crew's own order and the closed one keep their state and timeline.
    expect((await order(taken.id)).status).toBe('accepted');
    expect((await order(closed.id)).status).toBe('closed');
    expect(await fromOf(taken.id)).toEqual([]);
    const incident = await order(incidentId);
    expect(incident.status).toBe('resolved');
    expect(incident.nextDeadline?.kind).toBe('return_visit');
    expect(incident.timeline.map((t) => t.action)).toEqual(['create', 'restore']);

    // Restoring again changes nothing.
    const again = await dispatcher.outage.restore.mutate({ outageId: incidentId });
    expect(again.resolved).toBe(0);
    expect(await fromOf(waiting.id)).toHaveLength(1);
    expect((await order(incidentId)).version).toBe(incident.version);
    // The merged report goes on like any resolved report: the customer may rate it.
    expect(availableActions('fault_repair', 'resolved', ['customer'])).toContain('visit');
  });

  it('opening the incident and merging into it are idempotent when retried, also two at once', async () => {
    const area = takeArea();
    const accs = await Promise.all([0, 1, 2, 3].map(() => makeAccount(area)));
    const reports = [];
    for (const a of accs) reports.push(await report(a.id));
    const id = new Types.ObjectId();
    const spec = {
      id,
      needsDispatch: true,
      regionId: area.regionId,
      feederId: area.feederId,
      transformerAreaId: area._id,
      transformerAreaName: area.name,
      areaType: area.areaType,
      category: '故障停电事件',
      description: '测试事件',
      note: '测试事件',
    };
    const [a, b] = await Promise.all([openIncidentOrder(spec), openIncidentOrder(spec)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.orderNo).toBe(b.orderNo);
    expect(await WorkOrderModel.countDocuments({ _id: id })).toBe(1);
    expect(await eventsOf(id, 'workorder.created')).toBe(1);
    expect((await order(id)).nextDeadline?.kind).toBe('dispatch');

    const scope = { transformerAreaIds: [area._id] };
    const [m1, m2] = await Promise.all([mergeIntoIncident(id, scope, { note: '并入' }), mergeIntoIncident(id, scope, { note: '并入' })]);
    expect(m1.applied.length + m2.applied.length).toBe(4);
    const versions = new Map<string, number>();
    for (const r of reports) {
      const d = await order(r.id);
      expect(d.timeline.filter((t) => t.action === 'merge')).toHaveLength(1);
      expect(await eventsOf(r.id, 'workorder.merge')).toBe(1);
      versions.set(r.id, d.version);
    }
    // A retry after a lost reply, by scope or by the orders themselves: nothing twice, each named order refused as merged.
    expect((await mergeIntoIncident(id, scope, { note: '并入' })).applied).toHaveLength(0);
    const byIds = await mergeIntoIncident(id, { orderIds: reports.map((r) => new Types.ObjectId(r.id)) }, { note: '并入' });
    expect(byIds.applied).toHaveLength(0);
    expect(byIds.refused.map((x) => x.message)).toEqual(reports.map(() => SYSTEM_REFUSALS.already_merged));
    for (const r of reports) {
      expect((await order(r.id)).version).toBe(versions.get(r.id));
      expect(await eventsOf(r.id, 'workorder.merge')).toBe(1);
    }
    // Two restorations at once resolve each once.
    const [x, y] = await Promise.all([resolveIncident(id, '恢复送电'), resolveIncident(id, '恢复送电')]);
    expect(x.resolved + y.resolved).toBe(4);
    expect([x.incidentResolved, y.incidentResolved].filter(Boolean)).toHaveLength(1);
    for (const r of reports) expect(await eventsOf(r.id, 'workorder.restore')).toBe(1);
  });

  it('merged and restored reports are on the event feed once, and their customers hear of the restoration exactly once', async () => {
    const area = takeArea();
    const accs = await Promise.all([0, 1, 2].map(() => makeAccount(area)));
    const reports = [];
    for (const a of accs) reports.push(await report(a.id));
    const pub = await dispatcher.outage.publish.mutate({
      kind: 'fault',
      scope: { feederIds: [], transformerAreaIds: [String(area._id)] },
      startAt: new Date(),
      etr: new Date(Date.now() + 3600_000),
      reason: '线路故障',
    });
    expect(pub.merged).toBe(3);
    const incidentId = pub.outage.id;
    await dispatcher.outage.update.mutate({ outageId: incidentId, etr: new Date(Date.now() + 2 * 3600_000) });
    await dispatcher.outage.restore.mutate({ outageId: incidentId, note: '故障已排除' });

    const ids = [...reports.map((r) => r.id), incidentId].map((id) => new Types.ObjectId(id));
    // Through the outbox: published and cleared, like every other step.
    expect(await WorkOrderModel.countDocuments({ _id: { $in: ids }, 'outbox.0': { $exists: true } })).toBe(0);
    for (const r of reports) {
      expect(await eventsOf(r.id, 'workorder.merge')).toBe(1);
      expect(await eventsOf(r.id, 'workorder.outageNote')).toBe(1);
      expect(await eventsOf(r.id, 'workorder.restore')).toBe(1);
      const ev = await EventModel.findOne({ orderId: new Types.ObjectId(r.id), type: 'workorder.restore' }).lean();
      expect(ev!.payload).toMatchObject({ status: 'resolved', incidentId, orderId: r.id, orderType: 'fault_repair' });
      expect(ev!.key).toBe(`${r.id}:workorder.restore:${incidentId}`);
      expect(String(ev!.regionId)).toBe(String(area.regionId));
      expect((await order(r.id)).timeline.filter((t) => t.action === 'outageNote')[0].note).toContain('预计恢复送电时间调整为');
    }
    const created = await EventModel.findOne({ orderId: new Types.ObjectId(incidentId), type: 'workorder.created' }).lean();
    expect(created!.payload).toMatchObject({ incident: true, outageId: incidentId, status: 'reported' });
    expect(await eventsOf(incidentId, 'workorder.restore')).toBe(1);

    const heard = async () =>
      Promise.all(
        accs.map(async (a) => ({
          published: await MessageModel.countDocuments({ noticeKey: `${incidentId}:published`, recipientKey: `p:${a.phone}` }),
          etr: await MessageModel.countDocuments({ noticeKey: { $regex: `^${incidentId}:etr:` }, recipientKey: `p:${a.phone}` }),
          restored: await MessageModel.countDocuments({ noticeKey: `${incidentId}:restored`, recipientKey: `p:${a.phone}` }),
          perOrder: await MessageModel.countDocuments({
            orderId: { $in: ids },
            recipientKey: `p:${a.phone}`,
            kind: { $in: ['order.resolved', 'order.rate_request', 'order.answered'] },
          }),
        })),
      );
    const once = accs.map(() => ({ published: 1, etr: 1, restored: 1, perOrder: 0 }));
    expect(await heard()).toEqual(once);
    // The incident order has no customer: nobody is told about it as an order.
    expect(await MessageModel.countDocuments({ orderId: new Types.ObjectId(incidentId) })).toBe(0);

    // The sweep's republish after a crash (effects still in the outboxes): no new events, nobody told twice.
    const events = await EventModel.find({ orderId: { $in: ids } }).lean();
    for (const e of events)
      await WorkOrderModel.updateOne({ _id: e.orderId }, { $push: { outbox: { key: e.key, type: e.type, at: e.at, payload: e.payload } } });
    const stale = await WorkOrderModel.find({ _id: { $in: ids } }, { _id: 1, regionId: 1, outbox: 1 }).lean();
    expect(await flushOrderOutbox(stale as never)).toBe(events.length);
    expect(await EventModel.countDocuments({ orderId: { $in: ids } })).toBe(events.length);
    expect(await WorkOrderModel.countDocuments({ _id: { $in: ids }, 'outbox.0': { $exists: true } })).toBe(0);
    expect(await heard()).toEqual(once);
    // A report filed after the restoration is an ordinary report again.
    expect((await report(accs[0].id)).incidentId).toBeNull();
  });

  it('order numbers come from one place: incident and filed orders share one format and one daily series', async () => {
    const area = takeArea();
    const acc = await makeAccount(area);
    const before = await report(acc.id);
    const outage = (await OutageModel.findById(
      (
        await dispatcher.outage.publish.mutate({
          kind: 'fault',
          scope: { feederIds: [], transformerAreaIds: [String(area._id)] },
          startAt: new Date(),
          reason: '台区故障',
        })
      ).outage.id,
    ).lean()) as unknown as Outage;
    const incident = await order(outage._id);
    const after = await report((await makeAccount(area)).id);
    for (const no of [before.orderNo, incident.orderNo, after.orderNo]) expect(no).toMatch(ORDER_NO_PATTERN);
    const seqOf = (no: string) => Number(no.split('-')[1]);
    expect(incident.orderNo.slice(0, 10)).toBe(before.orderNo.slice(0, 10));
    expect(seqOf(incident.orderNo)).toBeGreaterThan(seqOf(before.orderNo));
    expect(seqOf(after.orderNo)).toBeGreaterThan(seqOf(incident.orderNo));
    expect(await mergeOpenReports(outage)).toBe(0); // `after` was linked at intake; `before` at publication

    // No other source writes the format or its counter.
    const root = path.resolve(import.meta.dirname, '../..');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('order-number.ts')) files.push(p);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((f) => /`GD\$\{|['"]GD['"]|workorder:\$\{/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });
});
