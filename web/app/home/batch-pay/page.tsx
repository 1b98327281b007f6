'use client';

import { CheckCircleFilled, DownloadOutlined, WechatOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, List, Result, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { useEffect, useMemo, useState } from 'react';
import { ActivePayment, useDevPaySim } from '@/components/billing/PayPanel';
import { Forbidden, SupplyStateTag } from '@/components/common';
import { CustomerPage } from '@/components/CustomerPage';
import { type BatchBill, type BatchPaymentView, cnDateTime, cnDay, handlesMoney, startDownload } from '@/components/portfolio/portfolio';
import { formatPeriod, type CreatedPayment } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

const M = t.entMoney;
const OUTCOME_COLOR: Record<string, string> = { settled: 'green', refunded: 'purple' };

/** The result of one batch payment: every bill settled or refunded, the receipt. */
function BatchResult({ paymentId, onAgain }: { paymentId: string; onAgain: () => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const view = useQuery({
    ...trpc.billing.batchPayment.queryOptions({ paymentId }),
    refetchInterval: (q) => (q.state.data && (q.state.data.credited || q.state.data.status === 'closed') ? false : 1500),
  });
  const link = useMutation(trpc.billing.documentLink.mutationOptions());
  if (view.isPending) return <Spin />;
  if (view.isError) return <Alert type="error" showIcon title={errorMessage(view.error)} />;
  const v: BatchPaymentView = view.data;
  const refunded = v.lines.filter((l) => l.outcome === 'refunded');
  const accounts = new Set(v.lines.map((l) => l.accountNumber)).size;
  const settled = v.status === 'paid' || v.status === 'refunded';
  const download = async () => {
    try {
      const r = await link.mutateAsync({ paymentId, kind: 'receipt' });
      startDownload(r.url);
      message.info(t.billing.downloadStarted);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  const columns: ColumnsType<BatchPaymentView['lines'][number]> = [
    { title: M.colSite, dataIndex: 'siteName', key: 'siteName' },
    { title: M.colNumber, dataIndex: 'accountNumber', key: 'accountNumber' },
    { title: M.colPeriod, dataIndex: 'period', key: 'period', render: (p: string) => formatPeriod(p) },
    { title: M.colBill, dataIndex: 'billFen', key: 'billFen', align: 'right', render: (f: number) => formatFen(f) },
    { title: M.colLateFee, dataIndex: 'lateFeeFen', key: 'lateFeeFen', align: 'right', render: (f: number) => formatFen(f) },
    { title: M.colTotal, dataIndex: 'totalFen', key: 'totalFen', align: 'right', render: (f: number) => formatFen(f) },
    {
      title: M.outcome,
      dataIndex: 'outcome',
      key: 'outcome',
      render: (o: string | null) => (o ? <Tag color={OUTCOME_COLOR[o]}>{M.outcomes[o] ?? o}</Tag> : <Spin size="small" />),
    },
  ];
  return (
    <Card data-testid="batch-result">
      <Result
        icon={settled ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : undefined}
        status={settled ? undefined : 'warning'}
        title={settled ? M.resultTitle : (M.statuses[v.status] ?? v.status)}
        subTitle={
          !settled
            ? null
            : !v.credited
              ? M.resultWaiting
              : refunded.length
                ? M.resultPartial(refunded.length, formatFen(v.refundedFen))
                : M.resultPaid
        }
        extra={
          <Space wrap style={{ justifyContent: 'center' }}>
            {settled && (
              <Button type="primary" icon={<DownloadOutlined />} onClick={download} loading={link.isPending}>
                {M.receipt}
              </Button>
            )}
            <Button onClick={onAgain}>{M.again}</Button>
          </Space>
        }
      />
      <Space wrap size={24} style={{ marginBottom: 12 }}>
        <span>
          <span className="ps-muted">{M.outTradeNo}：</span>
          {v.outTradeNo}
        </span>
        <span>
          <span className="ps-muted">{M.paidAt}：</span>
          {cnDateTime(v.paidAt)}
        </span>
        <span>
          <span className="ps-muted">{M.payingLabel(v.lines.length, accounts)}</span>
        </span>
        <span>
          <span className="ps-muted">{M.paidTotal}：</span>
          <span className="ps-amount">{formatFen(v.amountFen - v.refundedFen)}</span>
        </span>
        {v.refundedFen > 0 && (
          <span>
            <span className="ps-muted">{M.refundedTotal}：</span>
            {formatFen(v.refundedFen)} <Tag color="purple">{v.refund && v.refund.status !== 'pending' ? M.refundDone : M.refundPending}</Tag>
          </span>
        )}
      </Space>
      <Table rowKey="billId" size="small" columns={columns} dataSource={v.lines} pagination={false} scroll={{ x: 'max-content' }} />
    </Card>
  );
}

function RecentBatches({ onOpen }: { onOpen: (id: string) => void }) {
  const trpc = useTRPC();
  const recent = useQuery(trpc.billing.batchPayments.queryOptions({ limit: 10 }));
  if (!recent.data) return null;
  return (
    <Card title={M.recent} style={{ marginTop: 16 }} size="small">
      {recent.data.length === 0 ? (
        <span className="ps-muted">{M.recentEmpty}</span>
      ) : (
        <List
          dataSource={recent.data}
          renderItem={(p) => (
            <List.Item
              key={p.id}
              extra={
                <Button type="link" onClick={() => onOpen(p.id)}>
                  {M.view}
                </Button>
              }
            >
              <Space wrap>
                <span>{cnDateTime(p.paidAt ?? p.createdAt)}</span>
                <span>{M.bills(p.billCount)}</span>
                <span className="ps-amount">{formatFen(p.amountFen)}</span>
                <Tag>{M.statuses[p.status] ?? p.status}</Tag>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function BatchPay() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const devSim = useDevPaySim();
  const [search, setSearch] = useState('');
  const [supplyState, setSupplyState] = useState<'normal' | 'arrears' | 'disconnected' | undefined>();
  const [selected, setSelected] = useState<Map<string, BatchBill>>(new Map());
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<(CreatedPayment & { billCount: number; accountCount: number }) | null>(null);
  const [resultId, setResultId] = useState<string | null>(null);

  useEffect(() => {
    const id = new URLSearchParams(window.location.search).get('paymentId');
    if (id && /^[0-9a-f]{24}$/i.test(id)) setResultId(id);
  }, []);

  const bills = useQuery({
    ...trpc.billing.batchBills.queryOptions({ search: search || undefined, supplyState }),
    placeholderData: keepPreviousData,
    enabled: !created && !resultId,
  });
  const create = useMutation(trpc.billing.createBatchPayment.mutationOptions());
  const max = bills.data?.max ?? 100;
  const payable = useMemo(() => (bills.data?.rows ?? []).filter((b) => !b.inOpenBatch), [bills.data]);
  const total = [...selected.values()].reduce((s, b) => s + b.totalDueFen, 0);
  const lateFees = [...selected.values()].reduce((s, b) => s + b.lateFeeFen, 0);

  const setFrom = (list: BatchBill[]) => setSelected(new Map(list.map((b) => [b.billId, b])));
  const selectAll = () => {
    const keep = [...selected.values()];
    const more = payable.filter((b) => !selected.has(b.billId));
    const next = [...keep, ...more].slice(0, max);
    setNotice(keep.length + more.length > max ? M.overLimit(max) : null);
    setFrom(next);
  };
  const pay = async () => {
    setError(null);
    if (!selected.size) return setError(M.chooseFirst);
    try {
      setCreated(await create.mutateAsync({ billIds: [...selected.keys()] }));
    } catch (err) {
      setError(errorMessage(err));
      void bills.refetch();
    }
  };
  const onPaid = () => {
    if (!created) return;
    setResultId(created.paymentId);
    setCreated(null);
    setSelected(new Map());
    void queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.portfolio.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.messages.pathKey() });
  };
  const again = () => {
    setResultId(null);
    setCreated(null);
    window.history.replaceState(null, '', '/home/batch-pay');
    void queryClient.invalidateQueries({ queryKey: trpc.billing.batchBills.pathKey() });
  };

  const columns: ColumnsType<BatchBill> = [
    { title: M.colSite, dataIndex: 'siteName', key: 'siteName', render: (v: string) => <span style={{ fontWeight: 600 }}>{v}</span> },
    { title: M.colNumber, dataIndex: 'accountNumber', key: 'accountNumber' },
    { title: M.colSupply, dataIndex: 'supplyState', key: 'supplyState', render: (v: string) => <SupplyStateTag state={v} /> },
    { title: M.colPeriod, dataIndex: 'period', key: 'period', render: (p: string) => formatPeriod(p) },
    { title: M.colDueDay, dataIndex: 'dueDay', key: 'dueDay', render: (d: string) => <span style={{ whiteSpace: 'nowrap' }}>{cnDay(d)}</span> },
    { title: M.colBill, dataIndex: 'billFen', key: 'billFen', align: 'right', render: (f: number) => formatFen(f) },
    {
      title: M.colLateFee,
      dataIndex: 'lateFeeFen',
      key: 'lateFeeFen',
      align: 'right',
      render: (f: number) => (f > 0 ? <span className="ps-amount-danger">{formatFen(f)}</span> : formatFen(0)),
    },
    {
      title: M.colTotal,
      dataIndex: 'totalDueFen',
      key: 'totalDueFen',
      align: 'right',
      render: (f: number, b) => (b.inOpenBatch ? <Tag color="processing">{M.inOpenBatch}</Tag> : <strong>{formatFen(f)}</strong>),
    },
  ];

  if (resultId) return <BatchResult paymentId={resultId} onAgain={again} />;
  if (created) {
    return (
      <Card title={M.payingTitle} data-testid="pay-panel" style={{ maxWidth: 520, margin: '0 auto' }}>
        <ActivePayment
          created={created}
          label={M.payingLabel(created.billCount, created.accountCount)}
          devSim={devSim}
          onPaid={onPaid}
          onRetry={again}
          retrying={false}
        />
      </Card>
    );
  }
  return (
    <div data-testid="batch-pay-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {M.batchTitle}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{M.batchDesc(max)}</Typography.Paragraph>
      <Card title={M.billsTitle}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={M.search} aria-label={M.search} style={{ width: 280 }} onSearch={(v) => setSearch(v.trim())} />
          <Select
            allowClear
            placeholder={M.filterSupply}
            aria-label={M.filterSupply}
            style={{ width: 140 }}
            value={supplyState}
            onChange={setSupplyState}
            options={Object.entries(t.enums.supplyState).map(([value, label]) => ({ value, label }))}
          />
          <Button onClick={selectAll} disabled={!payable.length}>
            {M.selectAllFiltered(Math.min(payable.length, max))}
          </Button>
          <Button
            onClick={() => {
              setSelected(new Map());
              setNotice(null);
            }}
            disabled={!selected.size}
          >
            {M.clearSelection}
          </Button>
        </Space>
        {notice && <Alert type="warning" showIcon title={notice} style={{ marginBottom: 12 }} />}
        {bills.isError && <Alert type="error" showIcon title={errorMessage(bills.error)} style={{ marginBottom: 12 }} />}
        <Table<BatchBill>
          rowKey="billId"
          size="small"
          loading={bills.isFetching}
          columns={columns}
          dataSource={bills.data?.rows ?? []}
          locale={{ emptyText: M.noBills }}
          scroll={{ x: 'max-content', y: 480 }}
          pagination={false}
          rowSelection={{
            selectedRowKeys: [...selected.keys()],
            preserveSelectedRowKeys: true,
            hideSelectAll: true,
            getCheckboxProps: (b) => ({
              disabled: b.inOpenBatch || (!selected.has(b.billId) && selected.size >= max),
              'aria-label': `${b.siteName} ${b.accountNumber} ${formatPeriod(b.period)}`,
            }),
            onSelect: (b, checked) => {
              const next = new Map(selected);
              if (checked) next.set(b.billId, b);
              else next.delete(b.billId);
              setSelected(next);
            },
          }}
          data-testid="batch-bills"
        />
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center', justifyContent: 'space-between', marginTop: 16 }}>
          <Space size={16} wrap>
            <span data-testid="batch-selected">{M.selected(selected.size, max)}</span>
            <span>
              <span className="ps-muted">{M.runningTotal}：</span>
              <span className="ps-amount ps-amount-danger" data-testid="batch-total">
                {formatFen(total)}
              </span>
            </span>
            {lateFees > 0 && <span className="ps-muted">{M.includesLateFee(formatFen(lateFees))}</span>}
          </Space>
          <Button type="primary" size="large" icon={<WechatOutlined />} onClick={pay} loading={create.isPending} disabled={!selected.size}>
            {M.pay}
          </Button>
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </Card>
      <RecentBatches onOpen={setResultId} />
    </div>
  );
}

export default function BatchPayPage() {
  return <CustomerPage>{(me) => (handlesMoney(me.roles) ? <BatchPay /> : <Forbidden desc={M.forbidden} homeHref="/home" />)}</CustomerPage>;
}
