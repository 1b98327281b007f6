'use client';

import { Card, Col, Empty, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';

const T = t.points;

export interface EntryRow {
  key: string;
  at: string;
  orderNo: string | null;
  ruleLabel: string;
  points: number;
  reason: string;
  rulesVersion: number;
}

export interface LedgerData {
  name: string;
  teamName: string | null;
  summary: { total: number; month: number; quarter: number; monthLabel: string; quarterLabel: string };
  entries: EntryRow[];
  more: boolean;
}

export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0');

export function PointsValue({ n }: { n: number }) {
  return <span style={{ color: n > 0 ? '#389e0d' : n < 0 ? '#cf1322' : undefined, fontWeight: 600 }}>{signed(n)}</span>;
}

/** Totals and the entries of one agent's ledger, newest first. */
export function LedgerView({ data }: { data: LedgerData }) {
  const columns: ColumnsType<EntryRow> = [
    { title: T.date, key: 'at', width: 150, render: (_, e) => formatDateTime(e.at) },
    { title: T.orderNo, key: 'no', width: 170, render: (_, e) => e.orderNo ?? '—' },
    { title: T.rule, key: 'rule', width: 130, render: (_, e) => <Tag>{e.ruleLabel}</Tag> },
    {
      title: T.reason,
      key: 'reason',
      render: (_, e) => (
        <>
          {e.reason}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            （{T.version(e.rulesVersion)}）
          </Typography.Text>
        </>
      ),
    },
    { title: T.points, key: 'p', width: 80, align: 'right', render: (_, e) => <PointsValue n={e.points} /> },
  ];
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} sm={8}>
          <Card size="small">
            <Statistic title={T.total} value={data.summary.total} />
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card size="small">
            <Statistic title={T.month(data.summary.monthLabel)} value={data.summary.month} />
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card size="small">
            <Statistic title={T.quarter(data.summary.quarterLabel)} value={data.summary.quarter} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={T.entries} extra={data.more ? <Typography.Text type="secondary">{T.more}</Typography.Text> : null}>
        <Table<EntryRow>
          size="small"
          rowKey="key"
          columns={columns}
          dataSource={data.entries}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={T.empty} /> }}
          scroll={{ x: 760 }}
        />
      </Card>
    </>
  );
}
