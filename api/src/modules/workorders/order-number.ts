/**
 * 工单编号: the one place the order-number format lives. `GD` + the Asia/Shanghai date + a per-day counter
 * (one atomic $inc per number), e.g. GD20261201-000123. Every order — filed by a person, opened by the system
 * (复电) or an outage's incident order — takes its number here, from the same daily series.
 */
import { nextSeq } from '../events/counter.model';
import { shanghaiDate } from './sla.rules';

export const ORDER_NO_PATTERN = /^GD\d{8}-\d{6}$/;

/** The counter behind a day's numbers ('YYYYMMDD'). */
export const orderNoCounter = (day: string) => `workorder:${day}`;

export function formatOrderNo(day: string, seq: number): string {
  return `GD${day}-${String(seq).padStart(6, '0')}`;
}

/** The next number of the Shanghai day of `now`. */
export async function nextOrderNo(now: Date): Promise<string> {
  const day = shanghaiDate(now).replace(/-/g, '');
  return formatOrderNo(day, await nextSeq(orderNoCounter(day)));
}
