/**
 * The session check's cost (src/modules/auth/session-check.ts), in process, on the bench database:
 * verifying an access token alone, then verify + session check with the per-process cache warm
 * (SESSION_CHECK_CACHE_MS = 2000, one read per session per 2 s), then cold (cache off: one read of
 * the session per call). One session per concurrent loop, so reads are not coalesced.
 *
 * Part of `npm run bench`; on its own (a few seconds, own embedded MongoDB): `npx tsx bench/session-check.ts`.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Types } from 'mongoose';
import { KeyRing, type AccessClaims } from '../src/modules/auth/tokens';
import { SessionModel } from '../src/modules/auth/session.model';
import { checkSession, clearSessionCheckCache } from '../src/modules/auth/session-check';
import type { BenchRow } from './row';

const ISSUER = 'power-service-platform';

function percentiles(lat: number[]) {
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? NaN;
  return { p50: q(50), p95: q(95), p99: q(99) };
}

/** Needs a connected mongoose (the bench database). Returns three rows: verify only, warm, cold. */
export async function sessionCheckRows(o: { seconds?: number; connections?: number } = {}): Promise<BenchRow[]> {
  const seconds = o.seconds ?? 3;
  const connections = o.connections ?? 20;
  const keys = new KeyRing({});
  await keys.load();
  const now = new Date();
  const tokens: string[] = [];
  for (let i = 0; i < connections; i++) {
    const sid = `bench-${randomUUID()}`;
    const userId = new Types.ObjectId();
    await SessionModel.create({ _id: sid, userId, createdAt: now, expiresAt: new Date(now.getTime() + 3600_000), client: 'bench' });
    tokens.push(await keys.signAccess({ sub: String(userId), kind: 'staff', roles: ['agent'], sid, ent: null, crew: null }, 900, ISSUER));
  }
  const log = { error: (...a: unknown[]) => console.error(...a) };

  const loop = async (name: string, op: (token: string) => Promise<boolean>): Promise<BenchRow> => {
    const lat: number[] = [];
    let errors = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      tokens.map(async (token) => {
        while (Date.now() < until) {
          const t = performance.now();
          if (!(await op(token))) errors++;
          lat.push(performance.now() - t);
        }
      }),
    );
    return { name, rps: lat.length / seconds, ...percentiles(lat), errors };
  };
  const verify = (token: string) => keys.verifyAccess(token, ISSUER);
  const checked = (cacheMs: number) => async (token: string) =>
    checkSession({ cfg: { SESSION_CHECK_CACHE_MS: cacheMs }, log }, (await verify(token)) as AccessClaims);

  const rows: BenchRow[] = [];
  rows.push(await loop('session: verify only (no session check)', async (t) => Boolean(await verify(t))));
  clearSessionCheckCache();
  rows.push(await loop('session: verify + check, cache warm (2 s)', checked(2000)));
  clearSessionCheckCache();
  rows.push(await loop('session: verify + check, cache off (DB read)', checked(0)));
  clearSessionCheckCache();
  await SessionModel.deleteMany({ client: 'bench' });
  return rows;
}

export function printSessionCheckRows(rows: BenchRow[]) {
  const fmt = (n: number) => n.toFixed(2).padStart(10);
  console.log(`${'scenario'.padEnd(50)}${'calls/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p95 ms'.padStart(10)}${'p99 ms'.padStart(10)}  errors`);
  for (const r of rows) console.log(`${r.name.padEnd(50)}${fmt(r.rps)}${fmt(r.p50)}${fmt(r.p95)}${fmt(r.p99)}  ${r.errors}`);
  const [bare, warm, cold] = rows;
  const d = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
  console.log(
    `\nsession check, warm cache: ${((warm.rps / bare.rps) * 100).toFixed(0)}% of verify-only throughput, p95 ${d(warm.p95 - bare.p95)} ms; cold (DB read): ${((cold.rps / bare.rps) * 100).toFixed(0)}%, p95 ${d(cold.p95 - bare.p95)} ms`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { openBenchDatabase } = await import('./database');
  const mongoose = (await import('mongoose')).default;
  await import('../src/models');
  const { stop } = await openBenchDatabase('bench_session');
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
  console.log(`session check: ${connections} concurrent loops × ${process.env.BENCH_SECONDS ?? 3} s per scenario, in process\n`);
  printSessionCheckRows(await sessionCheckRows({ seconds: Number(process.env.BENCH_SECONDS ?? 3), connections }));
  await mongoose.disconnect();
  await stop();
  process.exit(0);
}
