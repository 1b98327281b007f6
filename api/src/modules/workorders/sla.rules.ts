/**
 * SLA arithmetic (SPEC section 4) as configuration plus pure date maths. Deadlines are computed
 * when an order enters a state and stored on the order, so a restart never loses one.
 */
import type { Channel, OrderStatus, OrderType, ServiceSubtype } from './workorder.rules';
import { DEADLINE_KIND_LABELS } from '../../shared/labels';
import { HOLIDAY_YEARS } from '../settings/holidays.data';

export type AreaType = 'urban' | 'rural' | 'remote';
export type SupplyClass = 'residential' | 'lv_non_residential' | 'hv_single' | 'hv_dual';
export const SUPPLY_CLASSES = ['residential', 'lv_non_residential', 'hv_single', 'hv_dual'] as const;

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** China has had no DST since 1991: Shanghai local time is UTC+8 all year. */
const SHANGHAI_OFFSET = 8 * 60 * MIN;

export interface SlaConfig {
  faultDispatchMin: number;
  faultArrivalMin: Record<AreaType, number>;
  faultRestoreMin: Record<AreaType, number>;
  onlineFirstReplyMin: number;
  consultationAnswerMin: number;
  complaintContactMin: number;
  complaintReplyWorkingDays: number;
  reportReplyWorkingDays: number;
  opinionReplyWorkingDays: number;
  meterCheckWorkingDays: number;
  nameChangeWorkingDays: number;
  /** New connection and capacity change, whole process, by supply class. */
  connectionWorkingDays: Record<SupplyClass, number>;
  /** 'At once': a remote reconnect for smart-prepaid accounts, a field visit otherwise. */
  reconnectionRemoteMin: number;
  reconnectionOnSiteMin: number;
  returnVisitMin: number;
  /** Fractions of the allowed time at which a warning fires; 1.0 (overdue) is implicit. */
  warnAt: [number, number];
  calendar: WorkCalendar;
}

/** The SLA rules without the calendar: what the `sla` setting stores (the calendar is a setting of its own). */
export type SlaRules = Omit<SlaConfig, 'calendar'>;

/** Dates are Asia/Shanghai calendar days, 'YYYY-MM-DD'. */
export interface WorkCalendar {
  holidays: string[];
  /** Weekend days that are working days (调休上班). */
  makeupWorkdays: string[];
}

/**
 * The holiday calendar a fresh database starts with (version 1 of the `calendar` setting), built from the
 * per-year data table; admins publish later versions (the official list of a new year) on screen.
 */
export const SAMPLE_CALENDAR: WorkCalendar = {
  holidays: HOLIDAY_YEARS.flatMap((y) => y.holidays),
  makeupWorkdays: HOLIDAY_YEARS.flatMap((y) => y.makeupWorkdays),
};

export const DEFAULT_SLA: SlaConfig = {
  faultDispatchMin: 5,
  faultArrivalMin: { urban: 45, rural: 90, remote: 120 },
  faultRestoreMin: { urban: 180, rural: 240, remote: 240 },
  onlineFirstReplyMin: 30,
  consultationAnswerMin: 120,
  complaintContactMin: 24 * 60,
  complaintReplyWorkingDays: 5,
  reportReplyWorkingDays: 5,
  opinionReplyWorkingDays: 5,
  meterCheckWorkingDays: 5,
  nameChangeWorkingDays: 5,
  connectionWorkingDays: { residential: 5, lv_non_residential: 6, hv_single: 22, hv_dual: 32 },
  reconnectionRemoteMin: 30,
  reconnectionOnSiteMin: 24 * 60,
  returnVisitMin: 24 * 60,
  warnAt: [0.5, 0.8],
  calendar: SAMPLE_CALENDAR,
};

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  if (cal.makeupWorkdays.includes(date)) return true;
  if (cal.holidays.includes(date)) return false;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/**
 * n working days after `start`, at the same Shanghai time of day: the day of receipt does not count,
 * weekends and holidays are skipped, makeup workdays count. Friday 10:00 + 1 → Monday 10:00.
 */
export function addWorkingDays(start: Date, n: number, cal: WorkCalendar): Date {
  let t = start.getTime();
  let left = n;
  // A guard against a calendar that marks everything a holiday.
  for (let i = 0; left > 0 && i < 3660; i++) {
    t += DAY;
    if (isWorkingDay(shanghaiDate(new Date(t)), cal)) left--;
  }
  return new Date(t);
}

/** Which deadline an order is running against, and how it is measured. */
export const DEADLINE_KINDS = [
  'dispatch',
  'arrival',
  'restoration',
  'first_reply',
  'answer',
  'contact',
  'reply',
  'completion',
  'reconnect',
  'return_visit',
  'visit',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_LABELS: Record<DeadlineKind, string> = DEADLINE_KIND_LABELS;

export interface DeadlineContext {
  type: OrderType;
  subtype: ServiceSubtype | null;
  status: OrderStatus;
  channel: Channel;
  areaType: AreaType;
  supplyClass: SupplyClass;
  paymentMode: 'postpaid' | 'prepaid' | null;
  now: Date;
  /**
   * Start of the promise the customer was given (report/receipt time, or the reopen time). Kinds
   * measured "from the report" (arrival, answers) run from here, not from the latest step.
   */
  clockStartedAt: Date;
  /** Time spent paused since clockStartedAt: added so a pause never eats into the promise. */
  pausedMsSinceClock: number;
}

export interface Deadline {
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
}

type Rule = { kind: DeadlineKind; anchor: 'clock' | 'step'; minutes?: number; workingDays?: number } | null;

const isOnline = (c: Channel) => c === 'miniprogram' || c === 'web';
const WORKING: readonly OrderStatus[] = ['received', 'accepted', 'replied', 'processing'];
const FIRST: readonly OrderStatus[] = ['received', 'accepted'];

function ruleFor(ctx: DeadlineContext, cfg: SlaConfig): Rule {
  const { type, status } = ctx;
  if (type === 'fault_repair') {
    if (status === 'reported') return { kind: 'dispatch', anchor: 'step', minutes: cfg.faultDispatchMin };
    if (status === 'dispatched' || status === 'accepted') return { kind: 'arrival', anchor: 'clock', minutes: cfg.faultArrivalMin[ctx.areaType] };
    if (status === 'arrived') return { kind: 'restoration', anchor: 'step', minutes: cfg.faultRestoreMin[ctx.areaType] };
    if (status === 'resolved') return { kind: 'return_visit', anchor: 'step', minutes: cfg.returnVisitMin };
    return null;
  }
  if (status === 'resolved') {
    return type === 'complaint' || type === 'report' || type === 'service_request'
      ? { kind: 'return_visit', anchor: 'step', minutes: cfg.returnVisitMin }
      : null;
  }
  if (!WORKING.includes(status)) return null;
  const firstReply: Rule =
    FIRST.includes(status) && isOnline(ctx.channel) ? { kind: 'first_reply', anchor: 'clock', minutes: cfg.onlineFirstReplyMin } : null;
  switch (type) {
    case 'consultation':
      return firstReply ?? { kind: 'answer', anchor: 'clock', minutes: cfg.consultationAnswerMin };
    case 'complaint':
      return FIRST.includes(status)
        ? { kind: 'contact', anchor: 'clock', minutes: cfg.complaintContactMin }
        : { kind: 'reply', anchor: 'clock', workingDays: cfg.complaintReplyWorkingDays };
    case 'report':
      return firstReply ?? { kind: 'reply', anchor: 'clock', workingDays: cfg.reportReplyWorkingDays };
    case 'opinion':
      return firstReply ?? { kind: 'reply', anchor: 'clock', workingDays: cfg.opinionReplyWorkingDays };
    case 'praise':
      return firstReply;
    case 'service_request': {
      const days =
        ctx.subtype === 'meter_check'
          ? cfg.meterCheckWorkingDays
          : ctx.subtype === 'name_change'
            ? cfg.nameChangeWorkingDays
            : cfg.connectionWorkingDays[ctx.supplyClass];
      return { kind: 'completion', anchor: 'clock', workingDays: days };
    }
    case 'reconnection':
      return {
        kind: 'reconnect',
        anchor: 'clock',
        minutes: ctx.paymentMode === 'prepaid' ? cfg.reconnectionRemoteMin : cfg.reconnectionOnSiteMin,
      };
    case 'return_visit':
      return { kind: 'visit', anchor: 'clock', minutes: cfg.returnVisitMin };
  }
  return null;
}

/** The deadline an order runs against in `ctx.status`, or null when no clock runs (closed, visited…). */
export function deadlineFor(ctx: DeadlineContext, cfg: SlaConfig = DEFAULT_SLA): Deadline | null {
  const rule = ruleFor(ctx, cfg);
  if (!rule) return null;
  const startedAt = rule.anchor === 'clock' ? ctx.clockStartedAt : ctx.now;
  const paused = rule.anchor === 'clock' ? ctx.pausedMsSinceClock : 0;
  const base =
    rule.workingDays !== undefined ? addWorkingDays(startedAt, rule.workingDays, cfg.calendar) : new Date(startedAt.getTime() + rule.minutes! * MIN);
  return { kind: rule.kind, startedAt, dueAt: new Date(base.getTime() + paused) };
}

/** When the 50% and 80% warnings fall due (overdue is dueAt itself). */
export function warningTimes(d: { startedAt: Date; dueAt: Date }, cfg: SlaConfig = DEFAULT_SLA): { warn50Due: Date; warn80Due: Date } {
  const span = d.dueAt.getTime() - d.startedAt.getTime();
  return {
    warn50Due: new Date(d.startedAt.getTime() + Math.round(span * cfg.warnAt[0])),
    warn80Due: new Date(d.startedAt.getTime() + Math.round(span * cfg.warnAt[1])),
  };
}

/**
 * A deadline as it ended: written to the order's `slaHistory` by the same update that replaces or clears it, so
 * on-time rates (quality reports) read what happened instead of recomputing promises. Met when it ended by its
 * due time (a pause has already moved dueAt by the time the clock stood still).
 */
export interface DeadlineOutcome {
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
  endedAt: Date;
  met: boolean;
}

/** The outcome of the running deadline `d` ending at `now` (null: no deadline was running). */
export function endDeadline(d: { kind: DeadlineKind; startedAt: Date; dueAt: Date } | null | undefined, now: Date): DeadlineOutcome | null {
  if (!d) return null;
  const dueAt = new Date(d.dueAt);
  return { kind: d.kind, startedAt: new Date(d.startedAt), dueAt, endedAt: now, met: now.getTime() <= dueAt.getTime() };
}

export type SlaMark = 'warn50' | 'warn80' | 'overdue';
export const SLA_MARKS: readonly SlaMark[] = ['warn50', 'warn80', 'overdue'];

/** The countdown shown beside every open order. */
export function countdownOf(
  d: { kind: DeadlineKind; dueAt: Date; startedAt: Date; warn80Due?: Date | null } | null | undefined,
  now: Date,
  paused: boolean,
): { kind: DeadlineKind; dueAt: string; startedAt: string; warnFrom: string | null; label: string; overdue: boolean; paused: boolean } | null {
  if (!d) return null;
  const left = d.dueAt.getTime() - now.getTime();
  const overdue = left < 0;
  const abs = Math.abs(left);
  const h = Math.floor(abs / 3600_000);
  const m = Math.floor((abs % 3600_000) / MIN);
  const span = h >= 48 ? `${Math.floor(h / 24)}天${h % 24}小时` : h > 0 ? `${h}小时${m}分钟` : `${m}分钟`;
  const label = paused
    ? `${DEADLINE_LABELS[d.kind]}（已挂起）`
    : overdue
      ? `${DEADLINE_LABELS[d.kind]}已超时${span}`
      : `${DEADLINE_LABELS[d.kind]}剩余${span}`;
  // startedAt and warnFrom (the 80% mark under the order's own SLA version) let screens colour the countdown without knowing the rules.
  return {
    kind: d.kind,
    dueAt: d.dueAt.toISOString(),
    startedAt: new Date(d.startedAt).toISOString(),
    warnFrom: d.warn80Due ? new Date(d.warn80Due).toISOString() : null,
    label,
    overdue,
    paused,
  };
}
