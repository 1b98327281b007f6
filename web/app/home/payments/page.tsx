'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { CustomerPage } from '@/components/CustomerPage';
import type { PaymentView } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

const STATUS_COLOR: Record<string, string> = { created: 'processing', paying: 'processing', paid: 'green', closed: 'default', refunded: 'purple' };

function History() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const accountId = params.get('account') ?? undefined;
  const accounts = useQuery(trpc.account.list.queryOptions());
  const payments = useQuery({ ...trpc.billing.payments.queryOptions({ accountId, limit: 100 }), staleTime: 0 });

  return (
    <div data-testid="payment-history">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.billing.historyTitle}
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <span className="ps-muted">{t.billing.historyFilter}</span>
          <Select
            style={{ minWidth: 260 }}
            value={accountId ?? ''}
            onChange={(v) => router.replace(v ? `/home/payments?account=${v}` : '/home/payments')}
            data-testid="history-account"
            options={[
              { value: '', label: t.billing.historyAll },
              ...(accounts.data ?? []).map((a) => ({ value: a.id, label: `${a.number} ${a.holderNameMasked}` })),
            ]}
          />
        </Space>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        {payments.isError && <Alert type="error" showIcon title={errorMessage(payments.error)} style={{ margin: 16 }} />}
        <Table<PaymentView>
          size="small"
          rowKey="id"
          loading={payments.isPending}
          dataSource={payments.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
          scroll={{ x: 820 }}
          locale={{ emptyText: <Empty description={t.billing.historyEmpty} /> }}
          onRow={(p) => ({ 'data-testid': `payment-row-${p.outTradeNo}`, 'data-status': p.status }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t.billing.createdAt, dataIndex: 'createdAt', render: (v: string) => formatDateTime(v), width: 170 },
            { title: t.billing.account, dataIndex: 'accountNumber', width: 140 },
            {
              title: t.billing.purpose,
              key: 'purpose',
              render: (_: unknown, p) => (
                <Space size={4}>
                  {t.billing.purposes[p.purpose] ?? p.purpose}
                  {p.onBehalf && <Tag color="gold">{t.billing.onBehalf}</Tag>}
                </Space>
              ),
            },
            {
              title: t.billing.payAmount,
              key: 'amount',
              align: 'right',
              render: (_: unknown, p) => (
                <div>
                  <div>{formatFen(p.amountFen)}</div>
                  {p.lateFeeFen > 0 && <div className="ps-muted" style={{ fontSize: 12 }}>{t.billing.includesLateFee(formatFen(p.lateFeeFen))}</div>}
                </div>
              ),
            },
            { title: t.billing.channel, dataIndex: 'channel', render: (c: string) => t.billing.channels[c] ?? c },
            {
              title: t.billing.status,
              key: 'status',
              render: (_: unknown, p) => (
                <Space size={4} wrap>
                  <Tag color={STATUS_COLOR[p.status] ?? 'default'} data-testid="payment-status">
                    {t.billing.paymentStatus[p.status] ?? p.status}
                  </Tag>
                  {p.refund && <Tag color="purple">{t.billing.refund(formatFen(p.refund.amountFen))}</Tag>}
                </Space>
              ),
            },
            { title: t.billing.paidAt, dataIndex: 'paidAt', render: (v: string | null) => formatDateTime(v), width: 170 },
            { title: t.billing.outTradeNo, dataIndex: 'outTradeNo', render: (v: string) => <Typography.Text copyable style={{ fontSize: 12 }}>{v}</Typography.Text> },
          ]}
        />
      </Card>
    </div>
  );
}

export default function PaymentHistoryPage() {
  return (
    <CustomerPage>
      {() => (
        <Suspense>
          <History />
        </Suspense>
      )}
    </CustomerPage>
  );
}
