'use client';

import { AlertOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge } from 'antd';
import { useTRPC } from '@/lib/trpc';

/**
 * The staff menu's 督办 icon with the number of 待处理 items (refreshed every 30 s).
 * The menu's class for its icons (the gap before the label) goes on the badge.
 */
export function SupervisionMenuIcon({ className }: { className?: string }) {
  const trpc = useTRPC();
  const count = useQuery({ ...trpc.warnings.supervisionCount.queryOptions(), refetchInterval: 30_000 });
  return (
    <Badge className={className} count={count.data?.count ?? 0} size="small" offset={[-2, -6]} data-testid="supervision-badge">
      <AlertOutlined style={{ color: 'inherit' }} />
    </Badge>
  );
}
