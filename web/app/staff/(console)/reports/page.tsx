'use client';

import { Suspense } from 'react';
import { CenterSpin } from '@/components/common';
import { ReportsView } from '@/components/reports/ReportsView';

/** 质量报表: supervisors see their teams and regions, admin the management view (everything). */
export default function ReportsPage() {
  return (
    <Suspense fallback={<CenterSpin />}>
      <ReportsView />
    </Suspense>
  );
}
