'use client';

import type { AppRouter } from '@power/api';
import type { inferRouterOutputs } from '@trpc/server';
import { useEffect, useState } from 'react';
import { t } from './i18n';

type Out = inferRouterOutputs<AppRouter>;
export type OrderDetail = Out['workorder']['get'];
export type OrderSummary = Out['workorder']['queue']['items'][number];
export type Crew = Out['workorder']['crews'][number];
export type TimelineItem = OrderDetail['timeline'][number];
export type Countdown = NonNullable<OrderSummary['countdown']>;

export const OPEN_STATUSES = ['reported', 'dispatched', 'accepted', 'arrived', 'received', 'replied', 'processing'] as const;
export const ORDER_TYPES = [
  'fault_repair',
  'consultation',
  'complaint',
  'report',
  'opinion',
  'praise',
  'service_request',
  'reconnection',
  'return_visit',
] as const;
export const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;

export const PRIORITY_COLOR: Record<string, string> = { urgent: 'red', high: 'volcano', medium: 'gold', low: 'default' };
export const STATUS_COLOR: Record<string, string> = {
  reported: 'orange',
  received: 'orange',
  dispatched: 'blue',
  accepted: 'blue',
  arrived: 'geekblue',
  replied: 'cyan',
  processing: 'cyan',
  resolved: 'green',
  visited: 'green',
  closed: 'default',
};

/** A clock that re-renders every `ms` (one timer per component using it). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/**
 * Length of each minute-based promise (SPEC section 4 defaults). The API's countdown carries only
 * dueAt, not when the deadline started, so the 80% mark is estimated from these spans.
 */
const SPAN_MIN: Record<string, number | Record<string, number>> = {
  dispatch: 5,
  arrival: { urban: 45, rural: 90, remote: 120 },
  restoration: { urban: 180, rural: 240, remote: 240 },
  first_reply: 30,
  answer: 120,
  contact: 24 * 60,
  reconnect: 30,
  return_visit: 24 * 60,
  visit: 24 * 60,
};

export type CountdownState = { text: string; level: 'normal' | 'warn' | 'overdue' | 'paused' | 'none'; overdue: boolean };

export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.floor(abs / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}天${h}小时`;
  if (h > 0) return `${h}:${pad(m)}:${pad(sec)}`;
  return `${pad(m)}:${pad(sec)}`;
}

/** Live countdown of an order's next deadline: red when overdue, orange past 80% of its span. */
export function countdownState(
  o: { countdown: Countdown | null; areaType?: string; createdAt: string; status?: string },
  now: number,
): CountdownState {
  const c = o.countdown;
  if (!c) return { text: t.wo.noDeadline, level: 'none', overdue: false };
  const kind = t.wo.deadlineKind[c.kind] ?? c.kind;
  if (c.paused) return { text: `${kind} · ${t.wo.paused}`, level: 'paused', overdue: false };
  const due = Date.parse(c.dueAt);
  const left = due - now;
  if (left < 0) return { text: `${kind} · ${t.wo.late(formatSpan(left))}`, level: 'overdue', overdue: true };
  // The API says when the 80% mark falls under the order's own SLA version; the spans below are a fallback.
  if (c.warnFrom)
    return { text: `${kind} · ${t.wo.left(formatSpan(left))}`, level: now >= Date.parse(c.warnFrom) ? 'warn' : 'normal', overdue: false };
  const span = SPAN_MIN[c.kind];
  const minutes = typeof span === 'number' ? span : span ? (span[o.areaType ?? 'urban'] ?? span.urban) : null;
  const start = minutes != null ? due - minutes * 60_000 : Date.parse(o.createdAt);
  const total = due - start;
  const used = total > 0 ? (now - start) / total : 0;
  return { text: `${kind} · ${t.wo.left(formatSpan(left))}`, level: used >= 0.8 ? 'warn' : 'normal', overdue: false };
}

export const COUNTDOWN_COLOR: Record<CountdownState['level'], string> = {
  normal: '#237804',
  warn: '#d46b08',
  overdue: '#cf1322',
  paused: '#8a98a5',
  none: '#8a98a5',
};

export const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** Client-side check before upload; null when fine, else the message to show. */
export function checkPhoto(file: File): string | null {
  if (!PHOTO_TYPES.includes(file.type)) return t.portal.photoType;
  if (file.size > PHOTO_MAX_BYTES) return t.portal.photoSize;
  return null;
}

export function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

/**
 * An id for one form's submission, sent with workorder.create: a resend after a lost reply returns the
 * order already filed. getRandomValues works outside secure contexts too (unlike randomUUID).
 */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
