/**
 * Smart-prepaid (智能交费) rules, pure: daily settlement against the balance, the customer's two alert
 * thresholds, the below-zero notice, disconnection the next day if still negative, reconnection as soon
 * as a payment brings the balance back to zero or above.
 */
import { computeCharge, shanghaiDay, type Tariff } from './tariff.rules';

/** The thresholds a customer may choose from (yuan), and the default pair (30 and 10 yuan). */
export const THRESHOLD_CHOICES_YUAN = [200, 120, 100, 50, 30, 10] as const;
export const DEFAULT_THRESHOLDS_FEN: [number, number] = [3000, 1000];

export function validateThresholds(yuan: number[]): [number, number] {
  const uniq = [...new Set(yuan)];
  if (uniq.length !== 2 || !uniq.every((y) => (THRESHOLD_CHOICES_YUAN as readonly number[]).includes(y))) {
    throw new Error(`请从 ${THRESHOLD_CHOICES_YUAN.join('/')} 元中选择两个不同的提醒金额`);
  }
  const fen = uniq.map((y) => y * 100).sort((a, b) => b - a);
  return [fen[0], fen[1]];
}

/**
 * A day's deduction so that a month's deductions always sum to the month-to-date charge rounded once:
 * round(mtd after) − round(mtd before). Tiered tariffs count kWh since the tier year began.
 */
export function dailyDeduction(t: Tariff, p: { ytdKwhBefore: number; mtdMilliFenBefore: number; kwh: number }) {
  const c = computeCharge(t, t.kind === 'tou' ? { bands: { peak: 0, flat: p.kwh, valley: 0 } } : { kwh: p.kwh, ytdKwh: p.ytdKwhBefore });
  const mtdAfter = p.mtdMilliFenBefore + c.totalMilliFen;
  const fen = Math.floor((2 * mtdAfter + 1000) / 2000) - Math.floor((2 * p.mtdMilliFenBefore + 1000) / 2000);
  return { chargeFen: fen, mtdMilliFenAfter: mtdAfter, lines: c.lines };
}

export type PrepaidNotice = { kind: 'threshold'; thresholdFen: number } | { kind: 'below_zero' } | { kind: 'disconnected' } | { kind: 'reconnected' };

export interface PrepaidState {
  balanceFen: number;
  supplyState: 'normal' | 'arrears' | 'disconnected';
  /** Shanghai day the balance first went below zero (cleared when it is back ≥ 0). */
  negativeSinceDay: string | null;
}

/** What a balance change means: alerts crossed downward, the below-zero notice. */
export function noticesForBalanceChange(before: number, after: number, thresholdsFen: readonly number[]): PrepaidNotice[] {
  const out: PrepaidNotice[] = [];
  for (const t of [...thresholdsFen].sort((a, b) => b - a)) {
    if (before > t && after <= t) out.push({ kind: 'threshold', thresholdFen: t });
  }
  if (before >= 0 && after < 0) out.push({ kind: 'below_zero' });
  return out;
}

/** After the daily settlement of `day`: the new state and the notices to send. */
export function afterSettlement(
  s: PrepaidState,
  chargeFen: number,
  thresholdsFen: readonly number[],
  day: string,
): { state: PrepaidState; notices: PrepaidNotice[] } {
  const balanceFen = s.balanceFen - chargeFen;
  const notices = noticesForBalanceChange(s.balanceFen, balanceFen, thresholdsFen);
  let negativeSinceDay = balanceFen < 0 ? (s.negativeSinceDay ?? day) : null;
  let supplyState = s.supplyState;
  // Negative since an earlier day and still negative today → disconnect (the day after the notice).
  if (balanceFen < 0 && negativeSinceDay !== null && negativeSinceDay < day && supplyState !== 'disconnected') {
    supplyState = 'disconnected';
    notices.push({ kind: 'disconnected' });
  } else if (balanceFen < 0 && supplyState === 'normal') {
    supplyState = 'arrears';
  }
  if (balanceFen >= 0) negativeSinceDay = null;
  return { state: { balanceFen, supplyState, negativeSinceDay }, notices };
}

/** After a recharge: reconnect at once when the balance is back to zero or above. */
export function afterRecharge(s: PrepaidState, amountFen: number): { state: PrepaidState; reconnect: boolean } {
  const balanceFen = s.balanceFen + amountFen;
  if (balanceFen < 0) return { state: { ...s, balanceFen }, reconnect: false };
  return { state: { balanceFen, supplyState: 'normal', negativeSinceDay: null }, reconnect: s.supplyState === 'disconnected' };
}

/** Estimated days the balance lasts at the recent average daily charge; null when it cannot be told. */
export function estimatedDaysLeft(balanceFen: number, recentDailyChargesFen: number[]): number | null {
  const used = recentDailyChargesFen.filter((c) => c > 0);
  if (used.length === 0) return null;
  if (balanceFen <= 0) return 0;
  const total = used.reduce((a, b) => a + b, 0);
  // balance / (total / n), floor, in integers.
  return Math.floor((balanceFen * used.length) / total);
}

export const today = (now = new Date()) => shanghaiDay(now);
