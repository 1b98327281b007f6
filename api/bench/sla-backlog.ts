/**
 * SLA backlog: orders whose deadlines all fell due while nothing swept (every instance down, or the
 * lease holder dead), then a sweeper takes over. Measures how long until every mark has fired and its
 * event is in the log, and checks each fired exactly once.
 *
 * In `npm run bench` the running API instance's own background sweep drains it (lease, interval and all);
 * alone, `npx tsx bench/sla-backlog.ts` starts an in-process runner on its own embedded database
 * (BACKLOG_ORDERS, BACKLOG_BULK orders per bulk write, BACKLOG_LEASE_MS lease TTL).
 */
import mongoose from 'mongoose';
import { pathToFileURL } from 'node:url';
import { EventModel } from '../src/modules/events/event.model';
import { backlogProgress, seedDueOrders } from '../src/jobs/due-orders';
import { SlaSweepRunner } from '../src/jobs/scheduler';
import { openBenchDatabase } from './database';
import type { BenchRow } from './row';

/**
 * Seeds `orders` overdue orders (3 due marks each: 50 %, 80 %, overdue) and waits for a sweeper —
 * `startSweeper` if given, else whoever already sweeps this database — to fire them all.
 * The row: marks per second, and the drain time (ms) in the p50 column; errors = marks not fired once.
 */
export async function slaBacklogRows(
  opts: { orders?: number; timeoutMs?: number; startSweeper?: () => { stop(): Promise<void> } } = {},
): Promise<BenchRow[]> {
  const n = opts.orders ?? 1000;
  const prefix = `GD2026BL${Date.now().toString(36).slice(-4)}`;
  const ids = await seedDueOrders(n, Date.now(), prefix);
  const t0 = performance.now();
  const sweeper = opts.startSweeper?.();
  const until = Date.now() + (opts.timeoutMs ?? 60_000);
  let firedAt = NaN;
  let p = await backlogProgress(prefix);
  while (Date.now() < until) {
    p = await backlogProgress(prefix);
    if (p.marks === 3 * n && Number.isNaN(firedAt)) firedAt = performance.now() - t0;
    if (p.marks === 3 * n && p.unpublished === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const drained = performance.now() - t0;
  await sweeper?.stop();
  // Exactly once: one event per order and mark, nothing doubled.
  const events = await EventModel.aggregate<{ _id: string; n: number }>([
    { $match: { orderId: { $in: ids }, type: { $in: ['workorder.sla_warn50', 'workorder.sla_warn80', 'workorder.sla_overdue'] } } },
    { $group: { _id: { o: '$orderId', t: '$type' }, n: { $sum: 1 } } },
  ]);
  const doubled = events.filter((e) => e.n !== 1).length;
  const missing = 3 * n - events.length;
  return [
    {
      name: `SLA backlog ${n} orders × 3 marks: all fired (ms)`,
      rps: p.marks / (firedAt / 1000),
      p50: firedAt,
      p95: NaN,
      p99: NaN,
      errors: 3 * n - p.marks,
    },
    {
      name: `SLA backlog: fired + events published (ms)`,
      rps: events.length / (drained / 1000),
      p50: drained,
      p95: NaN,
      p99: NaN,
      errors: missing + doubled,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { stop } = await openBenchDatabase('sla_backlog');
  await mongoose.connection.db!.dropDatabase();
  const orders = Number(process.env.BACKLOG_ORDERS ?? 1000);
  const rows = await slaBacklogRows({
    orders,
    startSweeper: () =>
      new SlaSweepRunner({
        owner: 'bench',
        leaseMs: Number(process.env.BACKLOG_LEASE_MS ?? 3000),
        bulk: Number(process.env.BACKLOG_BULK ?? 200),
      }).start(),
  });
  for (const r of rows)
    console.log(`${r.name.padEnd(50)}${r.rps.toFixed(1).padStart(9)} marks/s${r.p50.toFixed(0).padStart(8)} ms  errors ${r.errors}`);
  await mongoose.disconnect();
  await stop();
  process.exit(0);
}
