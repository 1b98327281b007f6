'use client';

import { MessageOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Drawer, List, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ThreadView, useLiveThread } from '@/components/messages/ThreadView';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const S = t.entService;

/** Re-renders every 30 s so the time waited keeps counting. */
function useNow(ms = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export default function StaffInboxPage() {
  const trpc = useTRPC();
  useLiveThread();
  const inbox = useQuery({ ...trpc.entMessages.inbox.queryOptions(), refetchInterval: 60_000 });
  const warnings = useQuery({ ...trpc.entMessages.warnings.queryOptions(), refetchInterval: 60_000 });
  const [open, setOpen] = useState<{ id: string; name: string } | null>(null);
  const now = useNow();

  type Row = NonNullable<typeof inbox.data>['rows'][number];
  const waitedMin = (r: Row) => (r.waiting ? Math.max(0, Math.floor((now - new Date(r.waiting.since).getTime()) / 60_000)) : 0);
  const overdue = (r: Row) => !!r.waiting?.dueAt && new Date(r.waiting.dueAt).getTime() <= now;

  return (
    <div data-testid="staff-inbox">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {S.inboxTitle}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{S.inboxDesc}</Typography.Paragraph>
      {inbox.data?.readOnly && <Alert type="info" showIcon title={S.inboxReadOnly} style={{ marginBottom: 12 }} />}
      {warnings.data && warnings.data.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={S.warningsTitle(warnings.data.length)}
          description={
            <List
              size="small"
              dataSource={warnings.data.slice(0, 5)}
              renderItem={(w) => (
                <List.Item style={{ padding: '2px 0' }}>
                  {formatDateTime(w.createdAt)} {w.body}
                </List.Item>
              )}
            />
          }
        />
      )}
      <Card>
        {inbox.isPending && <Skeleton active />}
        {inbox.isError && <Alert type="error" showIcon title={errorMessage(inbox.error)} />}
        {inbox.data && (
          <Table<Row>
            rowKey="enterpriseId"
            dataSource={inbox.data.rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: S.noThreads }}
            onRow={(r) => ({
              style: overdue(r) ? { background: '#fff1f0' } : r.waiting ? { background: '#fffbe6' } : undefined,
            })}
            columns={[
              {
                title: S.colEnterprise,
                dataIndex: 'enterpriseName',
                render: (name: string, r) => (
                  <Space>
                    <Typography.Text strong>{name}</Typography.Text>
                    {r.unread > 0 && <Badge count={r.unread} title={S.unread(r.unread)} />}
                  </Space>
                ),
              },
              ...(inbox.data.readOnly
                ? [{ title: S.colManager, dataIndex: 'managerName', render: (m: string | null) => m ?? S.noManagerAssigned }]
                : []),
              {
                title: S.colLast,
                render: (_: unknown, r: Row) =>
                  r.lastMessageAt ? (
                    <Space direction="vertical" size={0}>
                      <Typography.Text ellipsis style={{ maxWidth: 320 }}>
                        {r.lastSide === 'customer' ? S.lastFromCustomer : S.lastFromManager}：{r.lastPreview}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(r.lastMessageAt)}
                      </Typography.Text>
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{S.noConversation}</Typography.Text>
                  ),
              },
              {
                title: S.colWaiting,
                render: (_: unknown, r: Row) =>
                  r.waiting ? (
                    <Space direction="vertical" size={0}>
                      <Tag color={overdue(r) ? 'red' : 'gold'}>{overdue(r) ? S.overdue : S.awaiting}</Tag>
                      <Typography.Text type={overdue(r) ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                        {S.waited(waitedMin(r))}
                      </Typography.Text>
                    </Space>
                  ) : r.lastMessageAt ? (
                    <Tag color="green">{S.answered}</Tag>
                  ) : null,
              },
              {
                title: '',
                render: (_: unknown, r: Row) => (
                  <Button icon={<MessageOutlined />} onClick={() => setOpen({ id: r.enterpriseId, name: r.enterpriseName })}>
                    {inbox.data?.readOnly ? S.open : S.reply}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Drawer open={!!open} onClose={() => setOpen(null)} title={open ? S.threadOf(open.name) : ''} size="large" destroyOnHidden>
        {open && <ThreadView enterpriseId={open.id} height={480} />}
      </Drawer>
    </div>
  );
}
