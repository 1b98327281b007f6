/**
 * Points (SPEC §3.6, seed 002 "95598 人工效能+"), the pure part: from what an order shows so far (PointsInput,
 * built from the metrics lane's OrderFact in points.facts.ts) and the AHT medians of each order type, the ledger
 * entries the order has earned, each with a stable key `<orderId>:<rule>:<cycle>`, the agent, signed integer
 * points, a Chinese reason and the rules version it was computed under.
 *
 * Which rules version: the one in force when the thing happened (the resolution, the rating, the deadline, the
 * check), so recomputing an order later gives the same entries, and a new version never changes an old entry.
 */
import { APPLICATION_MILESTONE_LABELS, DEADLINE_KIND_LABELS, ORDER_TYPE_LABELS, QC_ITEM_LABELS } from '../../shared/labels';
import { shanghaiDate } from '../workorders/sla.rules';
import type { OrderType } from '../workorders/workorder.rules';
import type { PointsRules } from './points.settings';

export const POINTS_RULES = ['handled', 'aht_bonus', 'aht_penalty', 'on_time', 'late', 'satisfied', 'dissatisfied', 'qc_error', 'reopen'] as const;
export type PointsRule = (typeof POINTS_RULES)[number];

export const QC_ITEMS = ['standard_phrases', 'classification', 'complete_info', 'accurate_answer', 'timely'] as const;
export type QcItem = (typeof QC_ITEMS)[number];

const DAY_MS = 24 * 3600_000;

/** What the rules read of one order (points.facts.ts builds it). */
export interface PointsInput {
  orderId: string;
  orderNo: string;
  type: OrderType;
  /** The handling agent (null: no agent handled it — no entries). */
  agentId: string | null;
  /** The first resolution. */
  resolvedAt: Date | null;
  /** The first reopen after the first resolution. */
  reopenedAt: Date | null;
  ahtMs: number | null;
  /** Decided deadlines, each with a position that never changes (`sla<i>` / `ms-<milestone>`). */
  deadlines: { slot: string; kind: string; milestone: string | null; met: boolean; at: Date }[];
  /** The latest rating; `cycle` counts the ratings before it (a dissatisfied rating and a later one are two). */
  rating: { stars: number; at: Date; cycle: number } | null;
  /** Quality checks of the order. */
  checks: { id: string; at: Date; agentId: string; failed: string[] }[];
}

export type RulesAt = (at: Date) => { version: number; value: PointsRules };

export interface TypeMedian {
  medianMs: number;
  samples: number;
}
export type Medians = Partial<Record<OrderType, TypeMedian>>;

export interface PointsEntry {
  key: string;
  agentId: string;
  orderId: string;
  orderNo: string;
  orderType: OrderType;
  rule: PointsRule;
  points: number;
  reason: string;
  rulesVersion: number;
  at: Date;
  ahtMs: number | null;
}

/** "+2" / "−3" (a real minus sign). */
export const signed = (n: number) => (n >= 0 ? `+${n}` : `−${Math.abs(n)}`);

/** 372,000 ms → "6分12秒"; 540,000 → "9分"; 3,900,000 → "1小时5分". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}小时${m > 0 ? `${m}分` : ''}`;
  if (m > 0) return `${m}分${sec > 0 ? `${sec}秒` : ''}`;
  return `${sec}秒`;
}

/** The median of some numbers (the mean of the middle two for an even count), rounded to ms. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return Math.round(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2);
}

/** Medians per type from (type, AHT) samples. */
export function mediansOf(samples: readonly { type: OrderType; ahtMs: number }[]): Medians {
  const by = new Map<OrderType, number[]>();
  for (const x of samples) {
    if (!by.has(x.type)) by.set(x.type, []);
    by.get(x.type)!.push(x.ahtMs);
  }
  const out: Medians = {};
  for (const [type, xs] of by) out[type] = { medianMs: median(xs)!, samples: xs.length };
  return out;
}

function deadlineLabel(d: PointsInput['deadlines'][number]): string {
  if (d.milestone) return `${APPLICATION_MILESTONE_LABELS[d.milestone as keyof typeof APPLICATION_MILESTONE_LABELS] ?? '办理'}环节`;
  return DEADLINE_KIND_LABELS[d.kind as keyof typeof DEADLINE_KIND_LABELS] ?? '时限';
}

/** Every entry the order has earned so far (insert the ones not in the ledger yet). */
export function pointsEntries(o: PointsInput, medians: Medians, rulesAt: RulesAt): PointsEntry[] {
  const out: PointsEntry[] = [];
  const typeLabel = ORDER_TYPE_LABELS[o.type];
  const add = (
    agentId: string,
    rule: PointsRule,
    cycle: string,
    points: number,
    reason: string,
    version: number,
    at: Date,
    ahtMs: number | null = null,
  ) => {
    if (points === 0) return;
    out.push({
      key: `${o.orderId}:${rule}:${cycle}`,
      agentId,
      orderId: o.orderId,
      orderNo: o.orderNo,
      orderType: o.type,
      rule,
      points,
      reason,
      rulesVersion: version,
      at,
      ahtMs,
    });
  };

  // Quality checks name their own agent (the handler when the check was made).
  for (const c of o.checks) {
    const r = rulesAt(c.at);
    for (const item of c.failed) {
      const label = QC_ITEM_LABELS[item as QcItem] ?? item;
      add(
        c.agentId,
        'qc_error',
        `${c.id}-${item}`,
        -r.value.qcError,
        `质检差错：${label}不合格，工单 ${o.orderNo} ${signed(-r.value.qcError)}`,
        r.version,
        c.at,
      );
    }
  }

  const agent = o.agentId;
  if (!agent) return out;

  if (o.resolvedAt) {
    const r = rulesAt(o.resolvedAt);
    const handled = r.value.handled[o.type] ?? 0;
    add(agent, 'handled', '0', handled, `处理${typeLabel}工单 ${o.orderNo} ${signed(handled)}`, r.version, o.resolvedAt, o.ahtMs);

    // A reopen within the window takes the handling points back (under the rules the points were given by).
    if (o.reopenedAt && o.reopenedAt.getTime() - o.resolvedAt.getTime() <= r.value.reopenWindowDays * DAY_MS && handled > 0) {
      add(
        agent,
        'reopen',
        '0',
        -handled,
        `${r.value.reopenWindowDays}日内重开，收回处理积分，工单 ${o.orderNo} ${signed(-handled)}`,
        r.version,
        o.reopenedAt,
      );
    }

    const m = medians[o.type];
    if (o.ahtMs !== null && m && m.samples >= r.value.ahtMinSamples) {
      const aht = formatDuration(o.ahtMs);
      const med = formatDuration(m.medianMs);
      if (o.ahtMs < m.medianMs) {
        add(agent, 'aht_bonus', '0', r.value.ahtBonus, `处理时长 ${aht}，低于同类中位数 ${med} ${signed(r.value.ahtBonus)}`, r.version, o.resolvedAt);
      } else if (o.ahtMs * 100 > m.medianMs * r.value.ahtPenaltyFactorPct) {
        add(
          agent,
          'aht_penalty',
          '0',
          -r.value.ahtPenalty,
          `处理时长 ${aht}，超过同类中位数 ${med} 的${r.value.ahtPenaltyFactorPct}% ${signed(-r.value.ahtPenalty)}`,
          r.version,
          o.resolvedAt,
        );
      }
    }
  }

  for (const d of o.deadlines) {
    const r = rulesAt(d.at);
    if (d.met)
      add(agent, 'on_time', d.slot, r.value.onTime, `${deadlineLabel(d)}内完成，工单 ${o.orderNo} ${signed(r.value.onTime)}`, r.version, d.at);
    else add(agent, 'late', d.slot, -r.value.late, `超出${deadlineLabel(d)}，工单 ${o.orderNo} ${signed(-r.value.late)}`, r.version, d.at);
  }

  if (o.rating) {
    const r = rulesAt(o.rating.at);
    const s = o.rating.stars;
    if (s >= 4)
      add(
        agent,
        'satisfied',
        String(o.rating.cycle),
        r.value.satisfied,
        `客户评价${s}星，工单 ${o.orderNo} ${signed(r.value.satisfied)}`,
        r.version,
        o.rating.at,
      );
    else if (s <= 2)
      add(
        agent,
        'dissatisfied',
        String(o.rating.cycle),
        -r.value.dissatisfied,
        `客户评价${s}星，工单 ${o.orderNo} ${signed(-r.value.dissatisfied)}`,
        r.version,
        o.rating.at,
      );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Periods (Shanghai calendar)

export type PeriodKind = 'month' | 'quarter' | 'all';

/** The period keys an instant falls in: 'all', '2026-05', '2026-Q2'. */
export function periodKeys(at: Date): { all: string; month: string; quarter: string } {
  const day = shanghaiDate(at);
  const month = day.slice(0, 7);
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
  return { all: 'all', month, quarter: `${day.slice(0, 4)}-Q${q}` };
}

/** '2026-05' → '2026年5月', '2026-Q2' → '2026年第2季度', 'all' → '累计'. */
export function periodLabel(key: string): string {
  if (key === 'all') return '累计';
  const q = /^(\d{4})-Q([1-4])$/.exec(key);
  if (q) return `${q[1]}年第${q[2]}季度`;
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  return m ? `${m[1]}年${Number(m[2])}月` : key;
}
