import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { nextSeq } from './counter.model';
import { EventModel, InAppNotificationModel, type EventRecord } from './event.model';

/**
 * Side effects of an order write (events, notifications), carried in the order document itself
 * (`outbox`) by the same atomic update that changed the order. Whoever writes the order publishes
 * them right after; if that process dies in between, the SLA sweep finds and publishes them later.
 * Unique keys make publishing twice harmless, so effects happen exactly once.
 */
export interface PendingEffect {
  key: string;
  type: string;
  at: Date;
  payload: Record<string, unknown>;
  notify?: { recipientRole: string; kind: string; title: string; body: string } | null;
  /**
   * The key (and payload) are relative to the order holding the effect: published as `<orderId>:<key>` with the
   * order's id and region in the payload. Lets one update write the same effect into many orders at once
   * (an outage's system steps, workorder.system.ts) and still give each order its own event.
   */
  relative?: boolean;
}

/** The event key of an effect held by `holderId`. */
export const effectKey = (holderId: Types.ObjectId | string, e: Pick<PendingEffect, 'key' | 'relative'>) =>
  e.relative ? `${holderId}:${e.key}` : e.key;

export interface OutboxHolder {
  _id: Types.ObjectId;
  regionId?: Types.ObjectId | null;
  outbox?: PendingEffect[] | null;
}

const ignoreDuplicates = (err: unknown) => {
  // insertMany(ordered:false) reports duplicates per document; anything else is a real failure.
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (isDuplicateKeyError(e)) {
    const others = (e.writeErrors ?? []).filter((w) => (w.code ?? w.err?.code) !== 11000);
    if (others.length === 0) return;
  }
  throw err;
};

/** Publishes the pending effects of these orders and clears them from each order's outbox. */
export async function publishOutbox(holders: OutboxHolder[], clear: (orderId: Types.ObjectId, keys: string[]) => Promise<unknown>): Promise<number> {
  const items = holders.flatMap((h) => (h.outbox ?? []).map((e) => ({ h, e, key: effectKey(h._id, e) })));
  if (items.length === 0) return 0;
  const keys = items.map((i) => i.key);
  const existing = new Set((await EventModel.find({ key: { $in: keys } }, { key: 1 }).lean()).map((d) => d.key));
  const fresh = items.filter((i) => !existing.has(i.key));
  if (fresh.length > 0) {
    const first = await nextSeq('events', fresh.length);
    const publishedAt = new Date();
    await EventModel.insertMany(
      fresh.map((i, k) => ({
        seq: first + k,
        key: i.key,
        type: i.e.type,
        orderId: i.h._id,
        regionId: i.h.regionId ?? null,
        at: i.e.at,
        publishedAt,
        payload: i.e.relative ? { ...i.e.payload, orderId: String(i.h._id), regionId: i.h.regionId ? String(i.h.regionId) : null } : i.e.payload,
      })),
      { ordered: false },
    ).catch(ignoreDuplicates);
  }
  const notes = items.filter((i) => i.e.notify);
  if (notes.length > 0) {
    await InAppNotificationModel.insertMany(
      notes.map((i) => ({
        key: i.key,
        recipientRole: i.e.notify!.recipientRole,
        regionId: i.h.regionId ?? null,
        kind: i.e.notify!.kind,
        title: i.e.notify!.title,
        body: i.e.notify!.body,
        orderId: i.h._id,
        createdAt: i.e.at,
      })),
      { ordered: false },
    ).catch(ignoreDuplicates);
  }
  const byOrder = new Map<string, { id: Types.ObjectId; keys: string[] }>();
  for (const i of items) {
    const k = String(i.h._id);
    if (!byOrder.has(k)) byOrder.set(k, { id: i.h._id, keys: [] });
    byOrder.get(k)!.keys.push(i.e.key);
  }
  await Promise.all([...byOrder.values()].map((o) => clear(o.id, o.keys)));
  return items.length;
}

/** How long a hole in the sequence may stay open before readers step over it (a seq reserved by a writer that died). */
export const GAP_GRACE_MS = 3_000;

/**
 * Events after `after`, in order. Sequence numbers are reserved before the insert, so seq 11 can become
 * visible before seq 10: readers stop at a hole and only step over it once it has stayed open for the grace time.
 */
export async function readEventsAfter(
  after: number,
  opts: { limit?: number; now?: Date; regionId?: string | null } = {},
): Promise<{ events: EventRecord[]; last: number }> {
  const docs = (await EventModel.find({ seq: { $gt: after } })
    .sort({ seq: 1 })
    .limit(opts.limit ?? 200)
    .lean()) as (EventRecord & { publishedAt?: Date })[];
  const now = (opts.now ?? new Date()).getTime();
  const out: EventRecord[] = [];
  let last = after;
  for (const d of docs) {
    if (d.seq !== last + 1) {
      const published = (d.publishedAt ?? d.at).getTime();
      if (now - published < GAP_GRACE_MS) break;
    }
    last = d.seq;
    out.push(d);
  }
  const region = opts.regionId;
  return { events: region ? out.filter((e) => e.regionId && String(e.regionId) === region) : out, last };
}

export async function latestEventSeq(): Promise<number> {
  const d = await EventModel.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean();
  return d?.seq ?? 0;
}
