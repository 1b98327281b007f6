'use client';

import { Card } from 'antd';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { PasswordLoginForm } from '@/components/PasswordLoginForm';
import { PortalShell } from '@/components/PortalShell';
import { nextPath } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { isStaff } from '@/lib/roles';

export default function EnterpriseLoginPage() {
  const router = useRouter();
  return (
    <PortalShell narrow>
      <Card className="ps-auth-card">
        <div className="ps-auth-head">
          <h2>{t.login.enterpriseTitle}</h2>
          <p>{t.login.enterpriseSubtitle}</p>
        </div>
        <PasswordLoginForm
          onSuccess={(user) => {
            router.replace(isStaff(user) ? '/staff' : nextPath('/home'));
            return null;
          }}
        />
        <div style={{ display: 'flex', justifyContent: 'center', gap: 16, marginTop: 16, fontSize: 13 }}>
          <Link href="/enterprise/apply">{t.ent.apply.entry}</Link>
          <Link href="/enterprise/invite">{t.ent.invite.title}</Link>
          <Link href="/login">{t.login.toResident}</Link>
          <Link href="/staff/login">{t.login.toStaff}</Link>
        </div>
      </Card>
    </PortalShell>
  );
}
