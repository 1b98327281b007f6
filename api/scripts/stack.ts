/**
 * Runs the whole platform: database (embedded unless MONGODB_URI is set), WeChat simulator, API,
 * web portal and the mini-program H5 build. `--mode dev` (npm start) keeps data under .data/;
 * `--mode test` (Playwright) uses an in-memory database, fresh demo data and its own ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ensureEmbeddedMongoJar, startEmbeddedMongo, type EmbeddedMongo } from '../src/db/embedded';
import { DEMO } from '../src/seed/generate';
import { loadOrCreateDevKeys } from '../src/simulators/wechatpay/dev-keys';

const ROOT = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const mode = args[args.indexOf('--mode') + 1] === 'test' ? 'test' : 'dev';
const DATA = path.join(ROOT, '.data');

const ports =
  mode === 'dev'
    ? { web: 3000, api: 4000, wechat: 4010, pay: 4011, h5: 10086, mongo: 27018 }
    : { web: 3100, api: 4100, wechat: 4110, pay: 4111, h5: 10186, mongo: 0 };

const children: ChildProcess[] = [];
let mongo: EmbeddedMongo | null = null;
let h5Server: http.Server | null = null;
let stopping = false;

const say = (msg: string) => console.log(`[stack] ${msg}`);

/** Development secrets generated on first start, kept under .data/ and never committed. */
function devSecrets(): { wechatAppSecret: string } {
  const file = path.join(DATA, 'dev-secrets.json');
  if (mode === 'dev' && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const s = { wechatAppSecret: `dev-${randomBytes(16).toString('hex')}` };
  if (mode === 'dev') {
    mkdirSync(DATA, { recursive: true });
    writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
  }
  return s;
}

function bin(name: string) {
  return path.join(ROOT, 'node_modules', '.bin', name);
}

function startChild(name: string, cmd: string, argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const child = spawn(cmd, argv, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() takes its grandchildren too
  });
  const prefix = (line: string) => `${name.padEnd(6)}| ${line}`;
  const pipe = (s: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) out.write(`${prefix(l)}\n`);
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[stack] ${name} exited (${code ?? signal}); stopping everything`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

function runOnce(name: string, cmd: string, argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  return new Promise<void>((resolve, reject) => {
    say(`${name}: ${path.basename(cmd)} ${argv.join(' ')}`);
    const child = spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed with exit code ${code}`))));
  });
}

async function waitForHttp(url: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Newest modification time below a folder, skipping build output. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.next', 'dist', '.swc', 'test-results'].includes(e.name)) continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function stale(output: string, sourceDir: string): boolean {
  return !existsSync(output) || statSync(output).mtimeMs < newestSource(sourceDir);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Serves the mini-program H5 build and proxies its API (tRPC, file downloads) and simulator calls, so it needs no CORS. */
function serveH5(dir: string, port: number, apiPort: number, wechatPort: number, payPort: number) {
  const proxy = (req: http.IncomingMessage, res: http.ServerResponse, targetPort: number, targetPath: string) => {
    const up = http.request(
      // The API believes X-Forwarded-For from loopback: say who really connected, never pass the client's own.
      {
        host: '127.0.0.1',
        port: targetPort,
        path: targetPath,
        method: req.method,
        headers: { ...req.headers, host: `127.0.0.1:${targetPort}`, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    // /files/: receipt and invoice PDFs (signed links from billing.documentLink).
    if (url.startsWith('/trpc/') || url.startsWith('/files/')) return proxy(req, res, apiPort, url);
    if (url.startsWith('/wxsim/')) return proxy(req, res, wechatPort, url.slice('/wxsim'.length));
    if (url.startsWith('/wxpaysim/')) return proxy(req, res, payPort, url.slice('/wxpaysim'.length));
    const rel = decodeURIComponent(url.split('?')[0]);
    let file = path.join(dir, rel);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(dir, 'index.html');
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  return new Promise<http.Server>((resolve) => server.listen(port, '0.0.0.0', () => resolve(server)));
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const c of children) {
    try {
      if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  await new Promise((r) => setTimeout(r, 1500));
  for (const c of children) {
    try {
      if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  h5Server?.close();
  await mongo?.stop();
  process.exit(code);
}

async function main() {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(0));
  const secrets = devSecrets();

  let mongoUri = process.env.MONGODB_URI;
  if (!mongoUri) {
    await ensureEmbeddedMongoJar();
    mongo =
      mode === 'dev'
        ? await startEmbeddedMongo({ mode: 'file', dataDir: path.join(DATA, 'mongo'), port: ports.mongo })
        : await startEmbeddedMongo({ mode: 'memory', port: 0 });
    mongoUri = `${mongo.uri}power`;
    say(`embedded MongoDB (${mode === 'dev' ? `file-backed, ${path.join('.data', 'mongo')}` : 'in memory'}) on port ${mongo.port}`);
  }

  const tsx = bin('tsx');
  // WeChat Pay development keys (merchant and platform), created once under .data/wechatpay/ before
  // the API and the Pay simulator start, so both read the same files.
  const payKeys = loadOrCreateDevKeys();
  say(`WeChat Pay development keys in ${path.relative(ROOT, payKeys.dir)}/`);
  const apiEnv: Record<string, string> = {
    NODE_ENV: mode === 'dev' ? 'development' : 'test',
    MONGODB_URI: mongoUri,
    API_PORT: String(ports.api),
    WECHAT_API_BASE: `http://127.0.0.1:${ports.wechat}`,
    WECHAT_APP_SECRET: secrets.wechatAppSecret,
    WECHATPAY_API_BASE: `http://127.0.0.1:${ports.pay}`,
    // Development outboxes (/dev/sms, messages.devWechatOutbox): testers and e2e specs read codes there.
    DEV_MODE: 'true',
    EXIT_ON_STDIN_EOF: '1',
  };

  // Demo data on first run (dev) or fresh each time (test). History: a full year either way, 40,000 orders in dev
  // (a first start stays within minutes on the file-backed store), 12,000 in test (with the quality and points rebuilds
  // ~50 s); the Changsha scale of 180,000 is `npm run seed -- --reset` (the CLI's default) and `npm run bench`.
  await runOnce(
    'seed',
    tsx,
    ['api/src/seed/cli.ts', ...(mode === 'test' ? ['--accounts', '2000', '--reset', '--history-orders', '12000'] : ['--history-orders', '40000'])],
    {
      env: apiEnv,
    },
  );

  startChild('wechat', tsx, ['api/src/simulators/wechat/main.ts'], {
    env: { WECHAT_SIM_PORT: String(ports.wechat), WECHAT_APP_SECRET: secrets.wechatAppSecret, EXIT_ON_STDIN_EOF: '1' },
  });
  startChild('wxpay', tsx, ['api/src/simulators/wechatpay/main.ts'], {
    env: { WECHATPAY_SIM_PORT: String(ports.pay), EXIT_ON_STDIN_EOF: '1', ...(mode === 'test' ? { WECHATPAY_SIM_RETRY_SCALE: '0.01' } : {}) },
  });
  startChild('api', tsx, ['api/src/main.ts'], { env: apiEnv });

  const webDir = path.join(ROOT, 'web');
  if (stale(path.join(webDir, '.next', 'BUILD_ID'), webDir)) await runOnce('web build', 'npm', ['run', 'build', '-w', 'web']);
  const h5Dir = path.join(ROOT, 'miniprogram', 'dist', 'h5');
  if (stale(path.join(h5Dir, 'index.html'), path.join(ROOT, 'miniprogram', 'src'))) {
    await runOnce('mini-program H5 build', 'npm', ['run', 'build:h5', '-w', 'miniprogram']);
  }
  startChild('web', bin('next'), ['start', '-p', String(ports.web)], {
    cwd: webDir,
    env: { API_INTERNAL_URL: `http://127.0.0.1:${ports.api}`, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  h5Server = await serveH5(h5Dir, ports.h5, ports.api, ports.wechat, ports.pay);

  await waitForHttp(`http://127.0.0.1:${ports.api}/healthz`, 60_000);
  await waitForHttp(`http://127.0.0.1:${ports.web}/`, 90_000);

  const lines = [
    '',
    '电力客户服务平台 is running:',
    `  Web portal and staff console  http://localhost:${ports.web}`,
    `  Mini-program (H5 build)       http://localhost:${ports.h5}`,
    `  API (tRPC /trpc, /healthz)    http://localhost:${ports.api}`,
    `  WeChat simulator              http://localhost:${ports.wechat}`,
    `  WeChat Pay v3 simulator       http://localhost:${ports.pay}  (keys: .data/wechatpay/)`,
    `  SMS outbox (codes)            http://localhost:${ports.web}/dev/sms`,
    '',
    'Demo logins (password for all username logins: ' + DEMO.password + '):',
    `  Resident, web (SMS code)      phone ${DEMO.residentPhone}, code at /dev/sms`,
    `  Resident, mini-program        "微信一键登录" (WeChat simulator), then bind ${DEMO.bindable.number} / ${DEMO.bindable.holderName}`,
    ...DEMO.enterpriseUsers.filter((u) => !('other' in u)).map((u) => `  Enterprise ${u.role.replace('enterprise_', '').padEnd(19)}${u.username}`),
    ...DEMO.staff.map((s) => `  Staff ${s.roles.join(',').padEnd(23)}${s.username}`),
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
  if (mode === 'test') console.log('STACK_READY');
}

main().catch((err) => {
  console.error(`[stack] ${err instanceof Error ? err.message : err}`);
  void stop(1);
});
