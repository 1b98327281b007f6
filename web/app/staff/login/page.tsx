'use client';

import { useMutation } from '@tanstack/react-query';
import { Card } from 'antd';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { PasswordLoginForm } from '@/components/PasswordLoginForm';
import { PortalShell } from '@/components/PortalShell';
import { nextPath } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { isStaff } from '@/lib/roles';
import { useTRPC } from '@/lib/trpc';

export default function StaffLoginPage() {
  const router = useRouter();
  const trpc = useTRPC();
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  return (
    <PortalShell narrow>
      <Card className="ps-auth-card">
        <div className="ps-auth-head">
          <h2>{t.login.staffTitle}</h2>
          <p>{t.login.staffSubtitle}</p>
        </div>
        <PasswordLoginForm
          onSuccess={async (user) => {
            if (!isStaff(user)) {
              // Do not leave a customer session behind on the staff entrance.
              await logout.mutateAsync().catch(() => undefined);
              return t.login.notStaff;
            }
            const next = nextPath('/staff');
            router.replace(next.startsWith('/staff') ? next : '/staff');
            return null;
          }}
        />
        <div style={{ display: 'flex', justifyContent: 'center', gap: 16, marginTop: 16, fontSize: 13 }}>
          <Link href="/login">{t.login.toResident}</Link>
          <Link href="/login/enterprise">{t.login.toEnterprise}</Link>
        </div>
      </Card>
    </PortalShell>
  );
}
