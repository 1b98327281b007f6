'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { CenterSpin, Forbidden } from '@/components/common';
import { EnterpriseMeContext, EnterpriseRefusal } from '@/components/enterprise/EnterpriseNav';
import { HeaderUser } from '@/components/HeaderUser';
import { canEnterpriseOpen } from '@/lib/enterprise-menu';
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
  const pathname = usePathname() ?? '/home';
  // Enterprise users of an enterprise staff have not verified yet see only the application status page.
  const unverified = !!me.data?.enterprise && me.data.enterprise.status !== 'verified';

  useEffect(() => {
    if (staff) router.replace('/staff');
    else if (unverified) router.replace('/enterprise/status');
  }, [staff, unverified, router]);

  if (me.isPending || staff || unverified)
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
  if (me.data.enterprise) {
    // The enterprise menu (web/lib/enterprise-menu.ts) decides which portal pages each enterprise role opens.
    if (!canEnterpriseOpen(pathname, me.data.roles))
      return (
        <EnterpriseMeContext.Provider value={me.data}>
          <PortalShell right={<HeaderUser me={me.data} />}>
            <EnterpriseRefusal roles={me.data.roles} />
          </PortalShell>
        </EnterpriseMeContext.Provider>
      );
    return <EnterpriseMeContext.Provider value={me.data}>{children(me.data)}</EnterpriseMeContext.Provider>;
  }
  return <>{children(me.data)}</>;
}
