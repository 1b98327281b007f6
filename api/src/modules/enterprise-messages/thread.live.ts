import { tracked } from '@trpc/server';
import type { Context } from '../../trpc/context';
import type { AccessClaims } from '../auth/tokens';
import { checkSession } from '../auth/session-check';
import { eventFeed } from '../events/event.feed';
import type { EventRecord } from '../events/event.model';
import { actorReaches, threadActor } from './thread.service';

const isThreadEvent = (e: EventRecord) => e.type.startsWith('entmsg.');

/**
 * Live thread updates over SSE, from the process's one reader of the database-backed event log (the
 * feed the work-order queue reads). Each subscriber gets only the events of threads they reach: an
 * enterprise user their enterprise's, a manager their enterprises' (re-read on every batch, so a
 * reassignment or a removal takes effect at once), a supervisor all. Events carry no text and no names.
 */
export async function* liveThreadEvents(
  ctx: Context & { user: AccessClaims },
  input: { lastEventId?: string | null } | undefined,
  signal?: AbortSignal,
) {
  let actor = await threadActor(ctx.user); // a removed or disabled user gets no stream
  const after = input?.lastEventId ? Number(input.lastEventId) : null;
  for await (const batch of eventFeed.stream(after, { signal, filter: isThreadEvent })) {
    if (!(await checkSession(ctx, ctx.user))) return;
    if (batch.length === 0) continue;
    try {
      actor = await threadActor(ctx.user);
    } catch {
      return; // removed from the enterprise meanwhile
    }
    for (const e of batch) {
      const enterpriseId = String((e.payload as { enterpriseId?: string } | null)?.enterpriseId ?? '');
      if (!enterpriseId || !actorReaches(actor, enterpriseId)) continue;
      yield tracked(String(e.seq), {
        seq: e.seq,
        type: e.type,
        enterpriseId,
        side: ((e.payload as { side?: string } | null)?.side ?? null) as string | null,
        at: new Date(e.at).toISOString(),
      });
    }
  }
}
