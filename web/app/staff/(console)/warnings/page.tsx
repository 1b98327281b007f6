'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Row, Skeleton, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, type ReactNode, useState } from 'react';
import { Forbidden } from '@/components/common';
import { Sparkline } from '@/components/warnings/Sparkline';
import { WeeklyReports } from '@/components/warnings/WeeklyReports';
import { CountdownCell, PriorityTag, StatusTag, TypeTag } from '@/components/workorders/OrderBits';
import { StaffOrderDrawer } from '@/components/workorders/StaffOrderDrawer';
import { errorCode, errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import type { AppRouter } from '@power/api';
import type { inferRouterOutputs } from '@trpc/server';
import { useNow } from '@/lib/workorders';

type Board = inferRouterOutputs<AppRouter>['warnings']['board'];
type Near = Board['nearDeadline'][number];
type Backlog = Board['backlog'][number];
type Anomaly = Board['anomalies'][number];
type Sensitive = Board['sensitive'][number];

const tw = t.warnings;
const mmdd = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

export default function WarningsPage() {
  const trpc = useTRPC();
  const me = useMe();
  const board = useQuery({ ...trpc.warnings.board.queryOptions(), refetchInterval: 15_000 });
  const now = useNow(1000);
  const [openId, setOpenId] = useState<string | null>(null);

  if (board.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (board.isError) {
    if (errorCode(board.error) === 'FORBIDDEN') return <Forbidden />;
    return <Alert type="error" showIcon title={errorMessage(board.error)} />;
  }
  const b = board.data;
  const supervisor = !!me.data?.roles.some((r) => r === 'supervisor' || r === 'admin');

  const nearCols: ColumnsType<Near> = [
    { title: t.wo.orderNo, dataIndex: 'orderNo', key: 'no', width: 170 },
    { title: t.wo.typeLabel, key: 'type', width: 100, render: (_, o) => <TypeTag type={o.type} /> },
    { title: t.wo.statusLabel, key: 'status', width: 100, render: (_, o) => <StatusTag status={o.status} /> },
    { title: t.wo.priorityLabel, key: 'p', width: 70, render: (_, o) => <PriorityTag level={o.priority.level} /> },
    { title: tw.region, dataIndex: 'regionName', key: 'region', width: 130 },
    { title: t.queue.description, key: 'd', ellipsis: true, render: (_, o) => `${o.faultKindLabel ?? o.category ?? ''} ${o.descriptionPreview}` },
    { title: t.wo.countdown, key: 'cd', width: 220, render: (_, o) => <CountdownCell order={o} now={now} testId={`near-countdown-${o.orderNo}`} /> },
  ];

  const backlogCols: ColumnsType<Backlog> = [
    { title: tw.region, dataIndex: 'regionName', key: 'r', width: 150, onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    { title: tw.backlogOpen, dataIndex: 'open', key: 'o', width: 120, align: 'right' },
    { title: tw.backlogCapacity, key: 'c', width: 110, align: 'right', render: (_, r) => (r.crews ? r.capacity : tw.noCrew) },
    { title: tw.backlogCrews, dataIndex: 'crews', key: 'n', width: 80, align: 'right' },
    { title: tw.backlogRatio, key: 'ratio', width: 100, align: 'right', render: (_, r) => (r.ratio == null ? '—' : `${Math.round(r.ratio * 100)}%`) },
    {
      title: '',
      key: 'state',
      width: 100,
      render: (_, r) => (r.over ? <Tag color="red">{tw.backlogOver}</Tag> : <Tag color="green">{tw.backlogOk}</Tag>),
    },
  ];

  const anomalyCols: ColumnsType<Anomaly> = [
    {
      title: tw.anomalyArea,
      key: 'a',
      render: (_, a) => (
        <span>
          <Tag>{a.areaKindLabel}</Tag>
          {a.areaName}
          {a.areaKind === 'transformer_area' && <span className="ps-muted">（{a.regionName}）</span>}
        </span>
      ),
    },
    { title: tw.anomalyMetric, dataIndex: 'metricLabel', key: 'm', width: 90 },
    { title: tw.anomalyDay, key: 'day', width: 90, render: (_, a) => mmdd(a.day) },
    {
      title: tw.anomalyCount,
      key: 'count',
      width: 100,
      align: 'right',
      render: (_, a) => (
        <span>
          <Typography.Text strong type="danger">
            {a.count}
          </Typography.Text>
          {a.windowDays > 1 && <div className="ps-muted">{tw.anomalyWindow(a.windowDays)}</div>}
        </span>
      ),
    },
    { title: tw.anomalyMean(b.rules.baselineDays), dataIndex: 'baselineMean', key: 'mean', width: 140, align: 'right' },
    { title: tw.anomalyLimit, dataIndex: 'limit', key: 'limit', width: 80, align: 'right' },
    {
      title: tw.anomalyMethod,
      key: 'method',
      width: 170,
      render: (_, a) => (
        <span>
          {a.methodLabel}
          {a.ewma && <div className="ps-muted">{tw.anomalyEwma(String(a.ewma.value), String(a.ewma.limit))}</div>}
        </span>
      ),
    },
    {
      title: tw.anomalyTrend,
      key: 'trend',
      width: 160,
      render: (_, a) => (
        <Tooltip title={a.recent.map((r) => `${mmdd(r.day)} ${r.count}`).join('，')}>
          <span>
            <Sparkline values={a.recent.map((r) => r.count)} limit={a.limit} label={`${a.areaName} ${tw.anomalyTrend}`} />
          </span>
        </Tooltip>
      ),
    },
  ];

  const sensitiveCols: ColumnsType<Sensitive> = [
    { title: tw.sensitiveName, dataIndex: 'nameMasked', key: 'n', width: 100 },
    { title: tw.sensitiveReason, dataIndex: 'reasonLabel', key: 'r' },
    { title: tw.sensitiveOrders, key: 'o', render: (_, s) => s.orderNos.join('、') },
    { title: tw.sensitiveSince, key: 's', width: 170, render: (_, s) => formatDateTime(s.since) },
  ];

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {tw.boardTitle}
      </Typography.Title>
      <p className="ps-muted">
        {tw.boardDesc} {b.scope.all ? tw.scopeAll : tw.scopeOf(b.scope.regions.map((r) => r.name).join('、'))}
        {b.snapshotAt && ` · ${tw.refreshedAt(formatDateTime(b.snapshotAt))}`}
      </p>
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <BoardCard title={`${tw.nearTitle}（${b.nearDeadline.length}）`} testId="near-deadline" desc={tw.nearDesc(b.rules.nearDueMinutes)}>
            <Table<Near>
              rowKey="id"
              size="small"
              columns={nearCols}
              dataSource={b.nearDeadline}
              pagination={{ pageSize: 10 }}
              scroll={{ x: 1000 }}
              locale={{ emptyText: <Empty description={tw.nearEmpty} /> }}
              rowClassName={() => 'ps-order-row'}
              onRow={(o) => ({ onClick: () => setOpenId(o.id), 'data-testid': `near-row-${o.orderNo}` }) as HTMLAttributes<HTMLElement>}
            />
          </BoardCard>
        </Col>
        <Col span={24}>
          <BoardCard title={`${tw.anomalyTitle}（${b.anomalies.length}）`} testId="anomalies" desc={tw.anomalyDesc(b.rules.baselineDays)}>
            <Table<Anomaly>
              rowKey="key"
              size="small"
              columns={anomalyCols}
              dataSource={b.anomalies}
              pagination={{ pageSize: 10 }}
              scroll={{ x: 1000 }}
              locale={{ emptyText: <Empty description={tw.anomalyEmpty} /> }}
            />
          </BoardCard>
        </Col>
        <Col xs={24} xxl={12}>
          <BoardCard title={tw.backlogTitle} testId="backlog" desc={tw.backlogDesc}>
            <Table<Backlog>
              rowKey="regionId"
              size="small"
              columns={backlogCols}
              dataSource={b.backlog}
              pagination={false}
              scroll={{ x: 600 }}
              rowClassName={(r) => (r.over ? 'ps-row-danger' : '')}
              onRow={(r) => ({ style: r.over ? { background: '#fff1f0' } : undefined }) as HTMLAttributes<HTMLElement>}
            />
          </BoardCard>
        </Col>
        <Col xs={24} xxl={12}>
          <BoardCard title={`${tw.sensitiveTitle}（${b.sensitive.length}）`} testId="sensitive" desc={tw.sensitiveDesc}>
            <Table<Sensitive>
              rowKey="customerId"
              size="small"
              columns={sensitiveCols}
              dataSource={b.sensitive}
              pagination={{ pageSize: 8 }}
              locale={{ emptyText: <Empty description={tw.sensitiveEmpty} /> }}
            />
          </BoardCard>
        </Col>
        {supervisor && (
          <Col span={24}>
            <WeeklyReports />
          </Col>
        )}
      </Row>
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}

/** One lane of the board: its title (with the count), what it shows, then the table. */
function BoardCard({ title, testId, desc, children }: { title: string; testId: string; desc: ReactNode; children: ReactNode }) {
  return (
    <Card title={title} data-testid={testId}>
      <p className="ps-muted" style={{ marginTop: 0 }}>
        {desc}
      </p>
      {children}
    </Card>
  );
}
