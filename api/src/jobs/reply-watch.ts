import { warnUnanswered } from '../modules/enterprise-messages/thread.service';
import { type JobRunnerOptions, LeasedJob, runnerOptions } from './lease';

export const REPLY_WATCH_LEASE = 'enterprise-reply-watch';

/**
 * The 30-minute promise for enterprise messages (seed 004): whichever API instance holds the lease looks
 * every few seconds for customer messages past their reply deadline and warns their account manager once
 * each (the deadline and the warned mark live on the message, so a restart loses and repeats nothing).
 */
export function replyWatchJob(opts: JobRunnerOptions = {}): LeasedJob {
  return new LeasedJob(
    REPLY_WATCH_LEASE,
    (go) => warnUnanswered(new Date(), { shouldContinue: go }),
    runnerOptions(opts, { ttlMs: 3_000, pollMs: 5_000 }),
  );
}
