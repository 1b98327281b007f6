import { tracked } from '@trpc/server';
import type { Context } from '../../trpc/context';
import type { AccessClaims } from '../auth/tokens';
import { checkSession } from '../auth/session-check';
import { eventFeed } from '../events/event.feed';
import type { EventRecord } from '../events/event.model';
import { loadActor } from './workorder.access';

/**
 * The live queue of one console: the process's shared event feed, filtered for this subscriber (the region
 * asked for). The feed carries no personal data and names no customer: screens
 * re-read what changed through the guarded reads. `tracked` ids let a reconnecting client resume from its
 * lastEventId without gaps, on any instance.
 */
export async function* liveOrderEvents(ctx: Context & { user: AccessClaims }, input: { lastEventId?: string | null; regionId?: string | null } | undefined, signal?: AbortSignal) {
  await loadActor(ctx.user); // a disabled user gets no stream
  const region = input?.regionId ?? null;
  const filter = region ? (e: EventRecord) => e.regionId !== null && String(e.regionId) === region : undefined;
  const after = input?.lastEventId ? Number(input.lastEventId) : null;
  for await (const batch of eventFeed.stream(after, { signal, filter })) {
    // A stream outlives the request that opened it: a logout or a disabled user ends it at the next batch or keep-alive.
    if (!(await checkSession(ctx, ctx.user))) return;
    for (const e of batch) {
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
