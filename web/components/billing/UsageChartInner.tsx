'use client';

import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { useMemo } from 'react';
import { formatPeriod, type UsagePoint } from '@/lib/billing';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Whole-yuan axis label from fen (integer arithmetic via formatFen). */
const axisYuan = (fen: number) => formatFen(fen, { symbol: false }).replace(/\.00$/, '');

/** Monthly kWh (bars, left axis) and the month's charge (line, right axis; values in fen, shown as 元). */
export default function UsageChartInner({ points }: { points: UsagePoint[] }) {
  const option = useMemo(
    () => ({
      color: ['#0b5394', '#e8833a'],
      grid: { left: 48, right: 56, top: 40, bottom: 28 },
      legend: { top: 0, data: [t.billing.usageKwh, t.billing.usageYuan] },
      tooltip: {
        trigger: 'axis',
        formatter: (items: { dataIndex: number }[]) => {
          const p = points[items[0]?.dataIndex ?? 0];
          if (!p) return '';
          return `${formatPeriod(p.period)}<br/>${t.billing.usageKwh}：${p.kwh}<br/>${t.billing.usageYuan}：${formatFen(p.amountFen)}`;
        },
      },
      xAxis: { type: 'category', data: points.map((p) => p.period.slice(2).replace('-', '/')) },
      yAxis: [
        { type: 'value', name: 'kWh', splitLine: { lineStyle: { type: 'dashed' } } },
        { type: 'value', name: '元', axisLabel: { formatter: (v: number) => axisYuan(v) }, splitLine: { show: false } },
      ],
      series: [
        { name: t.billing.usageKwh, type: 'bar', data: points.map((p) => p.kwh), barMaxWidth: 18 },
        { name: t.billing.usageYuan, type: 'line', yAxisIndex: 1, smooth: true, data: points.map((p) => p.amountFen), symbolSize: 5 },
      ],
    }),
    [points],
  );
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300, width: '100%' }} opts={{ renderer: 'canvas' }} />;
}
