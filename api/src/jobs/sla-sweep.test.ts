import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import mongoose, { Types } from 'mongoose';
import { useTestDatabase } from '../testing/harness';
import { WorkOrderModel } from '../modules/workorders/workorder.model';
import { EventModel, InAppNotificationModel } from '../modules/events/event.model';
import { JobLeaseModel, Lease, LeasedJob } from './lease';
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lease', () => {
  it('one holder at a time; renewals keep it; after expiry a survivor takes it under a new token and the old holder is fenced off', async () => {
    const leases = ['a', 'b', 'c', 'd'].map((o) => new Lease('test-lease', o, { ttlMs: 600, marginMs: 100 }));
    const results = await Promise.all(leases.map((l) => l.acquire()));
    expect(results.filter(Boolean)).toHaveLength(1);
    const holder = leases[results.indexOf(true)];
    const other = leases.find((l) => l !== holder)!;
    const first = holder.token!;
    expect(holder.held()).toBe(true);
    await sleep(300);
    expect(await holder.renew()).toBe(true);
    expect(holder.token).toBe(first);
    expect(await other.acquire()).toBe(false);
    // The holder pauses (no renewals) past its TTL: it stops believing it holds the lease before anyone can take it…
    await sleep(550);
    expect(holder.held()).toBe(false);
    await sleep(150);
    // …the survivor takes it under the next token, and the paused holder's renewal is refused.
    expect(await other.acquire()).toBe(true);
    expect(other.token).toBe(first + 1);
    expect(await holder.renew()).toBe(false);
    expect(holder.token).toBeNull();
    expect(await holder.recordRun()).toBe(false);
    // Expired with nobody taking it: the renewal is still refused; taking it again means a new token.
    await sleep(700);
    expect(await other.renew()).toBe(false);
    expect(await other.acquire()).toBe(true);
    expect(other.token).toBe(first + 2);
    await other.release();
    expect(await holder.acquire()).toBe(true);
    expect(holder.token).toBe(first + 3);
  });

  it('a job runs once per interval across instances, and a survivor takes over a dead holder within TTL + poll', async () => {
    let runs: string[] = [];
    const job = (owner: string) => new LeasedJob('test-job', async () => void runs.push(owner), { owner, ttlMs: 3_000, pollMs: 200, everyMs: 1_000 });
    const a = job('a').start();
    await sleep(300);
    const b = job('b').start();
    await sleep(2_600);
    // Three runs in 2.9 s at one a second, all by whoever held the lease (a started first).
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(3);
    expect(new Set(runs)).toEqual(new Set(['a']));
    const lease = await JobLeaseModel.findById('test-job').lean();
    expect(lease!.runs).toBe(runs.length);
    a.crash();
    const killedAt = Date.now();
    runs = [];
    while (!b.lease.held() && Date.now() - killedAt < 8_000) await sleep(20);
    const takeover = Date.now() - killedAt;
    console.log(`takeover after ${takeover} ms (TTL 3 s, poll 0.2 s)`);
    expect(b.lease.held()).toBe(true);
    expect(takeover).toBeLessThanOrEqual(3_000 + 200 + 800);
    await sleep(1_200);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(new Set(runs)).toEqual(new Set(['b']));
    await b.stop();
    expect((await JobLeaseModel.findById('test-job').lean())!.expiresAt.getTime()).toBe(0);
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
    // Small bulks, so the crash lands between two of them.
    const a = new SlaSweepRunner({ owner: 'dies', leaseMs: 6000, bulk: 20 });
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
