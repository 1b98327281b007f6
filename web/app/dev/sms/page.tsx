'use client';

import { MessageOutlined, SyncOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, Table, Tag } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { PortalShell } from '@/components/PortalShell';
import { errorCode, errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

type Sms = { phone: string; text: string; createdAt: string };

/** Why the outbox is missing: the API runs without development mode (the production default). */
const DEV_MODE_HINT = 'API 未开启开发模式（DEV_MODE），短信不会进入发件箱。npm start 会自动开启；生产环境始终关闭。';

/** Development SMS outbox: where testers read verification codes. */
export default function DevSmsPage() {
  const trpc = useTRPC();
  const [phone, setPhone] = useState('');
  const filter = phone.trim();
  const outbox = useQuery({
    ...trpc.dev.smsOutbox.queryOptions(filter ? { phone: filter } : {}),
    // Stop polling once the API says the outbox does not exist (DEV_MODE off).
    refetchInterval: (q) => (q.state.error && errorCode(q.state.error) === 'NOT_FOUND' ? false : 2000),
    refetchIntervalInBackground: true,
    staleTime: 0,
    retry: false,
  });

  const rows = useMemo(
    () => [...(outbox.data ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)),
    [outbox.data],
  );
  const code = outbox.isError ? errorCode(outbox.error) : null;
  const unavailable = code === 'NOT_FOUND' || code === 'FORBIDDEN';

  return (
    <PortalShell>
      <Card
        title={
          <span>
            <MessageOutlined /> {t.devSms.title}
          </span>
        }
        extra={
          <Tag icon={<SyncOutlined spin={outbox.isFetching} />} color="processing">
            {t.devSms.refreshing}
          </Tag>
        }
      >
        <p className="ps-muted" style={{ marginTop: 0 }}>
          {t.devSms.desc}
        </p>
        <Input.Search
          placeholder={t.devSms.filter}
          allowClear
          maxLength={11}
          style={{ maxWidth: 280, marginBottom: 16 }}
          onSearch={setPhone}
          onChange={(e) => {
            if (!e.target.value) setPhone('');
          }}
          data-testid="sms-filter"
        />
        {outbox.isError && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={unavailable ? t.devSms.unavailable : errorMessage(outbox.error)}
            description={unavailable ? DEV_MODE_HINT : undefined}
            data-testid="sms-unavailable"
          />
        )}
        <Table<Sms>
          size="small"
          rowKey={(r, i) => `${r.createdAt}-${r.phone}-${i ?? 0}`}
          dataSource={rows}
          loading={outbox.isPending}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t.devSms.empty }}
          scroll={{ x: 560 }}
          onRow={(r) => ({ 'data-testid': 'sms-row', 'data-phone': r.phone }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t.devSms.phone, dataIndex: 'phone', key: 'phone', width: 130 },
            {
              title: t.devSms.text,
              dataIndex: 'text',
              key: 'text',
              render: (text: string) => <span data-testid="sms-text">{text}</span>,
            },
            {
              title: t.devSms.time,
              dataIndex: 'createdAt',
              key: 'createdAt',
              width: 180,
              render: (v: string) => formatDateTime(v),
            },
          ]}
        />
      </Card>
    </PortalShell>
  );
}
