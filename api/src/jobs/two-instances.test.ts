/**
 * Two API instances for real (SPEC §6): two processes on one database behind a round-robin proxy —
 * instance A from the sources (tsx), instance B from the production bundle (`npm run build -w api`,
 * `node dist/main.js`). Live updates, settings, background jobs and sessions go through the database
 * only, so what happens on one instance is seen on the other; when A is killed with SIGKILL, B takes
 * its leases over and every due SLA mark still fires exactly once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mongoose, { type Types } from 'mongoose';
import { createTRPCClient, httpLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from '../trpc/app-router';
import { useTestDatabase, expectTrpcError } from '../testing/harness';
import { startApiProcess, type ApiProcess } from '../testing/api-process';
import { startRoundRobinProxy } from '../testing/round-robin-proxy';
import { seedDemoData, DEMO } from '../seed/generate';
import { SmsOutboxModel } from '../modules/notify/sms-provider';
import { AccountModel } from '../modules/accounts/account.model';
import { PrepaidDayModel } from '../modules/billing/billing.model';
import { shanghaiDay } from '../modules/billing/tariff.rules';
import { BILLING_LEASE } from '../modules/billing/billing.jobs';
import { EventModel, InAppNotificationModel } from '../modules/events/event.model';
import { WorkOrderModel } from '../modules/workorders/workorder.model';
import { JobLeaseModel } from './lease';
import { SLA_SWEEP_LEASE } from './scheduler';
import { backlogProgress, seedDueOrders } from './due-orders';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

const BILLING_EVERY_MS = 2_000;
let a: ApiProcess;
let b: ApiProcess;
let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-instances-wxpay-'));
const buildDir = path.join(apiDir, 'node_modules', '.cache', `two-instances-${process.pid}`);

/** tRPC through the proxy, optionally pinned to one instance. */
const client = (token?: string, pin?: 'a' | 'b') =>
  createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${proxy.url}/trpc`,
        headers: () => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...(pin ? { 'x-upstream': pin } : {}) }),
      }),
    ],
  });
const login = async (username: string, pin?: 'a' | 'b') =>
  (await client(undefined, pin).auth.passwordLogin.mutate({ username, password: DEMO.password })).accessToken;
const ownerOf = (p: ApiProcess) => (owner: string | undefined) => Boolean(owner?.includes(`:${p.child.pid}:`));
const leaseOwner = async (name: string) => (await JobLeaseModel.findById(name).lean())?.owner;

beforeAll(async () => {
  const dbName = await useTestDatabase();
  await seedDemoData({ accounts: 200 });
  // The production bundle (`npm run build -w api`, here into a directory of its own): this also checks the build works.
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', buildDir], { cwd: apiDir, stdio: 'ignore' });
  const uri = new URL(inject('mongoUri'));
  uri.pathname = `/${dbName}`;
  const env = {
    NODE_ENV: 'test',
    MONGODB_URI: uri.toString(),
    WECHAT_APP_SECRET: 'dev-test-secret',
    WECHAT_API_BASE: 'http://127.0.0.1:9',
    WECHATPAY_API_BASE: 'http://127.0.0.1:9',
    WECHATPAY_DEV_KEYS_DIR: keysDir,
    DEV_MODE: 'true', // the SMS outbox, for the resident's login code
    LOG_LEVEL: 'error',
    BILLING_JOBS_INTERVAL_MS: String(BILLING_EVERY_MS),
  };
  // A first, so that it holds the leases when B arrives.
  a = await startApiProcess({ name: 'a', env });
  await waitFor(
    'A to take the SLA and billing leases',
    async () => ownerOf(a)(await leaseOwner(SLA_SWEEP_LEASE)) && ownerOf(a)(await leaseOwner(BILLING_LEASE)),
    20_000,
  );
  b = await startApiProcess({ name: 'b', compiled: path.join(buildDir, 'main.js'), env });
  proxy = await startRoundRobinProxy([
    { name: 'a', port: a.port },
    { name: 'b', port: b.port },
  ]);
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all([a?.stop('SIGKILL'), b?.stop()]);
  fs.rmSync(keysDir, { recursive: true, force: true });
  fs.rmSync(buildDir, { recursive: true, force: true });
  await mongoose.connection.db?.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
});

describe('two API instances on one database, behind a round-robin proxy', () => {
  it('requests alternate between the instances; the compiled one answers like the other', async () => {
    const by: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${proxy.url}/healthz`);
      expect(res.status).toBe(200);
      by.push(res.headers.get('x-served-by')!);
    }
    expect(by).toEqual(['a', 'b', 'a', 'b']);
    // The same login works on either instance (keys live in the database).
    const token = await login('agent01', 'a');
    expect((await client(token, 'b').auth.me.query()).roles).toContain('agent');
  });

  it('a report filed through A appears live on a console connected to B', async () => {
    const agentToken = await login('agent01');
    const arrived = new Map<string, number>();
    let connected!: () => void;
    const open = new Promise<void>((r) => (connected = r));
    // The agent's live queue (SSE), through the proxy, held open on B.
    const es = new EventSource(`${proxy.url}/trpc/workorder.live`, {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${agentToken}`, 'x-upstream': 'b' },
        }),
    });
    es.addEventListener('connected', () => connected());
    es.onmessage = (m) => {
      // The event as workorder.live yields it (its order id), whichever envelope the stream puts it in.
      type Ev = { orderId?: string | null; payload?: { orderId?: string } };
      const msg = JSON.parse(m.data) as Ev & { data?: Ev };
      const id = msg.orderId ?? msg.data?.orderId ?? msg.payload?.orderId ?? msg.data?.payload?.orderId;
      if (id && !arrived.has(id)) arrived.set(id, Date.now());
    };
    try {
      await open;
      // The resident signs in by SMS code and files a fault report on A.
      await client(undefined, 'a').auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
      const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
      const { accessToken } = await client(undefined, 'a').auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
      const resident = client(accessToken, 'a');
      const [account] = await resident.account.list.query();
      const sent = Date.now();
      const order = await resident.workorder.create.mutate({
        type: 'fault_repair',
        accountId: account.id,
        faultKind: 'whole_house_outage',
        description: '家里整户停电，邻居家有电',
      } as never);
      const at = await waitFor('the report on B’s live queue', async () => arrived.get(order.id), 10_000);
      console.log(`report filed on A reached the console on B after ${at - sent} ms`);
      expect(at - sent).toBeLessThan(5_000);
    } finally {
      es.close();
    }
  });

  it('a settings change made on A is in force on B within the refresh interval', async () => {
    const admin = await login('admin01');
    const onB = client(admin, 'b');
    // The versioned settings (settings.publish): B has the version in force cached before the change.
    const before = await onB.settings.current.query({ kind: 'cluster' });
    const value = before.value as { areaThreshold: number };
    const wanted = value.areaThreshold === 5 ? 6 : 5;
    const published = await client(admin, 'a').settings.publish.mutate({
      kind: 'cluster',
      value: { ...value, areaThreshold: wanted },
      note: '两实例测试',
    });
    const changed = Date.now();
    // In force on B: the clustering code's own reading of the thresholds, and the settings view.
    await waitFor('B to use the new threshold', async () => (await onB.outage.clusterSettings.query()).areaThreshold === wanted, 10_000);
    const took = Date.now() - changed;
    expect((await onB.settings.current.query({ kind: 'cluster' })).version).toBe((published as { version: number }).version);
    console.log(`cluster threshold published on A, in force on B after ${took} ms (SETTINGS_REFRESH_MS 3 s)`);
    expect(took).toBeLessThanOrEqual(3_000 + 1_000);
  });

  it('a logout on A refuses the token on B', async () => {
    const token = await login('agent02');
    const onB = client(token, 'b');
    expect((await onB.auth.me.query()).roles).toContain('agent'); // accepted, and remembered by B for its cache time
    await client(token, 'a').auth.logout.mutate({});
    const loggedOut = Date.now();
    await waitFor(
      'B to refuse the token',
      async () => {
        try {
          await onB.auth.me.query();
          return false;
        } catch {
          return true;
        }
      },
      10_000,
    );
    const took = Date.now() - loggedOut;
    console.log(`logout on A, token refused on B after ${took} ms (SESSION_CHECK_CACHE_MS 2 s)`);
    expect(took).toBeLessThanOrEqual(2_000 + 1_000);
    await expectTrpcError(onB.auth.me.query(), 'UNAUTHORIZED');
    await expectTrpcError(client(token, 'a').auth.me.query(), 'UNAUTHORIZED');
  });

  it('SLA sweeps and billing jobs run exactly once between the two', async () => {
    // Billing: one run per interval between both instances (two free-running instances would make twice as many).
    const runs0 = (await JobLeaseModel.findById(BILLING_LEASE).lean())!.runs;
    const t0 = Date.now();
    const ids = await seedDueOrders(200, Date.now(), 'GD2026TWOA');
    await waitFor(
      'the sweep to fire 600 marks and publish them',
      async () => {
        const p = await backlogProgress('GD2026TWOA');
        return p.marks === 600 && p.unpublished === 0;
      },
      60_000,
    );
    await expectMarksOnce(ids);
    await sleep(Math.max(0, 3 * BILLING_EVERY_MS - (Date.now() - t0)));
    const lease = (await JobLeaseModel.findById(BILLING_LEASE).lean())!;
    const elapsed = Date.now() - t0;
    // A run when the interval has passed, looked for every second: one every 2–3 s.
    expect(lease.runs - runs0).toBeGreaterThanOrEqual(Math.floor(elapsed / (BILLING_EVERY_MS + 1_000)) - 1);
    expect(lease.runs - runs0).toBeLessThanOrEqual(Math.ceil(elapsed / BILLING_EVERY_MS) + 1);
    // By the holder of the moment (A, unless a renewal of A's was held up long enough for B to take over: also fine).
    expect(ownerOf(a)(lease.lastRunBy ?? undefined) || ownerOf(b)(lease.lastRunBy ?? undefined)).toBe(true);
    // The daily prepaid settlement (after 01:00 Shanghai time): every prepaid account settled once for yesterday.
    if ((new Date().getUTCHours() + 8) % 24 >= 1) {
      const yesterday = shanghaiDay(new Date(Date.now() - 86_400_000));
      const prepaid = await AccountModel.countDocuments({ paymentMode: 'prepaid' });
      expect(prepaid).toBeGreaterThan(0);
      await waitFor('the prepaid settlement', async () => (await PrepaidDayModel.countDocuments({ day: yesterday })) === prepaid, 30_000);
      const perAccount = await PrepaidDayModel.aggregate([
        { $match: { day: yesterday } },
        { $group: { _id: '$accountId', n: { $sum: 1 } } },
        { $match: { n: { $gt: 1 } } },
      ]);
      expect(perAccount).toEqual([]);
    }
  });

  it('A killed with SIGKILL mid-sweep: B takes the leases over within 5 s and every due mark still fires once', async () => {
    const backlog = await seedDueOrders(500, Date.now(), 'GD2026TWOB');
    await waitFor('A to be part-way through the backlog', async () => (await backlogProgress('GD2026TWOB')).marks >= 100, 30_000);
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    await a.exited;
    const part = await backlogProgress('GD2026TWOB');
    expect(part.marks).toBeLessThan(1500);
    // Orders whose deadlines fall due while no live instance holds the lease (1 s after the kill).
    const later = await seedDueOrders(20, killedAt + 61_000, 'GD2026TWOC');
    await waitFor('B to hold the SLA lease', async () => ownerOf(b)(await leaseOwner(SLA_SWEEP_LEASE)), 10_000);
    const slaTakeover = Date.now() - killedAt;
    await waitFor('B to hold the billing lease', async () => ownerOf(b)(await leaseOwner(BILLING_LEASE)), 10_000);
    const billingTakeover = Date.now() - killedAt;
    console.log(
      `SIGKILL of A: B took the SLA lease after ${slaTakeover} ms, the billing lease after ${billingTakeover} ms (A had fired ${part.marks}/1500 marks)`,
    );
    expect(slaTakeover).toBeLessThanOrEqual(5_000);
    expect(billingTakeover).toBeLessThanOrEqual(5_000);
    // The proxy sends everything to B now.
    for (let i = 0; i < 2; i++) expect((await fetch(`${proxy.url}/healthz`)).headers.get('x-served-by')).toBe('b');
    // Everything fires, once; A's unpublished events are republished from the outboxes (stale after 10 s).
    await waitFor(
      'every mark fired and published',
      async () => {
        const [p, q] = await Promise.all([backlogProgress('GD2026TWOB'), backlogProgress('GD2026TWOC')]);
        return p.marks === 1500 && p.unpublished === 0 && q.marks === 60 && q.unpublished === 0;
      },
      90_000,
    );
    await expectMarksOnce([...backlog, ...later]);
    // B got to work as soon as it held the lease: its first marks within a second of the takeover.
    const firstByB = await WorkOrderModel.find({ _id: { $in: backlog }, 'slaMarks.overdueAt': { $gt: new Date(killedAt) } }, { slaMarks: 1 })
      .sort({ 'slaMarks.overdueAt': 1 })
      .limit(1)
      .lean();
    const firstAfter = new Date(firstByB[0].slaMarks!.overdueAt!).getTime() - killedAt;
    expect(firstAfter).toBeLessThanOrEqual(5_000 + 1_000);
    // Marks that fell due while A was dead waited only for the takeover and the older backlog (oldest first):
    // they fired right behind the last of it.
    const [lastOfBacklog] = await WorkOrderModel.find({ _id: { $in: backlog } }, { slaMarks: 1 })
      .sort({ 'slaMarks.overdueAt': -1 })
      .limit(1)
      .lean();
    const lateOnes = await WorkOrderModel.find({ _id: { $in: later } }, { nextDeadline: 1, slaMarks: 1 }).lean();
    const delays = lateOnes.map((o) => new Date(o.slaMarks!.overdueAt!).getTime() - new Date(o.nextDeadline!.dueAt).getTime());
    const behind =
      Math.max(...lateOnes.map((o) => new Date(o.slaMarks!.overdueAt!).getTime())) - new Date(lastOfBacklog.slaMarks!.overdueAt!).getTime();
    console.log(
      `B's first mark ${firstAfter} ms after the kill; overdue marks that fell due after the kill fired ${Math.min(...delays)}–${Math.max(...delays)} ms late, ${behind} ms after the last of ${1500 - part.marks} older marks`,
    );
    expect(behind).toBeLessThanOrEqual(2_000);
  });
});

/** Each order has each of its three marks exactly once: timeline, event log, one 督办 notification. */
async function expectMarksOnce(ids: Types.ObjectId[]) {
  const orders = await WorkOrderModel.find({ _id: { $in: ids } }, { timeline: 1, outbox: 1 }).lean();
  expect(orders).toHaveLength(ids.length);
  for (const o of orders) {
    expect(o.timeline.map((t) => t.action).sort()).toEqual(['sla_overdue', 'sla_warn50', 'sla_warn80']);
    expect(o.outbox).toEqual([]);
  }
  const perOrder = await EventModel.aggregate<{ _id: unknown; n: number }>([
    { $match: { orderId: { $in: ids }, type: { $in: ['workorder.sla_warn50', 'workorder.sla_warn80', 'workorder.sla_overdue'] } } },
    { $group: { _id: { o: '$orderId', t: '$type' }, n: { $sum: 1 } } },
  ]);
  expect(perOrder).toHaveLength(3 * ids.length);
  expect(perOrder.filter((e) => e.n !== 1)).toEqual([]);
  expect(await InAppNotificationModel.countDocuments({ orderId: { $in: ids }, kind: 'workorder.overdue' })).toBe(ids.length);
}
