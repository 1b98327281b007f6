'use client';

import { BellOutlined, HistoryOutlined, PayCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Empty, List, Result, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { AccountCard } from '@/components/AccountCard';
import { BillDetailDrawer, BillStatusTag } from '@/components/billing/BillBits';
import { UsageChart } from '@/components/billing/UsageChart';
import { CustomerPage } from '@/components/CustomerPage';
import { formatPeriod, THRESHOLD_CHOICES_YUAN, type Bill } from '@/lib/billing';
import { errorCode, errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

function BillsSection({ accountId }: { accountId: string }) {
  const trpc = useTRPC();
  const bills = useQuery(trpc.billing.bills.queryOptions({ accountId, status: 'all', limit: 24 }));
  // Time-of-use accounts: the month's peak/flat/valley kWh come with the usage series.
  const usage = useQuery(trpc.billing.usage.queryOptions({ accountId, months: 24 }));
  const bands = useMemo(() => new Map((usage.data ?? []).filter((u) => u.bands).map((u) => [u.period, u.bands!])), [usage.data]);
  const [open, setOpen] = useState<string | null>(null);

  const unpaid = (bills.data ?? []).filter((b) => b.status !== 'paid');
  const totalDue = unpaid.reduce((s, b) => s + b.totalDueFen, 0);

  return (
    <>
      <Card
        title={t.billing.unpaidTitle}
        style={{ marginBottom: 16 }}
        data-testid="unpaid-card"
        extra={
          unpaid.length > 0 && (
            <Link href={`/home/accounts/${accountId}/pay`}>
              <Button type="primary" icon={<PayCircleOutlined />} data-testid="go-pay">
                {t.billing.goPay}
              </Button>
            </Link>
          )
        }
      >
        {bills.isPending && <Skeleton active paragraph={{ rows: 1 }} />}
        {bills.data && unpaid.length === 0 && (
          <div data-testid="no-unpaid" style={{ color: '#389e0d' }}>
            {t.billing.noUnpaid}
          </div>
        )}
        {unpaid.length > 0 && (
          <Space size={24} wrap>
            <div>
              <div className="ps-muted">{t.billing.totalDue}</div>
              <div className="ps-amount ps-amount-danger" data-testid="unpaid-total">
                {formatFen(totalDue)}
              </div>
            </div>
            <div className="ps-muted">{unpaid.map((b) => formatPeriod(b.period)).join('、')}</div>
          </Space>
        )}
      </Card>

      <Card title={t.billing.billList} style={{ marginBottom: 16 }} styles={{ body: { padding: 0 } }}>
        {bills.isError && <Alert type="error" showIcon title={errorMessage(bills.error)} style={{ margin: 16 }} />}
        <Table<Bill>
          size="small"
          rowKey="id"
          loading={bills.isPending}
          dataSource={bills.data ?? []}
          pagination={{ pageSize: 12, hideOnSinglePage: true, size: 'small' }}
          scroll={{ x: 760 }}
          locale={{ emptyText: <Empty description={t.billing.billListEmpty} /> }}
          data-testid="bill-table"
          onRow={(b) => ({ 'data-testid': `bill-row-${b.period}`, 'data-status': b.status }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t.billing.period, dataIndex: 'period', render: (p: string) => formatPeriod(p), fixed: 'left', width: 110 },
            {
              title: `${t.billing.kwh}（kWh）`,
              key: 'kwh',
              align: 'right',
              width: 200,
              render: (_: unknown, b) => {
                const band = bands.get(b.period);
                return (
                  <div>
                    <div>{b.kwh}</div>
                    {band && (
                      <div className="ps-muted" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid="bill-bands">
                        峰 {band.peak} / 平 {band.flat} / 谷 {band.valley}
                      </div>
                    )}
                  </div>
                );
              },
            },
            { title: t.billing.amount, dataIndex: 'amountFen', align: 'right', render: (f: number) => formatFen(f) },
            { title: t.billing.lateFee, dataIndex: 'lateFeeFen', align: 'right', render: (f: number) => (f ? formatFen(f) : '—') },
            { title: t.billing.dueDay, dataIndex: 'dueDay', render: (d: string) => d || '—' },
            { title: t.billing.status, key: 'status', render: (_: unknown, b) => <BillStatusTag bill={b} /> },
            {
              title: t.billing.action,
              key: 'action',
              width: 72,
              render: (_: unknown, b) => (
                <Button type="link" size="small" onClick={() => setOpen(b.id)} data-testid={`bill-detail-${b.period}`}>
                  {t.billing.detail}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <BillDetailDrawer billId={open} onClose={() => setOpen(null)} />
    </>
  );
}

function ThresholdEditor({ accountId, current }: { accountId: string; current: number[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  const save = useMutation(trpc.billing.setAlertThresholds.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const currentYuan = current.map((f) => formatFen(f).replace(/\.00$/, ''));

  if (!editing) {
    return (
      <Space>
        <span data-testid="thresholds">{t.billing.thresholdsValue(currentYuan[0] ?? '—', currentYuan[1] ?? '—')}</span>
        <Button
          size="small"
          onClick={() => {
            setPicked(current.map((f) => Math.floor(f / 100)));
            setEditing(true);
          }}
          data-testid="thresholds-edit"
        >
          {t.billing.thresholdsEdit}
        </Button>
      </Space>
    );
  }
  return (
    <div>
      <div className="ps-muted" style={{ marginBottom: 6 }}>{t.billing.thresholdsDesc}</div>
      <Checkbox.Group
        value={picked}
        onChange={(v) => {
          // Keep the two most recently ticked (the group reports values in option order).
          const next = v as number[];
          const added = next.filter((x) => !picked.includes(x));
          setPicked([...picked.filter((x) => next.includes(x)), ...added].slice(-2));
        }}
        options={THRESHOLD_CHOICES_YUAN.map((y) => ({ label: t.billing.yuanOption(y), value: y }))}
        data-testid="thresholds-choices"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
      <Space style={{ marginTop: 8 }}>
        <Button
          type="primary"
          size="small"
          loading={save.isPending}
          data-testid="thresholds-save"
          onClick={async () => {
            setError(null);
            if (picked.length !== 2) return setError(t.billing.thresholdsPick2);
            try {
              await save.mutateAsync({ accountId, thresholdsYuan: [...picked].sort((a, b) => b - a) });
              message.success(t.billing.thresholdsSaved);
              setEditing(false);
              await queryClient.invalidateQueries({ queryKey: trpc.billing.prepaid.queryKey({ accountId }) });
            } catch (err) {
              setError(errorMessage(err));
            }
          }}
        >
          {t.billing.thresholdsSave}
        </Button>
        <Button size="small" onClick={() => setEditing(false)}>
          {t.app.cancel}
        </Button>
      </Space>
    </div>
  );
}

function PrepaidSection({ accountId }: { accountId: string }) {
  const trpc = useTRPC();
  const st = useQuery(trpc.billing.prepaid.queryOptions({ accountId }));
  if (st.isPending) return <Card style={{ marginBottom: 16 }}><Skeleton active /></Card>;
  if (st.isError) return <Alert type="error" showIcon title={errorMessage(st.error)} style={{ marginBottom: 16 }} />;
  const p = st.data;
  return (
    <Card
      title={t.billing.prepaidTitle}
      style={{ marginBottom: 16 }}
      data-testid="prepaid-card"
      extra={
        <Link href={`/home/accounts/${accountId}/pay`}>
          <Button type="primary" icon={<PayCircleOutlined />} data-testid="go-pay">
            {t.billing.recharge}
          </Button>
        </Link>
      }
    >
      {p.balanceFen < 0 && <Alert type="error" showIcon title={t.billing.negativeBalance} style={{ marginBottom: 12 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t.billing.balance} value={formatFen(p.balanceFen)} valueStyle={{ color: p.balanceFen < 0 ? '#cf1322' : undefined }} data-testid="prepaid-balance" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t.billing.estDays}
            value={p.estimatedDaysLeft != null ? t.billing.estDaysValue(p.estimatedDaysLeft) : t.billing.estDaysUnknown}
            data-testid="prepaid-days"
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t.billing.avgDaily} value={p.avgDailyFen != null ? formatFen(p.avgDailyFen) : '—'} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t.billing.lastSettled} value={p.lastSettledDay ?? '—'} />
        </Col>
      </Row>
      <Descriptions column={1} size="small" style={{ marginTop: 12 }}>
        <Descriptions.Item label={<span><BellOutlined /> {t.billing.thresholds}</span>}>
          <ThresholdEditor accountId={accountId} current={p.thresholdsFen} />
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text strong style={{ display: 'block', marginTop: 8 }}>{t.billing.notices}</Typography.Text>
      {p.notices.length === 0 ? (
        <div className="ps-muted">{t.billing.noNotices}</div>
      ) : (
        <List
          size="small"
          dataSource={p.notices}
          data-testid="prepaid-notices"
          renderItem={(n) => (
            <List.Item>
              <div>
                <b>{n.title}</b> <span className="ps-muted">{formatDateTime(n.at)}</span>
                <div>{n.body}</div>
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function AccountBilling({ id }: { id: string }) {
  const trpc = useTRPC();
  const account = useQuery(trpc.account.get.queryOptions({ accountId: id }));
  if (account.isPending) return <Card><Skeleton active /></Card>;
  if (account.isError) {
    const code = errorCode(account.error);
    if (code === 'NOT_FOUND' || code === 'FORBIDDEN') return <Result status="404" title={errorMessage(account.error)} />;
    return <Alert type="error" showIcon title={errorMessage(account.error)} />;
  }
  const a = account.data;
  return (
    <div data-testid="account-billing" data-payment-mode={a.paymentMode}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.billing.accountTitle}
      </Typography.Title>
      <div style={{ marginBottom: 16 }}>
        <AccountCard
          account={a}
          extra={
            <div style={{ marginTop: 8 }}>
              <Link href={`/home/payments?account=${a.id}`} data-testid="history-link">
                <HistoryOutlined /> {t.billing.history}
              </Link>
            </div>
          }
        />
      </div>
      {a.paymentMode === 'prepaid' ? <PrepaidSection accountId={id} /> : <BillsSection accountId={id} />}
      <UsageChart accountId={id} />
    </div>
  );
}

export default function AccountBillingPage() {
  const { id } = useParams<{ id: string }>();
  return <CustomerPage>{() => <AccountBilling id={id} />}</CustomerPage>;
}
