#!/usr/bin/env node
// Sums the weapp main package (dist/weapp minus subpackage roots) and each subpackage, and enforces WeChat's
// 2 MB limit on every one of them.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIMIT_KB = 2048;
const root = fileURLToPath(new URL('../dist/weapp/', import.meta.url));
if (!existsSync(join(root, 'app.json'))) {
  console.error(`weapp main package: dist/weapp/app.json not found (build first)`);
  process.exit(1);
}

const app = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
const subRoots = [...(app.subPackages ?? []), ...(app.subpackages ?? [])].map((p) => String(p.root ?? '').replace(/^\/+|\/+$/g, '')).filter(Boolean);
// Tooling files that WeChat does not upload as part of the package.
const ignored = new Set(['project.config.json', 'project.private.config.json']);

let mainBytes = 0;
let subBytes = 0;
const perSub = new Map(subRoots.map((r) => [r, 0]));
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) {
      walk(full);
      continue;
    }
    const rel = relative(root, full).split(sep).join('/');
    if (ignored.has(rel) || rel.endsWith('.map')) continue;
    const sub = subRoots.find((r) => rel === r || rel.startsWith(`${r}/`));
    if (sub) {
      subBytes += st.size;
      perSub.set(sub, perSub.get(sub) + st.size);
    } else mainBytes += st.size;
  }
};
walk(root);

const kb = (b) => (b / 1024).toFixed(1);
console.log(`weapp main package: ${kb(mainBytes)} KB (limit ${LIMIT_KB} KB)`);
if (subRoots.length)
  console.log(`weapp subpackages (${subRoots.length}): ${kb(subBytes)} KB — ${[...perSub].map(([r, b]) => `${r} ${kb(b)} KB`).join(', ')}`);
let over = false;
if (mainBytes > LIMIT_KB * 1024) {
  console.error(`weapp main package exceeds ${LIMIT_KB} KB`);
  over = true;
}
for (const [r, b] of perSub) {
  if (b > LIMIT_KB * 1024) {
    console.error(`weapp subpackage ${r} exceeds ${LIMIT_KB} KB`);
    over = true;
  }
}
if (over) process.exit(1);
