'use client';

import { UnderConstruction } from '@/components/common';
import { t } from '@/lib/i18n';

export default function Page() {
  return <UnderConstruction title={t.staff.menu.myOrders} />;
}
