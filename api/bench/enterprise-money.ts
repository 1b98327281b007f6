/**
 * Enterprise money benches (issue 11): the portfolio (户号总览) of the 500-account demo enterprise, and one
 * 合并缴费 order of 100 bills from the WeChat Pay notification to every bill settled.
 *
 * - portfolio.list: `connections` concurrent loops for `seconds`, cycling through filter/sort/search/page
 *   inputs (each call reads the whole scope: accounts, the unpaid bills of those in arrears, the last usage
 *   month), with the same three reads through the bare driver beside it for the ratio.
 * - batch of 100: finance picks 100 unpaid bills, one Native order, paid at the simulator without its own
 *   notification; then one signed notification is posted: the callback replies only after the payment is
 *   settled and every line credited, so its latency is notification → 100 bills settled.
 *
 * Part of `npm run bench` (the API process it starts); on its own, in process with its own embedded
 * MongoDB and a 2,000-account seed: `npx tsx bench/enterprise-money.ts`.
 */
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import type { WechatPaySimServer } from '../src/simulators/wechatpay/pay-sim';
import type { BenchRow } from './row';

function percentiles(lat: number[]) {
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? NaN;
  return { p50: q(50), p95: q(95), p99: q(99) };
}

const PORTFOLIO_INPUTS = [
  {},
  { sort: 'arrears', dir: 'desc' },
  { hasArrears: true, sort: 'nextDue' },
  { supplyState: 'arrears' },
  { usageCategory: 'industrial', sort: 'lastKwh', dir: 'desc' },
  { search: '仓库' },
  { dueWithinDays: 30, pageSize: 50 },
  { page: 5, pageSize: 20, sort: 'siteName' },
];

async function trpc<T>(base: string, token: string, path: string, input: unknown, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  const url = method === 'GET' ? `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `${base}/trpc/${path}`;
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!res.ok || !body.result) throw new Error(`${path}: ${res.status} ${body.error?.message ?? ''}`);
  return body.result.data;
}

export async function enterpriseMoneyRows(o: {
  base: string;
  paySim: WechatPaySimServer;
  login: (username: string) => Promise<string>;
  seconds?: number;
  connections?: number;
  enterpriseName: string;
}): Promise<BenchRow[]> {
  const seconds = o.seconds ?? 10;
  const connections = o.connections ?? 20;
  const rows: BenchRow[] = [];
  const finance = await o.login('ent_finance');

  // ---- portfolio of 500 accounts
  const first = await trpc<{ total: number }>(o.base, finance, 'portfolio.list', {});
  const lat: number[] = [];
  let errors = 0;
  let k = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const input = PORTFOLIO_INPUTS[k++ % PORTFOLIO_INPUTS.length];
        const t = performance.now();
        try {
          await trpc(o.base, finance, 'portfolio.list', input);
          lat.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  rows.push({ name: `API portfolio.list (${first.total} accounts, filters/sort)`, rps: lat.length / seconds, ...percentiles(lat), errors });

  // The same three reads through the bare driver (what the call cannot do without).
  const db = mongoose.connection.db!;
  const ent = await db.collection('enterprises').findOne({ name: o.enterpriseName });
  const dlat: number[] = [];
  const dUntil = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < dUntil) {
        const t = performance.now();
        const accounts = await db.collection('accounts').find({ enterpriseId: ent!._id }).toArray();
        const owing = accounts.filter((a) => a.paymentMode !== 'prepaid' && a.arrearsFen > 0).map((a) => a._id);
        await Promise.all([
          db
            .collection('bills')
            .find({ status: 'unpaid', accountId: { $in: owing } })
            .toArray(),
          db
            .collection('usage_history')
            .find({ _id: { $in: accounts.map((a) => a._id) } }, { projection: { months: { $slice: -1 } } })
            .toArray(),
        ]);
        dlat.push(performance.now() - t);
      }
    }),
  );
  rows.push({ name: 'driver portfolio reads (same three reads)', rps: dlat.length / seconds, ...percentiles(dlat), errors: 0 });

  // ---- one batch order of 100 bills: notification → every bill settled
  const list = await trpc<{ rows: { billId: string; inOpenBatch: boolean }[] }>(o.base, finance, 'billing.batchBills', {});
  const ids = list.rows
    .filter((r) => !r.inOpenBatch)
    .slice(0, 100)
    .map((r) => r.billId);
  const created = await trpc<{ paymentId: string; outTradeNo: string }>(o.base, finance, 'billing.createBatchPayment', { billIds: ids }, 'POST');
  const order = o.paySim.wechatpay.pay(created.outTradeNo, { notify: false });
  const n = o.paySim.wechatpay.buildNotification(order);
  const t0 = performance.now();
  const r = await fetch(`${o.base}/pay/wechat/notify`, { method: 'POST', headers: n.headers, body: n.body });
  await r.arrayBuffer();
  const ms = performance.now() - t0;
  const view = await trpc<{ credited: boolean; lines: { outcome: string | null }[] }>(o.base, finance, 'billing.batchPayment', {
    paymentId: created.paymentId,
  });
  const settled = view.lines.filter((l) => l.outcome === 'settled').length;
  rows.push({
    name: `notify → batch of ${ids.length} bills settled (${settled}/${ids.length})`,
    rps: NaN,
    p50: ms,
    p95: ms,
    p99: ms,
    errors: (r.status === 200 || r.status === 204 ? 0 : 1) + ids.length - settled,
  });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { openBenchDatabase } = await import('./database');
  await import('../src/models');
  const { loadConfig } = await import('../src/config');
  const { startApi } = await import('../src/app');
  const { seedDemoData, DEMO } = await import('../src/seed/generate');
  const { loadOrCreateDevKeys } = await import('../src/simulators/wechatpay/dev-keys');
  const { createWechatPaySimulator, devSimulatorOptions } = await import('../src/simulators/wechatpay/pay-sim');
  const { uri, stop } = await openBenchDatabase('bench_ent_money');
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ent-wxpay-'));
  const paySim = createWechatPaySimulator(devSimulatorOptions(loadOrCreateDevKeys(keysDir)));
  await new Promise<void>((r) => paySim.listen(0, '127.0.0.1', r));
  const simUrl = `http://127.0.0.1:${(paySim.address() as import('node:net').AddressInfo).port}`;
  await seedDemoData({ accounts: Number(process.env.BENCH_ACCOUNTS ?? 2000), reset: true });
  const cfg = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: uri,
    API_PORT: '0',
    API_HOST: '127.0.0.1',
    WECHAT_API_BASE: 'http://127.0.0.1:9',
    WECHAT_APP_SECRET: 'dev-bench',
    LOG_LEVEL: 'silent',
    WECHATPAY_API_BASE: simUrl,
    WECHATPAY_DEV_KEYS_DIR: keysDir,
  });
  const { server, port } = await startApi(cfg, { jobs: false });
  const base = `http://127.0.0.1:${port}`;
  const login = async (username: string) => {
    const res = await fetch(`${base}/trpc/auth.passwordLogin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO.password }),
    });
    return ((await res.json()) as { result: { data: { accessToken: string } } }).result.data.accessToken;
  };
  const rows = await enterpriseMoneyRows({
    base,
    paySim,
    login,
    seconds: Number(process.env.BENCH_SECONDS ?? 5),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
    enterpriseName: DEMO.enterpriseName,
  });
  const fmt = (n: number) => n.toFixed(1).padStart(9);
  console.log(`${'scenario'.padEnd(50)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}  errors`);
  for (const r of rows) console.log(`${r.name.padEnd(50)}${fmt(r.rps)}${fmt(r.p50)}${fmt(r.p95)}${fmt(r.p99)}  ${r.errors}`);
  (server as { close: (cb: () => void) => void }).close(() => undefined);
  await mongoose.disconnect();
  await stop();
  paySim.close();
  fs.rmSync(keysDir, { recursive: true, force: true });
  process.exit(0);
}
