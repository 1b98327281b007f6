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

type Drill<R> = { tips: Partial<Record<CellMetric, ReactNode>>; onDrill: (row: R, metric: CellMetric) => void };

/** A right-aligned, sortable figure whose cell opens the orders behind it (the drill-down of `metric` for that row). */
function figure<R extends { name: string }>(
  { tips, onDrill }: Drill<R>,
  o: { key: string; metric: CellMetric; label: string; width: number; value: (r: R) => number | null; text: (r: R) => string; first?: boolean },
): ColumnsType<R>[number] {
  return {
    title: <Title text={o.label} tip={tips[o.metric]} />,
    key: o.key,
    align: 'right',
    width: o.width,
    sorter: byNum(o.value),
    ...(o.first ? { defaultSortOrder: 'descend' as const } : {}),
    render: (_, r) => <Cell text={o.text(r)} label={`${r.name} ${o.label}`} onClick={() => onDrill(r, o.metric)} />,
  };
}

/** The figures every table shows, the same columns for agents, regions and teams. */
function sharedFigures<R extends AgentRowView | GroupRowView>(d: Drill<R>) {
  return {
    onTime: figure(d, { key: 'onTime', metric: 'on_time', label: t.reports.onTime, width: 90, value: (r) => r.onTime, text: (r) => r.onTimeDisplay }),
    aht: figure(d, { key: 'aht', metric: 'aht', label: t.reports.aht, width: 110, value: (r) => r.ahtMs, text: (r) => r.ahtDisplay }),
    fcr: figure(d, { key: 'fcr', metric: 'fcr', label: t.reports.fcr, width: 100, value: (r) => r.fcr, text: (r) => r.fcrDisplay }),
    satisfaction: figure(d, {
      key: 'sat',
      metric: 'satisfaction',
      label: t.reports.satisfaction,
      width: 90,
      value: (r) => r.satisfaction,
      text: (r) => r.satisfactionDisplay,
    }),
    reopen: figure(d, {
      key: 'reopen',
      metric: 'reopen_rate',
      label: t.reports.reopenRate,
      width: 90,
      value: (r) => r.reopenRate,
      text: (r) => r.reopenRateDisplay,
    }),
  };
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
  const drill: Drill<AgentRowView> = { tips, onDrill };
  const f = sharedFigures(drill);
  const columns: ColumnsType<AgentRowView> = [
    { title: t.reports.agent, dataIndex: 'name', fixed: 'left', width: 110, sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
    { title: t.reports.team, dataIndex: 'teamName', width: 110 },
    figure(drill, {
      key: 'handled',
      metric: 'volume',
      label: t.reports.handled,
      width: 90,
      value: (r) => r.handled,
      text: (r) => NUM.format(r.handled),
      first: true,
    }),
    f.aht,
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
    f.onTime,
    f.fcr,
    f.satisfaction,
    { title: t.reports.ratings, key: 'ratings', align: 'right', width: 80, sorter: byNum((r) => r.ratings), render: (_, r) => NUM.format(r.ratings) },
    f.reopen,
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
  const drill: Drill<GroupRowView> = { tips, onDrill };
  const f = sharedFigures(drill);
  const columns: ColumnsType<GroupRowView> = [
    { title: nameTitle, dataIndex: 'name', width: 120, sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
    figure(drill, {
      key: 'volume',
      metric: 'volume',
      label: t.reports.volume,
      width: 90,
      value: (r) => r.volume,
      text: (r) => NUM.format(r.volume),
      first: true,
    }),
    f.onTime,
    f.aht,
    f.fcr,
    f.satisfaction,
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
    f.reopen,
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
