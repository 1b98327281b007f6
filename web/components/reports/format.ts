import { t } from '@/lib/i18n';

/** Units of the quality registry (quality.types.ts MetricUnit). */
export type MetricUnit = 'ratio' | 'duration' | 'per10k' | 'count';

/** The keys whose rise is good (green ↑) or bad (red ↑); volume is neither. */
const HIGHER_IS_BETTER: Record<string, boolean> = {
  on_time: true,
  fcr: true,
  satisfaction: true,
  response_rate: true,
  deflection_rate: true,
  merge_rate: true,
  aht: false,
  complaint_rate: false,
  reopen_rate: false,
};

export function higherIsBetter(key: string): boolean | undefined {
  return HIGHER_IS_BETTER[key];
}

/** The unit a display string still needs ('93.5%' and '12分30秒' carry theirs; counts and per-10,000 rates do not). */
export function unitSuffix(unit: MetricUnit): string {
  if (unit === 'count') return t.reports.units.orders;
  if (unit === 'per10k') return t.reports.units.perTenThousand;
  return '';
}

/** A display string with the unit it lacks: '1,024 单', '1.25 件/万户', '93.5%'. */
export function withUnit(display: string, unit: MetricUnit): string {
  if (!display || display === t.reports.none) return t.reports.none;
  const s = unitSuffix(unit);
  return s ? `${display} ${s}` : display;
}

/** Whether a change is good, bad or neither, for its colour. */
export function changeTone(key: string, delta: number | null): 'good' | 'bad' | 'neutral' {
  if (delta === null || Math.abs(delta) < 1e-12) return 'neutral';
  const hib = higherIsBetter(key);
  if (hib === undefined) return 'neutral';
  return delta > 0 === hib ? 'good' : 'bad';
}

export const TONE_COLOR = { good: '#389e0d', bad: '#cf1322', neutral: 'rgba(0,0,0,0.45)' } as const;

/** A number of orders: '1,024 单'. */
export function orders(n: number): string {
  return `${new Intl.NumberFormat('zh-CN').format(n)} ${t.reports.units.orders}`;
}

export const NUM = new Intl.NumberFormat('zh-CN');

/** A series value on a chart axis: ratios in %, durations in minutes, the rest as they are. */
export function axisValue(v: number | null, unit: MetricUnit): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  if (unit === 'ratio') return Math.round(v * 1000) / 10;
  if (unit === 'duration') return Math.round(v / 6000) / 10;
  return Math.round(v * 100) / 100;
}

/** The axis name of a unit: '%', '分钟', '单', '件/万户'. */
export function axisUnit(unit: MetricUnit): string {
  if (unit === 'ratio') return t.reports.units.percent;
  if (unit === 'duration') return t.reports.units.minutes;
  return unitSuffix(unit);
}
