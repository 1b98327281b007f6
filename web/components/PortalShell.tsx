'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { Logo } from '@/components/common';
import { t } from '@/lib/i18n';

/** Customer-facing page frame: gradient top bar, centred content, footer. */
export function PortalShell({ right, children, narrow }: { right?: ReactNode; children: ReactNode; narrow?: boolean }) {
  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <header className="ps-topbar">
        <Link href="/" className="ps-brand">
          <Logo />
          <span>{t.app.name}</span>
        </Link>
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>{right}</div>
      </header>
      <main style={{ flex: 1 }}>
        <div className={narrow ? 'ps-container ps-narrow' : 'ps-container'}>{children}</div>
      </main>
      <footer className="ps-footer">{t.app.copyright}</footer>
    </div>
  );
}
