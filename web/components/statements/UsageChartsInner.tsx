'use client';

import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { TARIFF_BAND_LABELS } from '@power/api/labels';
import { useMemo } from 'react';
import { S, type UsageBySite } from './common';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const axisPeriod = (p: string) => p.slice(2).replace('-', '/');
const kwhLabel = (v: number) => (v >= 10_000 ? `${Math.round(v / 1000) / 10}万` : String(v));
const short = (s: { accountNumber: string; siteName: string }) => `${s.accountNumber.slice(-4)} ${s.siteName.slice(0, 10)}`;

export function CompareChart({ data }: { data: UsageBySite }) {
  const option = useMemo(
    () => ({
      grid: { left: 56, right: 16, top: 48, bottom: 28 },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: data.periods.map(axisPeriod) },
      yAxis: { type: 'value', name: 'kWh', axisLabel: { formatter: kwhLabel }, splitLine: { lineStyle: { type: 'dashed' } } },
      series: data.compare.map((s) => ({ name: short(s), type: 'line', smooth: true, symbolSize: 4, data: s.kwh })),
    }),
    [data],
  );
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 320, width: '100%' }} />;
}

export function YoyChart({ data }: { data: UsageBySite }) {
  const y = data.yoy.year;
  const option = useMemo(
    () => ({
      color: ['#0b5394', '#9fc5e8'],
      grid: { left: 56, right: 16, top: 40, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: data.yoy.months.map((m) => S.month12(m.month)) },
      yAxis: { type: 'value', name: 'kWh', axisLabel: { formatter: kwhLabel }, splitLine: { lineStyle: { type: 'dashed' } } },
      series: [
        { name: S.thisYear(y), type: 'bar', data: data.yoy.months.map((m) => m.thisYear), barMaxWidth: 16 },
        { name: S.lastYear(y - 1), type: 'bar', data: data.yoy.months.map((m) => m.lastYear), barMaxWidth: 16 },
      ],
    }),
    [data, y],
  );
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300, width: '100%' }} />;
}

export function TouChart({ data }: { data: UsageBySite }) {
  const option = useMemo(() => {
    const bands = ['peak', 'flat', 'valley'] as const;
    return {
      color: ['#cc0000', '#e69138', '#6aa84f'],
      animationDuration: 300,
      grid: { left: 48, right: 16, top: 40, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      xAxis: { type: 'category', data: data.tou.months.map((m) => axisPeriod(m.period)) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: bands.map((b) => ({
        name: TARIFF_BAND_LABELS[b],
        type: 'bar',
        stack: 'tou',
        barMaxWidth: 18,
        data: data.tou.months.map((m) => (m.shares ? m.shares[b] / 10 : 0)),
      })),
    };
  }, [data]);
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 280, width: '100%' }} />;
}
