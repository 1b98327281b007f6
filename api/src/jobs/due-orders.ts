import { Types } from 'mongoose';
import { WorkOrderModel } from '../modules/workorders/workorder.model';

const MIN = 60_000;

/**
 * n open orders whose deadline (and both warnings) have all fallen due: the backlog an outage of every
 * sweeper leaves behind. Used by the sweep tests, the two-instance test and the SLA backlog bench.
 * `prefix` keeps order numbers apart when several batches go into one database.
 */
export async function seedDueOrders(n: number, now = Date.now(), prefix = 'GD20261201'): Promise<Types.ObjectId[]> {
  const docs = Array.from({ length: n }, (_, i) => {
    const startedAt = new Date(now - 60 * MIN);
    const dueAt = new Date(now - MIN + i); // distinct, all past
    return {
      _id: new Types.ObjectId(),
      orderNo: `${prefix}-${String(i).padStart(6, '0')}`,
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
  // In slices: one insert of thousands of full orders is a large message for the embedded server.
  for (let i = 0; i < docs.length; i += 500) await WorkOrderModel.collection.insertMany(docs.slice(i, i + 500));
  return docs.map((d) => d._id);
}

/**
 * How far the sweep has got with the orders seeded under `prefix`: marks fired (of 3 per order) and
 * outboxes still unpublished. Selected by a range of the (uniquely indexed) order number, which the
 * embedded server answers from its index: a poll must not slow down the sweep it watches.
 */
export async function backlogProgress(prefix: string): Promise<{ marks: number; overdue: number; unpublished: number }> {
  const [r] = await WorkOrderModel.aggregate<{ marks: number; overdue: number; unpublished: number }>([
    { $match: { orderNo: { $gte: `${prefix}-`, $lt: `${prefix}-~` } } },
    {
      $group: {
        _id: null,
        marks: {
          $sum: {
            $add: [
              { $cond: [{ $ifNull: ['$slaMarks.warn50At', false] }, 1, 0] },
              { $cond: [{ $ifNull: ['$slaMarks.warn80At', false] }, 1, 0] },
              { $cond: [{ $ifNull: ['$slaMarks.overdueAt', false] }, 1, 0] },
            ],
          },
        },
        overdue: { $sum: { $cond: [{ $ifNull: ['$slaMarks.overdueAt', false] }, 1, 0] } },
        unpublished: { $sum: { $cond: [{ $gt: [{ $size: { $ifNull: ['$outbox', []] } }, 0] }, 1, 0] } },
      },
    },
  ]);
  return r ?? { marks: 0, overdue: 0, unpublished: 0 };
}
