'use client';

import { Card, Empty, Select, Space } from 'antd';
import dynamic from 'next/dynamic';
import { t } from '@/lib/i18n';
import type { ChartClick } from './EChart';
import { axisUnit, axisValue, NUM } from './format';
import type { Bucket, CountItem, Series } from './types';

/** ECharts only in the browser (never rendered on the server). */
const EChart = dynamic(() => import('./EChart'), { ssr: false, loading: () => <div style={{ height: 280 }} /> });

export const seriesId = (s: { key: string; kind: string | null }) => (s.kind && s.kind !== 'all' ? `${s.key}:${s.kind}` : s.key);

const PALETTE = ['#1677ff', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1', '#13c2c2', '#faad14', '#2f54eb'];

/** Trend of the chosen metrics by day/week/month: one axis per unit, counts as bars. Clicking a point drills into it. */
export function TrendChart({
  buckets,
  series,
  selected,
  onSelect,
  onPoint,
}: {
  buckets: Bucket[];
  series: Series[];
  selected: string[];
  onSelect: (ids: string[]) => void;
  onPoint: (s: Series, b: Bucket) => void;
}) {
  const shown = series.filter((s) => selected.includes(seriesId(s)));
  const units = [...new Set(shown.map((s) => s.unit))];
  const option = {
    color: PALETTE,
    tooltip: {
      trigger: 'axis',
      valueFormatter: undefined,
      formatter: (items: { seriesIndex: number; dataIndex: number; marker: string; seriesName: string; value: number | null }[]) => {
        if (!items.length) return '';
        const b = buckets[items[0].dataIndex];
        const lines = items.map((it) => {
          const s = shown[it.seriesIndex];
          const v = it.value === null || it.value === undefined ? t.reports.none : `${NUM.format(it.value)} ${axisUnit(s.unit)}`;
          return `${it.marker}${it.seriesName}：${v}`;
        });
        return [b?.label ?? '', ...lines].join('<br/>');
      },
    },
    legend: { top: 0 },
    grid: { left: 56, right: 24 + Math.max(0, units.length - 1) * 56, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: buckets.map((b) => b.label), axisLabel: { hideOverlap: true } },
    yAxis: units.map((u, i) => ({
      type: 'value',
      name: axisUnit(u),
      position: i === 0 ? 'left' : 'right',
      offset: i > 1 ? (i - 1) * 56 : 0,
      min: 0,
      max: u === 'ratio' ? 100 : undefined,
      splitLine: { show: i === 0 },
    })),
    series: shown.map((s) => ({
      name: s.label,
      type: s.unit === 'count' ? 'bar' : 'line',
      yAxisIndex: units.indexOf(s.unit),
      data: s.values.map((v) => axisValue(v, s.unit)),
      connectNulls: false,
      symbolSize: 7,
      barMaxWidth: 24,
      cursor: 'pointer',
    })),
  };
  const onClick = (p: ChartClick) => {
    const s = shown[p.seriesIndex ?? -1];
    const b = buckets[p.dataIndex ?? -1];
    if (s && b) onPoint(s, b);
  };
  return (
    <Card
      size="small"
      title={t.reports.trend}
      extra={
        <Space>
          <span className="ps-muted">{t.reports.trendMetrics}</span>
          <Select
            mode="multiple"
            size="small"
            style={{ minWidth: 320, maxWidth: 560 }}
            value={selected}
            onChange={onSelect}
            maxTagCount="responsive"
            options={series.map((s) => ({ value: seriesId(s), label: s.label }))}
            aria-label={t.reports.trendMetrics}
          />
        </Space>
      }
    >
      {buckets.length === 0 || shown.length === 0 ? (
        <Empty description={t.reports.noData} />
      ) : (
        <EChart option={option} height={300} onClick={onClick} label={t.reports.trend} />
      )}
    </Card>
  );
}

/** Volume by a dimension: a horizontal bar chart (many categories) or a ring (few). Clicking a bar drills into it. */
export function CountChart({
  title,
  items,
  kind = 'bar',
  onItem,
}: {
  title: string;
  items: CountItem[];
  kind?: 'bar' | 'pie';
  onItem?: (item: CountItem) => void;
}) {
  const total = items.reduce((a, b) => a + b.count, 0);
  const sorted = [...items].sort((a, b) => b.count - a.count);
  const option =
    kind === 'pie'
      ? {
          color: PALETTE,
          tooltip: {
            trigger: 'item',
            formatter: (p: { name: string; value: number; percent: number }) =>
              `${p.name}：${NUM.format(p.value)} ${t.reports.units.orders}（${p.percent}%）`,
          },
          legend: {
            bottom: 0,
            type: 'scroll',
            formatter: (name: string) => `${name} ${NUM.format(sorted.find((i) => i.label === name)?.count ?? 0)}`,
          },
          series: [
            {
              type: 'pie',
              radius: ['40%', '66%'],
              center: ['50%', '44%'],
              label: { show: false },
              data: sorted.map((i) => ({ name: i.label, value: i.count })),
              cursor: onItem ? 'pointer' : 'default',
            },
          ],
        }
      : {
          color: PALETTE,
          tooltip: {
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            formatter: (ps: { name: string; value: number }[]) =>
              ps.map((p) => `${p.name}：${NUM.format(p.value)} ${t.reports.units.orders}`).join('<br/>'),
          },
          grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: 'value', name: t.reports.units.orders, minInterval: 1 },
          yAxis: { type: 'category', data: [...sorted].reverse().map((i) => i.label) },
          series: [
            {
              type: 'bar',
              data: [...sorted].reverse().map((i) => i.count),
              barMaxWidth: 18,
              label: { show: true, position: 'right', formatter: (p: { value: number }) => NUM.format(p.value) },
              cursor: onItem ? 'pointer' : 'default',
            },
          ],
        };
  const onClick = (p: ChartClick) => {
    const item = sorted.find((i) => i.label === p.name);
    if (item && onItem) onItem(item);
  };
  return (
    <Card size="small" title={title} extra={<span className="ps-muted">{t.reports.drill.total(total)}</span>} style={{ height: '100%' }}>
      {total === 0 ? (
        <Empty description={t.reports.noData} />
      ) : (
        <EChart option={option} height={Math.max(220, kind === 'bar' ? sorted.length * 28 + 24 : 240)} onClick={onClick} label={title} />
      )}
    </Card>
  );
}
