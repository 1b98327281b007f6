/**
 * The outbox of an order write: the effect a step leaves in the order document (by the same atomic update
 * that changed it), and the flush that publishes it to the event log and the customer notices. Every writer
 * of orders — people's steps (workorder.service.ts), system operations (workorder.system.ts), the SLA sweep —
 * goes through these two functions; what a crash leaves unpublished is republished by the sweep.
 */
import type { Types } from 'mongoose';
import { publishOutbox, type PendingEffect } from '../events/event.service';
import { orderSideEffects } from '../notify/order-notices';
import { WorkOrderModel, type WorkOrder } from './workorder.model';
import type { OrderStatus } from './workorder.rules';

/** The effect of one write; its key (order, type, version reached) makes publishing it twice harmless. */
export function orderEffect(
  o: Pick<WorkOrder, '_id' | 'orderNo' | 'type' | 'regionId' | 'priority'>,
  type: string,
  status: OrderStatus,
  now: Date,
  version: number,
  extra: Record<string, unknown> = {},
): PendingEffect {
  return {
    key: `${o._id}:${type}:${version}`,
    type,
    at: now,
    // No personal data: the feed tells screens what changed; they fetch details through the guarded reads.
    payload: {
      orderId: String(o._id),
      orderNo: o.orderNo,
      orderType: o.type,
      status,
      priority: o.priority,
      regionId: o.regionId ? String(o.regionId) : null,
      ...extra,
    },
  };
}

/**
 * Clears published keys from each order's outbox. publishOutbox asks for all of a flush's orders at once, so
 * they go out as one bulk write (a restoration flushes thousands of merged reports).
 */
function batchedClear() {
  const ops: { updateOne: { filter: { _id: Types.ObjectId }; update: Record<string, unknown> } }[] = [];
  let pending: Promise<unknown> | null = null;
  return (orderId: Types.ObjectId, keys: string[]) => {
    ops.push({ updateOne: { filter: { _id: orderId }, update: { $pull: { outbox: { key: { $in: keys } } } } } });
    pending ??= Promise.resolve().then(() => WorkOrderModel.bulkWrite(ops as never, { ordered: false }));
    return pending;
  };
}

const FLUSH_BATCH = 1000;

/** Publishes what order writes left in their outboxes; a failure here is retried by the SLA sweep. */
export async function flushOrderOutbox(orders: Pick<WorkOrder, '_id' | 'regionId' | 'outbox'>[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < orders.length; i += FLUSH_BATCH) {
    const batch = orders.slice(i, i + FLUSH_BATCH);
    // What the customer hears (and a reconnection's supply state) is taken from the same outbox before it is cleared:
    // a crash in between leaves the effects for the sweep, and the notices' unique keys make a second pass harmless.
    await orderSideEffects(batch);
    n += await publishOutbox(batch, batchedClear());
  }
  return n;
}
