/**
 * Outages for all of an enterprise's sites at once (SPEC §3.5: outage notices for the enterprise's sites in
 * one list, a subscription per site). The sites are exactly those the caller reaches (their enterprise,
 * within their site scope: account.access), so a user limited to two sites sees and subscribes two.
 */
import { Types } from 'mongoose';
import { maskAddress } from '../../lib/mask';
import { accountAccessFilter } from '../accounts/account.access';
import { AccountModel, type Account } from '../accounts/account.model';
import type { AccessClaims } from '../auth/tokens';
import { toBrief, type OutageBrief } from './outage.intake';
import { OutageModel, OutageSubscriptionModel, type Outage } from './outage.model';

const MAX_SITES = 2000;

export interface EnterpriseOutageView extends OutageBrief {
  /** The caller's sites it affects (numbers, up to 50) and how many in all. */
  sites: { accountId: string; number: string; transformerAreaName: string }[];
  siteCount: number;
}

export async function enterpriseOutages(user: AccessClaims) {
  const filter = await accountAccessFilter(user, 'view');
  const accounts = filter
    ? ((await AccountModel.find(filter, { number: 1, address: 1, transformerAreaId: 1, transformerAreaName: 1 })
        .sort({ number: 1 })
        .limit(MAX_SITES)
        .lean()) as Pick<Account, '_id' | 'number' | 'address' | 'transformerAreaId' | 'transformerAreaName'>[])
    : [];
  const areaIds = [...new Map(accounts.map((a) => [String(a.transformerAreaId), a.transformerAreaId])).values()];
  const [docs, subs] = await Promise.all([
    areaIds.length
      ? (OutageModel.find({ coveredAreaIds: { $in: areaIds }, status: 'published' }, { history: 0, pendingNotices: 0, noticesSent: 0 })
          .sort({ startAt: 1 })
          .limit(100)
          .lean() as unknown as Promise<Outage[]>)
      : Promise.resolve([] as Outage[]),
    OutageSubscriptionModel.find({ userId: new Types.ObjectId(user.sub) }, { accountId: 1 }).lean(),
  ]);
  const subscribed = new Set(subs.map((s) => String(s.accountId)));
  const now = new Date();
  const outageCount = new Map<string, number>();
  const outages: EnterpriseOutageView[] = docs.map((o) => {
    const covered = new Set(o.coveredAreaIds.map(String));
    const hit = accounts.filter((a) => covered.has(String(a.transformerAreaId)));
    for (const a of hit) outageCount.set(String(a._id), (outageCount.get(String(a._id)) ?? 0) + 1);
    return {
      ...toBrief(o, now),
      sites: hit.slice(0, 50).map((a) => ({ accountId: String(a._id), number: a.number, transformerAreaName: a.transformerAreaName })),
      siteCount: hit.length,
    };
  });
  return {
    outages,
    sites: accounts.map((a) => ({
      accountId: String(a._id),
      number: a.number,
      addressMasked: maskAddress(a.address),
      transformerAreaName: a.transformerAreaName,
      subscribed: subscribed.has(String(a._id)),
      outageCount: outageCount.get(String(a._id)) ?? 0,
    })),
    subscribedCount: accounts.filter((a) => subscribed.has(String(a._id))).length,
  };
}

/** Turns outage notices on or off for several sites (or every site the caller reaches) at once. */
export async function setSiteSubscriptions(user: AccessClaims, input: { accountIds?: string[] | null; all?: boolean; on: boolean }) {
  const filter = await accountAccessFilter(user, 'view');
  if (!filter) return { changed: 0 };
  const q: Record<string, unknown> = input.all
    ? filter
    : { $and: [filter, { _id: { $in: (input.accountIds ?? []).map((id) => new Types.ObjectId(id)) } }] };
  const accounts = await AccountModel.find(q, { transformerAreaId: 1 }).limit(MAX_SITES).lean();
  const userId = new Types.ObjectId(user.sub);
  if (accounts.length === 0) return { changed: 0 };
  if (!input.on) {
    const r = await OutageSubscriptionModel.deleteMany({ userId, accountId: { $in: accounts.map((a) => a._id) } });
    return { changed: r.deletedCount ?? 0 };
  }
  const r = await OutageSubscriptionModel.bulkWrite(
    accounts.map((a) => ({
      updateOne: {
        filter: { userId, accountId: a._id },
        update: { $set: { transformerAreaId: a.transformerAreaId }, $setOnInsert: { channels: ['inapp', 'wechat'] } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  return { changed: r.upsertedCount + r.modifiedCount };
}
