#!/usr/bin/env node
// The mini-program's icon set: line icons drawn as SVG here, rendered to PNG files under src/assets/
// (the weapp tab bar takes local PNGs only; the pages use the same files through <Image>).
// The PNGs are committed; run this again after changing a drawing: `node miniprogram/scripts/icons.mjs`
// (needs `rsvg-convert`, Debian package librsvg2-bin).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/assets/', import.meta.url));
const GREY = '#8b95a1';
const TEAL = '#0a7f86';

/** 24×24 line drawings (stroke only, round caps), one per meaning. */
const DRAW = {
  home: '<path d="M3 10.6 12 3.5l9 7.1"/><path d="M5.2 9.2V20h13.6V9.2"/><path d="M10 20v-5.6h4V20"/>',
  pay: '<rect x="2.8" y="5.5" width="18.4" height="13.5" rx="2.4"/><path d="M2.8 9.6h18.4"/><path d="M15.2 14.6h3"/><path d="M6.2 14.6h4.4"/>',
  service:
    '<rect x="3.4" y="3.4" width="7.2" height="7.2" rx="1.8"/><rect x="13.4" y="3.4" width="7.2" height="7.2" rx="3.6"/><rect x="3.4" y="13.4" width="7.2" height="7.2" rx="1.8"/><rect x="13.4" y="13.4" width="7.2" height="7.2" rx="1.8"/>',
  mine: '<circle cx="12" cy="8.2" r="4.2"/><path d="M4 20.5c.9-4 4.2-6.3 8-6.3s7.1 2.3 8 6.3"/>',
  fault: '<path d="M13.2 2.8 5.6 13.4h5.6l-1.2 7.8 7.8-10.8h-5.8z"/>',
  request:
    '<path d="M4 5.2h16a1.4 1.4 0 0 1 1.4 1.4v9a1.4 1.4 0 0 1-1.4 1.4h-8.4L7 20.6V17H4a1.4 1.4 0 0 1-1.4-1.4v-9A1.4 1.4 0 0 1 4 5.2z"/><path d="M7.4 10.2h9.2"/><path d="M7.4 13.2h5.6"/>',
  orders:
    '<rect x="4.6" y="4" width="14.8" height="17" rx="2"/><path d="M9 4V2.8h6V4"/><path d="M8.4 10h7.2"/><path d="M8.4 13.4h7.2"/><path d="M8.4 16.8h4.2"/>',
  payFor:
    '<circle cx="8.4" cy="7.6" r="3.2"/><path d="M2.8 18.6c.6-3.2 2.8-5 5.6-5s5 1.8 5.6 5"/><circle cx="17.2" cy="13.6" r="4.2"/><path d="M15.6 12.4l1.6 1.6 1.6-1.6"/><path d="M17.2 14v2.4"/><path d="M15.8 15.2h2.8"/>',
  outages:
    '<path d="M9 2.8v4.4"/><path d="M15 2.8v4.4"/><path d="M6.4 7.2h11.2v3.6a5.6 5.6 0 0 1-11.2 0z"/><path d="M12 16.4v4.8"/><path d="M3.4 3.4l17.2 17.2"/>',
  messages: '<path d="M6 16.6V11a6 6 0 0 1 12 0v5.6l1.6 1.6H4.4z"/><path d="M10 20.6a2.2 2.2 0 0 0 4 0"/>',
  bills: '<path d="M6 2.8h9l4 4v14.4H6z"/><path d="M15 2.8v4h4"/><path d="M9.6 11l2.4 3 2.4-3"/><path d="M12 14v4.2"/><path d="M9.8 15.8h4.4"/>',
  payments:
    '<path d="M5.6 2.8h12.8v18.4l-2.1-1.5-2.1 1.5-2.2-1.5-2.2 1.5-2.1-1.5-2.1 1.5z"/><path d="M9 8h6"/><path d="M9 11.6h6"/><path d="M9 15.2h3.6"/>',
  bind: '<path d="M3 10.6 12 3.5l9 7.1"/><path d="M5.2 9.2V20h8"/><path d="M18.8 9.2V13"/><path d="M18.2 16v5.2"/><path d="M15.6 18.6h5.2"/>',
  agreement: '<path d="M6 2.8h9l4 4v14.4H6z"/><path d="M15 2.8v4h4"/><path d="M9 12.2l2 2 4-4.2"/><path d="M9 17.6h6"/>',
  shield: '<path d="M12 2.8 4.6 5.6v5.6c0 4.6 3.1 8.4 7.4 10 4.3-1.6 7.4-5.4 7.4-10V5.6z"/><path d="M8.8 11.8l2.2 2.2 4.2-4.4"/>',
  phone: '<rect x="6.6" y="2.8" width="10.8" height="18.4" rx="2.2"/><path d="M10.6 17.8h2.8"/>',
  logout: '<path d="M10 4.4H5.6a1.4 1.4 0 0 0-1.4 1.4v12.4a1.4 1.4 0 0 0 1.4 1.4H10"/><path d="M14.6 8l4 4-4 4"/><path d="M18.6 12H9.4"/>',
  chart:
    '<path d="M3.6 20.4h16.8"/><rect x="5.2" y="11.6" width="3" height="6.4" rx=".6"/><rect x="10.6" y="6.8" width="3" height="11.2" rx=".6"/><rect x="16" y="9.6" width="3" height="8.4" rx=".6"/>',
  bolt: '<circle cx="12" cy="12" r="9.2"/><path d="M13 6.4 8.6 12.8h3.6l-1 4.8 4.6-6.6h-3.6z"/>',
};

function svg(body, color, size) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="${color}" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;
}

const tmp = join(tmpdir(), `mp-icons-${process.pid}`);
mkdirSync(tmp, { recursive: true });
function render(name, body, color, size, outDir) {
  mkdirSync(outDir, { recursive: true });
  const file = join(tmp, `${name}.svg`);
  writeFileSync(file, svg(body, color, size));
  execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), file, '-o', join(outDir, `${name}.png`)]);
}

// Tab bar: 81×81 (WeChat's recommended size), grey and selected teal.
for (const k of ['home', 'pay', 'service', 'mine']) {
  render(k, DRAW[k], GREY, 81, join(SRC, 'tab'));
  render(`${k}-on`, DRAW[k], TEAL, 81, join(SRC, 'tab'));
}
// Page icons: 96×96 in the theme colour (shown at 48px on a tinted round tile).
const COLOR = {
  fault: '#e8590c',
  request: '#0a7f86',
  orders: '#1466c7',
  payFor: '#07a35a',
  outages: '#e07b00',
  messages: '#7048e8',
  bills: '#0a7f86',
  payments: '#1466c7',
  bind: '#0a7f86',
  agreement: '#5b6673',
  shield: '#0a7f86',
  phone: '#1466c7',
  logout: '#d93636',
  chart: '#0a7f86',
  bolt: '#ffffff',
};
for (const [k, c] of Object.entries(COLOR)) render(k, DRAW[k], c, 96, join(SRC, 'icons'));
rmSync(tmp, { recursive: true, force: true });
console.log(`icons written to ${SRC}`);
