/**
 * The 24-month usage bar chart, drawn by AntV F2 (v5) on a Canvas 2D context. No JSX: F2's own
 * element factory (`jsx`) builds the tree, so F2's JSX runtime never meets React's.
 * Works on both platforms: the caller hands over a 2D context plus, on weapp, the canvas node's
 * requestAnimationFrame / createImage.
 */
import { Axis, Canvas, Chart, Interval, jsx } from '@antv/f2';

/** F2's element factory, typed loosely: its generic component types do not fit its own ElementType. */
const h = jsx as unknown as (type: unknown, props: Record<string, unknown> | null, ...children: unknown[]) => { props: Record<string, unknown> };

export interface ChartRow {
  label: string;
  kwh: number;
  latest: boolean;
}

export interface ChartTarget {
  context: CanvasRenderingContext2D;
  width: number;
  height: number;
  pixelRatio: number;
  requestAnimationFrame?: (cb: () => void) => number;
  cancelAnimationFrame?: (id: number) => void;
  createImage?: () => unknown;
  offscreenCanvas?: unknown;
}

export interface DrawnChart {
  destroy(): void;
}

export async function drawUsageChart(target: ChartTarget, rows: ChartRow[]): Promise<DrawnChart> {
  const data = rows.map((r) => ({ label: r.label, kwh: r.kwh, latest: r.latest ? 'latest' : 'past' }));
  const chart = h(
    Chart,
    {
      data,
      scale: { kwh: { min: 0, nice: true, tickCount: 4 }, label: { type: 'cat' } },
    },
    h(Axis, {
      field: 'label',
      // Every 3rd month labelled: 24 bars are too dense for 24 labels on a phone.
      style: { label: { fontSize: 10, fill: '#8b95a1' } },
      formatter: (v: string) => {
        const i = data.findIndex((d) => d.label === v);
        return i % 3 === (data.length - 1) % 3 ? v : '';
      },
    }),
    h(Axis, { field: 'kwh', style: { label: { fontSize: 10, fill: '#8b95a1' } } }),
    h(Interval, { x: 'label', y: 'kwh', color: { field: 'latest', range: ['#7fb8e8', '#0a7f86'] }, style: { radius: [4, 4, 0, 0] } }),
  );
  const root = h(Canvas, {
    context: target.context,
    width: target.width,
    height: target.height,
    pixelRatio: target.pixelRatio,
    animate: false,
    requestAnimationFrame: target.requestAnimationFrame,
    cancelAnimationFrame: target.cancelAnimationFrame,
    createImage: target.createImage,
    offscreenCanvas: target.offscreenCanvas,
    children: chart,
  });
  const canvas = new Canvas(root.props as ConstructorParameters<typeof Canvas>[0]);
  await canvas.render();
  return { destroy: () => canvas.destroy() };
}
