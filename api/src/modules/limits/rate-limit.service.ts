import { Schema, model } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { LIMITS, retryMessage, windowKey, type LimitName } from './rate-limit.rules';
import { DomainError } from '../../lib/errors';

/** One counter per (limit, subject, window). expiresAt drives a TTL index on a real MongoDB; reads never need it. */
const counterSchema = new Schema({
  _id: { type: String, required: true },
  n: { type: Number, required: true, default: 0 },
  expiresAt: { type: Date, required: true },
});
counterSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
export const RateCounterModel = model('RateCounter', counterSchema, 'rate_limits');

export type LimitSubjects = Partial<Record<'user' | 'ip' | 'account', string | null | undefined>>;

async function increment(key: string, expiresAt: Date): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await RateCounterModel.findOneAndUpdate(
        { _id: key },
        { $inc: { n: 1 }, $setOnInsert: { expiresAt } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      return doc!.n;
    } catch (err) {
      // Two first hits of a window race on the insert; the loser's retry finds the document.
      if (!isDuplicateKeyError(err) || attempt > 0) throw err;
    }
  }
}

/** The current window of every limit of `name` that has a subject. */
function windowsOf(name: LimitName, subjects: LimitSubjects, now: number) {
  return LIMITS[name].flatMap((l) => {
    const subject = subjects[l.per];
    return subject ? [{ ...windowKey(name, l, subject, now), max: l.max, per: l.per }] : [];
  });
}

const countAll = (windows: ReturnType<typeof windowsOf>) => Promise.all(windows.map((w) => increment(w.key, new Date(w.resetsAt))));

/** Counts one attempt against every limit of `name` that has a subject; refuses when any is past its maximum. */
export async function consumeLimit(name: LimitName, subjects: LimitSubjects, now = Date.now()): Promise<void> {
  const windows = windowsOf(name, subjects, now);
  const counts = await countAll(windows);
  const over = windows.filter((w, i) => counts[i] > w.max).sort((a, b) => b.resetsAt - a.resetsAt)[0];
  if (over) throw new DomainError('TOO_MANY_REQUESTS', retryMessage(over.resetsAt, now));
}

/** Refuses when any limit of `name` is already used up, without counting (failures are counted only when they happen). */
export async function assertUnderLimit(
  name: LimitName,
  subjects: LimitSubjects,
  message: (per: 'user' | 'ip' | 'account', resetsAt: number) => string,
  now = Date.now(),
): Promise<void> {
  const windows = windowsOf(name, subjects, now);
  const docs = await RateCounterModel.find({ _id: { $in: windows.map((w) => w.key) } }, { n: 1 }).lean();
  const n = new Map(docs.map((d) => [d._id as string, d.n]));
  const over = windows.find((w) => (n.get(w.key) ?? 0) >= w.max);
  if (over) throw new DomainError('TOO_MANY_REQUESTS', message(over.per, over.resetsAt));
}

/** Counts a failure; returns how many tries the tightest limit has left. */
export async function recordFailure(name: LimitName, subjects: LimitSubjects, now = Date.now()): Promise<number> {
  const windows = windowsOf(name, subjects, now);
  const counts = await countAll(windows);
  return Math.min(...windows.map((w, i) => w.max - counts[i]));
}
