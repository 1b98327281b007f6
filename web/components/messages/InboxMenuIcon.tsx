'use client';

import { MessageOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { useThreadUnread } from './ThreadView';

/**
 * The staff menu's 企业消息 icon with the unread count (a manager) or the threads past 30 minutes (a supervisor).
 * The menu's class for its icons (the gap before the label) goes on the badge.
 */
export function InboxMenuIcon({ className }: { className?: string }) {
  const unread = useThreadUnread();
  const n = unread.data?.count ?? 0;
  return (
    <Badge className={className} count={n} size="small" offset={[-2, -6]} data-testid="inbox-badge">
      <MessageOutlined style={{ color: 'inherit' }} />
    </Badge>
  );
}
