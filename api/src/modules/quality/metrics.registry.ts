/**
 * The metric registry (SPEC §3.6): ONE definition per metric — its Chinese name and tooltip, numerator,
 * denominator, the date that places an order in a period, the rule for the incomplete last period — and the
 * functions that compute it from roll-up counters (dashboard, trend, tables) and that decide, for one order fact,
 * whether it is in the numerator/denominator (drill-down and CSV). Pure, no I/O.
 *
 * Not here on purpose: 遵时率 (schedule adherence = time signed in ÷ time scheduled) is a workforce measure of
 * another system, kept apart from 及时率 as the SPEC says.
 */
import { DEADLINE_KIND_LABELS, METRIC_LABELS, ON_TIME_KIND_LABELS } from '../../shared/labels';
import type { FactDeadline, OrderFact } from './facts.rules';
import { FCR_WINDOW_MS } from './facts.rules';
import type { Counters } from './rollup.rules';
import type { MetricInfo, MetricKey, MetricUnit, OnTimeKind } from './quality.types';
import { ON_TIME_KINDS } from './quality.types';

/** A day range, inclusive, as Shanghai 'YYYY-MM-DD' strings (string comparison orders them). */
export interface DayRange {
  from: string;
  to: string;
}
export const inRange = (day: string | null | undefined, r: DayRange) => !!day && day >= r.from && day <= r.to;

/** One counted item behind a number: an order, or one deadline of an order (per-kind on-time). */
export interface DrillItem {
  fact: OrderFact;
  deadline: FactDeadline | null;
  inNumerator: boolean;
  /** 期限 / 完成时间 of the row. */
  dueAt: Date | null;
  doneAt: Date | null;
  outcome: string;
}

export interface MetricDef extends Omit<MetricInfo, 'label' | 'kinds' | 'drillable'> {
  /** Numerator and denominator from summed counters (complaint rate: `customers` is the denominator's source). */
  ratio(c: Counters, kind: OnTimeKind | null, customers: number): { num: number; den: number };
  /** value from num/den. */
  value(num: number, den: number): number | null;
  /** The items behind the number for one fact; null when the metric has no drill-down. */
  items: ((f: OrderFact, kind: OnTimeKind | null, r: DayRange) => DrillItem[]) | null;
}

const rate = (num: number, den: number) => (den > 0 ? num / den : null);
const item = (
  fact: OrderFact,
  inNumerator: boolean,
  outcome: string,
  dueAt: Date | null = null,
  doneAt: Date | null = null,
  deadline: FactDeadline | null = null,
) => ({ fact, inNumerator, outcome, dueAt, doneAt, deadline });

function latestDecided(f: OrderFact): FactDeadline | null {
  const d = f.deadlines.filter((x) => x.outcome !== 'pending');
  if (!d.length) return null;
  const at = (x: FactDeadline) => (x.outcome === 'met' ? x.endedAt!.getTime() : x.dueAt.getTime());
  return d.reduce((a, b) => (at(b) > at(a) ? b : a));
}

const onTimeItems = (f: OrderFact, kind: OnTimeKind | null, r: DayRange): DrillItem[] => {
  const k = kind ?? 'all';
  if (k === 'all') {
    if (!f.onTime || !inRange(f.onTime.day, r)) return [];
    const last = latestDecided(f);
    return [item(f, f.onTime.met, f.onTime.met ? '全部达标' : '有超时', last?.dueAt ?? null, last?.endedAt ?? null)];
  }
  if (k === 'application') {
    if (!f.application || !inRange(f.application.day, r)) return [];
    const ms = f.deadlines.filter((d) => d.kind === 'milestone');
    const last = ms[ms.length - 1];
    return [item(f, f.application.met, f.application.met ? '各环节均达标' : '有环节超时', last?.dueAt ?? null, last?.endedAt ?? null)];
  }
  return f.deadlines
    .filter((d) => d.kind === k && inRange(d.day, r))
    .map((d) => item(f, d.outcome === 'met', d.outcome === 'met' ? '达标' : d.endedAt ? '超时' : '超时未完成', d.dueAt, d.endedAt, d));
};

const resolvedIn = (f: OrderFact, r: DayRange) => inRange(f.resolvedDay, r);
const createdIn = (f: OrderFact, r: DayRange) => inRange(f.createdDay, r);

const DEFS: Record<MetricKey, MetricDef> = {
  on_time: {
    key: 'on_time',
    better: 'higher',
    definition:
      '及时率 = 各项时限均达标的工单数 ÷ 有时限计入本期的工单数。按时限类型统计时，每个到期或结束的时限各算一次；未到期且仍在进行的时限不计入，已过期仍未完成的计为超时；业务申请每个环节各为一个时限，所有环节均达标才算申请及时。',
    numerator: '达标的工单（按类型：达标的时限）',
    denominator: '有时限计入本期的工单（按类型：计入本期的时限）',
    dateBasis: '时限判定日：达标按完成日，超时按到期日；整单按其最后一个已判定时限的日期',
    window: '所选期间（上海时间自然日）',
    incompleteRule: '未到期的时限不计入，到期后计入（超时即计入，不等完成）',
    unit: 'ratio',
    ratio: (c, kind) => {
      const k = kind ?? 'all';
      if (k === 'all') return { num: c.otMet, den: c.otN };
      if (k === 'application') return { num: c.appMet, den: c.appN };
      const [den, num] = c.sla[k] ?? [0, 0];
      return { num, den };
    },
    value: rate,
    items: onTimeItems,
  },
  aht: {
    key: 'aht',
    better: 'lower',
    definition:
      '平均处理时长 = 坐席工单从认领到首次对客户答复（或办结）的时长之和 ÷ 工单数，扣除等待客户（挂起）的时间；按首次办结日期计入。坐席与同类型工单的中位数比较（中位数按1分钟分档统计，为近似值）。',
    numerator: '处理时长之和（扣除挂起）',
    denominator: '本期办结且有认领记录的坐席工单',
    dateBasis: '首次办结日期',
    window: '所选期间',
    incompleteRule: '未办结的工单不计入',
    unit: 'duration',
    ratio: (c) => ({ num: c.ahtSum, den: c.ahtN }),
    value: (num, den) => (den > 0 ? num / den : null),
    items: (f, _k, r) => (f.ahtMs !== null && resolvedIn(f, r) ? [item(f, true, formatDuration(f.ahtMs), f.claimedAt, f.firstResponseAt)] : []),
  },
  fcr: {
    key: 'fcr',
    better: 'higher',
    definition:
      '一次解决率 = 办结后未重新处理、且同一户号7天内没有再次来电/来单的工单 ÷ 办结工单；按首次办结日期计入。办结不足7天的工单为暂定，期间含最近7天时数字仍可能下降。',
    numerator: '一次解决的工单（含暂定）',
    denominator: '本期首次办结的工单',
    dateBasis: '首次办结日期',
    window: '办结后7天',
    incompleteRule: '最近7天内办结的工单暂按一次解决计入，并标注“暂定”',
    unit: 'ratio',
    ratio: (c) => ({ num: c.fcrYes + c.fcrProv, den: c.resolved }),
    value: rate,
    items: (f, _k, r) =>
      resolvedIn(f, r)
        ? [
            item(
              f,
              f.fcr === 'yes' || f.fcr === 'provisional',
              f.fcr === 'yes' ? '一次解决' : f.fcr === 'provisional' ? '暂定一次解决' : f.reopened ? '重新处理' : '7天内再次来电',
              f.resolvedAt ? new Date(f.resolvedAt.getTime() + FCR_WINDOW_MS) : null,
              f.resolvedAt,
            ),
          ]
        : [],
  },
  satisfaction: {
    key: 'satisfaction',
    better: 'higher',
    definition: '满意率 = 4–5星评价数 ÷ 评价总数，按评价日期计入。',
    numerator: '4–5星评价',
    denominator: '本期评价',
    dateBasis: '评价日期',
    window: '所选期间',
    incompleteRule: '未评价的工单不计入',
    unit: 'ratio',
    ratio: (c) => ({ num: c.good, den: c.ratings }),
    value: rate,
    items: (f, _k, r) => (f.rating && inRange(f.rating.day, r) ? [item(f, f.rating.stars >= 4, `${f.rating.stars}星`, null, f.rating.at)] : []),
  },
  response_rate: {
    key: 'response_rate',
    better: 'higher',
    definition: '回访响应率 = 已评价的回访工单 ÷ 需回访的工单（故障报修、投诉、举报、业务办理办结后需回访），按首次办结日期计入。',
    numerator: '需回访且已评价的工单',
    denominator: '本期办结且需回访的工单',
    dateBasis: '首次办结日期',
    window: '所选期间',
    incompleteRule: '尚未回访的工单计入分母，评价后计入分子',
    unit: 'ratio',
    ratio: (c) => ({ num: c.visitsRated, den: c.visits }),
    value: rate,
    items: (f, _k, r) =>
      f.visitRequested && resolvedIn(f, r)
        ? [item(f, !!f.rating, f.rating ? `已评价${f.rating.stars}星` : '未评价', null, f.rating?.at ?? null)]
        : [],
  },
  complaint_rate: {
    key: 'complaint_rate',
    better: 'lower',
    definition: '万户投诉率 = 投诉工单数 ÷ 范围内用电户数 × 10000，按受理日期计入；户数取范围内各供电区域的户号数（每日更新）。',
    numerator: '本期受理的投诉工单',
    denominator: '范围内用电户数（÷10000）',
    dateBasis: '受理日期',
    window: '所选期间',
    incompleteRule: '当期已受理的投诉全部计入',
    unit: 'per10k',
    ratio: (c, _k, customers) => ({ num: c.complaints, den: customers }),
    value: (num, den) => (den > 0 ? (num * 10_000) / den : null),
    items: (f, _k, r) => (f.isComplaint && createdIn(f, r) ? [item(f, true, '投诉', null, f.resolvedAt)] : []),
  },
  reopen_rate: {
    key: 'reopen_rate',
    better: 'lower',
    definition: '重复处理率 = 办结后被重新处理（客户不满意退回）的工单 ÷ 办结工单，按首次办结日期计入。',
    numerator: '办结后重新处理的工单',
    denominator: '本期首次办结的工单',
    dateBasis: '首次办结日期',
    window: '所选期间',
    incompleteRule: '办结后随时可能被重新处理，数字可能上升',
    unit: 'ratio',
    ratio: (c) => ({ num: c.reopened, den: c.resolved }),
    value: rate,
    items: (f, _k, r) =>
      resolvedIn(f, r) ? [item(f, f.reopened, f.reopened ? `重新处理${f.reopenCount}次` : '未重新处理', null, f.resolvedAt)] : [],
  },
  merge_rate: {
    key: 'merge_rate',
    better: 'none',
    definition: '故障合并率 = 并入停电故障事件的报修工单 ÷ 故障报修工单（不含事件工单本身），按受理日期计入。',
    numerator: '并入故障事件的报修',
    denominator: '本期受理的故障报修',
    dateBasis: '受理日期',
    window: '所选期间',
    incompleteRule: '受理后才并入的报修在并入后计入分子',
    unit: 'ratio',
    ratio: (c) => ({ num: c.merged, den: c.faultReports }),
    value: rate,
    items: (f, _k, r) =>
      f.isFaultReport && createdIn(f, r) ? [item(f, f.merged, f.merged ? '已并入故障事件' : '单独处理', null, f.resolvedAt)] : [],
  },
  deflection_rate: {
    key: 'deflection_rate',
    better: 'higher',
    definition: '自助分流率 = 客户查看知识文章后24小时内未提交工单的次数 ÷（分流数 + 提交工单数），按查看日期计入；全公司口径，不按区域/班组筛选。',
    numerator: '查看文章后24小时内未提交工单',
    denominator: '已判定的查看（分流 + 提交工单）',
    dateBasis: '查看日期',
    window: '查看后24小时',
    incompleteRule: '不足24小时的查看不计入',
    unit: 'ratio',
    ratio: () => ({ num: 0, den: 0 }),
    value: rate,
    items: null,
  },
  volume: {
    key: 'volume',
    better: 'none',
    definition: '工单量 = 本期受理的工单数（含故障事件工单），可按类型、渠道、区域和日期分列。',
    numerator: '本期受理的工单',
    denominator: '—',
    dateBasis: '受理日期',
    window: '所选期间',
    incompleteRule: '当天的工单随受理实时增加',
    unit: 'count',
    ratio: (c) => ({ num: c.created, den: 1 }),
    value: (num) => num,
    items: (f, _k, r) => (createdIn(f, r) ? [item(f, true, '受理', null, f.resolvedAt)] : []),
  },
};

export const METRIC_REGISTRY = DEFS;

export function metricDef(key: MetricKey): MetricDef {
  return DEFS[key];
}

export const kindLabel = (k: OnTimeKind) => ON_TIME_KIND_LABELS[k];

/** The registry as screens read it. */
export function metricInfos(): MetricInfo[] {
  return (Object.keys(DEFS) as MetricKey[]).map((k) => {
    const { ratio: _r, value: _v, items, ...rest } = DEFS[k];
    return {
      ...rest,
      label: METRIC_LABELS[k],
      kinds: k === 'on_time' ? ON_TIME_KINDS.map((x) => ({ key: x, label: ON_TIME_KIND_LABELS[x] })) : [],
      drillable: items !== null,
    };
  });
}

/** '93.5%', '12分30秒', '1.25', '1,024'. */
export function formatValue(v: number | null, unit: MetricUnit): string {
  if (v === null || Number.isNaN(v)) return '—';
  if (unit === 'ratio') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'duration') return formatDuration(v);
  if (unit === 'per10k') return v.toFixed(2);
  return Math.round(v).toLocaleString('zh-CN');
}

export function formatDelta(d: number | null, unit: MetricUnit): string {
  if (d === null || Number.isNaN(d)) return '—';
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const a = Math.abs(d);
  if (unit === 'ratio') return `${sign}${(a * 100).toFixed(1)}个百分点`;
  if (unit === 'duration') return `${sign}${formatDuration(a)}`;
  if (unit === 'per10k') return `${sign}${a.toFixed(2)}`;
  return `${sign}${Math.round(a).toLocaleString('zh-CN')}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}分${s % 60}秒` : `${m}分钟`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}小时${m % 60}分` : `${h}小时`;
  return `${Math.floor(h / 24)}天${h % 24}小时`;
}

/** The label of the deadline kind of a drill row ('—' for order-level rows). */
export const deadlineLabel = (d: FactDeadline | null) =>
  d ? (d.kind === 'milestone' ? ON_TIME_KIND_LABELS.milestone : DEADLINE_KIND_LABELS[d.kind]) : '—';
