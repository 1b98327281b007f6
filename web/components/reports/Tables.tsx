'use client';

import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { t } from '@/lib/i18n';
import { DrillLink } from './DrillLink';
import { NUM } from './format';
import type { AgentRowView, GroupRowView } from './types';

/** The metric keys a table cell drills into. */
export type CellMetric = 'volume' | 'on_time' | 'aht' | 'fcr' | 'satisfaction' | 'reopen_rate' | 'complaint_rate';

const byNum =
  <T,>(get: (r: T) => number | null) =>
  (a: T, b: T) =>
    (get(a) ?? -1) - (get(b) ?? -1);

function Cell({ text, onClick, label }: { text: string; onClick?: () => void; label: string }) {
  if (!onClick || !text || text === t.reports.none) return <span>{text || t.reports.none}</span>;
  return (
    <DrillLink onClick={onClick} label={label}>
      {text}
    </DrillLink>
  );
}

function Title({ text, tip }: { text: string; tip?: ReactNode }) {
  return tip ? <Tooltip title={tip}>{text}</Tooltip> : text;
}

export function AgentTable({
  rows,
  loading,
  onDrill,
  onExport,
  exporting,
  tips,
}: {
  rows: AgentRowView[];
  loading?: boolean;
  onDrill: (row: AgentRowView, metric: CellMetric) => void;
  onExport: () => void;
  exporting?: boolean;
  tips: Partial<Record<CellMetric, ReactNode>>;
}) {
  const columns: ColumnsType<AgentRowView> = [
    { title: t.reports.agent, dataIndex: 'name', fixed: 'left', width: 110, sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
    { title: t.reports.team, dataIndex: 'teamName', width: 110 },
    {
      title: <Title text={t.reports.handled} tip={tips.volume} />,
      key: 'handled',
      align: 'right',
      width: 90,
      sorter: byNum((r) => r.handled),
      defaultSortOrder: 'descend',
      render: (_, r) => <Cell text={NUM.format(r.handled)} label={`${r.name} ${t.reports.handled}`} onClick={() => onDrill(r, 'volume')} />,
    },
    {
      title: <Title text={t.reports.aht} tip={tips.aht} />,
      key: 'aht',
      align: 'right',
      width: 110,
      sorter: byNum((r) => r.ahtMs),
      render: (_, r) => <Cell text={r.ahtDisplay} label={`${r.name} ${t.reports.aht}`} onClick={() => onDrill(r, 'aht')} />,
    },
    { title: t.reports.ahtMedian, key: 'median', align: 'right', width: 110, render: (_, r) => r.medianDisplay || t.reports.none },
    {
      title: <Title text={t.reports.ahtVsMedian} tip={t.reports.ahtIndexHint} />,
      key: 'index',
      align: 'right',
      width: 120,
      sorter: byNum((r) => r.ahtIndex),
      render: (_, r) =>
        r.ahtIndex === null ? (
          t.reports.none
        ) : (
          <Tag color={r.ahtIndex > 1.1 ? 'red' : r.ahtIndex < 0.9 ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
            {r.ahtIndexDisplay}
          </Tag>
        ),
    },
    {
      title: <Title text={t.reports.onTime} tip={tips.on_time} />,
      key: 'onTime',
      align: 'right',
      width: 90,
      sorter: byNum((r) => r.onTime),
      render: (_, r) => <Cell text={r.onTimeDisplay} label={`${r.name} ${t.reports.onTime}`} onClick={() => onDrill(r, 'on_time')} />,
    },
    {
      title: <Title text={t.reports.fcr} tip={tips.fcr} />,
      key: 'fcr',
      align: 'right',
      width: 100,
      sorter: byNum((r) => r.fcr),
      render: (_, r) => <Cell text={r.fcrDisplay} label={`${r.name} ${t.reports.fcr}`} onClick={() => onDrill(r, 'fcr')} />,
    },
    {
      title: <Title text={t.reports.satisfaction} tip={tips.satisfaction} />,
      key: 'sat',
      align: 'right',
      width: 90,
      sorter: byNum((r) => r.satisfaction),
      render: (_, r) => (
        <Cell text={r.satisfactionDisplay} label={`${r.name} ${t.reports.satisfaction}`} onClick={() => onDrill(r, 'satisfaction')} />
      ),
    },
    { title: t.reports.ratings, key: 'ratings', align: 'right', width: 80, sorter: byNum((r) => r.ratings), render: (_, r) => NUM.format(r.ratings) },
    {
      title: <Title text={t.reports.reopenRate} tip={tips.reopen_rate} />,
      key: 'reopen',
      align: 'right',
      width: 90,
      sorter: byNum((r) => r.reopenRate),
      render: (_, r) => <Cell text={r.reopenRateDisplay} label={`${r.name} ${t.reports.reopenRate}`} onClick={() => onDrill(r, 'reopen_rate')} />,
    },
  ];
  return (
    <Card
      size="small"
      title={t.reports.byAgent}
      extra={
        <Button size="small" icon={<DownloadOutlined />} onClick={onExport} loading={exporting} disabled={rows.length === 0}>
          {t.reports.exportAgents}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<AgentRowView>
        rowKey="agentId"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small', showSizeChanger: false }}
        scroll={{ x: 1100 }}
      />
    </Card>
  );
}

export function GroupTable({
  title,
  nameTitle,
  rows,
  loading,
  onDrill,
  tips,
  showComplaintRate,
}: {
  title: string;
  nameTitle: string;
  rows: GroupRowView[];
  loading?: boolean;
  onDrill: (row: GroupRowView, metric: CellMetric) => void;
  tips: Partial<Record<CellMetric, ReactNode>>;
  showComplaintRate?: boolean;
}) {
  const columns: ColumnsType<GroupRowView> = [
    { title: nameTitle, dataIndex: 'name', width: 120, sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
    {
      title: <Title text={t.reports.volume} tip={tips.volume} />,
      key: 'volume',
      align: 'right',
      width: 90,
      sorter: byNum((r) => r.volume),
      defaultSortOrder: 'descend',
      render: (_, r) => <Cell text={NUM.format(r.volume)} label={`${r.name} ${t.reports.volume}`} onClick={() => onDrill(r, 'volume')} />,
    },
    {
      title: <Title text={t.reports.onTime} tip={tips.on_time} />,
      key: 'onTime',
      align: 'right',
      width: 90,
      sorter: byNum((r) => r.onTime),
      render: (_, r) => <Cell text={r.onTimeDisplay} label={`${r.name} ${t.reports.onTime}`} onClick={() => onDrill(r, 'on_time')} />,
    },
    {
      title: <Title text={t.reports.aht} tip={tips.aht} />,
      key: 'aht',
      align: 'right',
      width: 110,
      sorter: byNum((r) => r.ahtMs),
      render: (_, r) => <Cell text={r.ahtDisplay} label={`${r.name} ${t.reports.aht}`} onClick={() => onDrill(r, 'aht')} />,
    },
    {
      title: <Title text={t.reports.fcr} tip={tips.fcr} />,
      key: 'fcr',
      align: 'right',
      width: 100,
      sorter: byNum((r) => r.fcr),
      render: (_, r) => <Cell text={r.fcrDisplay} label={`${r.name} ${t.reports.fcr}`} onClick={() => onDrill(r, 'fcr')} />,
    },
    {
      title: <Title text={t.reports.satisfaction} tip={tips.satisfaction} />,
      key: 'sat',
      align: 'right',
      width: 90,
      sorter: byNum((r) => r.satisfaction),
      render: (_, r) => (
        <Cell text={r.satisfactionDisplay} label={`${r.name} ${t.reports.satisfaction}`} onClick={() => onDrill(r, 'satisfaction')} />
      ),
    },
    {
      title: t.reports.complaints,
      key: 'complaints',
      align: 'right',
      width: 80,
      sorter: byNum((r) => r.complaints),
      render: (_, r) => NUM.format(r.complaints),
    },
    ...(showComplaintRate
      ? [
          {
            title: <Title text={t.reports.complaintRate} tip={tips.complaint_rate} />,
            key: 'complaintRate',
            align: 'right' as const,
            width: 110,
            sorter: byNum<GroupRowView>((r) => r.complaintRate),
            render: (_: unknown, r: GroupRowView) => r.complaintRateDisplay || t.reports.none,
          },
        ]
      : []),
    {
      title: <Title text={t.reports.reopenRate} tip={tips.reopen_rate} />,
      key: 'reopen',
      align: 'right',
      width: 90,
      sorter: byNum((r) => r.reopenRate),
      render: (_, r) => <Cell text={r.reopenRateDisplay} label={`${r.name} ${t.reports.reopenRate}`} onClick={() => onDrill(r, 'reopen_rate')} />,
    },
  ];
  return (
    <Card size="small" title={title} styles={{ body: { padding: 0 } }} style={{ height: '100%' }}>
      <Table<GroupRowView>
        rowKey={(r) => r.id ?? '—'}
        size="small"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small', showSizeChanger: false }}
        scroll={{ x: 800 }}
      />
    </Card>
  );
}
