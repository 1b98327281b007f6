/**
 * Demo data of the early-warning lane (warnings module), every order through the real write path
 * (workorder.service createSystemOrder with a past `now`, then real steps):
 * - an overdue fault report of 吴建华 (13900000142): filed 40 minutes ago and not dispatched within 5 minutes; the SLA
 *   sweep escalates it (督办 to the supervisor) and only then is it dispatched to crew01's crew, so the 督办 inbox has an
 *   escalation to acknowledge and a crew to urge;
 * - a sensitive customer, 钱卫东 (13900000141): a complaint 60 days ago (handled and closed) and one 20 hours ago still
 *   open — near its 24-hour contact deadline on the warning board, and two complaints in 12 months, so the warnings
 *   job flags the customer (screen-pop shows 敏感客户 with the reason);
 * - a planted jump: in one transformer area of the second region (芙蓉区), about one fault report every three days for
 *   four weeks and six today, all closed — the board shows the area above its usual level with the evidence.
 */
import { Types } from 'mongoose';
import { AccountModel, CustomerModel } from '../modules/accounts/account.model';
import type { AccessClaims } from '../modules/auth/tokens';
import { CrewModel, UserModel } from '../modules/auth/user.model';
import { GridNodeModel } from '../modules/grid/grid.model';
import { applyStep, createSystemOrder } from '../modules/workorders/workorder.service';
import { sweepSlaMarks } from '../jobs/sla-sweep';

const MIN = 60_000;
const DAY = 86_400_000;

export const WARNINGS_DEMO = {
  sensitive: { name: '钱卫东', phone: '13900000141', number: '3101000014001' },
  overdue: { name: '吴建华', phone: '13900000142', number: '3101000014002' },
  /** Holders of the accounts in the area with the planted jump. */
  jumpHolders: ['郑秀兰', '冯志强', '陈桂芳', '褚明辉', '卫淑珍', '蒋国平'],
};

async function claimsOf(username: string): Promise<AccessClaims> {
  const u = (await UserModel.findOne({ username }, { kind: 1, roles: 1, crewId: 1 }).lean())!;
  return { sub: String(u._id), kind: u.kind, roles: u.roles, sid: 'seed', ent: null, crew: u.crewId ? String(u.crewId) : null };
}

type Area = { _id: Types.ObjectId; name: string; regionId: Types.ObjectId; feederId: Types.ObjectId; areaType: string };

async function demoAccount(area: Area, holder: string, phone: string, number: string, address: string) {
  const customerId = new Types.ObjectId();
  const now = new Date();
  await CustomerModel.collection.insertOne({
    _id: customerId,
    kind: 'residential',
    tier: 'C',
    name: holder,
    phone,
    enterpriseId: null,
    flags: { important: false, sensitive: false, vulnerable: false },
    sensitive: null,
    preferredContact: 'phone',
    createdAt: now,
    updatedAt: now,
  });
  const _id = new Types.ObjectId();
  await AccountModel.collection.insertOne({
    _id,
    number,
    customerId,
    enterpriseId: null,
    holderName: holder,
    phone,
    address,
    siteName: null,
    regionId: area.regionId,
    feederId: area.feederId,
    transformerAreaId: area._id,
    transformerAreaName: area.name,
    areaType: area.areaType,
    meterNumber: `M${number.slice(-10)}`,
    usageCategory: 'residential',
    tariffCode: 'RES-TIER-HN',
    paymentMode: 'postpaid',
    supplyState: 'normal',
    balanceFen: 0,
    arrearsFen: 0,
    createdAt: now,
    updatedAt: now,
  });
  return _id;
}

export async function seedWarningsDemo(opts: { log?: (m: string) => void; force?: boolean } = {}) {
  const log = opts.log ?? (() => undefined);
  // Unit tests seed small fixtures of their own (crew loads, queue contents); the demo stack and the e2e stack get these.
  if (process.env.VITEST && !opts.force) return;
  const regions = await GridNodeModel.find({ kind: 'region' }, { _id: 1, name: 1 }).sort({ code: 1 }).lean();
  const areaOf = async (regionId: Types.ObjectId) =>
    (await GridNodeModel.findOne({ kind: 'transformer_area', regionId, areaType: 'urban' }, { name: 1, regionId: 1, feederId: 1, areaType: 1 })
      .sort({ code: 1 })
      .lean()) as unknown as Area | null;
  const home = await areaOf(regions[0]._id);
  const jumpArea = regions[1] ? await areaOf(regions[1]._id) : null;
  if (!home) return;
  const now = Date.now();
  const agent = await claimsOf('agent01');
  const dispatcher = await claimsOf('dispatcher01');

  // The sensitive customer: an old complaint handled and closed, a fresh one near its contact deadline.
  const sensitive = await demoAccount(
    home,
    WARNINGS_DEMO.sensitive.name,
    WARNINGS_DEMO.sensitive.phone,
    WARNINGS_DEMO.sensitive.number,
    '长沙市岳麓区麓山南路18号3栋201',
  );
  const old = await createSystemOrder({
    type: 'complaint',
    accountId: sensitive,
    category: '服务态度',
    description: '客户投诉抢修人员到场后态度生硬，未说明停电原因',
    department: 'desk',
    now: new Date(now - 60 * DAY),
  });
  await applyStep(agent, 'claim', { orderId: old.orderId });
  await applyStep(agent, 'resolve', { orderId: old.orderId, notes: '已向客户致歉并说明停电原因，对相关人员进行批评教育' });
  await applyStep(agent, 'visit', { orderId: old.orderId, stars: 4 });
  await applyStep(agent, 'close', { orderId: old.orderId });
  await createSystemOrder({
    type: 'complaint',
    accountId: sensitive,
    category: '频繁停电',
    description: '一个月内小区停电三次，客户要求说明原因并给出整改时间',
    department: 'desk',
    now: new Date(now - 20 * 3600_000),
  });

  // The overdue fault report: escalated by the sweep while undispatched, then dispatched to crew01's crew.
  const overdueAcc = await demoAccount(
    home,
    WARNINGS_DEMO.overdue.name,
    WARNINGS_DEMO.overdue.phone,
    WARNINGS_DEMO.overdue.number,
    '长沙市岳麓区桐梓坡路66号5栋102',
  );
  const fault = await createSystemOrder({
    type: 'fault_repair',
    accountId: overdueAcc,
    category: '整户停电',
    description: '客户家中整户停电，邻居家有电，已检查总闸未跳',
    department: 'dispatch',
    now: new Date(now - 40 * MIN),
  });
  await sweepSlaMarks({ now: new Date() });
  const crew01 = await UserModel.findOne({ username: 'crew01' }, { crewId: 1 }).lean();
  const crew = crew01?.crewId ? await CrewModel.findById(crew01.crewId, { _id: 1 }).lean() : null;
  if (crew) await applyStep(dispatcher, 'dispatch', { orderId: fault.orderId, crewId: String(crew._id), overCapacity: true });

  // The planted jump: ~1 report every 3 days for 4 weeks, 6 today, in one transformer area; each closed at once.
  if (jumpArea) {
    const accounts: Types.ObjectId[] = [];
    for (const [i, holder] of WARNINGS_DEMO.jumpHolders.entries())
      accounts.push(await demoAccount(jumpArea, holder, `1390000015${i}`, `310100001410${i}`, `长沙市芙蓉区八一路${20 + i}号${i + 1}栋`));
    const times: Date[] = [];
    for (let d = 28; d >= 1; d--) if (d % 3 === 0) times.push(new Date(now - d * DAY + 2 * 3600_000));
    for (let i = 0; i < 6; i++) times.push(new Date(now - (i + 1) * 7 * MIN));
    for (const [i, at] of times.entries()) {
      const o = await createSystemOrder({
        type: 'fault_repair',
        accountId: accounts[i % accounts.length],
        category: '整户停电',
        description: '客户报修家中停电',
        department: 'dispatch',
        now: at,
      });
      await applyStep(dispatcher, 'closeWithReason', {
        orderId: o.orderId,
        reasonCode: 'customer_internal_fault',
        notes: '经电话核实为客户内部线路故障，已指导客户联系电工',
      });
    }
  }
  log(
    `warnings: overdue fault ${fault.orderNo} for crew01's crew, sensitive customer ${WARNINGS_DEMO.sensitive.phone}, a planted jump in ${jumpArea?.name ?? '—'}`,
  );
}
