'use client';

import { DownloadOutlined, FileTextOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Radio, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { CustomerPage } from '@/components/CustomerPage';
import { formatPeriod, type PaymentHistoryRow } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

/** Table cells on one line: order numbers, dates and amounts never wrap (the table scrolls sideways instead). */
const nowrap = (v: React.ReactNode) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span>;

const STATUS_COLOR: Record<string, string> = { created: 'processing', paying: 'processing', paid: 'green', closed: 'default', refunded: 'purple' };

/** Starts a download of a same-origin path (the web's /files proxy) without leaving the page. */
function startDownload(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = ''; // the file name comes from Content-Disposition
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** 下载收据 and 开具/下载发票 of one paid (or refunded) payment. */
function PaymentDocuments({ p, onRequestInvoice }: { p: PaymentHistoryRow; onRequestInvoice: (p: PaymentHistoryRow) => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const link = useMutation(trpc.billing.documentLink.mutationOptions());
  const [busy, setBusy] = useState<'receipt' | 'invoice' | null>(null);
  if (p.status !== 'paid' && p.status !== 'refunded') return <span className="ps-muted">—</span>;

  const download = async (kind: 'receipt' | 'invoice') => {
    setBusy(kind);
    try {
      // A fresh 5-minute link per click: links are never kept in the page.
      const r = await link.mutateAsync({ paymentId: p.id, kind });
      startDownload(r.url);
      message.info(t.billing.downloadStarted);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space size={0} wrap>
      <Button
        type="link"
        size="small"
        icon={<DownloadOutlined />}
        loading={busy === 'receipt'}
        data-testid={`receipt-${p.outTradeNo}`}
        onClick={() => void download('receipt')}
      >
        {t.billing.downloadReceipt}
      </Button>
      {p.invoiceNo ? (
        <Tooltip title={t.billing.invoiceNo(p.invoiceNo)}>
          <Button
            type="link"
            size="small"
            icon={<DownloadOutlined />}
            loading={busy === 'invoice'}
            data-testid={`invoice-${p.outTradeNo}`}
            data-action="download"
            data-invoice-no={p.invoiceNo}
            onClick={() => void download('invoice')}
          >
            {t.billing.downloadInvoice}
          </Button>
        </Tooltip>
      ) : p.status === 'paid' && !p.refund ? (
        <Button
          type="link"
          size="small"
          icon={<FileTextOutlined />}
          data-testid={`invoice-${p.outTradeNo}`}
          data-action="request"
          onClick={() => onRequestInvoice(p)}
        >
          {t.billing.requestInvoice}
        </Button>
      ) : null}
    </Space>
  );
}

interface InvoiceForm {
  type: 'personal' | 'company';
  name: string;
  taxId?: string;
}

/** Buyer title (发票抬头) for the one e-invoice of a payment; the server checks the credit code's check digit. */
function InvoiceModal({ payment, onClose }: { payment: PaymentHistoryRow | null; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<InvoiceForm>();
  const type = Form.useWatch('type', form) ?? 'personal';
  const request = useMutation(trpc.billing.requestInvoice.mutationOptions());

  const submit = async (v: InvoiceForm) => {
    if (!payment) return;
    const title =
      v.type === 'company' ? { type: 'company' as const, name: v.name, taxId: v.taxId ?? '' } : { type: 'personal' as const, name: v.name };
    try {
      const inv = await request.mutateAsync({ paymentId: payment.id, title });
      message.success(t.billing.invoiceIssued(inv.invoiceNo));
      await qc.invalidateQueries({ queryKey: trpc.billing.payments.queryKey() });
      onClose();
    } catch {
      // shown in the modal
    }
  };

  return (
    <Modal
      open={payment !== null}
      title={t.billing.invoiceModalTitle}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      afterClose={() => request.reset()}
    >
      <div data-testid="invoice-modal">
        {payment && <Typography.Paragraph type="secondary">{t.billing.invoiceModalDesc(formatFen(payment.amountFen))}</Typography.Paragraph>}
        {request.isError && (
          <Alert type="error" showIcon title={errorMessage(request.error)} style={{ marginBottom: 16 }} data-testid="invoice-error" />
        )}
        <Form<InvoiceForm> form={form} layout="vertical" initialValues={{ type: 'personal' }} onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item name="type" label={t.billing.invoiceTitleType}>
            <Radio.Group
              data-testid="invoice-title-type"
              optionType="button"
              options={(['personal', 'company'] as const).map((v) => ({ value: v, label: t.billing.invoiceTitleTypes[v] }))}
            />
          </Form.Item>
          <Form.Item
            name="name"
            label={type === 'company' ? t.billing.invoiceNameCompany : t.billing.invoiceNamePersonal}
            rules={[
              { required: true, whitespace: true, message: t.billing.invoiceNameRequired },
              { min: type === 'company' ? 4 : 2, message: t.billing.invoiceNameMin(type === 'company' ? 4 : 2) },
            ]}
          >
            <Input data-testid="invoice-title-name" maxLength={type === 'company' ? 100 : 50} autoComplete="off" />
          </Form.Item>
          {type === 'company' && (
            <Form.Item
              name="taxId"
              label={t.billing.invoiceTaxId}
              normalize={(v: string) => v.toUpperCase().replace(/\s/g, '')}
              rules={[
                { required: true, message: t.billing.invoiceTaxIdRequired },
                { pattern: /^[0-9A-Z]{18}$/, message: t.billing.invoiceTaxIdFormat },
              ]}
            >
              <Input data-testid="invoice-tax-id" maxLength={18} placeholder={t.billing.invoiceTaxIdPlaceholder} autoComplete="off" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={request.isPending} data-testid="invoice-submit">
            {t.billing.invoiceSubmit}
          </Button>
        </Form>
      </div>
    </Modal>
  );
}

function History() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const accountId = params.get('account') ?? undefined;
  const accounts = useQuery(trpc.account.list.queryOptions());
  const payments = useQuery({ ...trpc.billing.payments.queryOptions({ accountId, limit: 100 }), staleTime: 0 });
  const [invoiceFor, setInvoiceFor] = useState<PaymentHistoryRow | null>(null);

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
        <Table<PaymentHistoryRow>
          size="small"
          rowKey="id"
          loading={payments.isPending}
          dataSource={payments.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={t.billing.historyEmpty} /> }}
          onRow={(p) => ({ 'data-testid': `payment-row-${p.outTradeNo}`, 'data-status': p.status }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t.billing.createdAt, dataIndex: 'createdAt', render: (v: string) => nowrap(formatDateTime(v)), width: 170 },
            {
              title: t.billing.account,
              dataIndex: 'accountNumber',
              width: 140,
              render: (v: string) => <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{v}</span>,
            },
            {
              title: t.billing.period,
              key: 'period',
              width: 110,
              render: (_: unknown, p) => <span style={{ whiteSpace: 'nowrap' }}>{p.period ? formatPeriod(p.period) : '—'}</span>,
            },
            {
              title: t.billing.purpose,
              key: 'purpose',
              width: 130,
              render: (_: unknown, p) => (
                <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                  {t.billing.purposes[p.purpose] ?? p.purpose}
                  {p.onBehalf && <Tag color="gold">{t.billing.onBehalf}</Tag>}
                </Space>
              ),
            },
            {
              title: t.billing.payAmount,
              key: 'amount',
              align: 'right',
              width: 130,
              render: (_: unknown, p) => (
                <div style={{ whiteSpace: 'nowrap' }}>
                  <div>{formatFen(p.amountFen)}</div>
                  {p.lateFeeFen > 0 && (
                    <div className="ps-muted" style={{ fontSize: 12 }}>
                      {t.billing.includesLateFee(formatFen(p.lateFeeFen))}
                    </div>
                  )}
                </div>
              ),
            },
            { title: t.billing.channel, dataIndex: 'channel', width: 110, render: (c: string) => nowrap(t.billing.channels[c] ?? c) },
            {
              title: t.billing.status,
              key: 'status',
              width: 150,
              render: (_: unknown, p) => (
                <Space size={4} wrap>
                  <Tag color={STATUS_COLOR[p.status] ?? 'default'} data-testid="payment-status">
                    {t.billing.paymentStatus[p.status] ?? p.status}
                  </Tag>
                  {p.refund && <Tag color="purple">{t.billing.refund(formatFen(p.refund.amountFen))}</Tag>}
                </Space>
              ),
            },
            { title: t.billing.paidAt, dataIndex: 'paidAt', render: (v: string | null) => nowrap(formatDateTime(v)), width: 170 },
            {
              title: t.billing.outTradeNo,
              dataIndex: 'outTradeNo',
              width: 250,
              render: (v: string) => (
                <Typography.Text copyable style={{ fontSize: 12, whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {v}
                </Typography.Text>
              ),
            },
            {
              title: t.billing.documents,
              key: 'documents',
              width: 190,
              render: (_: unknown, p) => <PaymentDocuments p={p} onRequestInvoice={setInvoiceFor} />,
            },
          ]}
        />
      </Card>
      <InvoiceModal payment={invoiceFor} onClose={() => setInvoiceFor(null)} />
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
