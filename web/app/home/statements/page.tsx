'use client';

import { DownloadOutlined, FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { TARIFF_BAND_LABELS } from '@power/api/labels';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Row, Select, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { EnterprisePage, recentMonths, S, startDownload, type Statement } from '@/components/statements/common';
import { formatPeriod } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

const COMPONENTS = ['tier1', 'tier2', 'tier3', 'peak', 'flat', 'valley', 'single'] as const;
const nowrap = (v: React.ReactNode) => <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{v}</span>;
const monthOptions = (months: string[], now: string) => months.map((m) => ({ value: m, label: `${formatPeriod(m)}${m === now ? S.current : ''}` }));

function useDownload() {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const link = useMutation(trpc.statements.link.mutationOptions());
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, input: Parameters<typeof link.mutateAsync>[0]) => {
    setBusy(key);
    try {
      const r = await link.mutateAsync(input);
      startDownload(r.url);
      message.info(S.downloadStarted);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  return { run, busy };
}

function Summary({ s }: { s: Statement }) {
  const t = s.totals;
  const items: [string, number][] = [
    [S.opening, t.openingFen],
    [S.charges, t.chargesFen],
    [S.lateFee, t.lateFeeFen],
    [S.payments, t.paymentsFen],
    [S.closing, t.closingFen],
  ];
  const components = COMPONENTS.filter((c) => t.components[c].kwh > 0 || t.components[c].fen !== 0);
  return (
    <>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {items.map(([label, fen]) => (
          <Col xs={12} md={8} xl={{ flex: '1 1 0' }} key={label}>
            <Card size="small">
              <Statistic title={label} value={formatFen(fen)} styles={{ content: { fontSize: 20, whiteSpace: 'nowrap' } }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {S.formula}
        {s.prepaidAccounts > 0 && ` ${S.prepaidNote(s.prepaidAccounts)}`}
      </Typography.Paragraph>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={10}>
          <Card size="small" title={S.components}>
            {components.length === 0 ? (
              <Empty description={S.noCharges} />
            ) : (
              <Table
                size="small"
                rowKey="band"
                pagination={false}
                dataSource={components.map((c) => ({ band: c, ...t.components[c] }))}
                columns={[
                  { title: S.component, dataIndex: 'band', render: (b: (typeof COMPONENTS)[number]) => TARIFF_BAND_LABELS[b] },
                  { title: S.kwh, dataIndex: 'kwh', align: 'right', render: (v: number) => nowrap(v.toLocaleString('zh-CN')) },
                  { title: S.amount, dataIndex: 'fen', align: 'right', render: (v: number) => nowrap(formatFen(v)) },
                ]}
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>{S.total}</Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      {nowrap(t.kwh.toLocaleString('zh-CN'))}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      {nowrap(formatFen(t.chargesFen))}
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={S.paymentsList}>
            {s.payments.length === 0 && s.otherPaymentsFen === 0 ? (
              <Empty description={S.noPayments} />
            ) : (
              <>
                {s.payments.length > 0 && (
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small' }}
                    dataSource={s.payments}
                    locale={{ emptyText: S.noPayments }}
                    columns={[
                      { title: S.paidAt, dataIndex: 'paidAt', render: (v: string) => nowrap(formatDateTime(v)) },
                      { title: S.outTradeNo, dataIndex: 'outTradeNo', render: (v: string) => nowrap(v) },
                      { title: S.accountsCount, dataIndex: 'accounts', align: 'right' },
                      { title: '', dataIndex: 'batch', render: (b: boolean) => <Tag>{b ? S.batch : S.single}</Tag> },
                      { title: S.amount, dataIndex: 'amountFen', align: 'right', render: (v: number) => nowrap(formatFen(v)) },
                    ]}
                  />
                )}
                {s.otherPaymentsFen > 0 && <Typography.Text type="secondary">{S.otherPayments(formatFen(s.otherPaymentsFen))}</Typography.Text>}
              </>
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={S.lines(s.lines.length)} styles={{ body: { padding: 0 } }}>
        <Table
          size="small"
          rowKey="accountId"
          dataSource={s.lines}
          pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small', showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: S.accountNumber, dataIndex: 'accountNumber', render: (v: string) => nowrap(v) },
            { title: S.site, dataIndex: 'siteName', ellipsis: true, width: 280 },
            { title: S.kwh, key: 'kwh', align: 'right', render: (_: unknown, l) => nowrap(l.figures.kwh.toLocaleString('zh-CN')) },
            { title: S.opening, key: 'o', align: 'right', render: (_: unknown, l) => nowrap(formatFen(l.figures.openingFen)) },
            { title: S.charges, key: 'c', align: 'right', render: (_: unknown, l) => nowrap(formatFen(l.figures.chargesFen)) },
            { title: S.lateFee, key: 'f', align: 'right', render: (_: unknown, l) => nowrap(formatFen(l.figures.lateFeeFen)) },
            { title: S.payments, key: 'p', align: 'right', render: (_: unknown, l) => nowrap(formatFen(l.figures.paymentsFen)) },
            {
              title: S.closing,
              key: 'cl',
              align: 'right',
              render: (_: unknown, l) =>
                nowrap(l.figures.closingFen > 0 ? <Typography.Text type="danger">{formatFen(l.figures.closingFen)}</Typography.Text> : formatFen(0)),
            },
          ]}
        />
      </Card>
    </>
  );
}

function BillsExport({ months }: { months: string[] }) {
  const dl = useDownload();
  const [to, setTo] = useState(months[1] ?? months[0]!);
  const [from, setFrom] = useState(months[12] ?? months[months.length - 1]!);
  const span = months.indexOf(from) - months.indexOf(to) + 1;
  const bad = span < 1 || span > 24;
  return (
    <Card title={S.billsTitle} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{S.billsDesc}</Typography.Paragraph>
      <Space wrap>
        <span>{S.from}</span>
        <Select aria-label={S.from} style={{ width: 150 }} value={from} onChange={setFrom} options={monthOptions(months, months[0]!)} />
        <span>{S.to}</span>
        <Select aria-label={S.to} style={{ width: 150 }} value={to} onChange={setTo} options={monthOptions(months, months[0]!)} />
        <Button
          icon={<FileExcelOutlined />}
          disabled={bad}
          loading={dl.busy === 'bills'}
          onClick={() => void dl.run('bills', { kind: 'bills', from, to })}
        >
          {S.exportCsv}
        </Button>
      </Space>
      {span > 24 && <Alert style={{ marginTop: 12 }} type="warning" showIcon title={S.tooMany} />}
    </Card>
  );
}

function Statements() {
  const trpc = useTRPC();
  const months = recentMonths();
  const [month, setMonth] = useState(months[1]!);
  const q = useQuery(trpc.statements.statement.queryOptions({ month }));
  const dl = useDownload();
  return (
    <div data-testid="statements-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {S.statementsTitle}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{S.statementsDesc}</Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size={12}>
          <span>{S.month}</span>
          <Select aria-label={S.month} style={{ width: 220 }} value={month} onChange={setMonth} options={monthOptions(months, months[0]!)} />
          <Button
            type="primary"
            icon={<FilePdfOutlined />}
            loading={dl.busy === 'pdf'}
            onClick={() => void dl.run('pdf', { kind: 'statement', month, format: 'pdf' })}
          >
            {S.downloadPdf}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            loading={dl.busy === 'csv'}
            onClick={() => void dl.run('csv', { kind: 'statement', month, format: 'csv' })}
          >
            {S.downloadCsv}
          </Button>
        </Space>
        {q.data && (
          <div style={{ marginTop: 12 }}>
            <Typography.Text strong>{q.data.enterpriseName}</Typography.Text>
            <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
              {S.period(q.data.fromDay, q.data.toDay)}；
              {q.data.chargedPeriods.length ? S.chargedPeriods(q.data.chargedPeriods.map(formatPeriod).join('、')) : S.noCharges}
            </Typography.Text>
          </div>
        )}
      </Card>
      {q.isPending && <Skeleton active />}
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      {q.data && <Summary s={q.data} />}
      <BillsExport months={months} />
    </div>
  );
}

export default function StatementsPage() {
  return <EnterprisePage money>{() => <Statements />}</EnterprisePage>;
}
