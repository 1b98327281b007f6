import mongoose, { Types } from 'mongoose';
import { Schema, model } from 'mongoose';
import { syncAllIndexes } from '../db/connect';
import { GridNodeModel } from '../modules/grid/grid.model';
import { AccountModel, BindingModel, CustomerModel, EnterpriseModel } from '../modules/accounts/account.model';
import { CrewModel, identityKey, UserModel, type Role } from '../modules/auth/user.model';
import { hashPassword } from '../modules/auth/password';
import { createRandom, type Random } from './random';
import { DEMO_DISCONNECTED_ACCOUNT, DEMO_PAYFOR_ACCOUNT, DEMO_PREPAID_ACCOUNT, seedBilling } from '../modules/billing/seed';
import { address, companyName, personName, phoneNumber } from './names';
import { seedEnterpriseDemo } from './enterprise.seed';
import { seedEnterprisePeople } from './enterprise-people.seed';

/** Fixed demo identities, printed by `npm start` and used by the end-to-end tests. */
export const DEMO = {
  password: 'Demo@12345',
  residentPhone: '13800000001',
  bindable: { number: '3101000000001', holderName: '张建国', phone: '13900000001' },
  /** Bindable with an open bill (billing seed), for the mini-program payment flow. */
  bindableUnpaid: { number: '3101000000004', holderName: '王桂英', phone: '13900000004' },
  /** Nobody's, latest bill open: for paying someone else's account by number (代缴). */
  payFor: { number: DEMO_PAYFOR_ACCOUNT, holderName: '赵淑兰', phone: '13900000005' },
  /** Disconnected for arrears, two bills open: paying them off creates a reconnection order. */
  disconnected: { number: DEMO_DISCONNECTED_ACCOUNT, holderName: '孙国强', phone: '13900000006' },
  /** Smart-prepaid with a positive balance: a recharge to refund in the staff console. */
  prepaid: { number: DEMO_PREPAID_ACCOUNT, holderName: '周玉梅', phone: '13900000007' },
  residentAccounts: [
    { number: '3101000000002', holderName: '李秀英', relation: 'self' as const },
    { number: '3101000000003', holderName: '李德福', relation: 'family' as const },
  ],
  enterpriseName: '长沙星城制造有限公司',
  otherEnterpriseName: '长沙麓谷电子科技有限公司',
  enterpriseUsers: [
    { username: 'ent_admin', displayName: '王经理', role: 'enterprise_admin' as Role },
    { username: 'ent_finance', displayName: '刘会计', role: 'enterprise_finance' as Role },
    { username: 'ent_elec', displayName: '陈电工', role: 'enterprise_electrician' as Role },
    { username: 'other_ent_admin', displayName: '赵主任', role: 'enterprise_admin' as Role, other: true },
  ],
  staff: [
    { username: 'agent01', displayName: '周晓燕', roles: ['agent'] as Role[] },
    { username: 'agent02', displayName: '孙丽', roles: ['agent'] as Role[] },
    { username: 'expert01', displayName: '吴志刚', roles: ['expert'] as Role[] },
    { username: 'dispatcher01', displayName: '郑海', roles: ['dispatcher'] as Role[] },
    { username: 'crew01', displayName: '黄师傅', roles: ['crew'] as Role[] },
    { username: 'areamgr01', displayName: '杨台区', roles: ['area_manager'] as Role[] },
    { username: 'supervisor01', displayName: '马值班长', roles: ['supervisor'] as Role[] },
    { username: 'manager01', displayName: '何经理', roles: ['account_manager'] as Role[] },
    { username: 'admin01', displayName: '系统管理员', roles: ['admin'] as Role[] },
  ],
};

const REGIONS: { name: string; areaType: 'urban' | 'rural' | 'remote' }[] = [
  { name: '岳麓区', areaType: 'urban' },
  { name: '芙蓉区', areaType: 'urban' },
  { name: '天心区', areaType: 'urban' },
  { name: '开福区', areaType: 'urban' },
  { name: '雨花区', areaType: 'urban' },
  { name: '望城区', areaType: 'rural' },
  { name: '长沙县', areaType: 'rural' },
  { name: '浏阳市', areaType: 'remote' },
];

const metaSchema = new Schema({ _id: String, value: Schema.Types.Mixed, at: Date });
const MetaModel = mongoose.models.Meta ?? model('Meta', metaSchema, 'meta');

export interface SeedOptions {
  accounts?: number;
  reset?: boolean;
  seed?: number;
  /** 24 months of readings and bills (default true); tests of billing itself seed it on their own terms. */
  billing?: boolean;
  /** Closed orders of a year of history (history.seed.ts); none when absent (the CLI passes 180,000 by default). */
  historyOrders?: number;
  log?: (msg: string) => void;
}

/**
 * The seed marks its run in `meta` ({_id: 'seed'}): `state: 'running'` from the moment it starts changing
 * data, `'complete'` (with the counts) once everything is in. A run that died half-way leaves 'running', so
 * the next seed (`npm start` runs one on every start) regenerates instead of keeping half the data.
 */
export type SeedState = 'none' | 'running' | 'complete';

export async function seedState(): Promise<{ state: SeedState; startedAt?: Date }> {
  const doc = (await MetaModel.findById('seed').lean()) as { value?: { state?: string; startedAt?: Date } } | null;
  if (!doc) return { state: 'none' };
  // Seeds written before the marker had no state: they only wrote the document at the very end.
  return { state: doc.value?.state === 'running' ? 'running' : 'complete', startedAt: doc.value?.startedAt };
}

export async function isSeeded(): Promise<boolean> {
  return (await seedState()).state === 'complete';
}

/** Thrown by seedDemoData when it failed after it had begun to change data (the reset or the inserts). */
export class SeedFailedError extends Error {
  constructor(
    readonly cause: unknown,
    /** True once data was deleted or written: the database no longer holds what it held before. */
    readonly dataChanged: boolean,
  ) {
    super(`seed failed${dataChanged ? ' after it had begun to change data' : ''}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Drops every collection of the connected database (except system ones); callers rebuild the indexes (syncAllIndexes). */
export async function dropAllCollections(): Promise<void> {
  const db = mongoose.connection.db!;
  for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (!c.name.startsWith('system.'))
      await db.dropCollection(c.name).catch((err: { codeName?: string }) => {
        if (err?.codeName !== 'NamespaceNotFound') throw err;
      });
  }
}

/** One city: ~600 transformer areas, N accounts with realistic names and addresses, enterprises, staff. */
export async function seedDemoData(opts: SeedOptions = {}) {
  const total = opts.accounts ?? 20_000;
  const log = opts.log ?? (() => undefined);
  const r = createRandom(opts.seed ?? 20261201);
  const started = Date.now();
  const previous = await seedState();
  let reset = Boolean(opts.reset);
  if (!reset && previous.state === 'complete') {
    log('demo data already present (use --reset to regenerate)');
    return { skipped: true as const };
  }
  if (!reset && previous.state === 'running') {
    log(`the previous seed${previous.startedAt ? ` (started ${previous.startedAt.toISOString()})` : ''} did not finish: regenerating`);
    reset = true;
  }
  let dataChanged = false;
  try {
    if (reset) {
      dataChanged = true;
      // Dropping is one step per collection (deleting documents one by one took minutes at 200,000
      // accounts and starved the server); the indexes are rebuilt right after.
      await dropAllCollections();
      await syncAllIndexes();
    }
    dataChanged = true;
    await MetaModel.updateOne(
      { _id: 'seed' },
      { $set: { value: { state: 'running', startedAt: new Date(), accounts: total }, at: new Date() } },
      { upsert: true },
    );
    return await generate(total, opts, r, log, started);
  } catch (err) {
    throw new SeedFailedError(err, dataChanged);
  }
}

async function generate(total: number, opts: SeedOptions, r: Random, log: (msg: string) => void, started: number) {
  // Grid: 8 regions × 3 substations × 5 feeders × 5 transformer areas = 600 areas.
  const grid: Record<string, unknown>[] = [];
  const areas: { _id: Types.ObjectId; name: string; regionId: Types.ObjectId; feederId: Types.ObjectId; areaType: string; district: string }[] = [];
  REGIONS.forEach((reg, ri) => {
    const regionId = new Types.ObjectId();
    grid.push({
      _id: regionId,
      kind: 'region',
      code: `R${ri + 1}`,
      name: `${reg.name}供电所`,
      parentId: null,
      ancestorIds: [],
      areaType: reg.areaType,
    });
    for (let s = 1; s <= 3; s++) {
      const subId = new Types.ObjectId();
      const subName = `${reg.name.slice(0, 2)}${['东', '西', '北'][s - 1]}110kV变电站`;
      grid.push({
        _id: subId,
        kind: 'substation',
        code: `R${ri + 1}S${s}`,
        name: subName,
        parentId: regionId,
        ancestorIds: [regionId],
        regionId,
        areaType: reg.areaType,
      });
      for (let f = 1; f <= 5; f++) {
        const feederId = new Types.ObjectId();
        const feederCode = `R${ri + 1}S${s}F${f}`;
        grid.push({
          _id: feederId,
          kind: 'feeder',
          code: feederCode,
          name: `10kV${subName.slice(0, 3)}${f}${'一二三四五'[f - 1]}线`,
          parentId: subId,
          ancestorIds: [regionId, subId],
          regionId,
          areaType: reg.areaType,
        });
        for (let t = 1; t <= 5; t++) {
          const id = new Types.ObjectId();
          const name = `${reg.name.slice(0, 2)}${r.pick(['花园', '新村', '公寓', '小区', '家园', '苑', '村委'])}${s}${f}${t}号台区`;
          grid.push({
            _id: id,
            kind: 'transformer_area',
            code: `${feederCode}T${t}`,
            name,
            parentId: feederId,
            ancestorIds: [regionId, subId, feederId],
            regionId,
            feederId,
            areaType: reg.areaType,
          });
          areas.push({ _id: id, name, regionId, feederId, areaType: reg.areaType, district: reg.name });
        }
      }
    }
  });
  await GridNodeModel.collection.insertMany(grid.map((g) => ({ ...g, createdAt: new Date(), updatedAt: new Date() })));
  log(`grid: ${REGIONS.length} regions, ${areas.length} transformer areas`);

  const now = new Date();
  const stamp = { createdAt: now, updatedAt: now };
  const makeAccount = (
    number: string,
    customerId: Types.ObjectId,
    holderName: string,
    phone: string | null,
    usageCategory: 'residential' | 'commercial' | 'industrial',
    enterpriseId: Types.ObjectId | null,
    rr: Random,
    inAreas = areas,
  ) => {
    const area = rr.pick(inAreas);
    const prepaid = usageCategory === 'residential' ? rr.chance(0.35) : rr.chance(0.1);
    const stateRoll = rr.next();
    const supplyState = stateRoll < 0.9 ? 'normal' : stateRoll < 0.98 ? 'arrears' : 'disconnected';
    return {
      _id: new Types.ObjectId(),
      number,
      customerId,
      enterpriseId,
      holderName,
      phone,
      address: address(rr, area.district, area.areaType !== 'urban'),
      regionId: area.regionId,
      feederId: area.feederId,
      transformerAreaId: area._id,
      transformerAreaName: area.name,
      areaType: area.areaType,
      meterNumber: `M${number.slice(-10)}`,
      usageCategory,
      tariffCode: usageCategory === 'residential' ? 'RES-TIER-HN' : usageCategory === 'commercial' ? 'COM-FLAT' : 'IND-TOU',
      paymentMode: prepaid ? 'prepaid' : 'postpaid',
      supplyState,
      balanceFen: prepaid ? (supplyState === 'normal' ? rr.int(1000, 50000) : -rr.int(100, 5000)) : 0,
      arrearsFen: !prepaid && supplyState !== 'normal' ? rr.int(2000, 80000) : 0,
      ...stamp,
    };
  };

  // Enterprises: the demo one plus others, each with several accounts.
  const enterprises: { _id: Types.ObjectId; name: string }[] = [];
  const entCount = Math.max(2, Math.min(60, Math.round(total / 400)));
  const customers: Record<string, unknown>[] = [];
  const accounts: ReturnType<typeof makeAccount>[] = [];
  let entAccountSeq = 0;
  for (let i = 0; i < entCount; i++) {
    const name = i === 0 ? DEMO.enterpriseName : i === 1 ? DEMO.otherEnterpriseName : companyName(r, i);
    const _id = new Types.ObjectId();
    const tier = i < 2 || r.chance(0.3) ? 'A' : 'B';
    enterprises.push({ _id, name });
    const custId = new Types.ObjectId();
    customers.push({
      _id: custId,
      kind: 'enterprise',
      tier,
      name,
      phone: phoneNumber(r),
      enterpriseId: _id,
      flags: { important: tier === 'A', sensitive: false, vulnerable: false },
      preferredContact: 'phone',
      ...stamp,
    });
    const n = i === 0 ? 12 : i === 1 ? 5 : r.int(3, 20);
    for (let k = 0; k < n; k++) {
      entAccountSeq++;
      accounts.push(
        makeAccount(`33${String(entAccountSeq).padStart(11, '0')}`, custId, name, null, r.chance(0.6) ? 'industrial' : 'commercial', _id, r),
      );
    }
  }
  await EnterpriseModel.collection.insertMany(
    enterprises.map((e, i) => ({
      ...e,
      creditCode: `91430100MA4L${String(i).padStart(6, '0')}`,
      tier: i < 2 ? 'A' : 'B',
      verified: true,
      accountManagerId: null,
      ...stamp,
    })),
  );

  // Fixed demo residents.
  const demoCustomer = (name: string, phone: string) => {
    const _id = new Types.ObjectId();
    customers.push({
      _id,
      kind: 'residential',
      tier: 'C',
      name,
      phone,
      enterpriseId: null,
      flags: { important: false, sensitive: false, vulnerable: false },
      preferredContact: 'wechat',
      ...stamp,
    });
    return _id;
  };
  // Demo accounts sit in the first region, where the demo crew (crew01) and area manager work.
  const demoAreas = areas.filter((a) => a.regionId.equals(areas[0].regionId) && a.areaType === 'urban');
  const bindableCust = demoCustomer(DEMO.bindable.holderName, DEMO.bindable.phone);
  accounts.push({
    ...makeAccount(DEMO.bindable.number, bindableCust, DEMO.bindable.holderName, DEMO.bindable.phone, 'residential', null, r, demoAreas),
    supplyState: 'normal',
    paymentMode: 'postpaid',
    arrearsFen: 0,
  });
  const unpaidCust = demoCustomer(DEMO.bindableUnpaid.holderName, DEMO.bindableUnpaid.phone);
  accounts.push({
    ...makeAccount(
      DEMO.bindableUnpaid.number,
      unpaidCust,
      DEMO.bindableUnpaid.holderName,
      DEMO.bindableUnpaid.phone,
      'residential',
      null,
      r,
      demoAreas,
    ),
    supplyState: 'normal',
    paymentMode: 'postpaid',
    arrearsFen: 0, // its latest bill is open, not yet overdue
  });
  // Payment demo accounts draw from a generator of their own so every generated account stays as it was.
  const rp = createRandom(20261205);
  accounts.push({
    ...makeAccount(
      DEMO.payFor.number,
      demoCustomer(DEMO.payFor.holderName, DEMO.payFor.phone),
      DEMO.payFor.holderName,
      DEMO.payFor.phone,
      'residential',
      null,
      rp,
      demoAreas,
    ),
    supplyState: 'normal',
    paymentMode: 'postpaid',
    arrearsFen: 0,
  });
  accounts.push({
    ...makeAccount(
      DEMO.disconnected.number,
      demoCustomer(DEMO.disconnected.holderName, DEMO.disconnected.phone),
      DEMO.disconnected.holderName,
      DEMO.disconnected.phone,
      'residential',
      null,
      rp,
      demoAreas,
    ),
    supplyState: 'disconnected',
    paymentMode: 'postpaid', // arrearsFen: its open bills (billing seed)
  });
  accounts.push({
    ...makeAccount(
      DEMO.prepaid.number,
      demoCustomer(DEMO.prepaid.holderName, DEMO.prepaid.phone),
      DEMO.prepaid.holderName,
      DEMO.prepaid.phone,
      'residential',
      null,
      rp,
      demoAreas,
    ),
    supplyState: 'normal',
    paymentMode: 'prepaid',
    arrearsFen: 0,
    balanceFen: 8_650,
  });
  const residentAccountIds: Types.ObjectId[] = [];
  for (const d of DEMO.residentAccounts) {
    const cid = demoCustomer(d.holderName, DEMO.residentPhone);
    const a = makeAccount(d.number, cid, d.holderName, DEMO.residentPhone, 'residential', null, r, demoAreas);
    residentAccountIds.push(a._id);
    accounts.push(a);
  }

  // Residents and shops up to the requested total; flush in batches to keep memory flat at 200k.
  let flushed = 0;
  const flush = async () => {
    const t = Date.now();
    if (customers.length) await CustomerModel.collection.insertMany(customers.splice(0), { ordered: false });
    const n = accounts.length;
    if (accounts.length) await AccountModel.collection.insertMany(accounts.splice(0), { ordered: false });
    flushed += n;
    if (process.env.SEED_DEBUG) log(`  ${flushed} accounts (${Date.now() - t} ms)`);
  };
  let made = entAccountSeq + 5 + DEMO.residentAccounts.length;
  let seq = 0;
  while (made < total) {
    const name = personName(r);
    const phone = phoneNumber(r);
    const tierFlags = { important: false, sensitive: r.chance(0.01), vulnerable: r.chance(0.02) };
    const cid = new Types.ObjectId();
    customers.push({
      _id: cid,
      kind: 'residential',
      tier: 'C',
      name,
      phone,
      enterpriseId: null,
      flags: tierFlags,
      preferredContact: r.pick(['wechat', 'sms', 'phone']),
      ...stamp,
    });
    const n = r.chance(0.08) ? 2 : 1;
    for (let k = 0; k < n && made < total; k++, made++) {
      seq++;
      accounts.push(makeAccount(`32${String(seq).padStart(11, '0')}`, cid, name, phone, k === 1 ? 'commercial' : 'residential', null, r));
    }
    if (accounts.length >= 5000) await flush();
  }
  await flush();

  // Users: the demo resident (web), enterprise users, staff; crews per region.
  const password = await hashPassword(DEMO.password);
  const resident = await UserModel.create({
    kind: 'web',
    identityKey: identityKey.sms(DEMO.residentPhone),
    roles: ['resident'],
    displayName: '李女士',
    phone: DEMO.residentPhone,
  });
  await BindingModel.insertMany(
    residentAccountIds.map((accountId, i) => ({ userId: resident._id, accountId, relation: DEMO.residentAccounts[i].relation, verifiedBy: 'seed' })),
  );
  const regionIds = grid.filter((g) => g.kind === 'region').map((g) => g._id as Types.ObjectId);
  const crews = await CrewModel.insertMany(
    regionIds.flatMap((regionId, i) =>
      [1, 2].map((k) => ({ name: `${REGIONS[i].name}抢修${k}班`, regionId, capacity: 4 + k, workPhone: `0731-${88_600_000 + i * 10 + k}` })),
    ),
  );
  for (const s of DEMO.staff) {
    await UserModel.create({
      kind: 'staff',
      identityKey: identityKey.password(s.username),
      roles: s.roles,
      displayName: s.displayName,
      username: s.username,
      passwordHash: password,
      regionId: regionIds[0],
      crewId: s.roles.includes('crew') ? crews[0]._id : null,
    });
  }
  // The demo enterprises' named account manager (客户经理).
  const manager = await UserModel.findOne({ username: 'manager01' }, { _id: 1 }).lean();
  await EnterpriseModel.updateMany({ _id: { $in: [enterprises[0]._id, enterprises[1]._id] } }, { $set: { accountManagerId: manager!._id } });
  for (const e of DEMO.enterpriseUsers) {
    await UserModel.create({
      kind: 'enterprise',
      identityKey: identityKey.password(e.username),
      roles: [e.role],
      displayName: e.displayName,
      username: e.username,
      passwordHash: password,
      enterpriseId: enterprises['other' in e ? 1 : 0]._id,
    });
  }
  await CrewModel.updateOne({ _id: crews[0]._id }, { $set: { memberIds: [(await UserModel.findOne({ username: 'crew01' }).lean())!._id] } });
  await (await import('./staff-roster.seed')).seedStaffRoster({ passwordHash: password, log }); // 班组 and the agents of the history

  // 24 months of readings and bills for every account (postpaid arrears match their unpaid bills).
  await seedEnterpriseDemo({ enterpriseId: enterprises[0]._id, billing: opts.billing !== false ? () => seedBilling({ log }) : null, log }); // ent-money: 500 accounts
  await seedEnterprisePeople({ log }); // ent-people: joinable accounts, account manager's work phone
  await (await import('./knowledge.seed')).seedKnowledge({ log }); // knowledge: categories and 40+ published articles
  await (await import('./ent-service.seed')).seedEnterpriseService({ log }); // ent-service: manager's work phone, a demo conversation
  if (opts.billing !== false) await (await import('./statements.seed')).seedStatementsDemo({ log }); // ent-statements: a site whose usage jumps
  await (await import('./applications.seed')).seedApplications({ log }); // applications: 业务办理 in every state
  if (opts.historyOrders) await (await import('./history.seed')).seedHistory({ orders: opts.historyOrders, log }); // history: a closed year of orders
  await (await import('./warnings.seed')).seedWarningsDemo({ log }); // warnings: an escalated fault for crew01's crew, a sensitive customer, a planted jump
  const accountsTotal = await AccountModel.estimatedDocumentCount();
  await MetaModel.updateOne(
    { _id: 'seed' },
    { $set: { value: { state: 'complete', accounts: accountsTotal, seed: opts.seed ?? 20261201 }, at: new Date() } },
    { upsert: true },
  );
  const ms = Date.now() - started;
  log(`seeded ${accountsTotal} accounts, ${enterprises.length} enterprises, ${areas.length} transformer areas in ${(ms / 1000).toFixed(1)} s`);
  return { skipped: false as const, accounts: accountsTotal, enterprises: enterprises.length, transformerAreas: areas.length, ms };
}
