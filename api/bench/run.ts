/**
 * npm run bench: load against a running API process on loopback (autocannon), next to the same
 * database reads through the bare driver, reported as throughput and p50/p95/p99 with ratios.
 * Starts its own embedded MongoDB (in memory) unless MONGODB_URI is set; seeds 20,000 accounts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { enterpriseMoneyRows } from './enterprise-money';
import { knowledgeRows } from './knowledge';
import { qualityBench } from './quality';
import { liveConsoleRows } from './live-consoles';
import type { AppRouter } from '../src/trpc/app-router';
import mongoose from 'mongoose';
import { openBenchDatabase } from './database';
import { sessionCheckRows } from './session-check';
import { slaBacklogRows } from './sla-backlog';
import { seedDemoData, DEMO } from '../src/seed/generate';
import { loadOrCreateDevKeys } from '../src/simulators/wechatpay/dev-keys';
import { createWechatPaySimulator, devSimulatorOptions } from '../src/simulators/wechatpay/pay-sim';
import '../src/models';
import type { BenchRow } from './row';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PORT = 4200;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

const rows: BenchRow[] = [];

function percentiles(lat: number[]) {
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? NaN;
  return { p50: q(50), p95: q(95), p99: q(99) };
}

/** autocannon drives the load; every response's latency is kept so p95 is exact. */
async function http(name: string, opts: autocannon.Options) {
  const lat: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon({ duration: DURATION, connections: CONNECTIONS, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
    inst.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => lat.push(responseTime));
  });
  rows.push({ name, rps: lat.length / DURATION, ...percentiles(lat), errors: result.non2xx + result.errors });
}

/** The same work through the bare driver: CONNECTIONS concurrent loops for DURATION seconds. */
async function driver(name: string, op: () => Promise<unknown>) {
  const lat: number[] = [];
  const until = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        await op();
        lat.push(performance.now() - t);
      }
    }),
  );
  rows.push({ name, rps: lat.length / DURATION, ...percentiles(lat), errors: 0 });
}

async function main() {
  const { uri, stop: stopMongo } = await openBenchDatabase('bench');
  const seeded = await seedDemoData({ accounts: 20_000, reset: true });
  console.log(`seeded ${'accounts' in seeded ? seeded.accounts : '?'} accounts`);

  // WeChat Pay simulator in this process (it only answers prepay; notifications are sent by the stream below).
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wxpay-'));
  const paySim = createWechatPaySimulator(devSimulatorOptions(loadOrCreateDevKeys(keysDir)));
  await new Promise<void>((r) => paySim.listen(0, '127.0.0.1', r));
  const paySimUrl = `http://127.0.0.1:${(paySim.address() as AddressInfo).port}`;

  const apiProc = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'api/src/main.ts')], {
    env: {
      ...process.env,
      MONGODB_URI: uri,
      API_PORT: String(PORT),
      WECHAT_APP_SECRET: 'dev-bench',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      WECHAT_API_BASE: 'http://127.0.0.1:9',
      WECHATPAY_API_BASE: paySimUrl,
      WECHATPAY_DEV_KEYS_DIR: keysDir,
    },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  const login = async (username: string) => {
    const res = await fetch(`${base}/trpc/auth.passwordLogin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO.password }),
    });
    const body = (await res.json()) as { result: { data: { accessToken: string } } };
    return body.result.data.accessToken;
  };
  const entToken = await login('ent_admin');

  console.log(`\nload: ${CONNECTIONS} connections × ${DURATION} s per scenario on loopback\n`);
  await http('API auth.passwordLogin (scrypt)', {
    url: `${base}/trpc/auth.passwordLogin`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'dispatcher01', password: DEMO.password }),
  });
  await http('API account.list (enterprise, 500 accounts)', {
    url: `${base}/trpc/account.list`,
    headers: { authorization: `Bearer ${entToken}` },
  });

  // Fault reports: 50 concurrent clients creating orders for the demo resident's account.
  const { SmsOutboxModel } = await import('../src/modules/notify/sms-provider');
  await fetch(`${base}/trpc/auth.sendSmsCode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: DEMO.residentPhone }),
  });
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const smsLogin = await fetch(`${base}/trpc/auth.smsLogin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] }),
  });
  const residentToken = ((await smsLogin.json()) as { result: { data: { accessToken: string } } }).result.data.accessToken;
  const resident = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc`, headers: { authorization: `Bearer ${residentToken}` } })] });
  const myAccount = (await resident.account.list.query())[0];
  const report = { type: 'fault_repair', accountId: myAccount.id, faultKind: 'whole_house_outage', description: '家里整户停电，邻居家有电' };
  await http('API workorder.create fault report (50 clients)', {
    url: `${base}/trpc/workorder.create`,
    method: 'POST',
    connections: 50,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${residentToken}` },
    body: JSON.stringify(report),
  });

  // Bill list: the resident's account, 24 months of history (postpaid bills plus the settled months).
  await http('API billing.bills (resident, one account)', {
    url: `${base}/trpc/billing.bills?input=${encodeURIComponent(JSON.stringify({ accountId: myAccount.id }))}`,
    headers: { authorization: `Bearer ${residentToken}` },
  });

  // Notification → settled: 500 Native payments (代缴 of postpaid accounts with an open bill) are paid at the
  // simulator, then their signed, encrypted notifications arrive as a stream of 50/s. The callback replies
  // only after the payment is settled and the bills marked paid, so each reply's latency is notification → settled.
  const { BillModel, PaymentModel } = await import('../src/modules/billing/billing.model');
  const { AccountModel } = await import('../src/modules/accounts/account.model');
  const PAY_N = 500;
  const RATE = 50;
  const owing = await BillModel.distinct('accountId', { status: 'unpaid' });
  const numbers = (await AccountModel.find({ _id: { $in: owing.slice(0, PAY_N) } }, { number: 1 }).lean()).map((a) => a.number);
  const orders: ReturnType<typeof paySim.wechatpay.pay>[] = [];
  const creating = [...numbers];
  // One person starting 500 代缴 payments in a minute is what the guessing limits exist to refuse; this row
  // measures the settle path, so the bench empties the lookup counters as it goes.
  const { RateCounterModel } = await import('../src/modules/limits/rate-limit.service');
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let n = creating.pop(); n; n = creating.pop()) {
        await RateCounterModel.deleteMany({});
        const holder = (await resident.billing.payFor.query({ number: n })).holderNameMasked;
        const p = await resident.billing.createPayment.mutate({ number: n, holderNameMasked: holder, channel: 'native' });
        orders.push(paySim.wechatpay.pay(p.outTradeNo, { notify: false }));
      }
    }),
  );
  const settleLat: number[] = [];
  let notifyErrors = 0;
  const inflight: Promise<void>[] = [];
  const streamStart = performance.now();
  for (let i = 0; i < orders.length; i++) {
    const due = streamStart + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const n = paySim.wechatpay.buildNotification(orders[i]);
    inflight.push(
      (async () => {
        const t0 = performance.now();
        const r = await fetch(`${base}/pay/wechat/notify`, { method: 'POST', headers: n.headers, body: n.body });
        await r.arrayBuffer();
        if (r.status === 200 || r.status === 204) settleLat.push(performance.now() - t0);
        else notifyErrors++;
      })(),
    );
  }
  await Promise.all(inflight);
  const streamSec = (performance.now() - streamStart) / 1000;
  const settled = await PaymentModel.countDocuments({ outTradeNo: { $in: orders.map((o) => o.out_trade_no) }, status: 'paid' });
  rows.push({
    name: `WeChat Pay notify → settled (${settled}/${orders.length} paid)`,
    rps: settleLat.length / streamSec,
    ...percentiles(settleLat),
    errors: notifyErrors + orders.length - settled,
  });

  // Report → console: an agent's live queue (SSE) is open; time from the create call to its event.
  const agentToken = await login('agent01');
  const console_ = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input: string | URL | Request, init?: RequestInit) =>
              fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${agentToken}` } }),
          }),
        }),
        false: httpLink({ url: `${base}/trpc` }),
      }),
    ],
  });
  // Arrival times are kept by order id: an event may arrive before the create call's own response does.
  const sentAt = new Map<string, number>();
  const arrivedAt = new Map<string, number>();
  let onStarted!: () => void;
  const started = new Promise<void>((r) => (onStarted = r));
  const sub = console_.workorder.live.subscribe(undefined, {
    onStarted: () => onStarted(),
    onData: (d) => {
      const data = (d as { data: { type: string; orderId: string | null } }).data;
      // The first event of the new order, whatever became of it (dispatched, merged into an outage, sent to pay arrears).
      if (data.orderId && !arrivedAt.has(data.orderId)) arrivedAt.set(data.orderId, performance.now());
    },
  });
  await started;
  await new Promise((r) => setTimeout(r, 1000));
  const LIVE_N = 100;
  for (let i = 0; i < LIVE_N; i++) {
    const t0 = performance.now();
    const o = await resident.workorder.create.mutate(report as never);
    sentAt.set(o.id, t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  const until = Date.now() + 10_000;
  const seen = () => [...sentAt.keys()].filter((id) => arrivedAt.has(id));
  while (seen().length < LIVE_N && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  sub.unsubscribe();
  const arrival = seen().map((id) => arrivedAt.get(id)! - sentAt.get(id)!);
  rows.push({
    name: `report → agent console over SSE (${arrival.length}/${LIVE_N} seen)`,
    rps: NaN,
    ...percentiles(arrival),
    errors: LIVE_N - arrival.length,
  });

  // Many seats on one instance: 50 and 2,000 open consoles (one reader of the event log per process).
  for (const consoles of [50, 2000]) {
    rows.push(
      ...(await liveConsoleRows({
        base,
        apiPid: apiProc.pid!,
        token: agentToken,
        consoles,
        reports: 20,
        createReport: () => resident.workorder.create.mutate(report as never),
      })),
    );
  }

  // Enterprise money (issue 11): the 500-account portfolio, and one 合并缴费 order of 100 bills settled by its notification.
  rows.push(
    ...(await enterpriseMoneyRows({ base, paySim, login, seconds: DURATION, connections: CONNECTIONS, enterpriseName: DEMO.enterpriseName })),
  );

  // Knowledge search (issue 13): public search over 5,000 published articles, the customer query set in a loop.
  rows.push(...(await knowledgeRows({ base, articles: 5000, seconds: DURATION, connections: CONNECTIONS })));

  // SLA backlog: 1,000 overdue orders (3,000 due marks) appear at once; the running API instance's own sweep drains them.
  rows.push(...(await slaBacklogRows({ orders: 1000 })));

  const { EnterpriseModel } = await import('../src/modules/accounts/account.model');
  const ent = await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean();
  const accounts = mongoose.connection.db!.collection('accounts');
  await driver('driver accounts.find({enterpriseId}) (same read)', () => accounts.find({ enterpriseId: ent!._id }).sort({ number: 1 }).toArray());
  const users = mongoose.connection.db!.collection('users');
  await driver('driver users.findOne({username}) (login read)', () => users.findOne({ username: 'dispatcher01' }));
  // The session check every authenticated request pays (in process; alone: npx tsx bench/session-check.ts).
  rows.push(...(await sessionCheckRows({ seconds: 3, connections: CONNECTIONS })));

  apiProc.kill('SIGTERM');
  await new Promise((r) => apiProc.once('exit', r)); // the API stops its jobs before the database goes away
  await mongoose.disconnect();
  await stopMongo();
  paySim.close();
  fs.rmSync(keysDir, { recursive: true, force: true });
  // Quality reports (issue 14) on a database of their own, once this one is gone: a year of history (~180,000
  // orders), the dashboards of a month and a year, a drill-down, the roll-up job's catch-up.
  rows.push(...(await qualityBench()));

  const fmt = (n: number) => n.toFixed(1).padStart(9);
  console.log(`${'scenario'.padEnd(62)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}  errors`);
  for (const r of rows) console.log(`${r.name.padEnd(62)}${fmt(r.rps)}${fmt(r.p50)}${fmt(r.p95)}${fmt(r.p99)}  ${r.errors}`);
  const list = rows.find((r) => r.name.startsWith('API account.list'))!;
  const bare = rows.find((r) => r.name.startsWith('driver accounts.find'))!;
  console.log(
    `\naccount.list throughput is ${((list.rps / bare.rps) * 100).toFixed(0)}% of the bare driver read (ratio ${(list.rps / bare.rps).toFixed(2)}); p95 ratio ${(list.p95 / bare.p95).toFixed(2)}`,
  );

  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
