import type { SmsProvider } from '../modules/notify/sms-provider';
import { resumeStaleNotices } from '../modules/outages/outage.service';
import type { Config } from '../config';
import { BillingJobRunner } from '../modules/billing/billing.jobs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger';
import { acquireLease, releaseLease } from './lease';
import { sweepSlaMarks } from './sla-sweep';

export const SLA_SWEEP_LEASE = 'sla-sweep';

export interface SweepRunnerOptions {
  owner?: string;
  intervalMs?: number;
  leaseMs?: number;
  batch?: number;
  outboxStaleMs?: number;
  log?: Pick<Logger, 'error' | 'info'>;
}

/**
 * Runs the SLA sweep every few seconds on whichever instance holds the lease. All state lives in the
 * database (deadlines, fired marks, the lease), so a restart or a crash loses nothing: the next holder
 * carries on where the last one stopped.
 */
export class SlaSweepRunner {
  readonly owner: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private crashed = false;
  private leaseUntil = 0;

  constructor(private readonly opts: SweepRunnerOptions = {}) {
    this.owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  private get leaseMs() {
    return this.opts.leaseMs ?? 15_000;
  }

  /** One round: take the lease, sweep batches while we still hold it. */
  async tick(now?: Date): Promise<{ ran: boolean; fired: number }> {
    if (this.stopped) return { ran: false, fired: 0 };
    const at = now ?? new Date();
    if (!(await acquireLease(SLA_SWEEP_LEASE, this.owner, this.leaseMs, at))) return { ran: false, fired: 0 };
    this.leaseUntil = Date.now() + this.leaseMs;
    let fired = 0;
    const batch = this.opts.batch ?? 500;
    // Stop early enough that the lease cannot run out under us while an update is in flight.
    const go = () => !this.stopped && Date.now() < this.leaseUntil - 1_000;
    for (let round = 0; round < 100 && go(); round++) {
      const r = await sweepSlaMarks({ now: now ?? new Date(), limit: batch, shouldContinue: go, outboxStaleMs: this.opts.outboxStaleMs });
      fired += r.fired;
      if (r.stopped || r.candidates < batch) break;
      if (!(await acquireLease(SLA_SWEEP_LEASE, this.owner, this.leaseMs))) break;
      this.leaseUntil = Date.now() + this.leaseMs;
    }
    return { ran: true, fired };
  }

  start(): this {
    const interval = this.opts.intervalMs ?? 2_000;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((err) => this.opts.log?.error({ err: String((err as Error)?.stack ?? err) }, 'SLA sweep failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) {
            this.timer = setTimeout(loop, interval);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(loop, 0);
    this.timer.unref();
    return this;
  }

  /** Clean stop: finish the current update, give the lease back. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (!this.crashed) await releaseLease(SLA_SWEEP_LEASE, this.owner).catch(() => undefined);
  }

  /** For tests: stop mid-sweep like a dead process — the lease stays taken until it expires. */
  crash(): void {
    this.crashed = true;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

/** Background jobs of one API process. */
export function startJobs(opts: { log?: SweepRunnerOptions['log']; cfg: Config; billing?: boolean; sms?: SmsProvider }) {
  const sla = new SlaSweepRunner({ log: opts.log }).start();
  // Outage notices a crashed writer left pending: the fan-out claims each notice, so any instance may resume them.
  const sms = opts.sms;
  const notices = sms
    ? setInterval(() => {
        resumeStaleNotices(sms).catch((err) => opts.log?.error({ err: String((err as Error)?.stack ?? err) }, 'outage notice resume failed'));
      }, 30_000)
    : null;
  notices?.unref();
  // Payment reconciliation every 30 s and the daily prepaid settlement, under their own lease.
  const billing = opts.billing === false ? null : new BillingJobRunner(opts.cfg, { log: opts.log }).start();
  return {
    async stop() {
      if (notices) clearInterval(notices);
      await Promise.all([sla.stop(), billing?.stop()]);
    },
  };
}
