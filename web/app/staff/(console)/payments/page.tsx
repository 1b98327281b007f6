'use client';

import { SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type HTMLAttributes } from 'react';
import { yuanToFen, type StaffPayment } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';
import { FormModal } from '@/components/FormModal';

type Search = { accountNumber?: string; outTradeNo?: string; flagged?: boolean };

const STATUS_COLOR: Record<string, string> = { created: 'processing', paying: 'processing', paid: 'green', closed: 'default', refunded: 'purple' };
const REFUND_ROLES = ['supervisor', 'admin'];

function RefundModal({ payment, onClose }: { payment: StaffPayment | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const refund = useMutation(trpc.billing.refund.mutationOptions());

  const submit = async (v: { amountYuan: string; reason: string }) => {
    try {
      await refund.mutateAsync({ paymentId: payment!.id, amountFen: yuanToFen(v.amountYuan)!, reason: v.reason.trim() });
      message.success(t.staffPayments.refundDone);
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.billing.staffPayments.pathKey() });
    }
  };

  return (
    <FormModal<{ amountYuan: string; reason: string }>
      open={!!payment}
      title={payment ? t.staffPayments.refundTitle(payment.outTradeNo) : ''}
      okText={t.staffPayments.refundConfirm}
      okTestId="refund-confirm"
      danger
      loading={refund.isPending}
      initialValues={payment ? { amountYuan: formatFen(payment.amountFen, { symbol: false }).replace(/,/g, '') } : undefined}
      onSubmit={submit}
      onClose={onClose}
    >
      {payment && (
        <>
          <p className="ps-muted">
            {payment.accountNumber} {payment.holderNameMasked} · {t.billing.purposes[payment.purpose]} · {formatFen(payment.amountFen)}
          </p>
          <Form.Item
            name="amountYuan"
            label={t.staffPayments.refundAmount}
            extra={t.staffPayments.refundAmountHint(formatFen(payment.amountFen))}
            rules={[
              {
                validator: async (_, v: string) => {
                  const fen = yuanToFen(String(v ?? ''));
                  if (fen === null || fen <= 0) throw new Error(t.staffPayments.refundAmountInvalid);
                  if (fen > payment.amountFen) throw new Error(t.staffPayments.refundAmountTooLarge);
                },
              },
            ]}
          >
            <Input inputMode="decimal" prefix="¥" style={{ width: 200 }} data-testid="refund-amount" />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t.staffPayments.refundReason}
            rules={[{ required: true, whitespace: true, min: 4, message: t.staffPayments.refundReasonRequired }]}
          >
            <Input.TextArea rows={2} maxLength={200} showCount data-testid="refund-reason" />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

export default function StaffPaymentsPage() {
  const trpc = useTRPC();
  const me = useMe();
  const canRefund = !!me.data?.roles.some((r) => REFUND_ROLES.includes(r));
  const [search, setSearch] = useState<Search>({ flagged: true });
  const [target, setTarget] = useState<StaffPayment | null>(null);
  const list = useQuery({ ...trpc.billing.staffPayments.queryOptions({ ...search, limit: 100 }), staleTime: 0 });

  const onSearch = (v: { accountNumber?: string; outTradeNo?: string; flagged?: boolean }) =>
    setSearch({
      accountNumber: v.accountNumber?.trim() || undefined,
      outTradeNo: v.outTradeNo?.trim() || undefined,
      flagged: v.flagged || undefined,
    });

  const columns: ColumnsType<StaffPayment> = [
    { title: t.billing.createdAt, key: 'at', width: 160, render: (_, p) => formatDateTime(p.paidAt ?? p.createdAt) },
    { title: t.staffPayments.outTradeNo, dataIndex: 'outTradeNo', width: 200 },
    { title: t.staffPayments.accountNumber, dataIndex: 'accountNumber', width: 130 },
    { title: t.staffPayments.holder, dataIndex: 'holderNameMasked', width: 80 },
    {
      title: t.billing.purpose,
      key: 'purpose',
      width: 120,
      render: (_, p) => (
        <Space size={4}>
          {t.billing.purposes[p.purpose] ?? p.purpose}
          {p.onBehalf && <Tag color="gold">{t.billing.onBehalf}</Tag>}
        </Space>
      ),
    },
    { title: t.billing.payAmount, key: 'amount', align: 'right', width: 110, render: (_, p) => formatFen(p.amountFen) },
    {
      title: t.billing.status,
      key: 'status',
      width: 90,
      render: (_, p) => (
        <Tag color={STATUS_COLOR[p.status]}>
          {p.status === 'refunded' && p.refund && p.refund.amountFen < p.amountFen
            ? t.desk.partialRefund
            : (t.billing.paymentStatus[p.status] ?? p.status)}
        </Tag>
      ),
    },
    {
      title: t.staffPayments.flags,
      key: 'flags',
      render: (_, p) => (
        <Space direction="vertical" size={0}>
          {p.flags.map((f) => (
            <Tooltip key={f.kind} title={f.note}>
              <Tag color="red">{t.staffPayments.flagKinds[f.kind] ?? f.kind}</Tag>
            </Tooltip>
          ))}
          {p.refund && <span className="ps-muted">{t.staffPayments.refunded(formatFen(p.refund.amountFen), p.refund.reason)}</span>}
        </Space>
      ),
    },
    {
      title: t.queue.actions,
      key: 'x',
      width: 90,
      fixed: 'right',
      render: (_, p) =>
        p.refundable && (
          <Tooltip title={canRefund ? undefined : t.staffPayments.refundOnlySupervisor}>
            <Button size="small" danger disabled={!canRefund} onClick={() => setTarget(p)} data-testid={`refund-${p.outTradeNo}`}>
              {t.staffPayments.refund}
            </Button>
          </Tooltip>
        ),
    },
  ];

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.staffPayments.title}
      </Typography.Title>
      <p className="ps-muted">{t.staffPayments.desc}</p>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="inline" onFinish={onSearch} initialValues={{ flagged: true }} data-testid="payment-search">
          <Form.Item name="accountNumber" rules={[{ pattern: /^\d{13}$/, message: t.billing.numberInvalid }]}>
            <Input
              placeholder={t.staffPayments.accountNumber}
              maxLength={13}
              inputMode="numeric"
              allowClear
              style={{ width: 170 }}
              data-testid="search-account"
            />
          </Form.Item>
          <Form.Item name="outTradeNo">
            <Input placeholder={t.staffPayments.outTradeNo} maxLength={32} allowClear style={{ width: 230 }} data-testid="search-out-trade-no" />
          </Form.Item>
          <Form.Item name="flagged" valuePropName="checked" label={t.staffPayments.flaggedOnly}>
            <Switch size="small" data-testid="search-flagged" />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={list.isFetching} data-testid="search-submit">
            {t.staffPayments.search}
          </Button>
        </Form>
      </Card>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 16 }} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<StaffPayment>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
          scroll={{ x: 1200 }}
          locale={{ emptyText: <Empty description={t.staffPayments.empty} /> }}
          onRow={(p) => ({ 'data-testid': `staff-payment-${p.outTradeNo}`, 'data-status': p.status }) as HTMLAttributes<HTMLElement>}
          data-testid="staff-payments"
        />
      </Card>
      <RefundModal payment={target} onClose={() => setTarget(null)} />
    </>
  );
}
