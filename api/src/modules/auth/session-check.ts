import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { SessionModel } from './session.model';
import type { AccessClaims } from './tokens';

/**
 * The session check behind every authenticated request (SPEC §6a: logout, disabling a user and a
 * revoked refresh family take effect on the next request). A verified access token only proves who
 * signed it; this confirms its session still stands: it exists, is neither revoked nor expired, and
 * belongs to the token's subject.
 *
 * Disabled users need no second read: disableUser marks the user disabled first and then revokes
 * every session of theirs, and startSession creates a session first and then re-reads disabled-ness
 * (its lastLoginAt write is guarded by `disabled: {$ne: true}`), so a session created concurrently
 * with the disable is either revoked by the disable or refused by the login. One read of the session
 * per cache miss therefore answers both questions.
 *
 * Positive answers are cached per process for SESSION_CHECK_CACHE_MS (default 2 s, never past the
 * session's own expiry). Revocations done in this process evict at once, so the very next call here
 * is refused; another instance sees the revocation within the cache time. Negative answers are not
 * cached (they are final anyway). When the database cannot answer, the check fails closed and logs.
 */

interface Entry {
  sub: string;
  until: number;
}

/** A bound on memory: beyond it the oldest entries go first (Map keeps insertion order). */
const MAX_ENTRIES = 50_000;
const cache = new Map<string, Entry>();
/** One database read per session at a time: concurrent misses of the same sid share it. */
const inflight = new Map<string, Promise<Entry | null>>();
/**
 * Bumped by every eviction. A read that started before an eviction may have seen the session before
 * it was revoked; its answer still serves the requests that were already waiting, but is not cached.
 */
let epoch = 0;

export interface SessionCheckDeps {
  cfg: Pick<Config, 'SESSION_CHECK_CACHE_MS'>;
  log: Pick<Logger, 'error'>;
}

/** True when the token's session stands; false when it is gone, revoked, foreign, or unverifiable. */
export async function checkSession(deps: SessionCheckDeps, claims: Pick<AccessClaims, 'sid' | 'sub'>): Promise<boolean> {
  const { sid, sub } = claims;
  if (!sid || !sub) return false;
  const now = Date.now();
  const hit = cache.get(sid);
  if (hit && hit.until > now) return hit.sub === sub;
  if (hit) cache.delete(sid);

  let pending = inflight.get(sid);
  if (!pending) {
    const startedAt = epoch;
    pending = readSession(sid)
      .then((entry) => {
        if (entry && epoch === startedAt && deps.cfg.SESSION_CHECK_CACHE_MS > 0) {
          if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
          cache.set(sid, { sub: entry.sub, until: Math.min(entry.until, Date.now() + deps.cfg.SESSION_CHECK_CACHE_MS) });
        }
        return entry;
      })
      .finally(() => {
        if (inflight.get(sid) === pending) inflight.delete(sid);
      });
    inflight.set(sid, pending);
  }
  try {
    const entry = await pending;
    return entry !== null && entry.sub === sub;
  } catch (err) {
    deps.log.error({ err: String((err as Error)?.message ?? err), sid }, 'session check: database unavailable, request refused');
    return false;
  }
}

/** The session's owner and expiry when it stands, null when it does not. */
async function readSession(sid: string): Promise<Entry | null> {
  const s = await SessionModel.findById(sid, { userId: 1, revokedAt: 1, expiresAt: 1 }).lean();
  if (!s || s.revokedAt || !s.expiresAt || s.expiresAt.getTime() <= Date.now()) return null;
  return { sub: String(s.userId), until: s.expiresAt.getTime() };
}

/** Call after the revocation is written: the next check of this session in this process reads the database. */
export function evictSession(sid: string): void {
  epoch++;
  cache.delete(sid);
  inflight.delete(sid);
}

/** Every cached session of one user (disableUser revokes them all). */
export function evictUserSessions(userId: string): void {
  epoch++;
  for (const [sid, e] of cache) if (e.sub === userId) cache.delete(sid);
  // An in-flight read's owner is unknown until it lands; the epoch bump keeps it out of the cache.
  inflight.clear();
}

/** For tests and the bench: forget every cached answer. */
export function clearSessionCheckCache(): void {
  epoch++;
  cache.clear();
  inflight.clear();
}
