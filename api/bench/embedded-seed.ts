/**
 * Bench of the embedded default database (issue 10, "The embedded default keeps its data"):
 *
 *   cd api && flock /tmp/bench.lock npx tsx bench/embedded-seed.ts [--accounts 200000] [--keep]
 *
 * Starts the file-backed embedded server the way `npm start` does (own temp directory and ports), the API
 * beside it, then runs `npm run seed -- --accounts N` and `… --accounts N --reset` against them while polling
 * the API's /healthz. Prints each seed's time, the file size against the data size, the size after idle
 * compaction, then SIGKILLs the database and checks that a restart finds every account and bill.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/db/embedded';

const args = process.argv.slice(2);
const accounts = args.includes('--accounts') ? Number(args[args.indexOf('--accounts') + 1]) : 200_000;
const keep = args.includes('--keep');
const apiDir = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-seed-bench-'));
const file = path.join(dataDir, 'embedded.mv');
const apiPort = 4390;
const MB = 2 ** 20;
const fileMb = () => (statSync(file).size / MB).toFixed(0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, argv: string[], env: Record<string, string>): Promise<{ code: number; ms: number; out: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: apiDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keepOut = (b: Buffer) => {
      out += b.toString();
      process.stdout.write(b.toString().replace(/^(?=.)/gm, '    | '));
    };
    child.stdout.on('data', keepOut);
    child.stderr.on('data', keepOut);
    child.on('exit', (code) => resolve({ code: code ?? 1, ms: Date.now() - started, out }));
  });
}

async function dataStats(uri: string) {
  // Counting 200,000 documents is one long command on the single-threaded server: let the monitor wait.
  const c = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 60_000, connectTimeoutMS: 120_000 });
  try {
    const db = c.db('power');
    let size = 0;
    for (const x of await db.listCollections().toArray()) size += ((await db.command({ collStats: x.name })) as { size?: number }).size ?? 0;
    return {
      dataMb: (size / MB).toFixed(0),
      accounts: await db.collection('accounts').countDocuments(),
      bills: await db.collection('bills').countDocuments(),
      readings: await db.collection('usage_history').countDocuments(),
      residents: await db.collection('accounts').countDocuments({ number: { $regex: '^3101' } }),
    };
  } finally {
    await c.close();
  }
}

async function main() {
  console.log(`embedded seed bench: ${accounts} accounts, file ${file}`);
  let mongo: EmbeddedMongo = await startEmbeddedMongo({ mode: 'file', dataDir, readyTimeoutMs: 600_000 });
  const uri = `${mongo.uri}power`;
  const api = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: {
      ...process.env,
      MONGODB_URI: uri,
      API_PORT: String(apiPort),
      API_HOST: '127.0.0.1',
      WECHAT_APP_SECRET: 'bench-secret',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const health = { ok: 0, failed: 0, worstMs: 0 };
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t = Date.now();
      try {
        const res = await fetch(`http://127.0.0.1:${apiPort}/healthz`, { signal: AbortSignal.timeout(30_000) });
        if (res.ok) health.ok++;
        else health.failed++;
        health.worstMs = Math.max(health.worstMs, Date.now() - t);
      } catch {
        health.failed++;
      }
      await sleep(1000);
    }
  })();
  try {
    for (let i = 0; i < 60 && health.ok === 0; i++) await sleep(1000);
    if (health.ok === 0) throw new Error('the API did not come up');
    Object.assign(health, { ok: 0, failed: 0, worstMs: 0 });
    const rows: string[] = [];
    for (const extra of [[], ['--reset']]) {
      const seed = await run('npx', ['tsx', 'src/seed/cli.ts', '--accounts', String(accounts), ...extra], { MONGODB_URI: uri });
      const stats = await dataStats(mongo.uri);
      const row = `seed ${['--accounts', accounts, ...extra].join(' ')}: exit ${seed.code}, ${(seed.ms / 1000).toFixed(1)} s; file ${fileMb()} MB for ${stats.dataMb} MB of documents; ${stats.accounts} accounts, ${stats.readings} reading series, ${stats.bills} bills, ${stats.residents} demo accounts; API /healthz ${health.ok} ok, ${health.failed} failed, slowest ${health.worstMs} ms`;
      console.log(row);
      rows.push(row);
      Object.assign(health, { ok: 0, failed: 0, worstMs: 0 });
      if (seed.code !== 0) throw new Error('seed failed');
    }
    const before = fileMb();
    await sleep(30_000);
    rows.push(`after 30 s idle: file ${before} MB -> ${fileMb()} MB`);
    polling = false;
    await poller;
    const expected = await dataStats(mongo.uri);
    process.kill(mongo.pid, 'SIGKILL');
    await mongo.stop();
    const t = Date.now();
    mongo = await startEmbeddedMongo({ mode: 'file', dataDir, readyTimeoutMs: 600_000 });
    const readyMs = Date.now() - t;
    const after = await dataStats(mongo.uri);
    rows.push(
      `SIGKILL + restart (ready in ${(readyMs / 1000).toFixed(1)} s): ${after.accounts}/${expected.accounts} accounts, ${after.bills}/${expected.bills} bills, ${after.readings}/${expected.readings} reading series, ${after.residents}/${expected.residents} demo accounts`,
    );
    console.log(`\n${rows.join('\n')}`);
    if (after.accounts !== expected.accounts || after.bills !== expected.bills) process.exitCode = 1;
  } finally {
    polling = false;
    try {
      if (api.pid) process.kill(-api.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await mongo.stop();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
