'use client';

import type { AppRouter } from '@power/api';
import type { inferRouterOutputs } from '@trpc/server';

type Out = inferRouterOutputs<AppRouter>;
export type Bill = Out['billing']['bills'][number];
export type BillDetail = Out['billing']['bill'];
export type UsagePoint = Out['billing']['usage'][number];
export type PrepaidStatus = Out['billing']['prepaid'];
export type PaymentView = Out['billing']['paymentStatus'];
/** A payment history row: the payment plus its e-invoice number once issued. */
export type PaymentHistoryRow = Out['billing']['payments'][number];
export type CreatedPayment = Out['billing']['createPayment'];
export type PayForInfo = Out['billing']['payFor'];
/** A payment as the staff console lists it (holder masked, whether staff may refund it). */
export type StaffPayment = Out['billing']['staffPayments'][number];

/** The two-of-six balance alert choices (元), per the API's prepaid rules. */
export const THRESHOLD_CHOICES_YUAN = [200, 120, 100, 50, 30, 10] as const;

/** Open (not yet final) payment states: keep polling. */
export const OPEN_PAYMENT = new Set(['created', 'paying']);

/** "2026-11" → "2026年11月". */
export function formatPeriod(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `${m[1]}年${Number(m[2])}月` : period;
}

/**
 * "12.5" / "100" → fen (integer), or null when not a valid 元 amount with at most two decimals.
 * String arithmetic only (no float multiplication).
 */
export function yuanToFen(input: string): number | null {
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** milli-fen → fen string via integer arithmetic, half up (display of detail lines). */
export function milliFenToFen(mf: number): number {
  return Math.floor((mf + 500) / 1000);
}
