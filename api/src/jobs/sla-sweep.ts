import { WorkOrderModel, type WorkOrder } from '../modules/workorders/workorder.model';
import { flushOrderOutbox } from '../modules/workorders/workorder.service';
import { publishOutbox, type PendingEffect } from '../modules/events/event.service';
import { orderSideEffects } from '../modules/notify/order-notices';
import { DEADLINE_LABELS, SLA_MARKS, type SlaMark } from '../modules/workorders/sla.rules';
import { ACTION_LABELS } from '../modules/workorders/workorder.rules';

/** 2026-12-01 18:59 (Asia/Shanghai): the console's one date format, also inside timeline notes. */
const shanghaiMinute = (d: Date) => new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

const DUE_FIELD: Record<SlaMark, 'warn50Due' | 'warn80Due' | 'dueAt'> = { warn50: 'warn50Due', warn80: 'warn80Due', overdue: 'dueAt' };
const FIRED_FIELD: Record<SlaMark, string> = { warn50: 'slaMarks.warn50At', warn80: 'slaMarks.warn80At', overdue: 'slaMarks.overdueAt' };

type Candidate = Pick<WorkOrder, '_id' | 'orderNo' | 'type' | 'status' | 'regionId' | 'priority' | 'nextDeadline' | 'slaMarks'>;

function markEffect(o: Candidate, mark: SlaMark, now: Date): PendingEffect {
  const d = o.nextDeadline!;
  return {
    // One key per order, deadline and mark: publishing it twice is a no-op.
    key: `${o._id}:sla:${d.id}:${mark}`,
    type: `workorder.sla_${mark}`,
    at: now,
    payload: {
      orderId: String(o._id),
      orderNo: o.orderNo,
      orderType: o.type,
      status: o.status,
      priority: o.priority,
      regionId: o.regionId ? String(o.regionId) : null,
      deadlineKind: d.kind,
      dueAt: new Date(d.dueAt).toISOString(),
    },
    notify:
      mark === 'overdue'
        ? {
            recipientRole: 'supervisor',
            kind: 'workorder.overdue',
            title: `工单超时督办：${o.orderNo}`,
            body: `${DEADLINE_LABELS[d.kind]}已到期（${shanghaiMinute(d.dueAt)}），请督办。`,
          }
        : null,
  };
}

/**
 * Fires marks of one deadline, each at most once ever: the update matches only while that deadline is
 * still the order's current one, every mark in `marks` is unfired and due, and the order is not paused.
 * Several marks at once (a backlog after downtime) go in one write; if any was fired meanwhile the whole
 * update misses and the caller retries them one by one.
 */
export async function fireMarks(o: Candidate, marks: SlaMark[], now: Date): Promise<Pick<WorkOrder, '_id' | 'regionId' | 'outbox'> | null> {
  const { filter, update } = markUpdate(o, marks, now);
  const updated = await WorkOrderModel.findOneAndUpdate(filter, update, {
    returnDocument: 'after',
    projection: { _id: 1, regionId: 1, outbox: 1 },
  }).lean();
  return (updated as unknown as WorkOrder | null) ?? null;
}

/** The guarded write of fireMarks: filter (deadline still current, marks unfired and due, not paused) and update. */
function markUpdate(o: Candidate, marks: SlaMark[], now: Date) {
  const d = o.nextDeadline!;
  const filter: Record<string, unknown> = { _id: o._id, 'nextDeadline.id': d.id, pausedAt: null };
  const set: Record<string, unknown> = {};
  const entries = [];
  for (const mark of marks) {
    filter[FIRED_FIELD[mark]] = null;
    filter[`nextDeadline.${DUE_FIELD[mark]}`] = { $lte: now };
    set[FIRED_FIELD[mark]] = now;
    if (mark === 'overdue') set.escalatedAt = now;
    const note =
      mark === 'overdue'
        ? `${DEADLINE_LABELS[d.kind]}已超时，自动督办至值班长（督办）`
        : `${DEADLINE_LABELS[d.kind]}${ACTION_LABELS[`sla_${mark}`]}，到期时间 ${shanghaiMinute(d.dueAt)}`;
    entries.push({
      actorId: null,
      actorRole: 'system',
      actorName: null,
      action: `sla_${mark}`,
      from: o.status,
      to: o.status,
      at: now,
      note,
      visibility: 'internal',
      attachments: [],
    });
  }
  return { filter, update: { $set: set, $push: { timeline: { $each: entries }, outbox: { $each: marks.map((m) => markEffect(o, m, now)) } } } };
}

const dueMarks = (o: Pick<Candidate, 'nextDeadline' | 'slaMarks'>, now: Date) =>
  SLA_MARKS.filter(
    (mark) => new Date(o.nextDeadline![DUE_FIELD[mark]]).getTime() <= now.getTime() && o.slaMarks?.[`${mark}At` as 'warn50At'] == null,
  );

export const fireMark = (o: Candidate, mark: SlaMark, now: Date) => fireMarks(o, [mark], now);

/**
 * flushOrderOutbox for a slice of the sweep: the same effects (customer-facing ones, then the event log
 * and notifications by unique key), with the published entries pulled from all the slice's outboxes in
 * one update instead of one per order (the embedded server pays per command).
 */
async function publishMarks(holders: Pick<WorkOrder, '_id' | 'regionId' | 'outbox'>[]) {
  if (!holders.length) return;
  await orderSideEffects(holders as never);
  await publishOutbox(holders, async () => undefined);
  const keys = holders.flatMap((h) => h.outbox.map((e) => e.key));
  await WorkOrderModel.updateMany({ _id: { $in: holders.map((h) => h._id) } }, { $pull: { outbox: { key: { $in: keys } } } });
}

export interface SweepOptions {
  now?: Date;
  limit?: number;
  /** Orders per bulk of guarded updates (default 200). */
  bulk?: number;
  /** Checked between bulks: false stops the sweep (lease lost, shutting down, or a test's crash). */
  shouldContinue?: () => boolean;
  /** Outbox entries older than this are published by the sweep (their writer died before doing it). */
  outboxStaleMs?: number;
}

/** One pass: fires due marks on up to `limit` orders and republishes stale outboxes. */
export async function sweepSlaMarks(opts: SweepOptions = {}): Promise<{ candidates: number; fired: number; republished: number; stopped: boolean }> {
  const now = opts.now ?? new Date();
  const go = opts.shouldContinue ?? (() => true);
  const candidates = (await WorkOrderModel.find(
    {
      pausedAt: null,
      nextDeadline: { $ne: null },
      $or: [
        { 'nextDeadline.warn50Due': { $lte: now }, 'slaMarks.warn50At': null },
        { 'nextDeadline.warn80Due': { $lte: now }, 'slaMarks.warn80At': null },
        { 'nextDeadline.dueAt': { $lte: now }, 'slaMarks.overdueAt': null },
      ],
    },
    { orderNo: 1, type: 1, status: 1, regionId: 1, priority: 1, nextDeadline: 1, slaMarks: 1 },
  )
    .sort({ 'nextDeadline.dueAt': 1 })
    .limit(opts.limit ?? 500)
    .lean()) as unknown as Candidate[];

  let fired = 0;
  let stopped = false;
  // In slices of `bulk` orders: one unordered bulk of guarded updates, one read back of what they left,
  // one publish of the slice's events. What a crash leaves unpublished stays in the orders' outboxes.
  const bulk = Math.max(1, opts.bulk ?? 200);
  for (let i = 0; i < candidates.length; i += bulk) {
    if (!go()) {
      stopped = true;
      break;
    }
    const slice = candidates
      .slice(i, i + bulk)
      .map((o) => ({ o, due: dueMarks(o, now) }))
      .filter((c) => c.due.length > 0);
    if (!slice.length) continue;
    const res = await WorkOrderModel.collection.bulkWrite(
      slice.map(({ o, due }) => ({ updateOne: markUpdate(o, due, now) as never })),
      { ordered: false },
    );
    let firedHere = 0;
    const toPublish: Pick<WorkOrder, '_id' | 'regionId' | 'outbox'>[] = [];
    if (res.modifiedCount === slice.length) {
      // Every guarded write matched: the events are exactly what we pushed.
      for (const { o, due } of slice) {
        firedHere += due.length;
        toPublish.push({ _id: o._id, regionId: o.regionId, outbox: due.map((m) => markEffect(o, m, now)) });
      }
    } else {
      // Some writes missed: another sweeper fired marks meanwhile, or the order moved on (a new deadline,
      // a pause). Read back what we wrote (recognised by the sweep's timestamp); marks an order still lacks
      // on the same deadline go one by one.
      const after = (await WorkOrderModel.find(
        { _id: { $in: slice.map((c) => c.o._id) } },
        { _id: 1, nextDeadline: 1, slaMarks: 1, pausedAt: 1 },
      ).lean()) as unknown as (Candidate & Pick<WorkOrder, 'pausedAt'>)[];
      const byId = new Map(after.map((a) => [String(a._id), a]));
      for (const { o, due } of slice) {
        const cur = byId.get(String(o._id));
        if (!cur) continue;
        const sameDeadline = cur.nextDeadline && String(cur.nextDeadline.id) === String(o.nextDeadline!.id) && !cur.pausedAt;
        const firedAt = (m: SlaMark) => cur.slaMarks?.[`${m}At` as 'warn50At'];
        const ours = sameDeadline ? due.filter((m) => firedAt(m) != null && new Date(firedAt(m)!).getTime() === now.getTime()) : [];
        if (sameDeadline && ours.length === 0) {
          for (const mark of due.filter((m) => firedAt(m) == null)) if (await fireMark(o, mark, now)) ours.push(mark);
        }
        firedHere += ours.length;
        // Only the effects this sweep wrote: another writer publishes its own.
        if (ours.length) toPublish.push({ _id: o._id, regionId: o.regionId, outbox: ours.map((m) => markEffect(o, m, now)) });
      }
    }
    fired += firedHere;
    // Even when told to stop: publishing is idempotent, and only a real crash should leave it to the next sweep.
    await publishMarks(toPublish);
  }

  let republished = 0;
  if (!stopped && go()) {
    const stale = new Date(now.getTime() - (opts.outboxStaleMs ?? 10_000));
    const pending = await WorkOrderModel.find({ 'outbox.0.at': { $lte: stale } }, { _id: 1, regionId: 1, outbox: 1 })
      .limit(200)
      .lean();
    if (pending.length) republished = await flushOrderOutbox(pending as unknown as WorkOrder[]);
  }
  return { candidates: candidates.length, fired, republished, stopped };
}
