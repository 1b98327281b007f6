/**
 * Billing background work: smart-prepaid daily settlement, and payment reconciliation (查单).
 * Both are plain functions, safe to run on several instances at once (every write is guarded and
 * keyed), and a lease-holding runner that calls them on a timer.
 */
import type { Types } from 'mongoose';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { isDuplicateKeyError } from '../../db/connect';
import { defaultOwner, LeasedJob } from '../../jobs/lease';
import { AccountModel, type Account } from '../accounts/account.model';
import { BillingNoticeModel, UsageHistoryModel, PrepaidDayModel, PrepaidStateModel, RemoteCommandModel } from './billing.model';
import { applyOnceToAccount, reconcilePayments } from './payment.service';
import { afterSettlement, dailyDeduction, DEFAULT_THRESHOLDS_FEN, type PrepaidNotice } from './prepaid.rules';
import { shanghaiDay, tierYearOf } from './tariff.rules';
import { ensureSettingsFresh, tariffOf } from '../settings/settings.service';
import { accountNotice } from '../notify/billing-notices';

const NOTICE_TEXT: Record<PrepaidNotice['kind'], (n: PrepaidNotice, balanceFen: number) => { title: string; body: string }> = {
  threshold: (n, b) => ({
    title: '电费余额提醒',
    body: `您的电费余额已低于${((n as { thresholdFen: number }).thresholdFen / 100).toFixed(0)}元（当前${(b / 100).toFixed(2)}元），请及时充值。`,
  }),
  below_zero: (_n, b) => ({ title: '电费已欠费', body: `您的电费余额为${(b / 100).toFixed(2)}元，已欠费。如次日仍未缴清，将停止供电。` }),
  disconnected: (_n, b) => ({ title: '已欠费停电', body: `因欠费（余额${(b / 100).toFixed(2)}元），已停止供电。缴清欠费后将自动远程复电。` }),
  reconnected: () => ({ title: '已复电', body: '欠费已结清，已为您远程复电。' }),
};

/** Simulated smart-meter daily kWh: the last monthly reading spread over 30 days, with a little noise. */
export async function simulatedDailyKwh(accountId: Types.ObjectId, day: string): Promise<number> {
  const hist = await UsageHistoryModel.findById(accountId, { months: { $slice: -1 } }).lean();
  const last = hist?.months?.[0]?.kwh;
  const base = last ? last / 30 : 8;
  const h = parseInt(`${String(accountId).slice(-6)}`, 16) ^ Number(day.replace(/-/g, ''));
  return Math.max(0, Math.round(base * (0.8 + (h % 41) / 100)));
}

/**
 * Settles one prepaid account for one day: deducts the day's charge from the balance (once per day,
 * keyed on the account), records the day, sends threshold / below-zero notices, disconnects if the
 * balance was already negative on an earlier day. Returns null if the day was settled before.
 */
export async function settlePrepaidAccountDay(
  account: Pick<Account, '_id' | 'tariffCode' | 'meterNumber'>,
  day: string,
  kwh: number,
  now = new Date(),
) {
  if (await PrepaidDayModel.exists({ accountId: account._id, day })) return null;
  await ensureSettingsFresh();
  const tariff = tariffOf(account.tariffCode);
  const period = day.slice(0, 7);
  const year = tierYearOf(period, tariff.kind === 'tiered' ? tariff.yearStartMonth : 1);
  const st =
    (await PrepaidStateModel.findById(account._id).lean()) ??
    (await PrepaidStateModel.findOneAndUpdate(
      { _id: account._id },
      { $setOnInsert: { thresholdsFen: DEFAULT_THRESHOLDS_FEN } },
      { upsert: true, returnDocument: 'after' },
    ).lean())!;
  const ytdBefore = st.tierYear === year ? st.ytdKwh : 0;
  const mtdBefore = st.mtdPeriod === period ? st.mtdMilliFen : 0;
  const d = dailyDeduction(tariff, { ytdKwhBefore: ytdBefore, mtdMilliFenBefore: mtdBefore, kwh });
  const applied = await applyOnceToAccount(account._id, `day:${day}`, { $inc: { balanceFen: -d.chargeFen } });
  const acc = applied ?? ((await AccountModel.findById(account._id).lean()) as Account);
  const before = acc.balanceFen + d.chargeFen;
  const { state, notices } = afterSettlement(
    { balanceFen: before, supplyState: acc.supplyState as 'normal', negativeSinceDay: st.negativeSinceDay ?? null },
    d.chargeFen,
    st.thresholdsFen?.length ? st.thresholdsFen : DEFAULT_THRESHOLDS_FEN,
    day,
  );
  // The balance may have moved since (a recharge): state changes are guarded on the live balance.
  if (state.supplyState === 'disconnected' && acc.supplyState !== 'disconnected') {
    const r = await AccountModel.updateOne(
      { _id: account._id, balanceFen: { $lt: 0 }, supplyState: { $ne: 'disconnected' } },
      { $set: { supplyState: 'disconnected' } },
    );
    if (r.modifiedCount === 1) {
      await RemoteCommandModel.create({
        key: `disconnect:${account._id}:${day}`,
        accountId: account._id,
        meterNumber: account.meterNumber,
        command: 'disconnect',
        reason: '智能交费欠费次日停电',
        status: 'pending',
        createdAt: now,
      }).catch(ignoreDup);
    }
  } else if (state.supplyState === 'arrears' && acc.supplyState === 'normal') {
    await AccountModel.updateOne({ _id: account._id, balanceFen: { $lt: 0 }, supplyState: 'normal' }, { $set: { supplyState: 'arrears' } });
  }
  for (const n of notices) {
    const text = NOTICE_TEXT[n.kind](n, state.balanceFen);
    const key = `${n.kind}:${account._id}:${day}${n.kind === 'threshold' ? `:${n.thresholdFen}` : ''}`;
    await BillingNoticeModel.create({ key, accountId: account._id, kind: n.kind, ...text, createdAt: now }).catch(ignoreDup);
    // To the customers of the account (message centre, WeChat or SMS), once per record key.
    await accountNotice({ key, accountId: account._id, kind: n.kind, ...text, createdAt: now });
  }
  await PrepaidStateModel.updateOne(
    { _id: account._id, lastSettledDay: { $ne: day } },
    {
      $set: {
        lastSettledDay: day,
        tierYear: year,
        ytdKwh: ytdBefore + kwh,
        mtdPeriod: period,
        mtdMilliFen: d.mtdMilliFenAfter,
        negativeSinceDay: state.negativeSinceDay,
      },
      $push: { recentChargesFen: { $each: [d.chargeFen], $slice: -7 } },
    },
  );
  await PrepaidDayModel.create({ accountId: account._id, day, kwh, chargeFen: d.chargeFen, balanceAfterFen: state.balanceFen, at: now }).catch(
    ignoreDup,
  );
  return { chargeFen: d.chargeFen, balanceFen: state.balanceFen, notices };
}

function ignoreDup(err: unknown) {
  if (!isDuplicateKeyError(err)) throw err;
}

/** Daily settlement of every prepaid account for `day` (default yesterday, Shanghai). */
export async function settlePrepaidDay(
  opts: { day?: string; now?: Date; kwhOf?: (a: Account, day: string) => Promise<number> | number; shouldContinue?: () => boolean } = {},
) {
  const now = opts.now ?? new Date();
  const day = opts.day ?? shanghaiDay(new Date(now.getTime() - 86_400_000));
  const kwhOf = opts.kwhOf ?? ((a: Account, d: string) => simulatedDailyKwh(a._id, d));
  let settled = 0;
  const cursor = AccountModel.find({ paymentMode: 'prepaid' }, { tariffCode: 1, meterNumber: 1 }).lean().cursor();
  for await (const a of cursor) {
    if (opts.shouldContinue && !opts.shouldContinue()) break;
    if (await settlePrepaidAccountDay(a as Account, day, await kwhOf(a as Account, day), now)) settled++;
  }
  return { day, settled };
}

export const BILLING_LEASE = 'billing-jobs';

/**
 * Runs reconciliation every `intervalMs` and the prepaid settlement once per day after 01:00 Shanghai
 * time, on whichever instance holds the lease (a short lease renewed every second: a survivor takes
 * over within about 4 s, and carries on the schedule from the last run recorded in the lease).
 */
export class BillingJobRunner {
  readonly owner: string;
  private readonly job: LeasedJob;

  constructor(
    private readonly cfg: Config,
    private readonly opts: { intervalMs?: number; leaseMs?: number; owner?: string; log?: Pick<Logger, 'error' | 'info'> } = {},
  ) {
    this.owner = opts.owner ?? defaultOwner();
    this.job = new LeasedJob(BILLING_LEASE, (go) => this.run(new Date(), go), {
      owner: this.owner,
      ttlMs: opts.leaseMs ?? 3_000,
      everyMs: opts.intervalMs ?? 30_000,
      log: opts.log,
    });
  }

  /** One round under the lease (taken here if free); `ran: false` when another instance holds it or it is not time yet. */
  async tick() {
    const r = await this.job.tick();
    return r.ran ? { ran: true as const, ...(r.result as Awaited<ReturnType<BillingJobRunner['run']>>) } : { ran: false as const };
  }

  private async run(now: Date, go: () => boolean) {
    const payments = await reconcilePayments(this.cfg, { now });
    let prepaid = null;
    const yesterday = shanghaiDay(new Date(now.getTime() - 86_400_000));
    const hour = (now.getUTCHours() + 8) % 24;
    if (hour >= 1 && go()) {
      const marker = await PrepaidStateModel.db
        .collection('job_markers')
        .findOneAndUpdate(
          { _id: `prepaid-settlement:${yesterday}` as never, done: { $ne: true } },
          { $set: { startedAt: now } },
          { upsert: true, returnDocument: 'after' },
        )
        .catch(() => null);
      if (marker) {
        prepaid = await settlePrepaidDay({ day: yesterday, now, shouldContinue: go });
        if (go())
          await PrepaidStateModel.db
            .collection('job_markers')
            .updateOne({ _id: `prepaid-settlement:${yesterday}` as never }, { $set: { done: true, doneAt: new Date() } });
      }
    }
    return { payments, prepaid };
  }

  start(): this {
    this.job.start();
    return this;
  }

  stop() {
    return this.job.stop();
  }
}
