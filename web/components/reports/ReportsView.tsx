'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Card, Col, Empty, Row, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { WeeklyReports } from '@/components/warnings/WeeklyReports';
import { errorMessage } from '@/lib/errors';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { CountChart, TrendChart } from './Charts';
import { DrillLink } from './DrillLink';
import { DrillDrawer, type DrillRequest } from './DrillDrawer';
import { downloadFile } from './download';
import { FilterBar } from './FilterBar';
import { NUM, withUnit } from './format';
import { ChangeText, DefinitionIcon, DefinitionTip, MetricCard } from './MetricCard';
import { AgentTable, type CellMetric, GroupTable } from './Tables';
import type { Dashboard, MetricDef } from './types';
import { type ReportView, useReportView, viewRange } from './url-state';

type MetricValue = Dashboard['metrics'][number];
type Filters = NonNullable<DrillRequest['filters']>;

const DEFAULT_TREND = ['on_time', 'fcr', 'satisfaction', 'volume'];

function filtersOf(v: ReportView): Filters {
  const f: Filters = {};
  if (v.type) f.types = [v.type as never];
  if (v.channel) f.channels = [v.channel as never];
  if (v.regionId) f.regionIds = [v.regionId];
  if (v.teamId) f.teamIds = [v.teamId];
  if (v.agentId) f.agentIds = [v.agentId];
  return f;
}

export function ReportsView() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { message } = App.useApp();
  const me = useMe();
  const [view, update, replace] = useReportView();
  const range = viewRange(view);
  const filters = useMemo(() => filtersOf(view), [view]);
  const [drill, setDrill] = useState<DrillRequest | null>(null);
  const [trendSel, setTrendSel] = useState<string[]>(DEFAULT_TREND);

  const scope = useQuery(trpc.quality.scope.queryOptions());
  const registry = useQuery({ ...trpc.quality.metrics.queryOptions(), staleTime: 3_600_000 });
  const dash = useQuery({
    ...trpc.quality.dashboard.queryOptions({ from: range.from, to: range.to, granularity: view.granularity, filters }),
    placeholderData: keepPreviousData,
  });
  const exportAgents = useMutation({
    mutationFn: () => client.quality.exportCsv.mutate({ table: 'agents', from: range.from, to: range.to, granularity: view.granularity, filters }),
    onSuccess: (r) => {
      downloadFile(r.filename, r.csv);
      message.success(t.reports.exported(r.filename));
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  const defs = useMemo(() => {
    const m = new Map<string, MetricDef>();
    for (const d of registry.data ?? []) m.set(d.key, d);
    return m;
  }, [registry.data]);
  const tip = (key: string) => {
    const d = defs.get(key);
    return d ? <DefinitionTip def={d} /> : undefined;
  };
  const tips: Partial<Record<CellMetric, ReactNode>> = {
    volume: tip('volume'),
    on_time: tip('on_time'),
    aht: tip('aht'),
    fcr: tip('fcr'),
    satisfaction: tip('satisfaction'),
    reopen_rate: tip('reopen_rate'),
    complaint_rate: tip('complaint_rate'),
  };

  const d = dash.data;
  const isAdmin = !!scope.data?.all;
  const open = (metric: string, kind: string | null, title: string, extra: Partial<Filters> = {}, from = range.from, to = range.to) =>
    setDrill({
      metric: metric as DrillRequest['metric'],
      kind: (kind ?? (metric === 'on_time' ? 'all' : null)) as DrillRequest['kind'],
      part: 'denominator',
      from,
      to,
      filters: { ...filters, ...extra },
      title,
    });
  const cellDrill =
    (dim: 'regionIds' | 'teamIds' | 'agentIds') => (row: { id?: string | null; agentId?: string; name: string }, metric: CellMetric) => {
      const id = row.agentId ?? row.id;
      if (!id) return;
      const label = {
        volume: t.reports.volume,
        on_time: t.reports.onTime,
        aht: t.reports.aht,
        fcr: t.reports.fcr,
        satisfaction: t.reports.satisfaction,
        reopen_rate: t.reports.reopenRate,
        complaint_rate: t.reports.complaintRate,
      }[metric];
      open(metric, null, `${row.name} · ${label}`, { [dim]: [id] });
    };

  const [tab, setTab] = useState('dashboard');
  const dashboardTab = (
    <>
      {scope.isError && <Alert type="error" showIcon title={errorMessage(scope.error)} style={{ marginBottom: 16 }} />}
      <FilterBar
        view={view}
        range={range}
        scope={scope.data}
        onChange={update}
        onReset={() => replace({ period: 'last_week', granularity: 'day' })}
      />
      {dash.isError && <Alert type="error" showIcon title={`${t.reports.loadFailed}：${errorMessage(dash.error)}`} style={{ marginBottom: 16 }} />}
      {!d && dash.isPending && (
        <div style={{ textAlign: 'center', padding: 48 }}>
          <Spin />
        </div>
      )}
      {d && (
        <Spin spinning={dash.isFetching} delay={300}>
          <Space wrap style={{ marginBottom: 12 }}>
            <Typography.Text strong>{d.period.label}</Typography.Text>
            <span className="ps-muted">
              {t.reports.previous} {d.previous.label}
            </span>
            {d.updatedAt && <span className="ps-muted">{t.reports.updatedAt(d.updatedAt)}</span>}
          </Space>
          <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
            {d.metrics.map((m: MetricValue) => (
              <Col key={`${m.key}:${m.kind ?? ''}`} xs={24} sm={12} lg={8} xl={6} xxl={4}>
                <MetricCard m={m} def={defs.get(m.key)} onDrill={() => open(m.key, m.kind, m.label)} />
              </Col>
            ))}
          </Row>
          <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
            <Col xs={24} xxl={15}>
              <TrendChart
                buckets={d.trend.buckets}
                series={d.trend.series}
                selected={trendSel}
                onSelect={setTrendSel}
                onPoint={(s, b) => open(s.key, s.kind, `${s.label} · ${b.label}`, {}, b.from, b.to)}
              />
            </Col>
            <Col xs={24} xxl={9}>
              <OnTimeKinds rows={d.onTimeByKind} def={defs.get('on_time')} onDrill={(m) => open('on_time', m.kind, m.label)} />
            </Col>
          </Row>
          <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
            <Col xs={24} lg={8}>
              <CountChart
                title={t.reports.volumeByType}
                items={d.volumes.byType}
                onItem={(i) => open('volume', null, `${t.reports.volume} · ${i.label}`, { types: [i.key as never] })}
              />
            </Col>
            <Col xs={24} lg={8}>
              <CountChart
                title={t.reports.volumeByChannel}
                kind="pie"
                items={d.volumes.byChannel}
                onItem={(i) => open('volume', null, `${t.reports.volume} · ${i.label}`, { channels: [i.key as never] })}
              />
            </Col>
            <Col xs={24} lg={8}>
              <CountChart
                title={t.reports.volumeByRegion}
                items={d.volumes.byRegion}
                onItem={(i) => open('volume', null, `${t.reports.volume} · ${i.label}`, { regionIds: [i.key] })}
              />
            </Col>
          </Row>
          <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
            <Col xs={24} xxl={12}>
              <GroupTable
                title={t.reports.byRegion}
                nameTitle={t.reports.region}
                rows={d.regions}
                onDrill={cellDrill('regionIds')}
                tips={tips}
                showComplaintRate
              />
            </Col>
            <Col xs={24} xxl={12}>
              <GroupTable title={t.reports.byTeam} nameTitle={t.reports.team} rows={d.teams} onDrill={cellDrill('teamIds')} tips={tips} />
            </Col>
          </Row>
          <AgentTable
            rows={d.agents}
            onDrill={cellDrill('agentIds')}
            onExport={() => exportAgents.mutate()}
            exporting={exportAgents.isPending}
            tips={tips}
          />
          {(d.fcr.note || d.notes.length > 0) && (
            <Alert
              style={{ marginTop: 16 }}
              type="info"
              showIcon
              title={
                <Space direction="vertical" size={0}>
                  {d.fcr.provisional && d.fcr.note && <span>{d.fcr.note}</span>}
                  {d.notes.map((n) => (
                    <span key={n}>{n}</span>
                  ))}
                </Space>
              }
            />
          )}
        </Spin>
      )}
    </>
  );

  const teamNames = (scope.data?.teams ?? []).map((x) => x.name).join('、');

  return (
    <>
      <Space align="center" style={{ marginBottom: 4 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t.reports.title}
        </Typography.Title>
        {isAdmin ? <Tag color="blue">{t.reports.managementView}</Tag> : teamNames && <Tag>{t.reports.scopeTeams(teamNames)}</Tag>}
      </Space>
      <p className="ps-muted">{isAdmin ? t.reports.descAdmin : t.reports.descSupervisor}</p>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'dashboard', label: t.reports.tabDashboard, children: dashboardTab },
          { key: 'weekly', label: t.reports.tabWeekly, children: <WeeklyReports /> },
        ]}
      />
      {me.data && <DrillDrawer req={drill} onClose={() => setDrill(null)} />}
    </>
  );
}

function OnTimeKinds({ rows, def, onDrill }: { rows: MetricValue[]; def?: MetricDef; onDrill: (m: MetricValue) => void }) {
  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          {t.reports.perKind}
          <DefinitionIcon def={def} />
        </Space>
      }
      styles={{ body: { padding: 0 } }}
      style={{ height: '100%' }}
    >
      {rows.length === 0 ? (
        <Empty description={t.reports.noData} style={{ padding: 24 }} />
      ) : (
        <Table<MetricValue>
          rowKey={(m) => m.kind ?? m.key}
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t.reports.kind, dataIndex: 'label' },
            {
              title: t.reports.onTime,
              key: 'v',
              align: 'right',
              render: (_, m) =>
                m.value === null ? (
                  t.reports.none
                ) : (
                  <DrillLink onClick={() => onDrill(m)} label={`${m.label} ${m.display}`}>
                    {m.display}
                  </DrillLink>
                ),
            },
            {
              title: t.reports.deadlines,
              key: 'n',
              align: 'right',
              render: (_, m) => t.reports.ofWhich(NUM.format(m.numerator), NUM.format(m.denominator)),
            },
            { title: t.reports.previous, key: 'p', align: 'right', render: (_, m) => withUnit(m.previousDisplay, m.unit) },
            { title: t.reports.change, key: 'c', align: 'right', render: (_, m) => <ChangeText m={m} /> },
          ]}
        />
      )}
    </Card>
  );
}
