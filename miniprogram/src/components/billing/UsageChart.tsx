import { useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { Canvas, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { chartRows, formatKwh, usageSummary, type UsagePoint } from '@/lib/billing';
import { formatFen } from '@/lib/format';
import { drawUsageChart } from './f2-chart';
import './billing.css';

interface Props {
  series: UsagePoint[] | null;
  canvasId?: string;
}

const HEIGHT_RPX = 420;

/** Finds the Canvas 2D node: the <canvas> inside Taro's element on H5, a SelectorQuery node on weapp. */
function canvasNode(id: string): Promise<{ node: any; width: number; height: number } | null> {
  if (process.env.TARO_ENV === 'h5') {
    const host = document.getElementById(id);
    const el = (host?.tagName === 'CANVAS' ? host : host?.querySelector('canvas')) as HTMLCanvasElement | null;
    if (!el) return Promise.resolve(null);
    const rect = (host ?? el).getBoundingClientRect();
    return Promise.resolve({ node: el, width: rect.width, height: rect.height });
  }
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select(`#${id}`)
      .fields({ node: true, size: true })
      .exec((res: { node?: unknown; width: number; height: number }[]) => {
        const r = res?.[0];
        resolve(r?.node ? { node: r.node, width: r.width, height: r.height } : null);
      });
  });
}

/** 24 months of kWh as a bar chart (AntV F2 on Taro's Canvas 2D), the latest month highlighted. */
export function UsageChart({ series, canvasId = 'usage-canvas' }: Props) {
  const [drawn, setDrawn] = useState(false);
  const chartRef = useRef<{ destroy(): void } | null>(null);
  const rows = series ? chartRows(series, 24) : [];
  const key = rows.map((r) => `${r.period}:${r.kwh}`).join(',');

  useEffect(() => {
    if (!rows.length) return;
    let cancelled = false;
    const draw = async () => {
      const found = await canvasNode(canvasId);
      if (!found || cancelled || !found.width) return;
      const dpr = process.env.TARO_ENV === 'h5' ? window.devicePixelRatio || 1 : Taro.getSystemInfoSync().pixelRatio || 2;
      const node = found.node;
      node.width = Math.round(found.width * dpr);
      node.height = Math.round(found.height * dpr);
      const context = node.getContext('2d');
      chartRef.current?.destroy();
      chartRef.current = await drawUsageChart(
        {
          context,
          width: found.width,
          height: found.height,
          pixelRatio: dpr,
          ...(process.env.TARO_ENV === 'h5'
            ? {}
            : {
                requestAnimationFrame: node.requestAnimationFrame?.bind(node),
                cancelAnimationFrame: node.cancelAnimationFrame?.bind(node),
                createImage: node.createImage?.bind(node),
                offscreenCanvas: Taro.createOffscreenCanvas?.({ type: '2d' }),
              }),
        },
        rows,
      );
      if (!cancelled) setDrawn(true);
    };
    const timer = setTimeout(() => void draw().catch(() => undefined), 50);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => () => chartRef.current?.destroy(), []);

  const sum = series ? usageSummary(series) : null;
  return (
    <View className="card" id="usage-chart" data-drawn={drawn ? '1' : '0'}>
      <View className="bl-row">
        <Text className="card-title">{t.billing.usageTitle}</Text>
        <Text className="bl-meta">{t.billing.usageUnit}</Text>
      </View>
      {series && rows.length === 0 ? (
        <Text className="center-note" id="usage-empty">
          {t.billing.usageEmpty}
        </Text>
      ) : (
        <Canvas type="2d" id={canvasId} canvasId={canvasId} className="bl-canvas" style={{ height: Taro.pxTransform(HEIGHT_RPX) }} />
      )}
      {sum && rows.length ? (
        <Text className="bl-meta" id="usage-summary">
          {t.billing.usageSummary(formatKwh(sum.last12Kwh), formatKwh(sum.avgKwh))} · {formatFen(sum.last12Fen)}
        </Text>
      ) : null}
    </View>
  );
}
