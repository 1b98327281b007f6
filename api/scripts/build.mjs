// `npm run build -w api`: the API for production, compiled to api/dist/main.js (no tsx at run time).
// One ESM bundle of src/main.ts for Node 20; npm packages stay external (installed beside it with
// `npm ci --omit=dev`), so native and data-carrying packages (pdfkit's fonts, mongodb) load as usual.
import { rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// esbuild comes with tsx (a dependency of the API), so it is resolved from there rather than declared twice.
const require = createRequire(import.meta.url);
const { build } = createRequire(require.resolve('tsx/package.json'))('esbuild');

const apiDir = path.resolve(import.meta.dirname, '..');
// `--outdir <dir>` (tests): somewhere below api/, so the bundle still finds the installed packages.
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(apiDir, 'dist');
rmSync(outdir, { recursive: true, force: true });
const started = Date.now();
const result = await build({
  absWorkingDir: apiDir,
  entryPoints: ['src/main.ts'],
  outfile: path.join(outdir, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
if (result.errors.length) process.exit(1);
const kb = (statSync(path.join(outdir, 'main.js')).size / 1024).toFixed(0);
const out = path.relative(process.cwd(), path.join(outdir, 'main.js'));
console.log(`${out} (${kb} KB) in ${Date.now() - started} ms — run: node --enable-source-maps ${out}`);
