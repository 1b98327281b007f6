import { type JobRunnerOptions, LeasedJob, runnerOptions } from '../../jobs/lease';
import { runQualityRound } from './rollup.service';

export const QUALITY_ROLLUP_LEASE = 'quality-rollup';

/**
 * The roll-up job (api/docs/quality.md): whichever API instance holds the lease follows the event log from the
 * durable cursor, refreshes order facts, and recomputes dirty days. All state is in the database (cursor, facts,
 * dirty days with revisions), every write is a recompute from the source under a unique key: a second instance or a
 * restart carries on and lands on the same roll-ups.
 */
export function qualityRollupJob(opts: JobRunnerOptions = {}): LeasedJob {
  return new LeasedJob(QUALITY_ROLLUP_LEASE, (go) => runQualityRound({ shouldContinue: go }), runnerOptions(opts, { ttlMs: 10_000, pollMs: 5_000 }));
}
