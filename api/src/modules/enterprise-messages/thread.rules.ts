/**
 * Rules of the enterprise ↔ account-manager message thread (企业客户经理留言), pure — no I/O.
 *
 * The 30-minute promise (seed 004: online requests get a first reply within 30 minutes; SPEC §4
 * `onlineFirstReplyMin`) counts only service time: working days of the settings calendar (weekends,
 * holidays and makeup workdays as the admins publish them) and the account managers' desk hours below,
 * in Asia/Shanghai. A message left at 17:20 on a Friday is due at 08:50 on Monday, not at 17:50.
 */
import { isWorkingDay, type WorkCalendar } from '../workorders/sla.rules';

const MIN = 60_000;
const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

export interface ServicePeriod {
  /** Minutes after local midnight (Asia/Shanghai). */
  from: number;
  to: number;
}

/**
 * The account managers' desk hours (客户经理服务时间), a named constant rather than a setting: 08:30–12:00 and
 * 13:00–17:30 Beijing time, with the lunch hour off. Change it here (and the text below) if the service changes.
 */
export const MANAGER_SERVICE_HOURS: readonly ServicePeriod[] = [
  { from: 8 * 60 + 30, to: 12 * 60 },
  { from: 13 * 60, to: 17 * 60 + 30 },
];
export const MANAGER_SERVICE_HOURS_TEXT = '工作日 08:30–12:00、13:00–17:30';

/** Longest message text. */
export const MAX_MESSAGE_CHARS = 2000;
/** Attachments per message. */
export const MAX_MESSAGE_ATTACHMENTS = 5;

export type ThreadSide = 'customer' | 'manager';

const localDay = (localMs: number) => new Date(localMs).toISOString().slice(0, 10);

/**
 * The instant at which `minutes` of service time have passed since `start`. Time outside the desk hours
 * and on non-working days does not count; a start outside them counts from the next opening.
 */
export function addServiceMinutes(start: Date, minutes: number, cal: WorkCalendar, hours: readonly ServicePeriod[] = MANAGER_SERVICE_HOURS): Date {
  let left = Math.max(0, minutes) * MIN;
  let cursor = start.getTime() + SHANGHAI; // local clock, as if UTC
  let dayStart = Math.floor(cursor / DAY) * DAY;
  // A guard against a calendar that marks everything a holiday: ten years of days.
  for (let i = 0; i < 3660; i++, dayStart += DAY) {
    if (!isWorkingDay(localDay(dayStart), cal)) continue;
    for (const p of hours) {
      const open = dayStart + p.from * MIN;
      const close = dayStart + p.to * MIN;
      if (cursor >= close) continue;
      const from = Math.max(cursor, open);
      if (left <= close - from) return new Date(from + left - SHANGHAI);
      left -= close - from;
      cursor = close;
    }
  }
  return new Date(cursor - SHANGHAI);
}

/** Service time (ms) between two instants: how long a message has really waited by the promise's clock. */
export function serviceMsBetween(from: Date, to: Date, cal: WorkCalendar, hours: readonly ServicePeriod[] = MANAGER_SERVICE_HOURS): number {
  if (to.getTime() <= from.getTime()) return 0;
  const a = from.getTime() + SHANGHAI;
  const b = to.getTime() + SHANGHAI;
  let total = 0;
  for (let dayStart = Math.floor(a / DAY) * DAY, i = 0; dayStart < b && i < 3660; dayStart += DAY, i++) {
    if (!isWorkingDay(localDay(dayStart), cal)) continue;
    for (const p of hours) {
      const s = Math.max(a, dayStart + p.from * MIN);
      const e = Math.min(b, dayStart + p.to * MIN);
      if (e > s) total += e - s;
    }
  }
  return total;
}

/** Whether `at` falls inside the desk hours of a working day. */
export function inServiceHours(at: Date, cal: WorkCalendar, hours: readonly ServicePeriod[] = MANAGER_SERVICE_HOURS): boolean {
  const local = at.getTime() + SHANGHAI;
  const dayStart = Math.floor(local / DAY) * DAY;
  if (!isWorkingDay(localDay(dayStart), cal)) return false;
  const m = (local - dayStart) / MIN;
  return hours.some((p) => m >= p.from && m < p.to);
}

/** When a customer message sent at `sentAt` must have its reply (the manager is warned then). */
export function replyDueAt(sentAt: Date, cal: WorkCalendar, replyMinutes = 30): Date {
  return addServiceMinutes(sentAt, replyMinutes, cal);
}

/**
 * Whether a waiting message is due for its one warning now: not answered, not warned before, and its
 * service-time deadline passed.
 */
export function warningDue(m: { answeredAt: Date | null; warnedAt: Date | null; replyDueAt: Date | null }, now: Date): boolean {
  return !m.answeredAt && !m.warnedAt && !!m.replyDueAt && m.replyDueAt.getTime() <= now.getTime();
}

/** Which side a message from these roles is written on (null: the roles may not write in a thread). */
export function sideOf(roles: readonly string[]): ThreadSide | null {
  if (roles.some((r) => r === 'enterprise_admin' || r === 'enterprise_finance' || r === 'enterprise_electrician')) return 'customer';
  if (roles.includes('account_manager')) return 'manager';
  return null;
}
