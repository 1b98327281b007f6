// Setup steps shared by `npm start` and `npm test`. Plain JS with no dependencies: it must run on a fresh clone.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(cmd, args, opts = {}) {
  console.log(`[setup] ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
}

function mtime(p) {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

/** npm ci when node_modules is missing or older than the lockfile. */
function ensureNodeModules() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(marker) && mtime(marker) >= mtime(lock)) return;
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The CJK font the API embeds in receipt/invoice PDFs (and that Chinese screenshots need). */
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

/**
 * Debian packages: always the CJK font (PDF receipts and e-invoices), plus Chromium for the browser
 * tests (Playwright's own download cannot reach its CDN here). The only place that runs apt.
 * Without the font `npm start` still runs (downloads answer with a clear error), so there a failed
 * install only warns; the tests need both.
 */
function ensureDebianPackages({ browsers }) {
  const need = [];
  if (browsers && !existsSync('/usr/bin/chromium')) need.push('chromium');
  if (!existsSync(CJK_FONT)) need.push('fonts-noto-cjk');
  if (need.length === 0) return;
  const sudo = isRoot() ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const exec = (args) => (sudo.length ? run('sudo', args, { env }) : run(args[0], args.slice(1), { env }));
  try {
    exec(['apt-get', 'update', '-qq']);
    exec(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...need]);
  } catch (err) {
    if (browsers) throw err;
    console.warn(
      `[setup] could not install ${need.join(', ')}: PDF receipts and invoices stay unavailable until a CJK font is installed (or RECEIPT_FONT_PATH is set).`,
    );
  }
}

function checkTools() {
  for (const [tool, args] of [
    ['java', ['-version']],
    ['mvn', ['-v']],
  ]) {
    try {
      execFileSync(tool, args, { stdio: 'ignore' });
    } catch {
      if (!process.env.MONGODB_URI) {
        console.error(`[setup] '${tool}' is required for the embedded MongoDB (or set MONGODB_URI to a real MongoDB).`);
        process.exit(1);
      }
    }
  }
}

export function ensureSetup({ browsers }) {
  ensureNodeModules();
  checkTools();
  ensureDebianPackages({ browsers });
}

/** Runs a TypeScript entry with tsx, forwarding signals, and exits with its code. */
export function runTs(entry, args, env = {}) {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(ROOT, entry), ...args], { stdio: 'inherit', cwd: ROOT, env: { ...process.env, ...env } });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
