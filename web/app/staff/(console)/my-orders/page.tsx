'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { CenterSpin } from '@/components/common';
import { QueueView } from '@/components/workorders/QueueView';
import { StaffNotices } from '@/components/warnings/StaffNotices';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';

export default function MyOrdersPage() {
  const me = useMe();
  const router = useRouter();
  const field =
    !!me.data && me.data.roles.some((r) => r === 'crew' || r === 'area_manager') && !me.data.roles.some((r) => r === 'agent' || r === 'expert');
  useEffect(() => {
    if (field) router.replace('/staff/crew');
  }, [field, router]);
  if (!me.data || field) return <CenterSpin />;
  return (
    <>
      <StaffNotices />
      <QueueView mineOnly title={t.staff.menu.myOrders} />
    </>
  );
}
