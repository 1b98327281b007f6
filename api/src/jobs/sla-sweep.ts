import { WorkOrderModel, type WorkOrder } from '../modules/workorders/workorder.model';
import { flushOrderOutbox } from '../modules/workorders/workorder.service';
import type { PendingEffect } from '../modules/events/event.service';
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
    entries.push({ actorId: null, actorRole: 'system', actorName: null, action: `sla_${mark}`, from: o.status, to: o.status, at: now, note, visibility: 'internal', attachments: [] });
  }
  const updated = await WorkOrderModel.findOneAndUpdate(
    filter,
    { $set: set, $push: { timeline: { $each: entries }, outbox: { $each: marks.map((m) => markEffect(o, m, now)) } } },
    { returnDocument: 'after', projection: { _id: 1, regionId: 1, outbox: 1 } },
  ).lean();
  return (updated as unknown as WorkOrder | null) ?? null;
}

export const fireMark = (o: Candidate, mark: SlaMark, now: Date) => fireMarks(o, [mark], now);

export interface SweepOptions {
  now?: Date;
  limit?: number;
  concurrency?: number;
  /** Checked between orders: false stops the sweep (lease lost, shutting down, or a test's crash). */
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
  const queue = [...candidates];
  // Events are published in batches; what a crash leaves unpublished stays in the orders' outboxes.
  let toPublish: Pick<WorkOrder, '_id' | 'regionId' | 'outbox'>[] = [];
  const publish = async () => {
    const batch = toPublish;
    toPublish = [];
    if (batch.length) await flushOrderOutbox(batch);
  };
  const worker = async () => {
    for (let o = queue.shift(); o; o = queue.shift()) {
      if (!go()) {
        stopped = true;
        return;
      }
      const due = SLA_MARKS.filter(
        (mark) => new Date(o.nextDeadline![DUE_FIELD[mark]]).getTime() <= now.getTime() && o.slaMarks?.[`${mark}At` as 'warn50At'] == null,
      );
      let last = due.length > 1 ? await fireMarks(o, due, now) : null;
      if (last) fired += due.length;
      else {
        // Missed the combined write: someone else fired some of them (or the order moved on). Look again.
        const fresh = due.length > 1 ? ((await WorkOrderModel.findById(o._id, { nextDeadline: 1, slaMarks: 1, pausedAt: 1 }).lean()) as Candidate & { pausedAt: Date | null } | null) : o;
        const still =
          fresh && fresh.nextDeadline && String(fresh.nextDeadline.id) === String(o.nextDeadline!.id) && !(fresh as { pausedAt?: Date | null }).pausedAt
            ? due.filter((m) => fresh.slaMarks?.[`${m}At` as 'warn50At'] == null)
            : [];
        for (const mark of still) {
          const updated = await fireMark(o, mark, now);
          if (updated) {
            fired++;
            last = updated;
          }
        }
      }
      if (last) toPublish.push(last);
      if (toPublish.length >= 50) await publish();
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  // Even when told to stop: publishing is idempotent, and only a real crash should leave it to the next sweep.
  await publish();

  let republished = 0;
  if (!stopped && go()) {
    const stale = new Date(now.getTime() - (opts.outboxStaleMs ?? 10_000));
    const pending = await WorkOrderModel.find({ 'outbox.0.at': { $lte: stale } }, { _id: 1, regionId: 1, outbox: 1 }).limit(200).lean();
    if (pending.length) republished = await flushOrderOutbox(pending as unknown as WorkOrder[]);
  }
  return { candidates: candidates.length, fired, republished, stopped };
}

