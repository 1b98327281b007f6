/**
 * The demo enterprise 长沙星城制造有限公司 with 500 metering accounts (户号总览, 合并缴费, benches).
 *
 * Called by generate.ts in place of the billing seed: it names the enterprise's existing sites, adds
 * accounts up to 500 (deterministic: its own generator, numbers 339…, outside the demo region so the demo
 * crew's and area manager's data stay as they were; commercial flat and industrial time-of-use tariffs),
 * runs the billing seed (24 months of readings and bills for every account, arrears in arrears and
 * disconnected ones), then leaves the latest bill open on about a third of the enterprise's normal
 * postpaid accounts (not yet due: what finance pays together), keeping arrears equal to unpaid bills.
 */
import { Types } from 'mongoose';
import { AccountModel, CustomerModel } from '../modules/accounts/account.model';
import { BillModel, UsageHistoryModel } from '../modules/billing/billing.model';
import { GridNodeModel } from '../modules/grid/grid.model';
import { address } from './names';
import { createRandom } from './random';

export const DEMO_ENTERPRISE_ACCOUNTS = 500;
/** Accounts this seed adds on top of the requested total (generate.ts gives the demo enterprise 12). */
export const DEMO_ENTERPRISE_EXTRA = DEMO_ENTERPRISE_ACCOUNTS - 12;
/** The added accounts' numbers: 339 + 10 digits (generated enterprise sites are 33 + 11 digits from 1). */
export const DEMO_ENTERPRISE_PREFIX = '339';

const KINDS = ['一号厂房', '二号厂房', '三号厂房', '仓库', '宿舍楼', '办公楼', '食堂', '研发中心', '锅炉房', '污水处理站', '门卫室', '充电站'];
const CN = ['一', '二', '三', '四', '五', '六', '七', '八'];

/** The i-th site's name: 「岳麓一号基地·仓库」. */
export function demoSiteName(i: number, district: string): string {
  const park = Math.floor(i / KINDS.length);
  return `${district.slice(0, 2)}${CN[park % CN.length]}号基地·${KINDS[i % KINDS.length]}`;
}

export async function seedEnterpriseDemo(opts: {
  enterpriseId: Types.ObjectId;
  /** The billing seed to run once the accounts exist (null: no billing data). */
  billing: (() => Promise<unknown>) | null;
  log?: (m: string) => void;
  seed?: number;
}) {
  const log = opts.log ?? (() => undefined);
  const r = createRandom(opts.seed ?? 20261211);
  const customer = await CustomerModel.findOne({ enterpriseId: opts.enterpriseId }, { _id: 1, name: 1 }).lean();
  if (!customer) throw new Error('demo enterprise customer missing');
  const existing = await AccountModel.find({ enterpriseId: opts.enterpriseId }, { _id: 1, address: 1 }).sort({ number: 1 }).lean();
  const regions = await GridNodeModel.find({ kind: 'region' }, { _id: 1, name: 1, code: 1 }).sort({ code: 1 }).lean();
  const areas = await GridNodeModel.find(
    { kind: 'transformer_area', regionId: { $in: regions.slice(1).map((g) => g._id) }, areaType: 'urban' },
    { _id: 1, name: 1, regionId: 1, feederId: 1, areaType: 1 },
  )
    .sort({ code: 1 })
    .lean();
  const districtOf = new Map(regions.map((g) => [String(g._id), String(g.name).replace(/供电所$/, '')]));

  // Names for the sites that exist already.
  const named = existing.map((a, i) => ({
    updateOne: { filter: { _id: a._id }, update: { $set: { siteName: demoSiteName(i, /长沙市(.{2,3}[区县市])/.exec(a.address)?.[1] ?? '星城') } } },
  }));
  if (named.length) await AccountModel.collection.bulkWrite(named, { ordered: false });

  const now = new Date();
  const docs: Record<string, unknown>[] = [];
  for (let i = existing.length; i < DEMO_ENTERPRISE_ACCOUNTS; i++) {
    const area = areas[r.int(0, areas.length - 1)];
    const district = districtOf.get(String(area.regionId)) ?? '岳麓区';
    const industrial = r.chance(0.6);
    const prepaid = r.chance(0.05);
    const roll = r.next();
    const supplyState = roll < 0.95 ? 'normal' : roll < 0.985 ? 'arrears' : 'disconnected';
    const number = `${DEMO_ENTERPRISE_PREFIX}${String(i).padStart(10, '0')}`;
    docs.push({
      _id: new Types.ObjectId(),
      number,
      customerId: customer._id,
      enterpriseId: opts.enterpriseId,
      holderName: customer.name,
      phone: null,
      address: address(r, district, false).replace(/\d+栋.*$/, ''),
      siteName: demoSiteName(i, district),
      regionId: area.regionId,
      feederId: area.feederId,
      transformerAreaId: area._id,
      transformerAreaName: area.name,
      areaType: area.areaType,
      meterNumber: `M${number.slice(-10)}`,
      usageCategory: industrial ? 'industrial' : 'commercial',
      tariffCode: industrial ? 'IND-TOU' : 'COM-FLAT',
      paymentMode: prepaid ? 'prepaid' : 'postpaid',
      supplyState,
      balanceFen: prepaid ? (supplyState === 'normal' ? r.int(50_000, 900_000) : -r.int(1_000, 20_000)) : 0,
      arrearsFen: 0, // the billing seed sets it to the unpaid bills
      createdAt: now,
      updatedAt: now,
    });
  }
  if (docs.length) await AccountModel.collection.insertMany(docs, { ordered: false });
  log(`enterprise: ${existing.length + docs.length} accounts for the demo enterprise`);

  if (!opts.billing) return { accounts: existing.length + docs.length, reopened: 0 };
  await opts.billing();

  // The latest bill open (due on the 20th) on about a third of the normal postpaid accounts.
  const normal = await AccountModel.find(
    { enterpriseId: opts.enterpriseId, paymentMode: 'postpaid', supplyState: 'normal', arrearsFen: 0 },
    { _id: 1 },
  )
    .sort({ number: 1 })
    .lean();
  const reopened = await reopenLatestBills(normal.filter((_, i) => i % 3 === 1).map((a) => a._id));
  log(`enterprise: latest bill open on ${reopened} accounts`);
  return { accounts: existing.length + docs.length, reopened };
}

/**
 * Leaves the latest bill of each of these postpaid accounts open (a bill the seed marked paid without a
 * payment): bill unpaid, its history month unpaid, arrears up by the bill. For the demo and for tests.
 */
export async function reopenLatestBills(pick: Types.ObjectId[]): Promise<number> {
  const latest = pick.length
    ? await BillModel.find({ accountId: { $in: pick }, status: 'paid', paidByPaymentId: null }, { accountId: 1, period: 1, amountFen: 1 }).lean()
    : [];
  const newest = new Map<string, (typeof latest)[number]>();
  for (const b of latest) {
    const cur = newest.get(String(b.accountId));
    if (!cur || b.period > cur.period) newest.set(String(b.accountId), b);
  }
  const bills = [...newest.values()];
  if (bills.length) {
    await BillModel.collection.bulkWrite(
      bills.map((b) => ({ updateOne: { filter: { _id: b._id, status: 'paid' }, update: { $set: { status: 'unpaid', paidAt: null } } } })),
      { ordered: false },
    );
    await UsageHistoryModel.collection.bulkWrite(
      bills.map((b) => ({
        updateOne: { filter: { _id: b.accountId }, update: { $set: { 'months.$[m].paidAt': null } }, arrayFilters: [{ 'm.period': b.period }] },
      })),
      { ordered: false },
    );
    await AccountModel.collection.bulkWrite(
      bills.map((b) => ({ updateOne: { filter: { _id: b.accountId }, update: { $inc: { arrearsFen: b.amountFen } } } })),
      { ordered: false },
    );
  }
  return bills.length;
}
