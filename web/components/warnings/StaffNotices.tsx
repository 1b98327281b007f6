'use client';

import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space } from 'antd';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

/** The caller's unread 督办 urges and routed warnings (crew page, my orders, the staff home); nothing when none. */
export function StaffNotices() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notices = useQuery({ ...trpc.warnings.myNotices.queryOptions(), refetchInterval: 30_000 });
  const read = useMutation(trpc.warnings.readNotice.mutationOptions());
  if (!notices.data?.length) return null;
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }} data-testid="staff-notices">
      {notices.data.map((n) => (
        <Alert
          key={n.id}
          type={n.kind === 'supervision.urge' ? 'warning' : 'info'}
          showIcon
          icon={<BellOutlined />}
          title={n.title}
          description={`${n.body}（${n.atText}）`}
          action={
            <Button
              size="small"
              onClick={async () => {
                await read.mutateAsync({ id: n.id });
                await queryClient.invalidateQueries({ queryKey: trpc.warnings.myNotices.queryKey() });
              }}
            >
              {t.warnings.noticeRead}
            </Button>
          }
        />
      ))}
    </Space>
  );
}
