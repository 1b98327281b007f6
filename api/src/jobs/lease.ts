import { Schema, model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isDuplicateKeyError } from '../db/connect';

/** Who holds a lease: host, process and a random part (a restarted process with the same pid is someone else). */
export const defaultOwner = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/**
 * Leases for background work: one document per job, held by one API instance until it expires.
 * Expiry is a field checked in the query (TTL indexes never fire on the embedded server).
 */
const leaseSchema = new Schema(
  {
    _id: String,
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    /** Fencing token: goes up by one every time the lease changes hands (never on a renewal). */
    token: { type: Number, default: 0 },
    acquiredAt: { type: Date, default: null },
    /** Runs of the job's periodic work (LeasedJob): when, by whom, under which token. */
    lastRunAt: { type: Date, default: null },
    lastRunBy: { type: String, default: null },
    runs: { type: Number, default: 0 },
  },
  { versionKey: false },
);
export const JobLeaseModel = model('JobLease', leaseSchema, 'job_leases');

/**
 * Takes or renews the lease: matches only if we hold it or it has expired. When it is held by someone
 * else the upsert tries to insert a second document with the same _id and fails with E11000 — so of
 * several instances exactly one gets it.
 */
export async function acquireLease(name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> {
  try {
    const doc = await JobLeaseModel.findOneAndUpdate(
      { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
      { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return doc?.owner === owner;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Gives the lease up at once, so another instance need not wait for it to expire. */
export async function releaseLease(name: string, owner: string): Promise<void> {
  await JobLeaseModel.updateOne({ _id: name, owner }, { $set: { expiresAt: new Date(0) } });
}

export interface LeaseOptions {
  /** How long a taken or renewed lease stands without another renewal (default 3 s). */
  ttlMs?: number;
  /**
   * The holder stops acting this long before its lease could run out, so a slow write does not land
   * after a survivor took over (default 500 ms).
   */
  marginMs?: number;
}

/**
 * A held-or-not lease of one job for one process, with a fencing token.
 *
 * - `acquire()` takes a free (expired or released) lease, bumping the token, or renews ours.
 * - `renew()` is a guarded update: it matches only our owner id, our token and an unexpired lease. A
 *   holder that was paused (GC, SIGSTOP, an overloaded machine) past its expiry finds its renewal refused
 *   even if nobody took over meanwhile, and must acquire again under a new token.
 * - `held()` is the local check made before each piece of work: true only while the last successful
 *   renewal, counted from when it was sent, is younger than the TTL minus the margin. Another instance
 *   takes over only once the lease has expired in the database, so the two never act at the same time
 *   (clocks of the instances kept in step by NTP; skew adds to the margin).
 *
 * Work done under the lease stays exactly-once on its own (guarded single-document updates, unique
 * keys): the lease keeps instances from duplicating effort, the guards keep a late write harmless.
 */
export class Lease {
  token: number | null = null;
  private validUntil = 0;

  constructor(
    readonly name: string,
    readonly owner: string,
    private readonly opts: LeaseOptions = {},
  ) {}

  get ttlMs() {
    return this.opts.ttlMs ?? 3_000;
  }

  held(): boolean {
    return this.token !== null && Date.now() < this.validUntil;
  }

  async acquire(): Promise<boolean> {
    if (this.token !== null && (await this.renew())) return true;
    const sent = Date.now();
    const now = new Date(sent);
    try {
      const doc = await JobLeaseModel.findOneAndUpdate(
        { _id: this.name, expiresAt: { $lte: now } },
        { $set: { owner: this.owner, expiresAt: new Date(sent + this.ttlMs), acquiredAt: now }, $inc: { token: 1 } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      if (doc?.owner !== this.owner) return false;
      this.token = doc.token;
      this.validUntil = sent + this.ttlMs - (this.opts.marginMs ?? 500);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Extends our lease; false (and the lease forgotten) when it ran out or changed hands. */
  async renew(): Promise<boolean> {
    if (this.token === null) return false;
    const sent = Date.now();
    const r = await JobLeaseModel.updateOne(
      { _id: this.name, owner: this.owner, token: this.token, expiresAt: { $gt: new Date(sent) } },
      { $set: { expiresAt: new Date(sent + this.ttlMs) } },
    );
    if (r.matchedCount === 1) {
      this.validUntil = sent + this.ttlMs - (this.opts.marginMs ?? 500);
      return true;
    }
    this.forget();
    return false;
  }

  /** Records one run of the job's periodic work, only while we still hold the lease under our token. */
  async recordRun(at = new Date()): Promise<boolean> {
    if (this.token === null) return false;
    const r = await JobLeaseModel.updateOne(
      { _id: this.name, owner: this.owner, token: this.token },
      { $set: { lastRunAt: at, lastRunBy: this.owner }, $inc: { runs: 1 } },
    );
    return r.matchedCount === 1;
  }

  /** When the job last ran, by any holder (a new holder carries on the schedule instead of restarting it). */
  async lastRunAt(): Promise<Date | null> {
    return (await JobLeaseModel.findById(this.name, { lastRunAt: 1 }).lean())?.lastRunAt ?? null;
  }

  /** Gives the lease up at once, so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    const token = this.token;
    this.forget();
    if (token !== null) await JobLeaseModel.updateOne({ _id: this.name, owner: this.owner, token }, { $set: { expiresAt: new Date(0) } });
  }

  /** Stops believing we hold it (the database keeps it until it expires: what a dead process leaves). */
  forget() {
    this.token = null;
    this.validUntil = 0;
  }
}

export interface LeasedJobOptions extends LeaseOptions {
  owner: string;
  /** How often the holder renews (default a third of the TTL). */
  renewMs?: number;
  /** How often an instance without the lease tries to take it, and the holder looks for work (default 1 s). */
  pollMs?: number;
  /** Minimum time between runs of the work, across holders (default: every poll). */
  everyMs?: number;
  log?: { error(obj: object, msg: string): void };
}

/** What a caller of one module's job factory may set (tests: owner and fast intervals; the scheduler: the log). */
export interface JobRunnerOptions {
  owner?: string;
  intervalMs?: number;
  leaseMs?: number;
  log?: LeasedJobOptions['log'];
}

/** A job factory's defaults filled in under the caller's choices. */
export function runnerOptions(opts: JobRunnerOptions, defaults: { ttlMs: number; pollMs: number }): LeasedJobOptions {
  return {
    owner: opts.owner ?? defaultOwner(),
    ttlMs: opts.leaseMs ?? defaults.ttlMs,
    pollMs: opts.intervalMs ?? defaults.pollMs,
    log: opts.log,
  };
}

/**
 * Periodic work under a lease: every `pollMs` each instance tries to take (or renew) the lease, and the
 * holder runs `work` when `everyMs` has passed since the last run by anyone. While work runs, a
 * heartbeat renews the lease every `renewMs`; `work` gets `lease.held` to check between its writes, and
 * stops when it turns false. A survivor takes a dead holder's lease within TTL + pollMs.
 */
export class LeasedJob {
  readonly lease: Lease;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private crashed = false;

  constructor(
    name: string,
    private readonly work: (go: () => boolean, lease: Lease) => Promise<unknown>,
    private readonly opts: LeasedJobOptions,
  ) {
    this.lease = new Lease(name, opts.owner, opts);
  }

  private readonly go = () => !this.stopped && this.lease.held();

  /** One round: take or renew the lease; run the work if it is time. False when we do not hold the lease. */
  async tick(): Promise<{ ran: boolean; result?: unknown }> {
    if (this.stopped || !(await this.lease.acquire())) return { ran: false };
    const every = this.opts.everyMs ?? 0;
    if (every > 0) {
      const last = await this.lease.lastRunAt();
      if (last && Date.now() - last.getTime() < every) return { ran: false };
    }
    if (!this.go()) return { ran: false };
    await this.lease.recordRun();
    return { ran: true, result: await this.work(this.go, this.lease) };
  }

  start(): this {
    const renewMs = this.opts.renewMs ?? Math.max(100, Math.floor(this.lease.ttlMs / 3));
    this.heartbeat = setInterval(() => {
      if (this.lease.token !== null && !this.stopped) void this.lease.renew().catch(() => undefined); // a failed read is not a loss: held() runs out on its own
    }, renewMs);
    this.heartbeat.unref();
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((err) => this.opts.log?.error({ err: String((err as Error)?.stack ?? err), job: this.lease.name }, 'background job failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) {
            this.timer = setTimeout(loop, this.opts.pollMs ?? 1_000);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(loop, 0);
    this.timer.unref();
    return this;
  }

  /** Clean stop: let the current write finish, give the lease back. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.running;
    if (!this.crashed) await this.lease.release().catch(() => undefined);
  }

  /** For tests: stop like a dead process — no more renewals, the lease stays taken until it expires. */
  crash(): void {
    this.crashed = true;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.lease.forget();
  }
}
