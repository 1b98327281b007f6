'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Skeleton } from 'antd';
import dynamic from 'next/dynamic';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

// ECharts touches window/canvas: client only, loaded on demand.
const UsageChartInner = dynamic(() => import('./UsageChartInner'), {
  ssr: false,
  loading: () => <Skeleton.Node active style={{ width: '100%', height: 300 }} />,
});

export function UsageChart({ accountId }: { accountId: string }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.billing.usage.queryOptions({ accountId, months: 24 }));
  return (
    <Card title={t.billing.usageTitle} style={{ marginBottom: 16 }} data-testid="usage-chart">
      {usage.isPending && <Skeleton active />}
      {usage.isError && <Alert type="error" showIcon title={errorMessage(usage.error)} />}
      {usage.data && usage.data.length === 0 && <Empty description={t.billing.usageEmpty} />}
      {usage.data && usage.data.length > 0 && (
        <div data-testid="usage-chart-canvas" data-months={usage.data.length}>
          <UsageChartInner points={usage.data} />
        </div>
      )}
    </Card>
  );
}
