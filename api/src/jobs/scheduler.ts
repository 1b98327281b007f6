import type { SmsProvider } from '../modules/notify/sms-provider';
import { resumeStaleNotices } from '../modules/outages/outage.service';
import type { Config } from '../config';
import { BillingJobRunner } from '../modules/billing/billing.jobs';
import type { Logger } from '../logger';
import { defaultOwner, LeasedJob, type Lease } from './lease';
import { sweepSlaMarks } from './sla-sweep';
import { replyWatchJob } from './reply-watch';
import { pointsAccrualJob } from '../modules/points/points.job';
import { qualityRollupJob } from '../modules/quality/quality.job';
import { WarningsJobRunner } from '../modules/warnings/warnings.jobs';

export const SLA_SWEEP_LEASE = 'sla-sweep';

export interface SweepRunnerOptions {
  owner?: string;
  /** How often the sweep runs, and an instance without the lease tries to take it (default 1 s). */
  intervalMs?: number;
  /** Lease TTL (default 3 s, renewed every second): a survivor takes over a dead holder's sweep within TTL + interval. */
  leaseMs?: number;
  /** Orders read per round (default 500). */
  batch?: number;
  /** Orders per bulk of guarded updates (default 200). */
  bulk?: number;
  outboxStaleMs?: number;
  log?: Pick<Logger, 'error' | 'info'>;
}

/**
 * Runs the SLA sweep every second on whichever instance holds the lease. All state lives in the
 * database (deadlines, fired marks, the lease), so a restart or a crash loses nothing: the next holder
 * carries on where the last one stopped, within the lease TTL plus one interval.
 */
export class SlaSweepRunner {
  readonly owner: string;
  private readonly job: LeasedJob;

  constructor(private readonly opts: SweepRunnerOptions = {}) {
    this.owner = opts.owner ?? defaultOwner();
    this.job = new LeasedJob(SLA_SWEEP_LEASE, (go, lease) => this.sweep(go, lease), {
      owner: this.owner,
      ttlMs: opts.leaseMs ?? 3_000,
      pollMs: opts.intervalMs ?? 1_000,
      log: opts.log,
    });
  }

  get lease() {
    return this.job.lease;
  }

  /** Rounds of the sweep while we hold the lease, renewing it between rounds. */
  private async sweep(go: () => boolean, lease: Lease): Promise<number> {
    let fired = 0;
    const batch = this.opts.batch ?? 500;
    for (let round = 0; round < 100 && go(); round++) {
      const r = await sweepSlaMarks({
        now: new Date(),
        limit: batch,
        bulk: this.opts.bulk,
        shouldContinue: go,
        outboxStaleMs: this.opts.outboxStaleMs,
      });
      fired += r.fired;
      if (r.stopped || r.candidates < batch) break;
      if (!(await lease.renew())) break;
    }
    return fired;
  }

  /** One round: take the lease, sweep while we still hold it. */
  async tick(): Promise<{ ran: boolean; fired: number }> {
    const r = await this.job.tick();
    return { ran: r.ran, fired: r.ran ? (r.result as number) : 0 };
  }

  start(): this {
    this.job.start();
    return this;
  }

  /** Clean stop: finish the current update, give the lease back. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** For tests: stop mid-sweep like a dead process — the lease stays taken until it expires. */
  crash(): void {
    this.job.crash();
  }
}

/** Background jobs of one API process. */
export function startJobs(opts: { log?: SweepRunnerOptions['log']; cfg: Config; billing?: boolean; sms?: SmsProvider }) {
  const sla = new SlaSweepRunner({ log: opts.log }).start();
  // Enterprise messages left unanswered past the 30 minutes of service time warn their account manager once.
  const replyWatch = replyWatchJob({ log: opts.log }).start();
  const points = pointsAccrualJob({ log: opts.log }).start(); // 积分: events → ledger → totals, under its own lease
  const quality = qualityRollupJob({ log: opts.log }).start(); // quality reports: order facts and roll-ups from the event log
  const warnings = new WarningsJobRunner({ log: opts.log, fontPath: opts.cfg.RECEIPT_FONT_PATH }).start(); // 督办 items, sensitive customers, board snapshot, area counts, weekly reports
  // Outage notices a crashed writer left pending: the fan-out claims each notice, so any instance may resume them.
  const sms = opts.sms;
  const notices = sms
    ? setInterval(() => {
        resumeStaleNotices(sms).catch((err) => opts.log?.error({ err: String((err as Error)?.stack ?? err) }, 'outage notice resume failed'));
      }, 30_000)
    : null;
  notices?.unref();
  // Payment reconciliation every 30 s and the daily prepaid settlement, under their own lease.
  const billing =
    opts.billing === false ? null : new BillingJobRunner(opts.cfg, { log: opts.log, intervalMs: opts.cfg.BILLING_JOBS_INTERVAL_MS }).start();
  return {
    async stop() {
      if (notices) clearInterval(notices);
      await Promise.all([sla.stop(), replyWatch.stop(), points.stop(), warnings.stop(), quality.stop(), billing?.stop()]);
    },
  };
}
