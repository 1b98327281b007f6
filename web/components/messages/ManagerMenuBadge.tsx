'use client';

import { Badge } from 'antd';
import type { ReactNode } from 'react';
import { t } from '@/lib/i18n';
import { useThreadUnread } from './ThreadView';

/**
 * For the enterprise menu's 客户经理 entry: the label with the count of the account manager's messages the
 * user has not read yet (polled every 15 s; the page itself is live).
 */
export function ManagerMenuBadge({ children }: { children: ReactNode }) {
  const unread = useThreadUnread();
  const n = unread.data?.count ?? 0;
  return (
    <Badge count={n} size="small" offset={[6, -4]} title={n ? t.entService.unread(n) : undefined}>
      <span>{children}</span>
    </Badge>
  );
}
