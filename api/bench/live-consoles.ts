/**
 * Many open agent consoles on one API instance: what they cost while idle, and how fast a fault report
 * reaches every one of them. Each console is a real SSE stream (`workorder.live`) from this process; the
 * API's CPU is read from /proc for its whole process tree.
 */
import fs from 'node:fs';
import { EventSource } from 'eventsource';
import type { BenchRow } from './row';

/** CPU seconds used so far by a process and all its descendants (Linux /proc). */
function treeCpuSeconds(rootPid: number): number {
  const ticks = 100; // USER_HZ on Linux
  const stats = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(pid), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / ticks }];
      } catch {
        return [];
      }
    });
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of stats) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return stats.filter((p) => inTree.has(p.pid)).reduce((s, p) => s + p.cpu, 0);
}

const q = (lat: number[], p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? NaN;

export async function liveConsoleRows(o: {
  base: string;
  apiPid: number;
  token: string;
  consoles: number;
  reports: number;
  createReport: () => Promise<{ id: string }>;
  idleSeconds?: number;
}): Promise<BenchRow[]> {
  const arrivals = new Map<string, number[]>(); // orderId → arrival times at each console
  let open = 0;
  const sources: EventSource[] = [];
  const url = `${o.base}/trpc/workorder.live`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${open}/${o.consoles} consoles opened`)), 120_000);
    for (let i = 0; i < o.consoles; i++) {
      const es = new EventSource(url, {
        fetch: (input, init) =>
          fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${o.token}` } }),
      });
      es.addEventListener('connected', () => {
        if (++open === o.consoles) clearTimeout(timer), resolve();
      });
      const seenHere = new Set<string>();
      es.onmessage = (m) => {
        // Each message is one event of the feed (workorder.live): { seq, type, orderId, regionId, at, payload }.
        const msg = JSON.parse(m.data) as { orderId?: string | null; data?: { orderId?: string | null } };
        // The first event of each new order at this console, whatever became of the order.
        const id = msg.orderId ?? msg.data?.orderId;
        if (!id || seenHere.has(id)) return;
        seenHere.add(id);
        const list = arrivals.get(id) ?? [];
        list.push(performance.now());
        arrivals.set(id, list);
      };
      sources.push(es);
    }
  });
  // Idle: every console open, nothing happening.
  const idleSec = o.idleSeconds ?? 10;
  const cpu0 = treeCpuSeconds(o.apiPid);
  await new Promise((r) => setTimeout(r, idleSec * 1000));
  const idleCores = (treeCpuSeconds(o.apiPid) - cpu0) / idleSec;

  // Reports at 5 a second; each must reach every console.
  const sentAt = new Map<string, number>();
  for (let i = 0; i < o.reports; i++) {
    const t0 = performance.now();
    sentAt.set((await o.createReport()).id, t0);
    await new Promise((r) => setTimeout(r, 200));
  }
  const until = Date.now() + 20_000;
  const complete = () => [...sentAt.keys()].every((id) => (arrivals.get(id)?.length ?? 0) >= o.consoles);
  while (!complete() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  for (const es of sources) es.close();
  const lat: number[] = [];
  let missed = 0;
  for (const [id, t0] of sentAt) {
    const got = arrivals.get(id) ?? [];
    missed += Math.max(0, o.consoles - got.length);
    for (const t of got) lat.push(t - t0);
  }
  lat.sort((a, b) => a - b);
  return [
    { name: `${o.consoles} open consoles: API CPU while idle (cores)`, rps: NaN, p50: idleCores, p95: NaN, p99: NaN, errors: 0 },
    {
      name: `report → ${o.consoles} consoles over SSE (${o.reports} reports)`,
      rps: NaN,
      p50: q(lat, 50),
      p95: q(lat, 95),
      p99: q(lat, 99),
      errors: missed,
    },
  ];
}
