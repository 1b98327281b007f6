'use client';

import { MessageOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { useThreadUnread } from './ThreadView';

/** The staff menu's 企业消息 icon with the unread count (a manager) or the threads past 30 minutes (a supervisor). */
export function InboxMenuIcon() {
  const unread = useThreadUnread();
  const n = unread.data?.count ?? 0;
  return (
    <Badge count={n} size="small" offset={[-2, -6]} data-testid="inbox-badge">
      <MessageOutlined style={{ color: 'inherit' }} />
    </Badge>
  );
}
