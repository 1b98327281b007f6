import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { Types } from 'mongoose';
import { useTestDatabase } from '../../testing/harness';
import type { AccessClaims } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { publishOutbox } from '../events/event.service';
import { SettingVersionModel } from '../settings/settings.model';
import { refreshSettings, resetSettingsCache } from '../settings/settings.service';
import { TeamModel } from '../staff/team.model';
import { WorkOrderModel } from '../workorders/workorder.model';
import { LEDGER_APPEND_ONLY, PointsLedgerModel, PointsTotalsModel } from './ledger.model';
import { fixtureOrder } from './points.fixtures';
import { pointsAccrualJob } from './points.job';
import { DEFAULT_POINTS } from './points.settings';
import { accrueOrders, leaderboard, rebuildPoints, rollupRound, summaryOf } from './points.service';
import { submitQualityCheck } from './qc.service';

let agentId: string;
let otherAgentId: string;
let supervisor: AccessClaims;
let otherSupervisor: AccessClaims;
const claims = (id: Types.ObjectId, roles: string[]) => ({ sub: String(id), roles, kind: 'staff', sid: 's' }) as unknown as AccessClaims;
const start = new Date(Date.now() - 3 * 24 * 3600_000);

async function user(username: string, roles: string[], teamId: Types.ObjectId | null) {
  const _id = new Types.ObjectId();
  await UserModel.collection.insertOne({
    _id,
    kind: 'staff',
    identityKey: `pw:${username}`,
    username,
    roles,
    displayName: username,
    teamId,
    disabled: false,
  });
  return _id;
}

/** An event naming the order, as an order write publishes it. */
async function eventFor(orderId: Types.ObjectId, key: string) {
  await publishOutbox(
    [{ _id: orderId, regionId: null, outbox: [{ key, type: 'workorder.resolve', at: new Date(), payload: { orderId: String(orderId) } }] }],
    async () => undefined,
  );
}

const sum = async (agent: string) =>
  (await PointsLedgerModel.find({ agentId: new Types.ObjectId(agent) }, { points: 1 }).lean()).reduce((s, e) => s + e.points, 0);

beforeAll(async () => {
  await useTestDatabase();
  resetSettingsCache();
  const t1 = new Types.ObjectId();
  const t2 = new Types.ObjectId();
  const sup = await user('sup1', ['supervisor'], null);
  const sup2 = await user('sup2', ['supervisor'], null);
  await TeamModel.create([
    { _id: t1, name: '热线一班', profession: 'hotline', leaderId: sup, regionIds: [] },
    { _id: t2, name: '热线二班', profession: 'hotline', leaderId: sup2, regionIds: [] },
  ]);
  agentId = String(await user('agentA', ['agent'], t1));
  otherAgentId = String(await user('agentB', ['agent'], t2));
  supervisor = claims(sup, ['supervisor']);
  otherSupervisor = claims(sup2, ['supervisor']);
});
afterAll(async () => {
  await mongoose.disconnect();
});

describe('points ledger (real database)', () => {
  it('accrues an order once: re-running adds nothing; the ledger refuses every edit and delete', async () => {
    const o = fixtureOrder({ agentId, start, resolveMin: 10, rating: { stars: 5, min: 60 } });
    await WorkOrderModel.collection.insertOne(o as never);
    expect(await accrueOrders([o._id])).toBe(2); // handled + satisfied
    expect(await accrueOrders([o._id])).toBe(0);
    expect(await PointsLedgerModel.countDocuments({ orderId: o._id })).toBe(2);

    const before = await PointsLedgerModel.find({ orderId: o._id }).lean();
    await expect(PointsLedgerModel.updateOne({ orderId: o._id }, { $set: { points: 100 } })).rejects.toThrow(LEDGER_APPEND_ONLY);
    await expect(PointsLedgerModel.updateMany({}, { $set: { points: 0 } })).rejects.toThrow(LEDGER_APPEND_ONLY);
    await expect(PointsLedgerModel.findOneAndUpdate({ orderId: o._id }, { $inc: { points: 1 } })).rejects.toThrow(LEDGER_APPEND_ONLY);
    await expect(PointsLedgerModel.deleteOne({ orderId: o._id })).rejects.toThrow(LEDGER_APPEND_ONLY);
    await expect(PointsLedgerModel.deleteMany({})).rejects.toThrow(LEDGER_APPEND_ONLY);
    await expect(PointsLedgerModel.findOneAndDelete({ orderId: o._id })).rejects.toThrow(LEDGER_APPEND_ONLY);
    await expect(PointsLedgerModel.replaceOne({ orderId: o._id }, { key: 'x' })).rejects.toThrow(LEDGER_APPEND_ONLY);
    await expect(PointsLedgerModel.bulkWrite([{ updateOne: { filter: { orderId: o._id }, update: { $set: { points: 9 } } } }])).rejects.toThrow(
      LEDGER_APPEND_ONLY,
    );
    const doc = (await PointsLedgerModel.findOne({ orderId: o._id }))!;
    doc.points = 99;
    await expect(doc.save()).rejects.toThrow(LEDGER_APPEND_ONLY);
    await expect(doc.deleteOne()).rejects.toThrow(LEDGER_APPEND_ONLY);
    expect(await PointsLedgerModel.find({ orderId: o._id }).lean()).toEqual(before);
  });

  it('two job runners following the event log insert each entry once, and a restarted one adds nothing', async () => {
    const orders = Array.from({ length: 12 }, (_, i) =>
      fixtureOrder({
        agentId: i % 2 ? agentId : otherAgentId,
        start: new Date(start.getTime() + i * 60_000),
        rating: { stars: i % 3 === 0 ? 1 : 5, min: 90 },
      }),
    );
    await WorkOrderModel.collection.insertMany(orders as never);
    for (const o of orders) await eventFor(o._id, `${o._id}:resolve`);
    const a = pointsAccrualJob({ owner: 'A', intervalMs: 50, mediansEveryMs: 0 });
    const b = pointsAccrualJob({ owner: 'B', intervalMs: 50, mediansEveryMs: 0 });
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    a.crash(); // dies holding the lease
    await new Promise((r) => setTimeout(r, 3_200));
    for (const o of orders.slice(0, 4)) await eventFor(o._id, `${o._id}:again`); // the same orders named again
    const restarted = pointsAccrualJob({ owner: 'A2', intervalMs: 50, mediansEveryMs: 0 });
    await restarted.tick();
    await b.tick();
    const keys = (await PointsLedgerModel.find({ orderId: { $in: orders.map((o) => o._id) } }, { key: 1 }).lean()).map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(24); // handled + a rating entry for each order
    await b.stop();
    await restarted.stop();
    // The roll-up equals the ledger (and applying again changes nothing).
    await rollupRound({ now: new Date(Date.now() + 10_000) });
    await rollupRound({ now: new Date(Date.now() + 10_000) });
    expect((await summaryOf(agentId)).total).toBe(await sum(agentId));
    expect((await summaryOf(otherAgentId)).total).toBe(await sum(otherAgentId));
  });

  it('质检: failed items add error entries for the handling agent; once per order per supervisor; own teams only', async () => {
    const o = fixtureOrder({ agentId, start, resolveMin: 10 });
    await WorkOrderModel.collection.insertOne(o as never);
    const items = (fail: string[]) =>
      (['standard_phrases', 'classification', 'complete_info', 'accurate_answer', 'timely'] as const).map((item) => ({
        item,
        passed: !fail.includes(item),
      }));
    await expect(submitQualityCheck(otherSupervisor, { orderId: String(o._id), items: items([]), comment: '' })).rejects.toThrow(
      '只能质检本班组坐席处理的工单',
    );
    await expect(submitQualityCheck(supervisor, { orderId: String(o._id), items: items(['timely']), comment: '' })).rejects.toThrow(
      '有不合格项时请填写质检意见',
    );
    const v = await submitQualityCheck(supervisor, {
      orderId: String(o._id),
      items: items(['standard_phrases', 'complete_info']),
      comment: '未使用“您请讲”；地址未记录',
    });
    expect(v.failed).toBe(2);
    const errors = await PointsLedgerModel.find({ orderId: o._id, rule: 'qc_error' }).lean();
    expect(errors.map((e) => [String(e.agentId), e.points])).toEqual([
      [agentId, -2],
      [agentId, -2],
    ]);
    expect(errors[0].reason).toBe(`质检差错：规范用语使用不合格，工单 ${o.orderNo} −2`);
    await expect(submitQualityCheck(supervisor, { orderId: String(o._id), items: items([]), comment: '' })).rejects.toThrow('您已质检过该工单');
    expect(await accrueOrders([o._id])).toBe(0);
  });

  it('a new rules version applies to what happens after it; old entries keep theirs', async () => {
    const at = new Date();
    await SettingVersionModel.create({
      kind: 'points',
      version: 2,
      value: { ...DEFAULT_POINTS, handled: { ...DEFAULT_POINTS.handled, consultation: 7 } },
      effectiveAt: at,
      createdBy: null,
      createdByName: '测试',
      createdAt: at,
      note: '',
      rolledBackFrom: null,
    });
    await refreshSettings();
    const o = fixtureOrder({ agentId, start: new Date(at.getTime() + 1000), resolveMin: 1 });
    await WorkOrderModel.collection.insertOne(o as never);
    await accrueOrders([o._id], { now: new Date(at.getTime() + 10 * 60_000) });
    expect(await PointsLedgerModel.findOne({ orderId: o._id, rule: 'handled' }).lean()).toMatchObject({ points: 7, rulesVersion: 2 });
    const old = await PointsLedgerModel.find({ rule: 'handled', orderId: { $ne: o._id } }).lean();
    expect(old.every((e) => e.rulesVersion === 1 && e.points === 2)).toBe(true);
  });

  it('rebuildPoints is idempotent and the totals equal the ledger; leaderboards rank across teams', async () => {
    await rebuildPoints();
    const n = await PointsLedgerModel.countDocuments({});
    const again = await rebuildPoints();
    expect(again.inserted).toBe(0);
    expect(await PointsLedgerModel.countDocuments({})).toBe(n);
    const all = await PointsTotalsModel.find({ period: 'all' }).lean();
    for (const t of all) expect(t.points).toBe(await sum(String(t.agentId)));
    const board = await leaderboard({ sub: agentId }, { period: 'all' });
    expect(board.agents.map((r) => r.points)).toEqual([...board.agents.map((r) => r.points)].sort((x, y) => y - x));
    expect(board.agents.find((r) => r.isMe)?.agentId).toBe(agentId);
    expect(board.teams.map((t) => t.name).sort()).toEqual(['热线一班', '热线二班']);
  });
});
