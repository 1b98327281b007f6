import { expect } from 'vitest';
import { WorkOrderModel } from '../modules/workorders/workorder.model';
import { EventModel, InAppNotificationModel } from '../modules/events/event.model';

export { seedDueOrders } from './due-orders';

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
