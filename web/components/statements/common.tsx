'use client';

import type { AppRouter } from '@power/api';
import type { inferRouterOutputs } from '@trpc/server';
import { Forbidden } from '@/components/common';
import { CustomerPage } from '@/components/CustomerPage';
import { t } from '@/lib/i18n';

type Out = inferRouterOutputs<AppRouter>['statements'];
export type Statement = Out['statement'];
export type UsageBySite = Out['usage'];
export type InvoiceCandidate = Out['invoiceCandidates'][number];
export type VatInvoice = Out['invoices'][number];

export const S = t.entStatements;

/** Starts a download of a same-origin signed path (the web's /files proxy); the name comes from Content-Disposition. */
export function startDownload(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Months a statement can be picked for: this month and the 24 before it, newest first ("2026-11"). */
export function recentMonths(count = 25, now = new Date()): string[] {
  const d = new Date(now.getTime() + 8 * 3600_000);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth() + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

const MONEY_ROLES = ['enterprise_admin', 'enterprise_finance'];

/** An enterprise page; `money` pages are refused to roles other than admin and finance. */
export function EnterprisePage({ money, children }: { money?: boolean; children: () => React.ReactNode }) {
  return (
    <CustomerPage>
      {(me) => {
        const enterprise = me.roles.some((r) => r.startsWith('enterprise_'));
        if (!enterprise) return <Forbidden homeHref="/home" />;
        if (money && !me.roles.some((r) => MONEY_ROLES.includes(r))) return <Forbidden homeHref="/home" desc={S.refused} />;
        return children();
      }}
    </CustomerPage>
  );
}
