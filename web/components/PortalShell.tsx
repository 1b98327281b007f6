'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { Logo } from '@/components/common';
import { EnterpriseNav, useEnterpriseMe } from '@/components/enterprise/EnterpriseNav';
import { t } from '@/lib/i18n';

/** Customer-facing page frame: gradient top bar, centred content, footer. */
export function PortalShell({ right, children, narrow }: { right?: ReactNode; children: ReactNode; narrow?: boolean }) {
  // Enterprise users (set by CustomerGate) get their menu under the top bar on every portal page.
  const enterpriseMe = useEnterpriseMe();
  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <header className="ps-topbar">
        <Link href="/" className="ps-brand">
          <Logo />
          <span>{t.app.name}</span>
        </Link>
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>{right}</div>
      </header>
      {enterpriseMe?.enterprise && <EnterpriseNav me={enterpriseMe} />}
      <main style={{ flex: 1 }}>
        <div className={narrow ? 'ps-container ps-narrow' : 'ps-container'}>{children}</div>
      </main>
      <footer className="ps-footer">{t.app.copyright}</footer>
    </div>
  );
}
