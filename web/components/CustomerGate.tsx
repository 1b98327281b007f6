'use client';

import { useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { CenterSpin, Forbidden } from '@/components/common';
import { PortalShell } from '@/components/PortalShell';
import { errorCode, errorMessage } from '@/lib/errors';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { isStaff } from '@/lib/roles';
import { Alert } from 'antd';

export type Me = NonNullable<ReturnType<typeof useMe>['data']>;

/** Loads the current user for customer pages; staff are sent to the console. */
export function CustomerGate({ children }: { children: (me: Me) => ReactNode }) {
  const me = useMe();
  const router = useRouter();
  const staff = me.data ? isStaff(me.data) : false;

  useEffect(() => {
    if (staff) router.replace('/staff');
  }, [staff, router]);

  if (me.isPending || staff)
    return (
      <PortalShell>
        <CenterSpin />
      </PortalShell>
    );
  if (me.isError) {
    const code = errorCode(me.error);
    if (code === 'UNAUTHORIZED')
      return (
        <PortalShell>
          <CenterSpin tip={t.app.redirecting} />
        </PortalShell>
      );
    if (code === 'FORBIDDEN')
      return (
        <PortalShell>
          <Forbidden />
        </PortalShell>
      );
    return (
      <PortalShell>
        <Alert type="error" showIcon title={errorMessage(me.error)} />
      </PortalShell>
    );
  }
  return <>{children(me.data)}</>;
}
