/**
 * The points rules (settings kind `points`, SPEC §3.6 / seed 002 "95598 人工效能+"), the pure part: the value's
 * type, version 1 (defaults), its zod schema with Chinese messages and the words of a before/after. Registered in
 * settings/settings.rules.ts like every other kind, so it is versioned, audited and edited on 系统设置.
 * Every amount is a positive integer; which way it counts (加分/扣分) is the rule's, not the number's sign.
 */
import { z } from 'zod';
import { ORDER_TYPE_LABELS } from '../../shared/labels';
import { ORDER_TYPES, type OrderType } from '../workorders/workorder.rules';

export interface PointsRules {
  /** 处理工单: points per handled (resolved) order, by type. */
  handled: Record<OrderType, number>;
  /** AHT below the median of the same type: bonus. */
  ahtBonus: number;
  /** AHT above median × ahtPenaltyFactorPct / 100: penalty. */
  ahtPenalty: number;
  ahtPenaltyFactorPct: number;
  /** Fewer handled orders of a type than this in the median's window: no AHT entry. */
  ahtMinSamples: number;
  /** Per deadline met / missed. */
  onTime: number;
  late: number;
  /** Ratings of 4–5 stars / 1–2 stars. */
  satisfied: number;
  dissatisfied: number;
  /** Per failed item of a quality check (质检差错). */
  qcError: number;
  /** A reopen within this many days of the resolution takes the handling points back. */
  reopenWindowDays: number;
}

export const DEFAULT_POINTS: PointsRules = {
  handled: {
    fault_repair: 1,
    consultation: 2,
    complaint: 4,
    report: 3,
    opinion: 2,
    praise: 1,
    service_request: 3,
    reconnection: 2,
    return_visit: 1,
  },
  ahtBonus: 1,
  ahtPenalty: 1,
  ahtPenaltyFactorPct: 200,
  ahtMinSamples: 5,
  onTime: 1,
  late: 2,
  satisfied: 3,
  dissatisfied: 3,
  qcError: 2,
  reopenWindowDays: 7,
};

const int = (label: string, min: number, max: number, unit = '分') =>
  z
    .number({ error: `请填写${label}` })
    .int(`${label}须为整数`)
    .min(min, `${label}须在${min}到${max}${unit}之间`)
    .max(max, `${label}须在${min}到${max}${unit}之间`);

export const pointsSchema = z
  .object(
    {
      handled: z
        .object(
          Object.fromEntries(ORDER_TYPES.map((t) => [t, int(`${ORDER_TYPE_LABELS[t]}工单处理积分`, 0, 100)])) as Record<
            OrderType,
            ReturnType<typeof int>
          >,
          { error: '请填写各类工单的处理积分' },
        )
        .strict(),
      ahtBonus: int('处理时长奖励', 0, 100),
      ahtPenalty: int('处理时长扣分', 0, 100),
      ahtPenaltyFactorPct: int('处理时长扣分线', 101, 1000, '%'),
      ahtMinSamples: int('中位数最少样本数', 1, 1000, '单'),
      onTime: int('按时完成积分', 0, 100),
      late: int('超时扣分', 0, 100),
      satisfied: int('客户满意积分', 0, 100),
      dissatisfied: int('客户不满意扣分', 0, 100),
      qcError: int('质检差错扣分', 0, 100),
      reopenWindowDays: int('重开收回积分期限', 1, 90, '天'),
    },
    { error: '积分规则格式不正确' },
  )
  .strict();

/** The field of a points value in words (settings diff). */
export function pointsFieldLabel(path: string): string {
  const [head, sub] = path.split('.');
  if (head === 'handled') return `处理积分（${ORDER_TYPE_LABELS[sub as OrderType] ?? sub}）`;
  return (
    {
      ahtBonus: '处理时长奖励',
      ahtPenalty: '处理时长扣分',
      ahtPenaltyFactorPct: '处理时长扣分线（中位数的百分比）',
      ahtMinSamples: '中位数最少样本数',
      onTime: '按时完成积分',
      late: '超时扣分',
      satisfied: '客户满意积分（4–5星）',
      dissatisfied: '客户不满意扣分（1–2星）',
      qcError: '质检差错扣分（每项）',
      reopenWindowDays: '重开收回积分期限',
    }[head] ?? '积分规则'
  );
}

/** A value of a points field in words. */
export function pointsFieldValue(path: string, v: unknown): string {
  if (path === 'ahtPenaltyFactorPct') return `${v}%`;
  if (path === 'ahtMinSamples') return `${v}单`;
  if (path === 'reopenWindowDays') return `${v}天`;
  return `${v}分`;
}
