/**
 * 合并缴费 rules (pure): how many bills one order may cover, what a line owes, and what a settled
 * order's outcome is (bills it paid, bills refunded because they were paid elsewhere meanwhile).
 */

/** Bills one batch order may cover. */
export const MAX_BATCH_BILLS = 100;

/** How long a batch attempt holds the locks on its bills (covers closing old orders and the prepay call). */
export const BATCH_LOCK_MS = 60_000;

export type BatchOutcome = 'settled' | 'refunded';

export interface BatchLineFacts {
  billFen: number;
  lateFeeFen: number;
  outcome?: BatchOutcome | string | null;
}

/** A line's amount: the bill plus its late fee fixed at order time. */
export const lineTotalFen = (l: Pick<BatchLineFacts, 'billFen' | 'lateFeeFen'>) => l.billFen + l.lateFeeFen;

/** The order's totals from its lines. */
export function batchTotals(lines: readonly Pick<BatchLineFacts, 'billFen' | 'lateFeeFen'>[]) {
  let billFen = 0;
  let lateFeeFen = 0;
  for (const l of lines) {
    billFen += l.billFen;
    lateFeeFen += l.lateFeeFen;
  }
  return { billFen, lateFeeFen, totalFen: billFen + lateFeeFen };
}

/**
 * Once every line has an outcome: what is refunded (the lines paid elsewhere, bill and late fee) and the
 * credit result the payment records. null while some line is still unsettled.
 */
export function batchSettlement(
  lines: readonly BatchLineFacts[],
): { refundFen: number; result: 'batch_paid' | 'batch_partial_refund' | 'batch_refunded' } | null {
  if (!lines.length || lines.some((l) => l.outcome !== 'settled' && l.outcome !== 'refunded')) return null;
  const refunded = lines.filter((l) => l.outcome === 'refunded');
  const refundFen = refunded.reduce((s, l) => s + lineTotalFen(l), 0);
  return {
    refundFen,
    result: refunded.length === 0 ? 'batch_paid' : refunded.length === lines.length ? 'batch_refunded' : 'batch_partial_refund',
  };
}

/** Ids once each, in a fixed order (locks are taken in this order, so two overlapping attempts never both fail). */
export function normaliseBillIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map((s) => s.toLowerCase()))].sort();
}
