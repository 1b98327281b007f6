'use client';

/**
 * ECharts in the browser only: the page loads this module through next/dynamic with ssr off, so neither echarts
 * nor echarts-for-react runs on the server. Only the chart kinds and components the reports use are registered.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';

echarts.use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type ChartClick = { seriesIndex?: number; dataIndex?: number; name?: string; seriesName?: string; data?: unknown };

export default function EChart({
  option,
  height = 280,
  onClick,
  label,
}: {
  // biome-ignore lint/suspicious/noExplicitAny: echarts' option type is a deep union; the callers build plain objects
  option: any;
  height?: number;
  onClick?: (p: ChartClick) => void;
  label?: string;
}) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height, width: '100%' }}
        onEvents={onClick ? { click: (p: ChartClick) => onClick(p) } : undefined}
      />
    </div>
  );
}
