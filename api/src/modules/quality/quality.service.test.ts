import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { AccountModel } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { JobLeaseModel } from '../../jobs/lease';
import { TeamModel } from '../staff/team.model';
import { shanghaiDay } from '../billing/tariff.rules';
import { parseCsv } from '../statements/statement.rules';
import { WorkOrderModel } from '../workorders/workorder.model';
import { OrderFactModel, QualityAccountModel, QualityDirtyModel, QualityMetaModel, QualityRollupModel } from './quality.model';
import { QUALITY_ROLLUP_LEASE } from './quality.job';
import { processDirty, processEvents, rebuildQuality, refreshFacts, runQualityRound } from './rollup.service';
import { dashboardFor, drillFor, exportCsvFor } from './quality.service';

let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let agent: Client;
let agent2: Client;
let supervisor: Client;
let supervisor2: Client;
let admin: Client;
let resident: Client;
let accountId: string;
let now: Date;
let startedAt: Date;
let consultId: string;

/**
 * The China days from the first order of the file to `until`: the orders are made in real time, so a run that
 * crosses midnight in China still finds them all (one day in any other hour).
 */
const days = (until: Date) => ({ from: shanghaiDay(startedAt), to: shanghaiDay(until) });

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}

/** Stable JSON (keys sorted) to compare documents whatever the order their fields were written in. */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object' && !(v instanceof Types.ObjectId)) {
    return Object.fromEntries(
      Object.keys(v as object)
        .filter((k) => k !== 'updatedAt')
        .sort()
        .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
    );
  }
  return v instanceof Types.ObjectId ? String(v) : v;
}
async function snapshot() {
  const [rollups, facts] = await Promise.all([QualityRollupModel.find({}).sort({ _id: 1 }).lean(), OrderFactModel.find({}).sort({ _id: 1 }).lean()]);
  return { rollups: JSON.stringify(canon(rollups)), facts: JSON.stringify(canon(facts)), n: rollups.length, nFacts: facts.length };
}
async function resetDerived() {
  await Promise.all([
    OrderFactModel.deleteMany({}),
    QualityRollupModel.deleteMany({}),
    QualityDirtyModel.deleteMany({}),
    QualityAccountModel.deleteMany({}),
    QualityMetaModel.deleteMany({}),
  ]);
}
async function drain(at: Date) {
  for (let i = 0; i < 200 && (await runQualityRound({ now: at })).events > 0; i++);
  while ((await processDirty({ now: at })) > 0);
}

beforeAll(async () => {
  startedAt = new Date();
  api = await startTestApi({ seedAccounts: 200 });
  // The test drives the job by hand: take its lease away from the background runner for the whole file.
  await JobLeaseModel.updateOne(
    { _id: QUALITY_ROLLUP_LEASE },
    { $set: { owner: 'quality-test', expiresAt: new Date(Date.now() + 3600_000), token: 1_000_000 } },
    { upsert: true },
  );
  await new Promise((r) => setTimeout(r, 300));
  [agent, agent2, supervisor, supervisor2, admin] = await Promise.all(['agent01', 'agent02', 'supervisor01', 'supervisor02', 'admin01'].map(login));
  await api.client().auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
  const { SmsOutboxModel } = await import('../notify/sms-provider');
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const r = await api.client().auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
  resident = api.client(r.accessToken);
  const acc = await AccountModel.findOne({ number: DEMO.residentAccounts[0].number }).lean();
  accountId = String(acc!._id);

  // Orders through the real write paths.
  // 1. A phone consultation with a pause: claim → pause → resume → customer reply → resolve → close.
  const a = await agent.workorder.createForCaller.mutate({
    type: 'consultation',
    accountId,
    category: '电费电价',
    description: '客户咨询阶梯电价第二档的起算电量',
  });
  consultId = a.id;
  await agent.workorder.claim.mutate({ orderId: a.id });
  await agent.workorder.pause.mutate({ orderId: a.id, reasonCode: 'waiting_customer', notes: '等客户查电费单' });
  await new Promise((r2) => setTimeout(r2, 300));
  await agent.workorder.resume.mutate({ orderId: a.id });
  await agent.workorder.reply.mutate({ orderId: a.id, notes: '第二档为2521至4800千瓦时', visibility: 'customer' });
  await agent.workorder.resolve.mutate({ orderId: a.id, notes: '已解答' });
  await agent.workorder.close.mutate({ orderId: a.id });
  // 2. A complaint from the resident, resolved, rated 1 star (reopened), re-resolved, rated 5 stars.
  const b = await resident.workorder.create.mutate({
    type: 'complaint',
    accountId,
    category: '电费争议',
    description: '本月电费比上月高出很多，怀疑电表有问题',
  });
  await agent2.workorder.claim.mutate({ orderId: b.id });
  await agent2.workorder.resolve.mutate({ orderId: b.id, notes: '已核实电表正常' });
  await resident.workorder.rate.mutate({ orderId: b.id, stars: 1, comment: '不满意' });
  await agent2.workorder.resolve.mutate({ orderId: b.id, notes: '已上门复核' });
  await resident.workorder.rate.mutate({ orderId: b.id, stars: 5 });
  // 3. A second contact from the same account within 7 days: the consultation is no first-contact resolution.
  const c = await resident.workorder.create.mutate({
    type: 'opinion',
    accountId,
    channel: 'web',
    category: '服务建议',
    description: '建议营业厅延长周末营业时间',
  });
  await agent.workorder.claim.mutate({ orderId: c.id });
  // 4. A fault report waiting for dispatch (its 5-minute deadline runs).
  await resident.workorder.create.mutate({
    type: 'fault_repair',
    accountId,
    faultKind: 'whole_house_outage',
    description: '家里突然全部停电了，邻居家有电',
  });
  now = new Date(Date.now() + 60_000);
});
afterAll(async () => {
  await api?.stop();
});

describe('incremental roll-ups equal the full recomputation', () => {
  it('the job following the event log lands on exactly what rebuildQuality() computes', async () => {
    await resetDerived();
    await drain(now);
    const incremental = await snapshot();
    expect(incremental.nFacts).toBeGreaterThanOrEqual(4);
    expect(incremental.n).toBeGreaterThanOrEqual(2); // today's day and month documents at least
    // The consultation's AHT leaves out its pause: shorter than claim → customer reply.
    const consult = (await OrderFactModel.findById(consultId).lean()) as unknown as {
      ahtMs: number;
      claimedAt: Date;
      firstResponseAt: Date;
    };
    expect(consult.ahtMs).toBeLessThanOrEqual(consult.firstResponseAt.getTime() - consult.claimedAt.getTime() - 250);
    await resetDerived();
    await rebuildQuality({ now });
    const full = await snapshot();
    expect(incremental.facts).toBe(full.facts);
    expect(incremental.rollups).toBe(full.rollups);
  });

  it('a crash in the middle (facts written, cursor not moved; a day half done) and a restart give the same roll-ups', async () => {
    await resetDerived();
    await rebuildQuality({ now });
    const full = await snapshot();
    await resetDerived();
    // Part of the log, then "crash": facts of some orders written without the cursor moving, dirty days left behind.
    await processEvents({ limit: 5, now });
    const some = await WorkOrderModel.find({}, { _id: 1 }).limit(3).lean();
    await refreshFacts(
      some.map((o) => String(o._id)),
      now,
    );
    await processDirty({ limit: 1, now });
    // Restart: the next holder carries on from the database alone.
    await drain(now);
    const after = await snapshot();
    expect(after.rollups).toBe(full.rollups);
    expect(after.facts).toBe(full.facts);
  });

  it('two runners racing over the same log give the same roll-ups', async () => {
    await resetDerived();
    await rebuildQuality({ now });
    const full = await snapshot();
    await resetDerived();
    for (let i = 0; i < 50; i++) {
      const [x, y] = await Promise.all([runQualityRound({ now }), runQualityRound({ now })]);
      if (x.events === 0 && y.events === 0 && (await QualityDirtyModel.countDocuments({})) === 0) break;
    }
    await drain(now);
    const raced = await snapshot();
    expect(raced.rollups).toBe(full.rollups);
  });

  it('a new step on an order moves its numbers on the next round', async () => {
    await resetDerived();
    await rebuildQuality({ now });
    const range = days(new Date(Date.now() + 3600_000));
    const before = await dashboardFor({ all: true, regionIds: null, teamIds: null }, range, now);
    const o = await agent.workorder.createForCaller.mutate({
      type: 'consultation',
      accountId,
      category: '电费电价',
      description: '客户咨询如何办理峰谷电价',
    });
    await agent.workorder.claim.mutate({ orderId: o.id });
    await agent.workorder.resolve.mutate({ orderId: o.id, notes: '已解答' });
    const later = new Date(Date.now() + 60_000);
    await drain(later);
    const after = await dashboardFor({ all: true, regionIds: null, teamIds: null }, range, later);
    const vol = (d: typeof before) => d.metrics.find((m) => m.key === 'volume')!.numerator;
    expect(vol(after)).toBe(vol(before) + 1);
    // And still equal to a full recompute at the same instant.
    const inc = await snapshot();
    await rebuildQuality({ now: later });
    expect((await snapshot()).rollups).toBe(inc.rollups);
  });
});

describe('dashboard, drill-down and CSV agree', () => {
  const all = { all: true, regionIds: null, teamIds: null };
  it('every drillable number has exactly as many rows behind it; the CSV is the same rows', async () => {
    await rebuildQuality({ now });
    const range = days(now);
    const d = await dashboardFor(all, range, now);
    const volume = d.metrics.find((m) => m.key === 'volume')!;
    expect(volume.numerator).toBeGreaterThanOrEqual(5);
    const checks = [
      ...d.metrics.filter((m) => m.drillable && m.denominator > 0 && m.key !== 'complaint_rate'),
      ...d.onTimeByKind.filter((m) => m.denominator > 0),
    ];
    expect(checks.map((m) => m.key)).toEqual(expect.arrayContaining(['volume', 'aht', 'fcr', 'satisfaction', 'on_time']));
    for (const m of checks) {
      const den = await drillFor(all, { metric: m.key, kind: m.kind, part: 'denominator', ...range, pageSize: 200 }, now);
      const num = await drillFor(all, { metric: m.key, kind: m.kind, part: 'numerator', ...range, pageSize: 200 }, now);
      if (m.key !== 'aht' && m.key !== 'volume') expect([m.key, m.kind, den.total]).toEqual([m.key, m.kind, m.denominator]);
      if (m.key !== 'aht') expect([m.key, m.kind, num.total]).toEqual([m.key, m.kind, m.numerator]);
      const csv = await exportCsvFor(all, { table: 'drill', metric: m.key, kind: m.kind, part: 'denominator', ...range }, now);
      const lines = parseCsv(csv.csv);
      expect(csv.csv.startsWith('\uFEFF')).toBe(true);
      expect(lines[0]).toEqual(den.columns);
      expect(lines.slice(1).map((l) => l[0])).toEqual(den.rows.map((r) => r.orderNo));
      expect(lines.slice(1).map((l) => l[6])).toEqual(den.rows.map((r) => r.createdAt));
    }
    // AHT: the paused time is not handling time; the consultation's AHT is under its claim→reply span.
    const aht = await drillFor(all, { metric: 'aht', part: 'denominator', ...range }, now);
    expect(aht.rows.every((r) => /秒|分|小时/.test(r.outcome))).toBe(true);
    // The running dispatch deadline is past due at `now + 10 min`: counted as missed.
    const later = new Date(now.getTime() + 10 * 60_000);
    await rebuildQuality({ now: later });
    const dispatch = await drillFor(all, { metric: 'on_time', kind: 'dispatch', part: 'denominator', ...range }, later);
    expect(dispatch.rows.some((r) => r.outcome === '超时未完成' && !r.inNumerator)).toBe(true);
    // FCR is provisional today; the reopened complaint is not a first-contact resolution.
    const d2 = await dashboardFor(all, range, later);
    expect(d2.fcr.provisional).toBe(true);
    expect(d2.metrics.find((m) => m.key === 'fcr')!.provisional).toBe(true);
    const fcr = await drillFor(all, { metric: 'fcr', part: 'denominator', ...range }, later);
    expect(fcr.rows.map((r) => r.outcome)).toEqual(expect.arrayContaining(['重新处理', '7天内再次来电']));
    // Names, never ids, and Shanghai times.
    const row = fcr.rows[0];
    expect(row.regionName).not.toMatch(/^[0-9a-f]{24}$/);
    expect(row.createdAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const agents = d2.agents.map((a) => a.name);
    expect(agents.length).toBeGreaterThan(0);
    const csv = await exportCsvFor(all, { table: 'agents', ...range }, later);
    expect(
      parseCsv(csv.csv)
        .slice(1)
        .map((l) => l[0]),
    ).toEqual(agents);
  });
});

describe('scope (reach report:scope)', () => {
  it("a supervisor sees their teams and regions; another team's region is FORBIDDEN; agents have no reports", async () => {
    const sup = await UserModel.findOne({ username: 'supervisor01' }).lean();
    const mine = await TeamModel.find({ leaderId: sup!._id }).lean();
    const others = await TeamModel.find({ leaderId: { $ne: sup!._id } }).lean();
    const myRegions = new Set(mine.flatMap((t) => t.regionIds.map(String)));
    const foreign = others.flatMap((t) => t.regionIds.map(String)).find((r) => !myRegions.has(r));
    expect(foreign).toBeTruthy();
    const scope = await supervisor.quality.scope.query();
    expect(scope.all).toBe(false);
    expect(scope.regions.map((r) => r.id).sort()).toEqual([...myRegions].sort());
    expect(scope.teams.map((t) => t.name)).toEqual(expect.arrayContaining(mine.map((t) => t.name)));
    const range = days(now);
    const refused = await expectTrpcError(supervisor.quality.dashboard.query({ ...range, filters: { regionIds: [foreign!] } }), 'FORBIDDEN');
    expect(refused.message).toContain('不在您负责');
    await expectTrpcError(
      supervisor.quality.drill.query({ metric: 'volume', part: 'denominator', ...range, filters: { teamIds: [String(others[0]._id)] } }),
      'FORBIDDEN',
    );
    const ok = await supervisor.quality.dashboard.query({ ...range, filters: { regionIds: [[...myRegions][0]] } });
    expect(ok.period.label).toContain('年');
    const s2 = await supervisor2.quality.scope.query();
    expect(s2.regions.map((r) => r.id)).not.toEqual(scope.regions.map((r) => r.id));
    await expectTrpcError(agent.quality.dashboard.query(range), 'FORBIDDEN');
    const everything = await admin.quality.scope.query();
    expect(everything.all).toBe(true);
    expect(everything.regions.length).toBeGreaterThan(scope.regions.length);
    const metrics = await admin.quality.metrics.query();
    expect(metrics.find((m) => m.key === 'fcr')!.incompleteRule).toContain('暂定');
  });
});
