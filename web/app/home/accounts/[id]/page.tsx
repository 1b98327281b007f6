'use client';

import { BellOutlined, HistoryOutlined, PayCircleOutlined, RightOutlined, ToolOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  List,
  Result,
  Row,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { AccountCard } from '@/components/AccountCard';
import { BillDetailDrawer, BillStatusTag } from '@/components/billing/BillBits';
import { DueSummary, lateFeeHow, UnpaidBillLine } from '@/components/billing/LateFee';
import { UsageChart } from '@/components/billing/UsageChart';
import type { Me } from '@/components/CustomerGate';
import { CustomerPage } from '@/components/CustomerPage';
import { OutageCard } from '@/components/outages/OutageBits';
import { CustomerStatusTag, TypeTag } from '@/components/workorders/OrderBits';
import { formatPeriod, THRESHOLD_CHOICES_YUAN, type Bill } from '@/lib/billing';
import { formatShort, useReconnections } from '@/lib/customer';
import { errorCode, errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

const C = t.customer;

function BillsSection({ accountId }: { accountId: string }) {
  const trpc = useTRPC();
  const bills = useQuery(trpc.billing.bills.queryOptions({ accountId, status: 'all', limit: 24 }));
  // Time-of-use accounts: the month's peak/flat/valley kWh come with the usage series.
  const usage = useQuery(trpc.billing.usage.queryOptions({ accountId, months: 24 }));
  const bands = useMemo(() => new Map((usage.data ?? []).filter((u) => u.bands).map((u) => [u.period, u.bands!])), [usage.data]);
  const [open, setOpen] = useState<string | null>(null);

  const unpaid = (bills.data ?? []).filter((b) => b.status !== 'paid').sort((a, b) => (a.period < b.period ? -1 : 1));

  return (
    <div id="bills">
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
          <>
            {unpaid.map((b) => (
              <UnpaidBillLine key={b.id} bill={b} />
            ))}
            <DueSummary bills={unpaid} />
          </>
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
            {
              title: t.billing.lateFee,
              key: 'lateFee',
              align: 'right',
              render: (_: unknown, b) => {
                if (!b.lateFeeFen) return '—';
                const how = lateFeeHow(b);
                return how ? (
                  <Tooltip title={how}>
                    <span style={{ borderBottom: '1px dashed #8a98a5', cursor: 'help' }}>{formatFen(b.lateFeeFen)}</span>
                  </Tooltip>
                ) : (
                  formatFen(b.lateFeeFen)
                );
              },
            },
            { title: t.billing.dueDay, dataIndex: 'dueDay', render: (d: string) => d || '—' },
            { title: t.billing.status, key: 'status', render: (_: unknown, b) => <BillStatusTag bill={b} /> },
            {
              title: t.billing.action,
              key: 'action',
              width: 72,
              render: (_: unknown, b) => (
                <Button
                  type="link"
                  size="small"
                  onClick={() => setOpen(b.id)}
                  data-testid={`bill-detail-${b.period}`}
                  aria-label={`${formatPeriod(b.period)}${t.billing.detail}`}
                >
                  {t.billing.detail}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <BillDetailDrawer billId={open} onClose={() => setOpen(null)} />
    </div>
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
      <div className="ps-muted" style={{ marginBottom: 6 }}>
        {t.billing.thresholdsDesc}
      </div>
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
  if (st.isPending)
    return (
      <Card style={{ marginBottom: 16 }}>
        <Skeleton active />
      </Card>
    );
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
          <Statistic
            title={t.billing.balance}
            value={formatFen(p.balanceFen)}
            valueStyle={{ color: p.balanceFen < 0 ? '#cf1322' : undefined }}
            data-testid="prepaid-balance"
          />
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
        <Descriptions.Item
          label={
            <span>
              <BellOutlined /> {t.billing.thresholds}
            </span>
          }
        >
          <ThresholdEditor accountId={accountId} current={p.thresholdsFen} />
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text strong style={{ display: 'block', marginTop: 8 }}>
        {t.billing.notices}
      </Typography.Text>
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

function PaymentsSection({ accountId }: { accountId: string }) {
  const trpc = useTRPC();
  const payments = useQuery(trpc.billing.payments.queryOptions({ accountId, limit: 5 }));
  return (
    <Card
      title={C.sectionPayments}
      style={{ marginBottom: 16 }}
      extra={
        <Link href={`/home/payments?account=${accountId}`} data-testid="history-link">
          <HistoryOutlined /> {C.paymentsAll}
        </Link>
      }
    >
      {payments.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
      {payments.isError && <Alert type="error" showIcon title={errorMessage(payments.error)} />}
      {payments.data && payments.data.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={C.paymentsEmpty} />}
      {payments.data && payments.data.length > 0 && (
        <List
          size="small"
          dataSource={payments.data}
          renderItem={(p) => (
            <List.Item
              extra={
                <Tag color={p.status === 'paid' ? 'green' : p.status === 'refunded' ? 'purple' : 'default'}>
                  {t.billing.paymentStatus[p.status] ?? p.status}
                </Tag>
              }
            >
              <Space size={12} wrap>
                <span className="ps-muted" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(p.paidAt ?? p.createdAt)}
                </span>
                <span>{p.period ? `${formatPeriod(p.period)}${t.billing.amount}` : (t.billing.purposes[p.purpose] ?? p.purpose)}</span>
                <b>{formatFen(p.amountFen)}</b>
                {p.onBehalf && <Tag color="gold">{t.billing.onBehalf}</Tag>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function OrdersSection({ accountId, number, canReport }: { accountId: string; number: string; canReport: boolean }) {
  const trpc = useTRPC();
  const orders = useQuery({ ...trpc.workorder.mine.queryOptions({ state: 'all', limit: 100 }), refetchInterval: 30_000 });
  const mine = (orders.data ?? []).filter((o) => o.accountNumber === number).slice(0, 5);
  return (
    <Card
      title={C.sectionOrders}
      style={{ marginBottom: 16 }}
      extra={
        <Space size={12}>
          {canReport && (
            <Link href={`/home/repair?account=${accountId}`}>
              <ToolOutlined /> {C.reportFault}
            </Link>
          )}
          <Link href="/home/orders">{C.ordersAll}</Link>
        </Space>
      }
    >
      {orders.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
      {orders.isError && <Alert type="error" showIcon title={errorMessage(orders.error)} />}
      {orders.data && mine.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={C.ordersEmpty} />}
      {mine.length > 0 && (
        <List
          size="small"
          dataSource={mine}
          renderItem={(o) => (
            <List.Item>
              <Link href={`/home/orders/${o.id}`} style={{ display: 'block', width: '100%', color: 'inherit' }}>
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Space size={4} wrap>
                    <TypeTag type={o.type} />
                    <CustomerStatusTag status={o.status} label={o.statusLabel} />
                    <span>{o.faultKindLabel ?? o.category ?? ''}</span>
                  </Space>
                  <RightOutlined className="ps-muted" />
                </div>
                <div className="ps-muted" style={{ fontSize: 12, marginTop: 4 }}>
                  {formatDateTime(o.createdAt)}
                  {o.progress?.expected && ` · ${o.progress.expected.label} ${formatShort(o.progress.expected.at)}`}
                </div>
              </Link>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function OutagesSection({ accountId }: { accountId: string }) {
  const trpc = useTRPC();
  const mine = useQuery({ ...trpc.outage.mine.queryOptions(), refetchInterval: 60_000 });
  const entry = mine.data?.find((a) => a.accountId === accountId);
  return (
    <Card title={C.sectionOutages} style={{ marginBottom: 16 }} extra={<Link href="/home/outages">{C.outagesAll}</Link>}>
      {mine.isPending && <Skeleton active paragraph={{ rows: 1 }} />}
      {mine.isError && <Alert type="error" showIcon title={errorMessage(mine.error)} />}
      {entry && entry.outages.length === 0 && <Alert type="success" showIcon title={t.outages.noOutage} />}
      {entry?.outages.map((o) => (
        <OutageCard key={o.id} outage={o} href={`/outages/${o.id}`} />
      ))}
    </Card>
  );
}

function AccountDetail({ id, me }: { id: string; me: Me }) {
  const trpc = useTRPC();
  const account = useQuery(trpc.account.get.queryOptions({ accountId: id }));
  const reconnections = useReconnections(account.data?.supplyState === 'disconnected');
  if (account.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (account.isError) {
    const code = errorCode(account.error);
    if (code === 'NOT_FOUND' || code === 'FORBIDDEN') return <Result status="404" title={errorMessage(account.error)} />;
    return <Alert type="error" showIcon title={errorMessage(account.error)} />;
  }
  const a = account.data;
  // The power liaison (电力信息员) follows sites, faults and usage; bills and payments are finance's.
  const handlesMoney = !me.roles.includes('enterprise_electrician');
  const canReport = !me.roles.includes('enterprise_finance');
  return (
    <div data-testid="account-billing" data-payment-mode={a.paymentMode}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {C.accountTitle}
      </Typography.Title>
      <div style={{ marginBottom: 16 }}>
        <AccountCard account={a} reconnect={reconnections.get(a.number) ?? null} />
      </div>
      {handlesMoney && (a.paymentMode === 'prepaid' ? <PrepaidSection accountId={id} /> : <BillsSection accountId={id} />)}
      <UsageChart accountId={id} />
      <Row gutter={16}>
        {handlesMoney && (
          <Col xs={24} lg={12}>
            <PaymentsSection accountId={id} />
          </Col>
        )}
        <Col xs={24} lg={handlesMoney ? 12 : 24}>
          <OrdersSection accountId={id} number={a.number} canReport={canReport} />
        </Col>
      </Row>
      <OutagesSection accountId={id} />
    </div>
  );
}

export default function AccountDetailPage() {
  const { id } = useParams<{ id: string }>();
  return <CustomerPage backLabel={C.accountBack}>{(me) => <AccountDetail id={id} me={me} />}</CustomerPage>;
}
