// `npm test`: installs what is missing (npm packages, Debian Chromium), then runs every suite:
// API unit + integration tests against the embedded MongoDB, mini-program tests, builds, Playwright end to end.
import { execFileSync } from 'node:child_process';
import { ensureSetup, ROOT } from './setup.mjs';

ensureSetup({ browsers: true });

const started = Date.now();
const steps = [
  // One formatter and linter for every workspace (Biome, .biome.json): `npm run format` fixes what it can.
  ['format and lint (Biome)', 'npm', ['run', 'lint']],
  ['typecheck api', 'npm', ['run', 'typecheck', '-w', 'api']],
  ['api tests (embedded MongoDB)', 'npm', ['test', '-w', 'api']],
  ['mini-program tests', 'npm', ['test', '-w', 'miniprogram']],
  ['mini-program weapp build (size check)', 'npm', ['run', 'build:weapp', '-w', 'miniprogram']],
  ['mini-program H5 build', 'npm', ['run', 'build:h5', '-w', 'miniprogram']],
  ['web build', 'npm', ['run', 'build', '-w', 'web']],
  ['end-to-end (Playwright, Debian Chromium)', 'npm', ['test', '-w', 'e2e']],
];

for (const [name, cmd, args] of steps) {
  const t = Date.now();
  console.log(`\n=== ${name} ===`);
  try {
    execFileSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env: { ...process.env, CI: process.env.CI ?? '1' } });
  } catch {
    console.error(`\n✗ ${name} failed after ${((Date.now() - t) / 1000).toFixed(0)} s`);
    process.exit(1);
  }
  console.log(`✓ ${name} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
}
console.log(`\nAll suites passed in ${((Date.now() - started) / 60000).toFixed(1)} min.`);
