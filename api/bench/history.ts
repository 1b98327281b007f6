/**
 * How long the history seed takes, and what it produced (issue 14, lane "history"):
 *
 *   cd api && flock /tmp/bench.lock npx tsx bench/history.ts [--accounts 20000] [--orders 180000] [--rebuild]
 *
 * Seeds the base data (accounts, grid, staff roster; no bills) on the embedded server in memory (or MONGODB_URI),
 * then times seedHistory and prints the mix and the service figures to compare with seed 001.
 */
import mongoose from 'mongoose';
import { seedDemoData } from '../src/seed/generate';
import { historyOrderFilter, seedHistory } from '../src/seed/history.seed';
import { WorkOrderModel } from '../src/modules/workorders/workorder.model';
import { openBenchDatabase } from './database';
import '../src/models';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const accounts = arg('--accounts', 20_000);
const orders = arg('--orders', 180_000);

const db = await openBenchDatabase(`bench_history_${Date.now()}`);
try {
  let t = Date.now();
  await seedDemoData({ accounts, billing: false, reset: true });
  console.log(`base seed (${accounts} accounts, no bills): ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  const mem0 = process.memoryUsage().rss;
  const res = await seedHistory({ orders, rebuild: args.includes('--rebuild'), log: (m) => console.log(m) });
  console.log(
    `history: ${res.orders} orders in ${((Date.now() - t) / 1000).toFixed(1)} s (insertMany ${(res.insertMs / 1000).toFixed(1)} s), rss +${((process.memoryUsage().rss - mem0) / 2 ** 20).toFixed(0)} MB`,
  );
  console.log('plants:', JSON.stringify(res.plants));
  // Figures, read back through the driver.
  const stats = await WorkOrderModel.collection
    .aggregate([
      { $match: historyOrderFilter() },
      { $group: { _id: '$type', n: { $sum: 1 }, reopened: { $sum: { $cond: [{ $gt: ['$reopenCount', 0] }, 1, 0] } } } },
    ])
    .toArray();
  for (const s of stats.sort((a, b) => b.n - a.n))
    console.log(`  ${s._id}: ${s.n} (${((100 * s.n) / res.orders).toFixed(2)}%), reopened ${s.reopened}`);
  const cur = WorkOrderModel.collection.find(historyOrderFilter(), {
    projection: { type: 1, createdAt: 1, incidentId: 1, accountId: 1, slaHistory: 1, timeline: 1, rating: 1, reopenCount: 1, channel: 1 },
  });
  const met = new Map<string, [number, number]>();
  let arrivalSum = 0;
  let arrivalN = 0;
  let consSum = 0;
  let consN = 0;
  let reconSum = 0;
  let reconN = 0;
  let reports = 0;
  let merged = 0;
  let rated = 0;
  let good = 0;
  const channels = new Map<string, number>();
  for await (const o of cur) {
    channels.set(o.channel, (channels.get(o.channel) ?? 0) + 1);
    for (const h of o.slaHistory ?? []) {
      const m = met.get(h.kind) ?? [0, 0];
      m[0] += h.met ? 1 : 0;
      m[1]++;
      met.set(h.kind, m);
    }
    if (o.rating) {
      rated++;
      if (o.rating.stars >= 4) good++;
    }
    const first = (a: string) => o.timeline.find((x: { action: string }) => x.action === a) as { at: Date } | undefined;
    if (o.type === 'fault_repair' && o.accountId) {
      reports++;
      if (o.incidentId) merged++;
      const arr = first('arrive');
      if (arr) {
        arrivalSum += (arr.at.getTime() - o.createdAt.getTime()) / 60_000;
        arrivalN++;
      }
    }
    if (o.type === 'consultation') {
      const res = first('resolve');
      if (res) {
        consSum += (res.at.getTime() - o.createdAt.getTime()) / 60_000;
        consN++;
      }
    }
    if (o.type === 'reconnection') {
      const res = first('resolve');
      if (res) {
        reconSum += (res.at.getTime() - o.createdAt.getTime()) / 60_000;
        reconN++;
      }
    }
  }
  console.log(`  channels: ${[...channels].map(([c, n]) => `${c} ${((100 * n) / res.orders).toFixed(1)}%`).join(', ')}`);
  console.log(`  repair: report → crew on site ${(arrivalSum / arrivalN).toFixed(1)} min on average`);
  console.log(`  consultation: report → answered ${(consSum / consN).toFixed(1)} min on average`);
  console.log(`  reconnection: order → supply back ${(reconSum / reconN).toFixed(1)} min on average`);
  console.log(`  merged into incidents: ${((100 * merged) / reports).toFixed(1)}% of ${reports} fault reports; ${res.incidents} incident orders`);
  console.log(`  rated: ${rated}, 4–5 stars ${((100 * good) / rated).toFixed(1)}%`);
  for (const [k, [m, n]] of met) console.log(`  deadline ${k}: ${n}, met ${((100 * m) / n).toFixed(1)}%`);
} finally {
  await mongoose.disconnect();
  await db.stop();
}
