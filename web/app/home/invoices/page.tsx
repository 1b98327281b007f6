'use client';

import { DownloadOutlined, FileDoneOutlined } from '@ant-design/icons';
import { VAT_INVOICE_KIND_LABELS } from '@power/api/labels';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { EnterprisePage, recentMonths, S, startDownload, type InvoiceCandidate, type VatInvoice } from '@/components/statements/common';
import { formatPeriod } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

type Kind = 'normal' | 'special';
const nowrap = (v: React.ReactNode) => <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{v}</span>;

function TitleCard() {
  const trpc = useTRPC();
  const q = useQuery(trpc.statements.invoiceTitle.queryOptions());
  if (q.isError) return <Alert type="error" showIcon title={errorMessage(q.error)} style={{ marginBottom: 16 }} />;
  const d = q.data;
  const v = (x: string | null | undefined) => x || <Typography.Text type="secondary">{S.notSet}</Typography.Text>;
  return (
    <Card title={S.titleCard} loading={q.isPending} style={{ marginBottom: 16 }}>
      {d && (
        <>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={S.titleName}>{d.name}</Descriptions.Item>
            <Descriptions.Item label={S.taxId}>{d.taxId}</Descriptions.Item>
            <Descriptions.Item label={S.address}>{v([d.registeredAddress, d.registeredPhone].filter(Boolean).join(' '))}</Descriptions.Item>
            <Descriptions.Item label={S.bank}>{v([d.bankName, d.bankAccount].filter(Boolean).join(' '))}</Descriptions.Item>
          </Descriptions>
          {d.complete.special.length ? (
            <Alert type="info" showIcon title={S.specialMissing(d.complete.special.join('、'))} />
          ) : (
            <Alert type="success" showIcon title={S.specialReady} />
          )}
        </>
      )}
    </Card>
  );
}

function Request() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const months = recentMonths();
  const [month, setMonth] = useState(months[1]!);
  const [kind, setKind] = useState<Kind>('normal');
  const [selected, setSelected] = useState<string[]>([]);
  const q = useQuery(trpc.statements.invoiceCandidates.queryOptions({ month }));
  const request = useMutation(trpc.statements.requestInvoice.mutationOptions());

  const submit = async () => {
    if (!selected.length) return void message.warning(S.selectFirst);
    try {
      const inv = await request.mutateAsync({ kind, billKeys: selected });
      message.success(S.requested(inv.invoiceNo ?? ''));
      setSelected([]);
      await Promise.all([
        qc.invalidateQueries({ queryKey: trpc.statements.invoiceCandidates.queryKey() }),
        qc.invalidateQueries({ queryKey: trpc.statements.invoices.queryKey() }),
      ]);
    } catch {
      // shown above the table
    }
  };

  return (
    <Card title={S.candidates} style={{ marginBottom: 16 }}>
      <Space wrap size={12} style={{ marginBottom: 12 }}>
        <span>{S.payMonth}</span>
        <Select
          aria-label={S.payMonth}
          style={{ width: 160 }}
          value={month}
          onChange={(m) => {
            setMonth(m);
            setSelected([]);
          }}
          options={months.map((m) => ({ value: m, label: formatPeriod(m) }))}
        />
        <span>{S.kind}</span>
        <Radio.Group
          optionType="button"
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          options={(['normal', 'special'] as const).map((k) => ({ value: k, label: VAT_INVOICE_KIND_LABELS[k] }))}
        />
        <Button type="primary" icon={<FileDoneOutlined />} loading={request.isPending} disabled={!selected.length} onClick={() => void submit()}>
          {S.request(selected.length)}
        </Button>
      </Space>
      {request.isError && (
        <Alert type="error" showIcon title={errorMessage(request.error)} style={{ marginBottom: 12 }} data-testid="invoice-error" />
      )}
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      <Table<InvoiceCandidate>
        size="small"
        rowKey="key"
        loading={q.isPending}
        dataSource={q.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small', showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={S.noCandidates} /> }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as string[]),
          getCheckboxProps: (r) => ({ disabled: r.invoiced, 'aria-label': `${r.accountNumber} ${formatPeriod(r.period)}` }),
        }}
        columns={[
          { title: S.accountNumber, dataIndex: 'accountNumber', render: (v: string) => nowrap(v) },
          { title: S.site, dataIndex: 'siteName', ellipsis: true, width: 240 },
          { title: S.periods, dataIndex: 'period', render: (p: string) => nowrap(formatPeriod(p)) },
          { title: S.kwh, dataIndex: 'kwh', align: 'right', render: (v: number) => nowrap(v.toLocaleString('zh-CN')) },
          { title: S.amount, key: 'amt', align: 'right', render: (_: unknown, r) => nowrap(formatFen(r.amountFen + r.lateFeeFen)) },
          { title: S.paidAt, dataIndex: 'paidAt', render: (v: string) => nowrap(formatDateTime(v)) },
          { title: S.outTradeNo, dataIndex: 'outTradeNo', render: (v: string | null) => nowrap(v ?? '—') },
          {
            title: S.status,
            key: 'inv',
            render: (_: unknown, r) =>
              r.invoiced ? (
                <Space size={4}>
                  <Tag color="green">{S.invoiced}</Tag>
                  {r.invoiceNo && nowrap(r.invoiceNo)}
                </Space>
              ) : (
                <Tag>{S.notInvoiced}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}

function Issued() {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const q = useQuery(trpc.statements.invoices.queryOptions());
  const link = useMutation(trpc.statements.invoiceLink.mutationOptions());
  const download = async (id: string) => {
    try {
      startDownload((await link.mutateAsync({ invoiceId: id })).url);
      message.info(S.downloadStarted);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  return (
    <Card title={S.invoiceList} styles={{ body: { padding: 0 } }}>
      <Table<VatInvoice>
        size="small"
        rowKey="id"
        loading={q.isPending}
        dataSource={q.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={S.noInvoices} /> }}
        columns={[
          { title: S.issuedAt, dataIndex: 'issuedAt', render: (v: string | null) => nowrap(formatDateTime(v)) },
          { title: S.invoiceNo, dataIndex: 'invoiceNo', render: (v: string | null) => nowrap(v ?? '—') },
          { title: S.kind, dataIndex: 'kind', render: (k: Kind) => VAT_INVOICE_KIND_LABELS[k] },
          { title: S.billsCount, dataIndex: 'bills', align: 'right' },
          { title: S.periods, dataIndex: 'periods', render: (p: string[]) => p.map(formatPeriod).join('、') },
          { title: S.totalAmount, dataIndex: 'totalFen', align: 'right', render: (v: number) => nowrap(formatFen(v)) },
          { title: S.tax, dataIndex: 'taxFen', align: 'right', render: (v: number) => nowrap(formatFen(v)) },
          {
            title: S.status,
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'issued' ? 'green' : 'processing'}>{s === 'issued' ? S.statusIssued : S.statusClaiming}</Tag>,
          },
          {
            title: '',
            key: 'dl',
            render: (_: unknown, r) =>
              r.status === 'issued' ? (
                <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => void download(r.id)}>
                  {S.download}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

function Invoices() {
  return (
    <div data-testid="invoices-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {S.invoicesTitle}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{S.invoicesDesc}</Typography.Paragraph>
      <TitleCard />
      <Request />
      <Issued />
    </div>
  );
}

export default function InvoicesPage() {
  return <EnterprisePage money>{() => <Invoices />}</EnterprisePage>;
}
