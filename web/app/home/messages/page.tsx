'use client';

import { CheckOutlined, RightOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Empty, List, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import Link from 'next/link';
import { useState } from 'react';
import { CustomerPage } from '@/components/CustomerPage';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import type { MessageView } from '@/lib/outages';
import { useTRPC, useTRPCClient } from '@/lib/trpc';

const M = t.messages;
const PAGE = 20;

function Messages() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const unread = useQuery({ ...trpc.messages.unreadCount.queryOptions(), refetchInterval: 30_000 });
  const list = useInfiniteQuery({
    queryKey: [...trpc.messages.list.queryKey(), { unreadOnly, infinite: true }],
    queryFn: ({ pageParam }) => client.messages.list.query({ limit: PAGE, before: pageParam, unreadOnly: unreadOnly || undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: MessageView[]) => (last.length < PAGE ? undefined : last[last.length - 1].createdAt),
    refetchInterval: 30_000,
  });
  const mark = useMutation(trpc.messages.markRead.mutationOptions());
  const items = list.data?.pages.flat() ?? [];

  const markRead = async (input: { ids: string[] } | { all: true }) => {
    try {
      await mark.mutateAsync(input);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      await qc.invalidateQueries({ queryKey: trpc.messages.pathKey() });
    }
  };

  return (
    <div data-testid="messages-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Space align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {M.title}
          </Typography.Title>
          <Badge count={unread.data?.count ?? 0} data-testid="messages-unread" />
        </Space>
        <Space>
          <Space size={4}>
            <Switch size="small" checked={unreadOnly} onChange={setUnreadOnly} data-testid="messages-unread-only" />
            <span>{M.onlyUnread}</span>
          </Space>
          <Button
            icon={<CheckOutlined />}
            disabled={!unread.data?.count}
            loading={mark.isPending}
            onClick={() => markRead({ all: true })}
            data-testid="messages-mark-all"
          >
            {M.markAllRead}
          </Button>
        </Space>
      </div>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      {list.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <Card>
          <List
            dataSource={items}
            locale={{ emptyText: <Empty description={M.empty} /> }}
            renderItem={(m) => (
              <List.Item
                data-testid={`message-${m.id}`}
                data-kind={m.kind}
                data-outage-id={m.outageId ?? undefined}
                data-read={m.read ? 'true' : 'false'}
                className="ps-message"
                actions={
                  m.read
                    ? [
                        <span key="r" className="ps-muted">
                          {M.read}
                        </span>,
                      ]
                    : [
                        <Button key="m" size="small" type="link" onClick={() => markRead({ ids: [m.id] })} data-testid={`message-read-${m.id}`}>
                          {M.markRead}
                        </Button>,
                      ]
                }
              >
                <List.Item.Meta
                  title={
                    <Space size={6} wrap>
                      {!m.read && <Badge status="error" />}
                      <Tag>{M.kindTag(m.kind)}</Tag>
                      <span data-testid="message-title" style={{ fontWeight: m.read ? 400 : 600 }}>
                        {m.title}
                      </span>
                      {!m.read && <Tag color="red">{M.unread}</Tag>}
                    </Space>
                  }
                  description={
                    <>
                      <div data-testid="message-body" style={{ color: '#1f2d3a' }}>
                        {m.body}
                      </div>
                      <div className="ps-muted" style={{ fontSize: 12, marginTop: 4 }}>
                        {formatDateTime(m.createdAt)}
                        {m.accountNumbers.length > 0 && ` · ${M.accounts} ${m.accountNumbers.join('、')}`}
                      </div>
                      {m.link && (
                        <Link
                          href={m.link}
                          style={{ display: 'inline-block', marginTop: 4 }}
                          aria-label={`${M.open}：${m.title}`}
                          // Opening a notice counts as reading it.
                          onClick={() => {
                            if (!m.read) void mark.mutateAsync({ ids: [m.id] }).catch(() => undefined);
                          }}
                        >
                          {M.open} <RightOutlined style={{ fontSize: 11 }} />
                        </Link>
                      )}
                    </>
                  }
                />
              </List.Item>
            )}
          />
          {list.hasNextPage && (
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="messages-more">
                {M.loadMore}
              </Button>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}

export default function MessagesPage() {
  return <CustomerPage>{() => <Messages />}</CustomerPage>;
}
