import { type JobRunnerOptions, LeasedJob, runnerOptions } from '../../jobs/lease';
import { accrualRound } from './points.service';

export const POINTS_ACCRUAL_LEASE = 'points-accrual';

/**
 * The points accrual job: whichever API instance holds the lease follows the event log from the durable cursor
 * (points_cursors 'events'), recomputes the orders the new events name and inserts the missing ledger entries,
 * then rolls the ledger up into points_totals and refreshes the AHT medians when stale. A restart or a second
 * instance repeats nothing: entry keys are unique, totals carry the last seq applied, cursors only move forward.
 */
export function pointsAccrualJob(opts: JobRunnerOptions & { mediansEveryMs?: number } = {}): LeasedJob {
  return new LeasedJob(
    POINTS_ACCRUAL_LEASE,
    (go) => accrualRound(go, { mediansEveryMs: opts.mediansEveryMs }),
    runnerOptions(opts, { ttlMs: 3_000, pollMs: 1_000 }),
  );
}
