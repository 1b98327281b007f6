import { expect } from 'vitest';
import { Types } from 'mongoose';
import { WorkOrderModel } from '../modules/workorders/workorder.model';
import { EventModel, InAppNotificationModel } from '../modules/events/event.model';

const MIN = 60_000;

/** n open orders whose deadline (and both warnings) have all fallen due. */
export async function seedDueOrders(n: number, now = Date.now()) {
  const docs = Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(now - 60 * MIN);
    const dueAt = new Date(now - MIN + i); // distinct, all past
    return {
      _id: new Types.ObjectId(),
      orderNo: `GD20261201-${String(i).padStart(6, '0')}`,
      type: 'fault_repair',
      channel: 'miniprogram',
      status: 'dispatched',
      version: 1,
      priority: { score: 40, level: 'medium' },
      regionId: new Types.ObjectId(),
      areaType: 'urban',
      supplyClass: 'residential',
      description: '家里整户没电了',
      assignee: { department: null, agentId: null, crewId: new Types.ObjectId() },
      clock: { startedAt, pausedMsAtStart: 0 },
      nextDeadline: {
        id: new Types.ObjectId(),
        kind: 'arrival',
        startedAt,
        dueAt,
        warn50Due: new Date(startedAt.getTime() + (dueAt.getTime() - startedAt.getTime()) / 2),
        warn80Due: new Date(startedAt.getTime() + ((dueAt.getTime() - startedAt.getTime()) * 4) / 5),
      },
      slaMarks: { warn50At: null, warn80At: null, overdueAt: null },
      escalatedAt: null,
      pausedAt: null,
      pausedMs: 0,
      timeline: [],
      outbox: [],
      createdAt: startedAt,
      updatedAt: startedAt,
    };
  });
  await WorkOrderModel.collection.insertMany(docs);
  return docs.map((d) => d._id);
}

/** Every order has each mark exactly once: on the order, in its timeline, in the event log; one 督办 each. */
export async function expectExactlyOnce(n: number) {
  const orders = await WorkOrderModel.find({}, { timeline: 1, slaMarks: 1, escalatedAt: 1, outbox: 1 }).lean();
  expect(orders).toHaveLength(n);
  for (const o of orders) {
    const actions = o.timeline.map((t) => t.action).sort();
    expect(actions).toEqual(['sla_overdue', 'sla_warn50', 'sla_warn80']);
    expect(o.slaMarks?.warn50At && o.slaMarks?.warn80At && o.slaMarks?.overdueAt && o.escalatedAt).toBeTruthy();
    expect(o.outbox).toEqual([]);
  }
  for (const type of ['workorder.sla_warn50', 'workorder.sla_warn80', 'workorder.sla_overdue']) {
    expect(await EventModel.countDocuments({ type })).toBe(n);
  }
  const perOrder = await EventModel.aggregate([{ $group: { _id: { o: '$orderId', t: '$type' }, n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }]);
  expect(perOrder).toEqual([]);
  expect(await InAppNotificationModel.countDocuments({ kind: 'workorder.overdue', recipientRole: 'supervisor' })).toBe(n);
}

