/**
 * The quality-report API as the web (staff /staff/reports) and the weekly PDF (warnings lane) code against it:
 * inputs and outputs of quality.metrics / scope / dashboard / drill / exportCsv. Dates in inputs are Shanghai
 * calendar days 'YYYY-MM-DD' (both ends inclusive); every date in an output is already a formatted Shanghai
 * string, every dimension comes with its Chinese name: screens show what they get.
 */
import type { Channel, OrderType } from '../workorders/workorder.rules';
import { DEADLINE_KINDS, type DeadlineKind } from '../workorders/sla.rules';

export const METRIC_KEYS = [
  'on_time',
  'aht',
  'fcr',
  'satisfaction',
  'response_rate',
  'complaint_rate',
  'reopen_rate',
  'merge_rate',
  'deflection_rate',
  'volume',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** 及时率 is per SLA kind (an order's deadlines of that kind), per application milestone, or overall ('all'). */
export const ON_TIME_KINDS = ['all', ...DEADLINE_KINDS, 'milestone', 'application'] as const;
export type OnTimeKind = (typeof ON_TIME_KINDS)[number];
export type SlaKindKey = DeadlineKind | 'milestone';

export type MetricUnit = 'ratio' | 'duration' | 'per10k' | 'count';
export type Granularity = 'day' | 'week' | 'month';

/** One registry entry as the screens read it (tooltip text, table of definitions). */
export interface MetricInfo {
  key: MetricKey;
  label: string;
  /** The tooltip: the whole definition in one or two sentences. */
  definition: string;
  numerator: string;
  denominator: string;
  /** The date that places an order in a period. */
  dateBasis: string;
  window: string;
  /** What happens to the last, still incomplete period. */
  incompleteRule: string;
  unit: MetricUnit;
  /** Which way is good: a higher value (on-time, FCR…), a lower one (AHT, complaint rate, reopen rate), or neither (volume). */
  better: 'higher' | 'lower' | 'none';
  /** Sub-kinds (on-time: every SLA kind) with their labels; empty for the others. */
  kinds: { key: OnTimeKind; label: string }[];
  /** Whether quality.drill can list the orders behind it. */
  drillable: boolean;
}

export interface QualityFilters {
  types?: OrderType[];
  channels?: Channel[];
  regionIds?: string[];
  teamIds?: string[];
  agentIds?: string[];
}

export interface DashboardInput {
  /** Shanghai days, inclusive. */
  from: string;
  to: string;
  granularity?: Granularity;
  filters?: QualityFilters;
}

export interface MetricValue {
  key: MetricKey;
  /** on_time only: which kind ('all' = every deadline of the order). */
  kind: OnTimeKind | null;
  label: string;
  unit: MetricUnit;
  /** Ratio 0–1, milliseconds, per 10,000 or a count; null when the denominator is 0. */
  value: number | null;
  numerator: number;
  denominator: number;
  /** The same metric over the previous period of the same length. */
  previous: number | null;
  /** value − previous (ratio points for ratios), null when either is missing. */
  delta: number | null;
  /** e.g. '93.5%', '12分30秒', '1.25', '1,024'; '—' when there is no value. */
  display: string;
  previousDisplay: string;
  /** e.g. '+1.2个百分点', '−30秒', '—'. */
  deltaDisplay: string;
  /** FCR: resolutions within the last 7 days before now are in the period (the figure may still fall). */
  provisional: boolean;
  /** The tooltip (registry definition). */
  definition: string;
  drillable: boolean;
}

export interface TrendBucket {
  key: string;
  /** '11月3日', '第45周（11月2日–11月8日）', '2026年11月'. */
  label: string;
  from: string;
  to: string;
}

export interface TrendSeries {
  key: MetricKey;
  kind: OnTimeKind | null;
  label: string;
  unit: MetricUnit;
  values: (number | null)[];
}

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

export interface AgentRow {
  agentId: string;
  name: string;
  teamId: string | null;
  teamName: string;
  /** Orders resolved (desk: by this agent). */
  handled: number;
  ahtMs: number | null;
  ahtDisplay: string;
  /** The median AHT of the same order types, weighted by this agent's mix (company-wide, same period). */
  medianMs: number | null;
  medianDisplay: string;
  /** ahtMs ÷ medianMs: below 1 is faster than the median. */
  ahtIndex: number | null;
  ahtIndexDisplay: string;
  onTime: number | null;
  onTimeDisplay: string;
  fcr: number | null;
  fcrDisplay: string;
  satisfaction: number | null;
  satisfactionDisplay: string;
  ratings: number;
  reopenRate: number | null;
  reopenRateDisplay: string;
}

export interface GroupRow {
  id: string | null;
  name: string;
  volume: number;
  onTime: number | null;
  onTimeDisplay: string;
  ahtMs: number | null;
  ahtDisplay: string;
  fcr: number | null;
  fcrDisplay: string;
  satisfaction: number | null;
  satisfactionDisplay: string;
  complaints: number;
  /** Regions only: complaints per 10,000 customers (accounts) of the region. */
  complaintRate: number | null;
  complaintRateDisplay: string;
  reopenRate: number | null;
  reopenRateDisplay: string;
}

export interface DashboardOutput {
  period: { from: string; to: string; label: string; days: number };
  previous: { from: string; to: string; label: string };
  /** Headline cards, one per metric (on_time = overall). */
  metrics: MetricValue[];
  /** 及时率 per SLA kind (kinds with no deadline in either period left out). */
  onTimeByKind: MetricValue[];
  trend: { granularity: Granularity; buckets: TrendBucket[]; series: TrendSeries[] };
  volumes: { byType: CountRow[]; byChannel: CountRow[]; byRegion: CountRow[]; byDay: CountRow[] };
  agents: AgentRow[];
  teams: GroupRow[];
  regions: GroupRow[];
  fcr: { provisional: boolean; provisionalFrom: string | null; note: string };
  /** Shanghai time the roll-ups were last brought up to date ('2026年12月2日 14:05'). */
  updatedAt: string | null;
  notes: string[];
}

export type DrillPart = 'numerator' | 'denominator';

export interface DrillInput {
  metric: MetricKey;
  kind?: OnTimeKind | null;
  part: DrillPart;
  from: string;
  to: string;
  filters?: QualityFilters;
  page?: number;
  pageSize?: number;
}

export interface DrillRow {
  orderId: string;
  orderNo: string;
  typeLabel: string;
  channelLabel: string;
  regionName: string;
  teamName: string;
  agentName: string;
  /** 受理时间 */
  createdAt: string;
  /** 期限 (the deadline of the counted kind; '—' when none) */
  dueAt: string;
  /** 完成时间 (deadline end, resolve, rating…, by metric) */
  doneAt: string;
  /** 达标 / 超时 / 一次解决 / 重复来电 / 5星 … */
  outcome: string;
  inNumerator: boolean;
}

export interface DrillOutput {
  metricLabel: string;
  partLabel: string;
  total: number;
  page: number;
  pageSize: number;
  /** The CSV headers, in the column order of the table. */
  columns: string[];
  rows: DrillRow[];
}

export type ExportInput = ({ table: 'drill' } & Omit<DrillInput, 'page' | 'pageSize'>) | ({ table: 'agents' } & DashboardInput);

export interface ExportOutput {
  filename: string;
  /** UTF-8 with BOM, Chinese headers, Shanghai times. */
  csv: string;
  rows: number;
}

export interface ScopeOutput {
  /** true: management view (every region, team and agent). */
  all: boolean;
  regions: { id: string; name: string }[];
  teams: { id: string; name: string; professionLabel: string }[];
  agents: { id: string; name: string; teamId: string | null }[];
  types: { key: OrderType; label: string }[];
  channels: { key: Channel; label: string }[];
}

/** A caller's reach in reports (quality.scope.ts): null sets = no limit. */
export interface ReportScope {
  all: boolean;
  regionIds: Set<string> | null;
  teamIds: Set<string> | null;
}
