/**
 * The warning board's and the 督办 inbox's rules, pure (SPEC §3.6 "Early warnings", seed 004).
 */
import { DomainError } from '../../lib/errors';

// ---------------------------------------------------------------------------------------------
// Orders approaching their deadline: before breach, not after

/** Also near when fewer than this many minutes are left, even before the 80% mark (long deadlines). */
export const NEAR_DUE_MINUTES = 30;

export interface DeadlineView {
  dueAt: Date;
  warn80Due: Date;
  paused: boolean;
}

/** Past its 80% mark (or within NEAR_DUE_MINUTES of due) and NOT yet overdue; a paused clock is not running out. */
export function isNearDeadline(d: DeadlineView, now: Date, withinMin = NEAR_DUE_MINUTES): boolean {
  if (d.paused) return false;
  const t = now.getTime();
  const due = new Date(d.dueAt).getTime();
  if (due <= t) return false; // breached: the 督办 inbox's, not a warning any more
  return new Date(d.warn80Due).getTime() <= t || due - t <= withinMin * 60_000;
}

/** The near-deadline ones, nearest due first. */
export function selectNearDeadline<T extends { deadline: DeadlineView }>(orders: readonly T[], now: Date, withinMin = NEAR_DUE_MINUTES): T[] {
  return orders
    .filter((o) => isNearDeadline(o.deadline, now, withinMin))
    .sort((a, b) => new Date(a.deadline.dueAt).getTime() - new Date(b.deadline.dueAt).getTime());
}

// ---------------------------------------------------------------------------------------------
// Backlog per region against crew capacity

export interface BacklogRow {
  regionId: string;
  regionName: string;
  /** Open field orders (fault reports not yet resolved) in the region. */
  open: number;
  /** Sum of the region's crews' capacity (orders at once). */
  capacity: number;
  crews: number;
  /** open ÷ capacity; null when the region has no crew (any open order is then over). */
  ratio: number | null;
  over: boolean;
}

export function backlogRows(
  regions: readonly { id: string; name: string }[],
  crews: readonly { regionId: string; capacity: number }[],
  openByRegion: ReadonlyMap<string, number>,
): BacklogRow[] {
  return regions
    .map((r) => {
      const mine = crews.filter((c) => c.regionId === r.id);
      const capacity = mine.reduce((s, c) => s + Math.max(0, c.capacity), 0);
      const open = openByRegion.get(r.id) ?? 0;
      const ratio = capacity > 0 ? open / capacity : null;
      return { regionId: r.id, regionName: r.name, open, capacity, crews: mine.length, ratio, over: capacity > 0 ? open > capacity : open > 0 };
    })
    .sort((a, b) => Number(b.over) - Number(a.over) || (b.ratio ?? Number.POSITIVE_INFINITY) - (a.ratio ?? Number.POSITIVE_INFINITY));
}

// ---------------------------------------------------------------------------------------------
// Customers turning sensitive

export const SENSITIVE_COMPLAINTS = 2;
export const SENSITIVE_COMPLAINT_DAYS = 365;
export const SENSITIVE_REPEAT_CONTACTS = 3;
export const SENSITIVE_REPEAT_DAYS = 7;

export type SensitiveReason = 'complaints_12m' | 'repeat_contacts_7d';

export interface Contact {
  orderId: string;
  orderNo: string;
  type: string;
  at: Date;
}

export interface SensitiveVerdict {
  reason: SensitiveReason;
  /** The orders that made it so (numbers), oldest first. */
  orderNos: string[];
  windowDays: number;
}

const DAY = 86_400_000;

/**
 * ≥2 complaints in the 12 months up to `now`, or ≥3 orders (any type) within some 7 days; the complaint rule wins
 * when both hold. Null when neither does.
 */
export function sensitiveVerdict(contacts: readonly Contact[], now: Date): SensitiveVerdict | null {
  const t = now.getTime();
  const sorted = [...contacts].filter((c) => new Date(c.at).getTime() <= t).sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  const complaints = sorted.filter((c) => c.type === 'complaint' && t - new Date(c.at).getTime() <= SENSITIVE_COMPLAINT_DAYS * DAY);
  if (complaints.length >= SENSITIVE_COMPLAINTS)
    return { reason: 'complaints_12m', orderNos: complaints.map((c) => c.orderNo), windowDays: SENSITIVE_COMPLAINT_DAYS };
  // Any window of 7 days holding 3 orders: slide over them (a window ends at each order).
  for (let i = SENSITIVE_REPEAT_CONTACTS - 1; i < sorted.length; i++) {
    const first = sorted[i - SENSITIVE_REPEAT_CONTACTS + 1];
    if (new Date(sorted[i].at).getTime() - new Date(first.at).getTime() <= SENSITIVE_REPEAT_DAYS * DAY) {
      const inWindow = sorted.slice(i - SENSITIVE_REPEAT_CONTACTS + 1, i + 1);
      return { reason: 'repeat_contacts_7d', orderNos: inWindow.map((c) => c.orderNo), windowDays: SENSITIVE_REPEAT_DAYS };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// 督办 items: 待处理 → 已签收 → 已办结

export const SUPERVISION_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type SupervisionState = (typeof SUPERVISION_STATES)[number];
export type SupervisionAction = 'acknowledge' | 'comment' | 'urge';

/** Whether a person may take `action` on an item in `state` (resolution is the order's, never a person's). */
export function assertSupervisionAction(state: SupervisionState, action: SupervisionAction): void {
  if (state === 'resolved') throw new DomainError('CONFLICT', '该督办已办结');
  if (action === 'acknowledge' && state !== 'open') throw new DomainError('CONFLICT', '该督办已签收');
}

/** Statuses at which the order's 督办 is done. */
export const RESOLVING_STATUSES: readonly string[] = ['resolved', 'visited', 'closed'];
