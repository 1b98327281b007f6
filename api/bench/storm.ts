/**
 * npm run storm: a fault storm on one feeder against a real API process on loopback.
 * Starts its own embedded MongoDB (in memory, unless MONGODB_URI is set) and API (port STORM_PORT, default 4810),
 * seeds a small city plus STORM_REPORTS accounts on one feeder (some people hold two accounts there, a few are
 * important/vulnerable), then fires one fault report per account from the customers' own tokens with bounded
 * concurrency. A dispatcher confirms the proposed outage as soon as it appears, and restores it when the storm
 * is over. Prints: zero-lost check, incidents for the feeder, what the agent queue shows, report p95, and the time
 * from confirmation (and restoration) to the last notification, with the exactly-once check per reporter.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { openBenchDatabase } from './database';
import { seedDemoData, DEMO } from '../src/seed/generate';
import { GridNodeModel } from '../src/modules/grid/grid.model';
import { AccountModel, BindingModel, CustomerModel } from '../src/modules/accounts/account.model';
import { identityKey, UserModel } from '../src/modules/auth/user.model';
import { KeyRing } from '../src/modules/auth/tokens';
import { WorkOrderModel } from '../src/modules/workorders/workorder.model';
import { MessageModel } from '../src/modules/notify/message.model';
import { WechatOutboxModel } from '../src/modules/notify/wechat-subscribe';
import { OutageModel, OutageProposalModel } from '../src/modules/outages/outage.model';
import '../src/models';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PORT = Number(process.env.STORM_PORT ?? 4810);
const N = Number(process.env.STORM_REPORTS ?? 5000);
const CONCURRENCY = Number(process.env.STORM_CONCURRENCY ?? 48);
const WINDOW_S = 60;
const base = `http://127.0.0.1:${PORT}`;

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call<T>(
  pathName: string,
  token: string,
  input: unknown,
  method: 'GET' | 'POST' = 'POST',
): Promise<{ ok: boolean; status: number; data?: T; error?: string }> {
  const url = method === 'GET' ? `${base}/trpc/${pathName}?input=${encodeURIComponent(JSON.stringify(input ?? {}))}` : `${base}/trpc/${pathName}`;
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  const body = (await res.json().catch(() => null)) as { result?: { data: T }; error?: { message: string } } | null;
  return { ok: res.ok, status: res.status, data: body?.result?.data, error: body?.error?.message };
}

async function main() {
  const { uri, stop: stopMongo } = await openBenchDatabase('storm');
  const t0 = Date.now();
  await seedDemoData({ accounts: 2_000, reset: true });

  // The storm feeder: 5 transformer areas; one report per account, some people with two accounts there.
  const feeder = (await GridNodeModel.findOne({ kind: 'feeder' }).sort({ code: 1 }).lean())!;
  const areas = await GridNodeModel.find({ kind: 'transformer_area', feederId: feeder._id }).sort({ code: 1 }).lean();
  const people: { userId: Types.ObjectId; openid: string; accountIds: Types.ObjectId[] }[] = [];
  const customers: Record<string, unknown>[] = [];
  const accounts: Record<string, unknown>[] = [];
  const users: Record<string, unknown>[] = [];
  const bindings: Record<string, unknown>[] = [];
  const now = new Date();
  let made = 0;
  for (let i = 0; made < N; i++) {
    const two = i % 10 === 0 && made + 2 <= N;
    const customerId = new Types.ObjectId();
    const phone = `1350${String(i).padStart(7, '0')}`;
    const flags = { important: i % 97 === 0, sensitive: i % 89 === 0, vulnerable: i % 53 === 0 };
    customers.push({
      _id: customerId,
      kind: 'residential',
      tier: 'C',
      name: `风暴用户${i}`,
      phone,
      enterpriseId: null,
      flags,
      preferredContact: 'wechat',
      createdAt: now,
      updatedAt: now,
    });
    const userId = new Types.ObjectId();
    const openid = `o_storm_${i}_${randomBytes(3).toString('hex')}`;
    users.push({
      _id: userId,
      kind: 'wechat',
      identityKey: identityKey.wechat(openid),
      roles: ['resident'],
      displayName: `风暴用户${i}`,
      openid,
      disabled: false,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    });
    const ids: Types.ObjectId[] = [];
    for (let k = 0; k < (two ? 2 : 1); k++, made++) {
      const area = areas[made % areas.length];
      const _id = new Types.ObjectId();
      ids.push(_id);
      accounts.push({
        _id,
        number: `38${String(made).padStart(11, '0')}`,
        customerId,
        enterpriseId: null,
        holderName: `风暴用户${i}`,
        phone,
        address: `长沙市岳麓区风暴路${i}号`,
        regionId: area.regionId,
        feederId: feeder._id,
        transformerAreaId: area._id,
        transformerAreaName: area.name,
        areaType: area.areaType,
        meterNumber: `MS${made}`,
        usageCategory: 'residential',
        tariffCode: 'RES-TIER-HN',
        paymentMode: 'postpaid',
        supplyState: 'normal',
        balanceFen: 0,
        arrearsFen: 0,
        createdAt: now,
        updatedAt: now,
      });
      bindings.push({ userId, accountId: _id, relation: k === 0 ? 'self' : 'family', verifiedBy: 'seed', createdAt: now, updatedAt: now });
    }
    people.push({ userId, openid, accountIds: ids });
  }
  await CustomerModel.collection.insertMany(customers);
  await AccountModel.collection.insertMany(accounts);
  await UserModel.collection.insertMany(users);
  await BindingModel.collection.insertMany(bindings);
  console.log(
    `seeded base city + ${accounts.length} accounts / ${people.length} people on ${feeder.name} (${areas.length} transformer areas) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  const apiProc = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'api/src/main.ts')], {
    env: {
      ...process.env,
      MONGODB_URI: uri,
      API_PORT: String(PORT),
      API_HOST: '127.0.0.1',
      WECHAT_APP_SECRET: 'dev-storm',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      WECHAT_API_BASE: 'http://127.0.0.1:9',
    },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  let exitCode = 1;
  try {
    let up = false;
    for (let i = 0; i < 240 && !up; i++) {
      try {
        up = (await fetch(`${base}/healthz`)).ok;
      } catch {
        /* starting */
      }
      if (!up) await sleep(250);
    }
    if (!up) throw new Error('API did not start');

    // Customers' own access tokens, signed with the key set the API uses (it lives in the database).
    const keys = new KeyRing({});
    await keys.load();
    const tokens = new Map<string, string>();
    // Every access token names a live session (the API checks it on each request).
    const { SessionModel } = await import('../src/modules/auth/session.model');
    await SessionModel.insertMany(
      people.map((p) => ({ _id: `storm-${p.userId}`, userId: p.userId, createdAt: new Date(), expiresAt: new Date(Date.now() + 3600_000) })),
    );
    for (const p of people)
      tokens.set(
        String(p.userId),
        await keys.signAccess(
          { sub: String(p.userId), kind: 'wechat', roles: ['resident'], sid: `storm-${p.userId}`, ent: null, crew: null },
          3600,
          'power-service-platform',
        ),
      );
    const login = async (username: string) =>
      (
        (await (
          await fetch(`${base}/trpc/auth.passwordLogin`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password: DEMO.password }),
          })
        ).json()) as { result: { data: { accessToken: string } } }
      ).result.data.accessToken;
    const dispatcher = await login('dispatcher01');
    const agent = await login('agent01');

    const jobs = people.flatMap((p) => p.accountIds.map((a) => ({ token: tokens.get(String(p.userId))!, accountId: String(a) })));
    // Interleave areas and people: reports arrive from all over the feeder at once.
    for (let i = jobs.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
    }

    // The dispatcher's console: confirm the proposal as soon as it shows up.
    let confirmAt = 0;
    let confirmDoneAt = 0;
    let outageId = '';
    let confirmMerged = 0;
    let stormOver = false;
    const stormStart = Date.now();
    const console_ = (async () => {
      while (!stormOver || !outageId) {
        const r = await call<{ id: string; level: string; feederId: string; evidence: { reports: number } }[]>(
          'outage.proposals',
          dispatcher,
          {},
          'GET',
        );
        const p = r.data?.find((x) => x.feederId === String(feeder._id) && x.level === 'feeder');
        if (p) {
          confirmAt = Date.now();
          const c = await call<{ outage: { id: string }; merged: number }>('outage.confirmProposal', dispatcher, {
            proposalId: p.id,
            etr: new Date(Date.now() + 3 * 3600_000).toISOString(),
            reason: '10kV线路故障跳闸',
          });
          confirmDoneAt = Date.now();
          if (!c.ok) throw new Error(`confirm failed: ${c.error}`);
          outageId = c.data!.outage.id;
          confirmMerged = c.data!.merged;
          console.log(
            `  dispatcher confirmed the feeder proposal (${p.evidence.reports} reports in evidence) after ${((confirmAt - stormStart) / 1000).toFixed(1)} s: merged ${confirmMerged}, request ${confirmDoneAt - confirmAt} ms`,
          );
          return;
        }
        await sleep(500);
      }
    })();

    const lat: number[] = [];
    let ok = 0;
    let failed = 0;
    let linkedAtIntake = 0;
    const errors = new Map<string, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < jobs.length; i = next++) {
          const j = jobs[i];
          const body = {
            type: 'fault_repair',
            accountId: j.accountId,
            faultKind: 'whole_house_outage',
            description: '家里突然停电了，整栋楼都没电',
            channel: 'miniprogram',
          };
          // A customer whose request failed taps "submit" again: up to 3 tries, each counted in the latency.
          for (let attempt = 0; attempt < 3; attempt++) {
            const t = performance.now();
            let r: Awaited<ReturnType<typeof call<{ linkedOutage: unknown }>>>;
            try {
              r = await call<{ linkedOutage: unknown }>('workorder.create', j.token, body);
            } catch (err) {
              r = { ok: false, status: 0, error: String(err) };
            }
            lat.push(performance.now() - t);
            if (r.ok) {
              ok++;
              if (r.data?.linkedOutage) linkedAtIntake++;
              break;
            }
            errors.set(`${r.status} ${r.error}`, (errors.get(`${r.status} ${r.error}`) ?? 0) + 1);
            if (attempt === 2) failed++;
          }
        }
      }),
    );
    const stormMs = Date.now() - stormStart;
    stormOver = true;
    await console_;

    // ---- checks
    const accountIds = jobs.map((j) => new Types.ObjectId(j.accountId));
    const stored = await WorkOrderModel.countDocuments({ accountId: { $in: accountIds }, type: 'fault_repair' });
    const merged = await WorkOrderModel.countDocuments({ accountId: { $in: accountIds }, incidentId: new Types.ObjectId(outageId) });
    const outagesForFeeder = await OutageModel.countDocuments({ kind: 'fault', coveredAreaIds: { $in: areas.map((a) => a._id) } });
    const incidents = await WorkOrderModel.countDocuments({ category: '故障停电事件', feederId: feeder._id });
    const queue = await call<{ items: { id: string }[]; total: number }>(
      'workorder.queue',
      agent,
      { types: ['fault_repair'], regionId: String(feeder.regionId), limit: 200 },
      'GET',
    );
    const queueAll = await call<{ total: number }>(
      'workorder.queue',
      agent,
      { types: ['fault_repair'], regionId: String(feeder.regionId), hideMerged: false, limit: 1 },
      'GET',
    );
    const openProposals = await OutageProposalModel.countDocuments({ feederId: feeder._id, status: 'open' });

    // Restore, and time the notices.
    const restoreAt = Date.now();
    const rr = await call<{ resolved: number }>('outage.restore', dispatcher, { outageId, note: '故障已排除，恢复送电' });
    const restoreDoneAt = Date.now();
    if (!rr.ok) throw new Error(`restore failed: ${rr.error}`);
    const resolved = await WorkOrderModel.countDocuments({ accountId: { $in: accountIds }, status: 'resolved' });

    const pubKey = `${outageId}:published`;
    const resKey = `${outageId}:restored`;
    const lastOf = async (key: string) => {
      const m = await MessageModel.findOne({ noticeKey: key }).sort({ createdAt: -1 }).lean();
      const s = await MessageModel.findOne({ noticeKey: key, sentAt: { $ne: null } })
        .sort({ sentAt: -1 })
        .lean();
      return Math.max(m?.createdAt?.getTime() ?? 0, s?.sentAt?.getTime() ?? 0);
    };
    const lastPub = await lastOf(pubKey);
    const lastRes = await lastOf(resKey);
    const reporterIds = people.map((p) => p.userId);
    const perReporter = await MessageModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { noticeKey: resKey, userId: { $in: reporterIds } } },
      { $group: { _id: '$userId', n: { $sum: 1 } } },
    ]);
    const once = perReporter.filter((x) => x.n === 1).length;
    const dup = perReporter.filter((x) => x.n > 1).length;
    const wxPer = await WechatOutboxModel.aggregate<{ _id: string; n: number }>([
      { $match: { 'data.thing4.value': '已恢复送电' } },
      { $group: { _id: '$openid', n: { $sum: 1 } } },
    ]);
    const wxDup = wxPer.filter((x) => x.n > 1).length;
    const firstRanks = await MessageModel.find({ noticeKey: resKey }, { rank: 1 }).sort({ seq: 1 }).lean();
    const rank0 = firstRanks.filter((r) => r.rank === 0).length;
    const rankOrdered = firstRanks.every((r, i) => i === 0 || firstRanks[i - 1].rank <= r.rank);
    const pubReached = await MessageModel.countDocuments({ noticeKey: pubKey });

    const line = (k: string, v: string) => console.log(`${k.padEnd(44)}${v}`);
    console.log(
      `\nstorm: ${jobs.length} fault reports from ${people.length} customers on ${feeder.name}, ${CONCURRENCY} concurrent clients on loopback\n`,
    );
    line(
      'reports sent / accepted (HTTP 200)',
      `${jobs.length} / ${ok}  in ${(stormMs / 1000).toFixed(1)} s  ${stormMs <= WINDOW_S * 1000 ? '(within 60 s ✓)' : '(OVER 60 s ✗)'}`,
    );
    line(
      'lost (sent − stored orders)',
      `${jobs.length - stored}  ${jobs.length === stored && failed === 0 ? '✓ zero lost' : `✗ (${failed} failed after retries)`}`,
    );
    if (errors.size) line('errors seen (retried)', [...errors.entries()].map(([k, v]) => `${v}× ${k}`).join('; '));
    line('report latency p50 / p95 / p99', `${pct(lat, 50).toFixed(0)} / ${pct(lat, 95).toFixed(0)} / ${pct(lat, 99).toFixed(0)} ms`);
    line('fault outages for the feeder', `${outagesForFeeder}  ${outagesForFeeder === 1 ? '✓' : '✗'}`);
    line('incident orders for the feeder', `${incidents}  ${incidents === 1 ? '✓' : '✗'}`);
    line('merged under the incident', `${merged} (at confirmation ${confirmMerged}, linked at intake ${linkedAtIntake})`);
    line(
      'agent queue (fault, region) rows',
      `${queue.data?.total} shown (incident ${queue.data?.items.some((i) => i.id === outageId) ? 'present ✓' : 'MISSING ✗'}) vs ${queueAll.data?.total} with merged rows`,
    );
    line('open proposals left for the feeder', `${openProposals}`);
    line('confirm request (merge + publish notices)', `${confirmDoneAt - confirmAt} ms`);
    line('confirmation → last "published" notice', `${lastPub ? lastPub - confirmAt : NaN} ms  (${pubReached} people)`);
    line(
      'restore request (resolve + notify)',
      `${restoreDoneAt - restoreAt} ms, ${rr.data?.resolved} merged orders resolved (${resolved} of the storm's resolved)`,
    );
    line('restoration → last "restored" notice', `${lastRes ? lastRes - restoreAt : NaN} ms`);
    line(
      'reporters notified of restoration',
      `${once} exactly once, ${dup} more than once, ${people.length - once - dup} missed  ${once === people.length ? '✓' : '✗'}`,
    );
    line('WeChat "restored" copies per person', `${wxPer.length} people, ${wxDup} duplicates  ${wxDup === 0 ? '✓' : '✗'}`);
    line('important/sensitive/vulnerable told first', `${rank0} of them, ${rankOrdered ? 'all before everyone else ✓' : 'ORDER BROKEN ✗'}`);
    const pass =
      stormMs <= WINDOW_S * 1000 &&
      jobs.length === stored &&
      failed === 0 &&
      outagesForFeeder === 1 &&
      incidents === 1 &&
      once === people.length &&
      dup === 0 &&
      wxDup === 0 &&
      rankOrdered;
    console.log(`\n${pass ? 'PASS' : 'FAIL'}`);
    exitCode = pass ? 0 : 1;
  } finally {
    apiProc.kill('SIGTERM');
    await mongoose.disconnect();
    await stopMongo();
  }
  process.exit(exitCode);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
