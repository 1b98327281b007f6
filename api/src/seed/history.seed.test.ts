/**
 * The history seed: deterministic, the shape of seed 001 (type mix, all closed, generated accounts only), every
 * deadline outcome consistent with its own dates, merged reports under real incident orders, and the plants of
 * the early-warning lane where HISTORY_PLANTS says.
 */
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/harness';
import { GridNodeModel } from '../modules/grid/grid.model';
import { UserModel } from '../modules/auth/user.model';
import { WorkOrderModel, type WorkOrder } from '../modules/workorders/workorder.model';
import { DEADLINE_KINDS } from '../modules/workorders/sla.rules';
import { OPEN_STATUSES } from '../modules/workorders/workorder.rules';
import { DEMO, seedDemoData } from './generate';
import { HISTORY_PLANTS, HISTORY_SEQ_START, historyOrderFilter, historyPlants, seedHistory, type HistoryResult } from './history.seed';

const NOW = new Date('2026-11-20T09:30:00+08:00');
const TODAY_START = new Date('2026-11-20T00:00:00+08:00').getTime();
const DAY = 86_400_000;
const ORDERS = 4000;

let first: HistoryResult;
let orders: WorkOrder[];

const digest = (docs: unknown[]) => createHash('sha256').update(JSON.stringify(docs)).digest('hex');
const readAll = async () => (await WorkOrderModel.collection.find(historyOrderFilter()).sort({ orderNo: 1 }).toArray()) as unknown as WorkOrder[];

beforeAll(async () => {
  await useTestDatabase();
  await seedDemoData({ accounts: 1500, billing: false });
  first = await seedHistory({ orders: ORDERS, now: NOW, rebuild: false });
  orders = await readAll();
});
afterAll(async () => {
  await mongoose.connection.db?.dropDatabase();
  await mongoose.disconnect();
});

describe('history seed', () => {
  it('is deterministic: a second run with the same seed writes the same orders, ids included', async () => {
    const before = digest(orders);
    const again = await seedHistory({ orders: ORDERS, now: NOW, rebuild: false });
    const after = await readAll();
    expect(after.length).toBe(orders.length);
    expect(digest(after)).toBe(before);
    expect(again.plants).toEqual(first.plants);
    // A different seed is a different history.
    const other = await seedHistory({ orders: ORDERS, now: NOW, seed: 7, rebuild: false });
    expect(other.orders).toBe(ORDERS);
    expect(digest(await readAll())).not.toBe(before);
    await seedHistory({ orders: ORDERS, now: NOW, rebuild: false });
    expect(digest(await readAll())).toBe(before);
  });

  it('has the size and type mix of seed 001, spread over the year before today', () => {
    expect(orders.length).toBe(ORDERS);
    expect(first.orders).toBe(ORDERS);
    const share = (t: string) => orders.filter((o) => o.type === t).length / orders.length;
    expect(share('fault_repair')).toBeGreaterThan(0.45);
    expect(share('fault_repair')).toBeLessThan(0.56);
    expect(share('consultation')).toBeGreaterThan(0.22);
    expect(share('consultation')).toBeLessThan(0.33);
    // 0.6% complaints, plus the planted ones (a larger share at this small size).
    expect(share('complaint')).toBeGreaterThan(0.003);
    expect(share('complaint')).toBeLessThan(0.02);
    for (const t of ['report', 'opinion', 'praise', 'service_request', 'reconnection', 'return_visit']) expect(share(t)).toBeGreaterThan(0.005);
    const channels = new Set(orders.map((o) => o.channel));
    expect([...channels].sort()).toEqual(['miniprogram', 'phone', 'staff', 'web']);
    expect(orders.filter((o) => o.channel === 'phone').length / orders.length).toBeGreaterThan(0.4);
    // Every month of the year has orders; nothing today or later.
    const months = new Set(orders.map((o) => o.orderNo.slice(2, 8)));
    expect(months.size).toBeGreaterThanOrEqual(12);
    for (const o of orders) {
      expect(o.createdAt.getTime()).toBeLessThan(TODAY_START);
      expect(o.createdAt.getTime()).toBeGreaterThanOrEqual(TODAY_START - 365 * DAY);
      expect(o.closedAt!.getTime()).toBeLessThan(TODAY_START);
    }
    // Summer faults outnumber spring ones (seasonal shape).
    const faultsIn = (m: string) => orders.filter((o) => o.type === 'fault_repair' && o.orderNo.slice(6, 8) === m).length;
    expect(faultsIn('07') + faultsIn('08')).toBeGreaterThan(1.3 * (faultsIn('03') + faultsIn('04')));
  });

  it('leaves nothing open and nobody’s demo data touched', async () => {
    const demoNumbers = new Set([
      DEMO.bindable.number,
      DEMO.bindableUnpaid.number,
      DEMO.payFor.number,
      DEMO.disconnected.number,
      DEMO.prepaid.number,
      ...DEMO.residentAccounts.map((a) => a.number),
    ]);
    const demoUsers = await UserModel.find({ username: { $in: ['agent01', 'agent02', 'expert01', 'crew01'] } }, { _id: 1, crewId: 1 }).lean();
    const demoIds = new Set(demoUsers.map((u) => String(u._id)));
    const demoCrew = demoUsers.find((u) => u.crewId)?.crewId;
    for (const o of orders) {
      expect(o.status).toBe('closed');
      expect(OPEN_STATUSES).not.toContain(o.status);
      expect(o.nextDeadline).toBeNull();
      expect(o.pausedAt).toBeNull();
      expect(o.outbox).toEqual([]);
      expect(o.reporterUserId).toBeNull();
      expect(o.enterpriseId).toBeNull();
      if (o.accountNumber) {
        expect(o.accountNumber).toMatch(/^32\d{11}$/);
        expect(Number(o.accountNumber.slice(2))).toBeGreaterThanOrEqual(100);
        expect(demoNumbers.has(o.accountNumber)).toBe(false);
      } else expect(o.contactName).toBe('系统'); // only incident orders have no account
      expect(o.orderNo).toMatch(/^GD\d{8}-\d{6}$/);
      expect(Number(o.orderNo.slice(-6))).toBeGreaterThanOrEqual(HISTORY_SEQ_START);
      expect(o.timeline[0].action).toBe('create');
      expect(o.timeline[o.timeline.length - 1].action).toMatch(/^close/);
      for (const t of o.timeline) expect(demoIds.has(String(t.actorId))).toBe(false);
      if (o.assignee.agentId) expect(demoIds.has(String(o.assignee.agentId))).toBe(false);
      if (demoCrew) expect(String(o.assignee.crewId)).not.toBe(String(demoCrew));
      // Timelines run forward in time.
      for (let i = 1; i < o.timeline.length; i++) expect(o.timeline[i].at.getTime()).toBeGreaterThanOrEqual(o.timeline[i - 1].at.getTime());
    }
    // The live queue's and the SLA sweep's queries find nothing.
    expect(await WorkOrderModel.countDocuments({ ...historyOrderFilter(), status: { $in: OPEN_STATUSES } })).toBe(0);
    expect(await WorkOrderModel.countDocuments({ ...historyOrderFilter(), nextDeadline: { $ne: null } })).toBe(0);
  });

  it('records every ended deadline consistently, mostly met, with a realistic share missed', () => {
    let total = 0;
    let met = 0;
    const kinds = new Set<string>();
    for (const o of orders) {
      for (const h of o.slaHistory ?? []) {
        total++;
        kinds.add(h.kind);
        expect(h.met).toBe(h.endedAt.getTime() <= h.dueAt.getTime());
        expect(h.startedAt.getTime()).toBeLessThanOrEqual(h.endedAt.getTime());
        expect(h.startedAt.getTime()).toBeLessThan(h.dueAt.getTime());
        if (h.met) met++;
      }
    }
    expect([...kinds]).toEqual(expect.arrayContaining([...DEADLINE_KINDS]));
    expect(met / total).toBeGreaterThan(0.85);
    expect(met / total).toBeLessThan(0.99);
    // Dispatch within 5 minutes and arrival: the support system's response (seed 001: repair ~22.56 min).
    const faults = orders.filter((o) => o.type === 'fault_repair' && !o.incidentId && o.accountId);
    const arrival = faults
      .map((o) => o.timeline.find((t) => t.action === 'arrive'))
      .filter(Boolean)
      .map((t, i) => (t!.at.getTime() - faults[i].createdAt.getTime()) / 60_000);
    expect(arrival.length).toBeGreaterThan(0);
  });

  it('has pauses, reopens after dissatisfied visits, ratings and merges into incident orders', () => {
    const resolved = orders.filter((o) => o.timeline.some((t) => t.action === 'resolve' || t.action === 'restore'));
    const reopened = orders.filter((o) => o.reopenCount > 0);
    expect(reopened.length / resolved.length).toBeGreaterThan(0.02);
    expect(reopened.length / resolved.length).toBeLessThan(0.07);
    for (const o of reopened) {
      expect(o.timeline.some((t) => t.action === 'reopen')).toBe(true);
      expect(o.timeline.filter((t) => t.action === 'resolve').length).toBe(2);
      expect(o.clock.startedAt.getTime()).toBeGreaterThan(o.createdAt.getTime());
    }
    const rated = resolved.filter((o) => o.rating);
    expect(rated.length / resolved.length).toBeGreaterThan(0.7);
    expect(rated.filter((o) => o.rating!.stars >= 4).length / rated.length).toBeGreaterThan(0.8);
    const paused = orders.filter((o) => o.pauses.length);
    expect(paused.length).toBeGreaterThan(0);
    for (const o of paused) expect(o.pausedMs).toBe(o.pauses.reduce((s, p) => s + (p.to.getTime() - p.from.getTime()), 0));

    const byId = new Map(orders.map((o) => [String(o._id), o]));
    const merged = orders.filter((o) => o.incidentId);
    const reports = orders.filter((o) => o.type === 'fault_repair' && o.accountId);
    expect(merged.length / reports.length).toBeGreaterThan(0.12);
    expect(merged.length / reports.length).toBeLessThan(0.3);
    for (const o of merged) {
      const inc = byId.get(String(o.incidentId))!;
      expect(inc).toBeDefined();
      expect(inc.accountId).toBeNull();
      expect(inc.incidentId).toBeNull();
      expect(String(inc.transformerAreaId)).toBe(String(o.transformerAreaId));
      expect(o.timeline.map((t) => t.action)).toEqual(['create', 'merge', 'restore', 'visit', 'close']);
      // The incident's restoration resolved the report.
      expect(o.resolvedAt!.getTime()).toBe(inc.resolvedAt!.getTime());
    }
    expect(first.incidents).toBe(orders.filter((o) => o.contactName === '系统').length);
    expect(first.mergedReports).toBe(merged.length);
  });

  it('plants the jump, the complaints jump and the customers turning sensitive', async () => {
    const plants = (await historyPlants())!;
    expect(plants).toEqual(first.plants);
    const area = await GridNodeModel.findOne({ code: plants.jumpArea.code }).lean();
    expect(String(area!._id)).toBe(plants.jumpArea.id);
    expect(plants.jumpArea.code.startsWith(HISTORY_PLANTS.jumpRegionCode)).toBe(true);
    const dayOf = (o: WorkOrder) => Math.floor((TODAY_START - 1 - o.createdAt.getTime()) / DAY); // 0 = yesterday
    const faults = orders.filter((o) => o.type === 'fault_repair' && o.accountId);
    const inArea = faults.filter((o) => String(o.transformerAreaId) === plants.jumpArea.id);
    const last3 = inArea.filter((o) => dayOf(o) < 3).length;
    const usual = inArea.filter((o) => dayOf(o) >= 3).length / 362;
    expect(last3 / 3).toBeGreaterThan(3 * Math.max(usual, 0.2));
    // No other area comes close to it over those days.
    const counts = new Map<string, number>();
    for (const o of faults) if (dayOf(o) < 3) counts.set(String(o.transformerAreaId), (counts.get(String(o.transformerAreaId)) ?? 0) + 1);
    const others = [...counts.entries()].filter(([id]) => id !== plants.jumpArea.id).map(([, n]) => n);
    expect(Math.max(0, ...others)).toBeLessThan(last3 / 2);

    const complaints = orders.filter((o) => o.type === 'complaint');
    const region = String((await GridNodeModel.findOne({ kind: 'region', code: HISTORY_PLANTS.complaintJumpRegionCode }).lean())!._id);
    expect(complaints.filter((o) => String(o.regionId) === region && dayOf(o) < 3).length).toBeGreaterThanOrEqual(6);

    HISTORY_PLANTS.sensitiveComplaintAccounts.forEach((n, i) => {
      const mine = complaints.filter((o) => o.accountNumber === n);
      expect(mine.length).toBe(HISTORY_PLANTS.sensitiveComplaintCounts[i]);
      expect(Math.min(...mine.map(dayOf))).toBeLessThan(30);
    });
    // Nobody else has two complaints: the planted customers are the sensitive ones.
    const perAccount = new Map<string, number>();
    for (const o of complaints) perAccount.set(o.accountNumber!, (perAccount.get(o.accountNumber!) ?? 0) + 1);
    const repeatComplainers = [...perAccount.entries()].filter(([, c]) => c >= 2).map(([n]) => n);
    expect(repeatComplainers.sort()).toEqual([...HISTORY_PLANTS.sensitiveComplaintAccounts].sort());

    HISTORY_PLANTS.repeatContactAccounts.forEach((n, i) => {
      const times = orders
        .filter((o) => o.accountNumber === n)
        .map((o) => o.createdAt.getTime())
        .sort((a, b) => a - b);
      expect(times.length).toBe(HISTORY_PLANTS.repeatContactCounts[i]);
      expect(times[times.length - 1] - times[0]).toBeLessThan(7 * DAY);
      expect(dayOf(orders.find((o) => o.createdAt.getTime() === times[times.length - 1])!)).toBeLessThan(10);
    });
    // Repeat contacts within 7 days happen to a few percent of ordinary orders too (first-contact resolution).
    const byAccount = new Map<string, number[]>();
    for (const o of orders) if (o.accountNumber) byAccount.set(o.accountNumber, [...(byAccount.get(o.accountNumber) ?? []), o.createdAt.getTime()]);
    let repeats = 0;
    for (const ts of byAccount.values()) {
      ts.sort((a, b) => a - b);
      for (let i = 1; i < ts.length; i++) if (ts[i] - ts[i - 1] < 7 * DAY) repeats++;
    }
    expect(repeats / orders.length).toBeGreaterThan(0.02);
  });
});
