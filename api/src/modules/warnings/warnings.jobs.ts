/**
 * The warnings job, under one lease (any number of API instances; one works at a time, another takes over):
 * - follows the event log from a durable cursor (warning_state 'events'): SLA escalations become 督办 items,
 *   resolutions close them, new orders feed the sensitive-customer rules. Every write is idempotent (unique keys,
 *   guarded updates), so a crash between the work and the cursor only repeats harmless writes;
 * - refreshes the board snapshot (near-deadline orders, open field orders per region) every 20 s;
 * - refreshes the daily counts per area every 2 minutes (today and yesterday; in full after a bulk load);
 * - every minute, makes the weekly team reports that are due (Monday 01:00 Shanghai, once per team and week).
 */
import { defaultOwner, LeasedJob } from '../../jobs/lease';
import type { Logger } from '../../logger';
import { readEventsAfter } from '../events/event.service';
import { isDuplicateKeyError } from '../../db/connect';
import { WarningStateModel } from './warning.model';
import { ingestSupervisionEvents } from './supervision.service';
import { ingestContactEvents } from './sensitive.service';
import { refreshAreaCounts, refreshBoardSnapshot } from './warning.service';
import { configureWeeklyReportFont, generateDueWeeklyReports } from './weekly-report.service';

export const WARNINGS_LEASE = 'warnings';
const CURSOR = 'events';

/** Reads the event log from the cursor in batches and applies each batch; returns how many events were read. */
export async function followEvents(opts: { now?: Date; batches?: number; limit?: number; shouldContinue?: () => boolean } = {}): Promise<number> {
  const go = opts.shouldContinue ?? (() => true);
  let read = 0;
  for (let i = 0; i < (opts.batches ?? 20) && go(); i++) {
    const state = await WarningStateModel.findById(CURSOR, { seq: 1 }).lean();
    const after = state?.seq ?? 0;
    const { events, last } = await readEventsAfter(after, { limit: opts.limit ?? 500, now: opts.now });
    if (last === after) break;
    await ingestSupervisionEvents(events);
    await ingestContactEvents(events, opts.now);
    read += events.length;
    // Forward only: a slower holder that lost the lease never moves the cursor back.
    await WarningStateModel.updateOne({ _id: CURSOR, seq: { $lt: last } }, { $set: { seq: last, at: new Date() } }, { upsert: true }).catch((err) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
  }
  return read;
}

export interface WarningsRoundResult {
  events: number;
  snapshot: boolean;
  counts: boolean;
  reports: number;
}

export class WarningsJobRunner {
  private readonly job: LeasedJob;
  private lastSnapshot = 0;
  private lastCounts = 0;
  private lastReports = 0;

  constructor(
    private readonly opts: {
      owner?: string;
      intervalMs?: number;
      leaseMs?: number;
      snapshotMs?: number;
      countsMs?: number;
      fontPath?: string;
      log?: Pick<Logger, 'error'>;
    } = {},
  ) {
    if (opts.fontPath) configureWeeklyReportFont(opts.fontPath);
    this.job = new LeasedJob(WARNINGS_LEASE, (go) => this.round(go), {
      owner: opts.owner ?? defaultOwner(),
      ttlMs: opts.leaseMs ?? 10_000,
      pollMs: opts.intervalMs ?? 3_000,
      log: opts.log,
    });
  }

  get lease() {
    return this.job.lease;
  }

  async round(go: () => boolean = () => true): Promise<WarningsRoundResult> {
    const now = Date.now();
    const out: WarningsRoundResult = { events: 0, snapshot: false, counts: false, reports: 0 };
    out.events = await followEvents({ shouldContinue: go });
    if (go() && now - this.lastSnapshot >= (this.opts.snapshotMs ?? 20_000)) {
      await refreshBoardSnapshot(new Date());
      this.lastSnapshot = now;
      out.snapshot = true;
    }
    if (go() && now - this.lastCounts >= (this.opts.countsMs ?? 120_000)) {
      await refreshAreaCounts(new Date());
      this.lastCounts = now;
      out.counts = true;
    }
    if (go() && now - this.lastReports >= 60_000) {
      out.reports = await generateDueWeeklyReports(new Date(), go);
      this.lastReports = now;
    }
    return out;
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
}
