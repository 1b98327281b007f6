import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import mongoose, { Types } from 'mongoose';
import { useTestDatabase } from '../testing/harness';
import { WorkOrderModel } from '../modules/workorders/workorder.model';
import { EventModel, InAppNotificationModel } from '../modules/events/event.model';
import { acquireLease, JobLeaseModel, releaseLease } from './lease';
import { SLA_SWEEP_LEASE, SlaSweepRunner } from './scheduler';
import { sweepSlaMarks } from './sla-sweep';
import { expectExactlyOnce, seedDueOrders } from './sla-sweep.fixtures';

beforeAll(async () => {
  await useTestDatabase();
});
afterAll(async () => {
  await mongoose.connection.db?.dropDatabase();
  await mongoose.disconnect();
});
beforeEach(async () => {
  await Promise.all([WorkOrderModel.deleteMany({}), EventModel.deleteMany({}), InAppNotificationModel.deleteMany({}), JobLeaseModel.deleteMany({})]);
});

async function sweepUntilDone(r: SlaSweepRunner) {
  for (let i = 0; i < 50; i++) {
    const left = await WorkOrderModel.countDocuments({ 'slaMarks.overdueAt': null });
    if (left === 0) return;
    if (!(await r.tick()).ran) await new Promise((res) => setTimeout(res, 100));
  }
}

describe('lease', () => {
  it('one holder at a time; another takes over after expiry; renewal by the holder', async () => {
    const t0 = new Date();
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((o) => acquireLease('test-lease', o, 1000, t0)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const holder = ['a', 'b', 'c', 'd'][results.indexOf(true)];
    const other = holder === 'a' ? 'b' : 'a';
    expect(await acquireLease('test-lease', holder, 1000, new Date(t0.getTime() + 500))).toBe(true);
    expect(await acquireLease('test-lease', other, 1000, new Date(t0.getTime() + 1000))).toBe(false);
    expect(await acquireLease('test-lease', other, 1000, new Date(t0.getTime() + 1600))).toBe(true);
    await releaseLease('test-lease', other);
    expect(await acquireLease('test-lease', holder, 1000)).toBe(true);
  });
});

describe('SLA sweep: every warning and escalation fires exactly once', () => {
  it('300 orders, two instances competing, and a third racing without the lease', async () => {
    await seedDueOrders(300);
    const a = new SlaSweepRunner({ owner: 'instance-a', leaseMs: 5000 });
    const b = new SlaSweepRunner({ owner: 'instance-b', leaseMs: 5000 });
    const t = Date.now();
    // The lease keeps a and b apart; the raw sweep proves the guarded updates alone are enough.
    await Promise.all([sweepUntilDone(a), sweepUntilDone(b), sweepSlaMarks({ limit: 300 }), sweepSlaMarks({ limit: 300 })]);
    console.log(`swept 900 marks in ${Date.now() - t} ms`);
    await expectExactlyOnce(300);
    // Nothing left: another round fires nothing.
    expect((await a.tick()).fired + (await b.tick()).fired).toBe(0);
    await a.stop();
    await b.stop();
  });

  it('an instance dies mid-sweep (lease still held); another takes over after expiry and finishes', async () => {
    await seedDueOrders(300);
    const a = new SlaSweepRunner({ owner: 'dies', leaseMs: 6000 });
    const b = new SlaSweepRunner({ owner: 'survivor', leaseMs: 6000 });
    const running = a.tick();
    let settled = false;
    void running.finally(() => (settled = true));
    // Kill it once it is part-way through (on a loaded machine the tick may end early on its own lease check).
    for (;;) {
      const done = await WorkOrderModel.countDocuments({ 'slaMarks.overdueAt': { $ne: null } });
      if (done >= 30 || settled) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    a.crash();
    await running;
    const firedBefore = await WorkOrderModel.countDocuments({ 'slaMarks.overdueAt': { $ne: null } });
    expect(firedBefore).toBeGreaterThan(0);
    expect(firedBefore).toBeLessThan(300);
    // While the dead instance's lease runs, nobody else sweeps.
    expect((await b.tick()).ran).toBe(false);
    const lease = await JobLeaseModel.findById(SLA_SWEEP_LEASE).lean();
    expect(lease!.owner).toBe('dies');
    await new Promise((r) => setTimeout(r, Math.max(0, lease!.expiresAt.getTime() - Date.now() + 50)));
    // b takes over; stale outboxes (the dead instance's unpublished events) are published too.
    const b2 = new SlaSweepRunner({ owner: 'survivor', leaseMs: 5000, outboxStaleMs: 0 });
    await sweepUntilDone(b2);
    await b2.tick();
    await expectExactlyOnce(300);
    await b2.stop();
  });

  it('a late sweep cannot fire a mark on the next deadline, nor on a paused order', async () => {
    const [id] = await seedDueOrders(2);
    const stale = await WorkOrderModel.findById(id).lean();
    // The order moved on (new deadline) after the sweep read it.
    await WorkOrderModel.updateOne({ _id: id }, { $set: { 'nextDeadline.id': new Types.ObjectId() } });
    const { fireMark } = await import('./sla-sweep');
    expect(await fireMark(stale as never, 'warn50', new Date())).toBeNull();
    const [, paused] = await WorkOrderModel.find().lean();
    await WorkOrderModel.updateOne({ _id: paused._id }, { $set: { pausedAt: new Date() } });
    await sweepSlaMarks();
    expect((await WorkOrderModel.findById(paused._id).lean())!.timeline).toEqual([]);
  });
});
