'use client';

import { LeftOutlined } from '@ant-design/icons';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { CustomerGate, type Me } from '@/components/CustomerGate';
import { HeaderUser } from '@/components/HeaderUser';
import { PortalShell } from '@/components/PortalShell';
import { t } from '@/lib/i18n';

/** Customer page frame with the signed-in user in the top bar and a back link. */
export function CustomerPage({ back = '/home', backLabel, children }: { back?: string; backLabel?: string; children: (me: Me) => ReactNode }) {
  return (
    <CustomerGate>
      {(me) => (
        <PortalShell right={<HeaderUser me={me} />}>
          <div style={{ marginBottom: 12 }}>
            <Link href={back} data-testid="back-link">
              <LeftOutlined /> {backLabel ?? t.portal.backHome}
            </Link>
          </div>
          {children(me)}
        </PortalShell>
      )}
    </CustomerGate>
  );
}
