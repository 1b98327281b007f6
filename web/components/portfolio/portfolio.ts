'use client';

import type { AppRouter } from '@power/api';
import type { inferRouterOutputs } from '@trpc/server';

type Out = inferRouterOutputs<AppRouter>;
export type PortfolioList = Out['portfolio']['list'];
export type PortfolioRow = PortfolioList['rows'][number];
export type PortfolioOverview = Out['portfolio']['overview'];
export type BatchBill = Out['billing']['batchBills']['rows'][number];
export type BatchPaymentView = Out['billing']['batchPayment'];

/** "2026-12-20" → "2026年12月20日" (never an ISO date on screen). */
export function cnDay(day: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day ?? '');
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '—';
}

/** An ISO timestamp → "2026年12月2日 10:35" in China time. */
export function cnDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}年${p.month}月${p.day}日 ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** Starts a download of a same-origin path (the web's /files proxy) without leaving the page. */
export function startDownload(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export const handlesMoney = (roles: readonly string[]) => roles.includes('enterprise_admin') || roles.includes('enterprise_finance');
export const isEnterpriseUser = (roles: readonly string[]) => roles.some((r) => r.startsWith('enterprise_'));
