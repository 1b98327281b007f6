import type { Logger } from '../logger';
import { warnUnanswered } from '../modules/enterprise-messages/thread.service';
import { defaultOwner, LeasedJob } from './lease';

export const REPLY_WATCH_LEASE = 'enterprise-reply-watch';

/**
 * The 30-minute promise for enterprise messages (seed 004): whichever API instance holds the lease looks
 * every few seconds for customer messages past their reply deadline and warns their account manager once
 * each (the deadline and the warned mark live on the message, so a restart loses and repeats nothing).
 */
export class ReplyWatchRunner {
  private readonly job: LeasedJob;

  constructor(opts: { owner?: string; intervalMs?: number; leaseMs?: number; log?: Pick<Logger, 'error'> } = {}) {
    this.job = new LeasedJob(REPLY_WATCH_LEASE, (go) => warnUnanswered(new Date(), { shouldContinue: go }), {
      owner: opts.owner ?? defaultOwner(),
      ttlMs: opts.leaseMs ?? 3_000,
      pollMs: opts.intervalMs ?? 5_000,
      log: opts.log,
    });
  }

  get lease() {
    return this.job.lease;
  }

  tick() {
    return this.job.tick();
  }

  start(): this {
    this.job.start();
    return this;
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  crash(): void {
    this.job.crash();
  }
}
