import { tracked } from '@trpc/server';
import type { Types } from 'mongoose';
import type { Context } from '../../trpc/context';
import type { AccessClaims } from '../auth/tokens';
import { checkSession } from '../auth/session-check';
import { eventFeed } from '../events/event.feed';
import type { EventRecord } from '../events/event.model';
import { isDesk, loadActor, orderAccessFilter, type Actor } from './workorder.access';
import { WorkOrderModel } from './workorder.model';

/**
 * The live queue of one console: the process's one shared event feed (a change stream on a replica set, the
 * polled log elsewhere), filtered for this subscriber. The desk sees every event (of the region it asked for);
 * crews and area managers only events of orders the order access rule lets them see, plus order-less events
 * (outages) of their region. The feed carries no personal data and names no customer: screens re-read what
 * changed through the guarded reads. `tracked` ids let a reconnecting client resume from its lastEventId
 * without gaps, on any instance.
 */
export async function* liveOrderEvents(
  ctx: Context & { user: AccessClaims },
  input: { lastEventId?: string | null; regionId?: string | null } | undefined,
  signal?: AbortSignal,
) {
  const actor = await loadActor(ctx.user); // a disabled user gets no stream
  const region = input?.regionId ?? null;
  // The log also carries other modules' events (enterprise messages: entmsg.*), which are not the queue's.
  const filter = (e: EventRecord) => !e.type.startsWith('entmsg.') && (!region || (e.regionId !== null && String(e.regionId) === region));
  const scope = isDesk(actor) ? null : await fieldScope(actor);
  const after = input?.lastEventId ? Number(input.lastEventId) : null;
  for await (const batch of eventFeed.stream(after, { signal, filter })) {
    // A stream outlives the request that opened it: a logout or a disabled user ends it at the next batch or keep-alive.
    if (!(await checkSession(ctx, ctx.user))) return;
    const events = scope ? await scope(batch) : batch;
    for (const e of events) {
      yield tracked(String(e.seq), {
        seq: e.seq,
        type: e.type,
        orderId: e.orderId ? String(e.orderId) : null,
        regionId: e.regionId ? String(e.regionId) : null,
        at: new Date(e.at).toISOString(),
        payload: (e.payload ?? {}) as Record<string, unknown>,
      });
    }
  }
}

/**
 * For a field console: keeps the events of orders this actor may see (one query per batch, by the same rule
 * as every order read) and order-less events of its own region.
 */
async function fieldScope(actor: Actor): Promise<(batch: EventRecord[]) => Promise<EventRecord[]>> {
  const rule = await orderAccessFilter(actor);
  const myRegion = actor.regionId ? String(actor.regionId) : null;
  return async (batch) => {
    const ids = [...new Set(batch.filter((e) => e.orderId).map((e) => String(e.orderId)))];
    const visible = new Set<string>();
    if (rule && ids.length) {
      const found = await WorkOrderModel.find({ $and: [{ _id: { $in: ids } }, rule] }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
      for (const o of found) visible.add(String(o._id));
    }
    return batch.filter((e) => (e.orderId ? visible.has(String(e.orderId)) : e.regionId === null || String(e.regionId) === myRegion));
  };
}
