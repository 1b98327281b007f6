/**
 * Quality reports at real volume (issue 14): a deterministic year of closed orders (the history seed, ~180,000),
 * the full recomputation of facts and roll-ups, the dashboard of a month and of a year (p50/p95 over 30 calls each,
 * management scope and one supervisor's scope), one drill-down, and the roll-up job's catch-up rate (orders/s) when
 * events name orders it has to recompute.
 *
 * Part of `npm run bench` (rows `quality …`, on a database of their own: `qualityBench`); alone:
 *   cd api && flock /tmp/bench.lock npx tsx bench/quality.ts      (QUALITY_ORDERS=180000, QUALITY_CALLS=30, QUALITY_JVM_HEAP=-Xmx8g)
 */
import { pathToFileURL } from 'node:url';
import mongoose, { Types } from 'mongoose';
import { nextSeq } from '../src/modules/events/counter.model';
import { EventModel } from '../src/modules/events/event.model';
import { dashboardFor, drillFor } from '../src/modules/quality/quality.service';
import { reportScopeOf } from '../src/modules/quality/quality.scope';
import { rebuildQuality, runQualityRound } from '../src/modules/quality/rollup.service';
import { QualityDirtyModel } from '../src/modules/quality/quality.model';
import { UserModel } from '../src/modules/auth/user.model';
import { WorkOrderModel } from '../src/modules/workorders/workorder.model';
import { shanghaiDate } from '../src/modules/workorders/sla.rules';
import type { BenchRow } from './row';

function percentiles(lat: number[]) {
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? Number.NaN;
  return { p50: q(50), p95: q(95), p99: q(99) };
}

async function timed(n: number, op: () => Promise<unknown>) {
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op();
    lat.push(performance.now() - t);
  }
  return { rps: n / ((performance.now() - t0) / 1000), ...percentiles(lat), errors: 0 };
}

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Fallback history: closed desk and fault orders over the last 365 days (claim, reply, resolve, deadlines, ratings). */
async function simpleHistory(n: number): Promise<number> {
  const { AccountModel } = await import('../src/modules/accounts/account.model');
  const accounts = await AccountModel.find({}, { _id: 1, regionId: 1 }).limit(20_000).lean();
  const agents = await UserModel.find({ teamId: { $ne: null }, roles: 'agent' }, { _id: 1 }).lean();
  let seed = 20261214;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const types = [
    'fault_repair',
    'fault_repair',
    'fault_repair',
    'consultation',
    'consultation',
    'complaint',
    'report',
    'opinion',
    'service_request',
  ] as const;
  const channels = ['phone', 'phone', 'miniprogram', 'web'] as const;
  const now = Date.now();
  const MIN = 60_000;
  let batch: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const acc = accounts[Math.floor(rnd() * accounts.length)];
    const type = types[Math.floor(rnd() * types.length)];
    const created = now - 86_400_000 - Math.floor(rnd() * 364 * 86_400_000);
    const desk = type !== 'fault_repair';
    const agent = desk ? agents[Math.floor(rnd() * agents.length)]?._id : null;
    const claim = created + Math.floor(rnd() * 20) * MIN;
    const reply = claim + Math.floor(2 + rnd() * 40) * MIN;
    const resolved = reply + Math.floor(rnd() * 120) * MIN;
    const kind = desk ? 'answer' : 'arrival';
    const due = created + (desk ? 120 : 45) * MIN;
    const at = (ms: number) => new Date(ms);
    const stars = rnd() < 0.6 ? (rnd() < 0.9 ? 5 : 2) : null;
    batch.push({
      _id: new Types.ObjectId(),
      orderNo: `BQ${String(i).padStart(8, '0')}`,
      type,
      subtype: type === 'service_request' ? 'meter_check' : null,
      channel: channels[Math.floor(rnd() * channels.length)],
      status: 'closed',
      version: 5,
      priority: { score: 10, level: 'low' },
      accountId: acc._id,
      regionId: acc.regionId,
      areaType: 'urban',
      supplyClass: 'residential',
      description: '历史工单',
      assignee: { department: null, agentId: agent ?? null, crewId: null },
      clock: { startedAt: at(created), pausedMsAtStart: 0 },
      nextDeadline: null,
      slaMarks: { warn50At: null, warn80At: null, overdueAt: null },
      slaHistory: [{ kind, startedAt: at(created), dueAt: at(due), endedAt: at(desk ? reply : resolved), met: (desk ? reply : resolved) <= due }],
      pausedAt: null,
      pausedMs: 0,
      pauses: [],
      reopenCount: 0,
      rating: stars ? { stars, comment: '', at: at(resolved + 3600_000), by: 'customer' } : null,
      incidentId: null,
      timeline: [
        {
          actorId: null,
          actorRole: 'customer',
          action: 'create',
          from: null,
          to: desk ? 'received' : 'reported',
          at: at(created),
          visibility: 'customer',
        },
        ...(desk
          ? [
              {
                actorId: String(agent),
                actorRole: 'agent',
                action: 'claim',
                from: 'received',
                to: 'accepted',
                at: at(claim),
                visibility: 'customer',
              },
              { actorId: String(agent), actorRole: 'agent', action: 'reply', from: 'accepted', to: 'replied', at: at(reply), visibility: 'customer' },
            ]
          : []),
        {
          actorId: agent ? String(agent) : null,
          actorRole: desk ? 'agent' : 'crew',
          action: 'resolve',
          from: 'replied',
          to: 'resolved',
          at: at(resolved),
          visibility: 'customer',
        },
      ],
      outbox: [],
      resolvedAt: at(resolved),
      closedAt: at(resolved + 7200_000),
      createdAt: at(created),
      updatedAt: at(resolved + 7200_000),
    });
    if (batch.length >= 2000) {
      await WorkOrderModel.collection.insertMany(batch as never[], { ordered: false });
      batch = [];
    }
  }
  if (batch.length) await WorkOrderModel.collection.insertMany(batch as never[], { ordered: false });
  return n;
}

export async function qualityRows(o: { orders?: number; calls?: number; log?: (m: string) => void } = {}): Promise<BenchRow[]> {
  const log = o.log ?? ((m: string) => console.log(m));
  const calls = o.calls ?? 30;
  const rows: BenchRow[] = [];
  // Each row is printed as soon as it is measured (a long run that fails later keeps what it measured).
  const push = (r: BenchRow) => {
    rows.push(r);
    log(`quality row: ${r.name}: ${r.rps.toFixed(1)}/s p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} p99 ${r.p99.toFixed(1)}`);
  };
  const t0 = Date.now();
  let seeded: number;
  try {
    const { seedHistory } = await import('../src/seed/history.seed');
    seeded = (await seedHistory({ orders: o.orders ?? 180_000, rebuild: false, log })).orders;
  } catch (err) {
    // The history lane's seed is the real thing; while it is unavailable, closed orders of our own keep the bench running.
    log(`quality: history seed failed (${(err as Error).message}); generating simple closed orders instead`);
    seeded = await simpleHistory(o.orders ?? 180_000);
  }
  log(`quality: history of ${seeded} orders seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const t1 = performance.now();
  const rebuilt = await rebuildQuality({ log });
  const rebuildS = (performance.now() - t1) / 1000;
  log(`quality: rebuildQuality() ${rebuilt.orders} orders, ${rebuilt.days} days in ${rebuildS.toFixed(1)} s`);
  push({
    name: `quality rebuildQuality (${rebuilt.orders} orders; rps = orders/s, p50 = s)`,
    rps: rebuilt.orders / rebuildS,
    p50: rebuildS,
    p95: rebuildS,
    p99: rebuildS,
    errors: 0,
  });

  const all = { all: true, regionIds: null, teamIds: null };
  const sup = await UserModel.findOne({ username: 'supervisor01' }, { _id: 1, roles: 1 }).lean();
  const supScope = sup ? await reportScopeOf({ sub: String(sup._id), roles: sup.roles }) : all;
  const yesterday = shanghaiDate(new Date(Date.now() - 86_400_000));
  const month = { from: addDays(yesterday, -29), to: yesterday, granularity: 'day' as const };
  const year = { from: addDays(yesterday, -364), to: yesterday, granularity: 'month' as const };
  const volume = (d: Awaited<ReturnType<typeof dashboardFor>>) => d.metrics.find((m) => m.key === 'volume')?.numerator ?? 0;
  log(`quality: month volume ${volume(await dashboardFor(all, month))}, year volume ${volume(await dashboardFor(all, year))}`);
  push({ name: 'quality dashboard, 30 days by day (all)', ...(await timed(calls, () => dashboardFor(all, month))) });
  push({ name: 'quality dashboard, 365 days by month (all)', ...(await timed(calls, () => dashboardFor(all, year))) });
  push({ name: 'quality dashboard, 30 days (supervisor01)', ...(await timed(calls, () => dashboardFor(supScope, month))) });
  push({ name: 'quality dashboard, 365 days (supervisor01)', ...(await timed(calls, () => dashboardFor(supScope, year))) });
  push({
    name: 'quality drill on-time, 30 days, page 1 (all)',
    ...(await timed(Math.min(calls, 5), () =>
      drillFor(all, { metric: 'on_time', kind: 'all', part: 'denominator', from: month.from, to: month.to }),
    )),
  });

  // Catch-up: events naming 2,000 orders (as if their steps had just been published); the job recomputes their
  // facts, the days they touch and those days' months.
  // Every k-th order (the embedded server's $sample fails on large collections).
  const everyId = await WorkOrderModel.find({}, { _id: 1, regionId: 1 }).lean();
  const step = Math.max(1, Math.floor(everyId.length / 2000));
  const sample = everyId.filter((_, i) => i % step === 0).slice(0, 2000);
  const first = await nextSeq('events', sample.length);
  const at = new Date();
  await EventModel.insertMany(
    sample.map((s, i) => ({
      seq: first + i,
      key: `bench-quality:${s._id}:${first}`,
      type: 'workorder.note',
      orderId: s._id as Types.ObjectId,
      regionId: s.regionId ?? null,
      at,
      publishedAt: at,
      payload: null,
    })),
  );
  const t2 = performance.now();
  for (let i = 0; i < 500; i++) {
    const r = await runQualityRound({ maxBatches: 50 });
    if (r.events === 0 && (await QualityDirtyModel.countDocuments({})) === 0) break;
  }
  const catchS = (performance.now() - t2) / 1000;
  log(`quality: job caught up ${sample.length} orders in ${catchS.toFixed(1)} s`);
  push({
    name: `quality job catch-up (${sample.length} orders; rps = orders/s, p50 = s)`,
    rps: sample.length / catchS,
    p50: catchS,
    p95: catchS,
    p99: catchS,
    errors: 0,
  });
  return rows;
}

/**
 * The quality rows on a database of their own, seeded here: `MONGODB_URI` when set, else an embedded server in memory
 * without the oplog (a copy of every write, which only change streams need) and with room for a year of full
 * orders — with the oplog and the JVM's default heap the embedded server thrashes at 180,000 history orders. Leaves
 * mongoose disconnected. `npm run bench` calls it after its own database is gone.
 */
export async function qualityBench(o: { log?: (m: string) => void } = {}): Promise<BenchRow[]> {
  const { seedDemoData } = await import('../src/seed/generate');
  let stop = async () => {};
  if (process.env.MONGODB_URI) {
    const { openBenchDatabase } = await import('./database');
    stop = (await openBenchDatabase('bench_quality')).stop;
  } else {
    const { ensureEmbeddedMongoJar, startEmbeddedMongo } = await import('../src/db/embedded');
    const { connectDatabase, syncAllIndexes } = await import('../src/db/connect');
    await ensureEmbeddedMongoJar();
    const m = await startEmbeddedMongo({ mode: 'memory', port: 0, oplog: false, jvmArgs: [process.env.QUALITY_JVM_HEAP ?? '-Xmx8g'] });
    await connectDatabase(`${m.uri}bench_quality`);
    await syncAllIndexes();
    stop = m.stop;
  }
  try {
    await seedDemoData({ accounts: Number(process.env.QUALITY_ACCOUNTS ?? 20_000), reset: true, billing: false });
    return await qualityRows({
      orders: Number(process.env.QUALITY_ORDERS ?? 180_000),
      calls: Number(process.env.QUALITY_CALLS ?? 30),
      log: o.log,
    });
  } finally {
    await mongoose.disconnect();
    await stop();
  }
}

async function main() {
  const rows = await qualityBench();
  const fmt = (x: number) => x.toFixed(1).padStart(9);
  console.log(`${'scenario'.padEnd(62)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}  errors`);
  for (const r of rows) console.log(`${r.name.padEnd(62)}${fmt(r.rps)}${fmt(r.p50)}${fmt(r.p95)}${fmt(r.p99)}  ${r.errors}`);
  process.exit(0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
