'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc';

const shortFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** ISO → "12月03日 14:05" in China time (promised times, outage windows). */
export function formatShort(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = Object.fromEntries(shortFmt.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.month}月${p.day}日 ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

export interface Reconnection {
  orderId: string;
  /** When power is promised back (ISO), or null. */
  expectedAt: string | null;
  late: boolean;
}

/**
 * Open 复电 orders of the caller's accounts, by account number (from 我的工单: the system opens one when arrears
 * of an account disconnected for arrears are paid). The account shows 复电中 with the promised time until it closes.
 */
export function useReconnections(enabled = true): Map<string, Reconnection> {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.workorder.mine.queryOptions({ state: 'open', limit: 100 }), enabled, refetchInterval: 30_000 });
  const out = new Map<string, Reconnection>();
  for (const o of q.data ?? []) {
    if (o.type !== 'reconnection' || !o.accountNumber || out.has(o.accountNumber)) continue;
    out.set(o.accountNumber, { orderId: o.id, expectedAt: o.progress?.expected?.at ?? null, late: o.progress?.expected?.late ?? false });
  }
  return out;
}
