'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef } from 'react';
import { type DayRange, GRANULARITIES, type Granularity, PERIOD_KINDS, type PeriodKind, parseYmd, periodRange } from './period';

/** Everything that decides what the reports page shows; all of it lives in the URL query, so a link reproduces the view. */
export type ReportView = {
  period: PeriodKind;
  /** Only for period 'custom'. */
  from?: string;
  to?: string;
  granularity: Granularity;
  type?: string;
  channel?: string;
  regionId?: string;
  teamId?: string;
  agentId?: string;
};

const KEYS = ['period', 'from', 'to', 'granularity', 'type', 'channel', 'regionId', 'teamId', 'agentId'] as const;

export function parseView(q: URLSearchParams): ReportView {
  const period = (PERIOD_KINDS as readonly string[]).includes(q.get('period') ?? '') ? (q.get('period') as PeriodKind) : 'last_week';
  const granularity = (GRANULARITIES as readonly string[]).includes(q.get('granularity') ?? '') ? (q.get('granularity') as Granularity) : 'day';
  const v: ReportView = { period, granularity };
  const opt = (k: 'type' | 'channel' | 'regionId' | 'teamId' | 'agentId') => {
    const s = q.get(k)?.trim();
    if (s && s.length <= 64) v[k] = s;
  };
  opt('type');
  opt('channel');
  opt('regionId');
  opt('teamId');
  opt('agentId');
  if (period === 'custom') {
    const from = parseYmd(q.get('from')) ? q.get('from')! : undefined;
    const to = parseYmd(q.get('to')) ? q.get('to')! : undefined;
    if (from && to && from <= to) Object.assign(v, { from, to });
    else v.period = 'last_week';
  }
  return v;
}

export function viewQuery(v: ReportView): string {
  const q = new URLSearchParams();
  for (const k of KEYS) {
    const val = v[k];
    if (val === undefined || val === '') continue;
    if ((k === 'from' || k === 'to') && v.period !== 'custom') continue;
    q.set(k, String(val));
  }
  return q.toString();
}

/** The days the view covers. */
export function viewRange(v: ReportView, now: Date = new Date()): DayRange {
  if (v.period === 'custom' && v.from && v.to) return { from: v.from, to: v.to };
  return periodRange(v.period === 'custom' ? 'last_week' : v.period, now);
}

export function useReportView(): [ReportView, (patch: Partial<ReportView>) => void, (v: ReportView) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.toString();
  const view = useMemo(() => parseView(new URLSearchParams(search)), [search]);
  // router.replace lands asynchronously: a second filter picked before the URL caught up builds on the view asked
  // for, not on the one still in the URL (or the first pick would be lost).
  const pending = useRef<{ q: string; view: ReportView } | null>(null);
  if (pending.current && pending.current.q === search) pending.current = null;
  const replace = useCallback(
    (next: ReportView) => {
      const q = viewQuery(next);
      pending.current = { q, view: next };
      router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  const update = useCallback((patch: Partial<ReportView>) => replace({ ...(pending.current?.view ?? view), ...patch }), [replace, view]);
  return [view, update, replace];
}
