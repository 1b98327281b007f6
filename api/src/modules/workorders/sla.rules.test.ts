import { describe, expect, it } from 'vitest';
import { addWorkingDays, countdownOf, deadlineFor, DEFAULT_SLA, isWorkingDay, warningTimes, type DeadlineContext } from './sla.rules';

/** Shanghai wall-clock time as a Date. */
const sh = (s: string) => new Date(`${s}+08:00`);

const base: DeadlineContext = {
  type: 'fault_repair',
  subtype: null,
  status: 'reported',
  channel: 'miniprogram',
  areaType: 'urban',
  supplyClass: 'residential',
  paymentMode: 'postpaid',
  now: sh('2026-12-01T10:00:00'),
  clockStartedAt: sh('2026-12-01T10:00:00'),
  pausedMsSinceClock: 0,
};

describe('fault repair deadlines', () => {
  it('dispatch within 5 minutes of the report', () => {
    expect(deadlineFor(base)).toEqual({ kind: 'dispatch', startedAt: base.now, dueAt: sh('2026-12-01T10:05:00') });
  });

  it.each([
    ['urban', '10:45'],
    ['rural', '11:30'],
    ['remote', '12:00'],
  ] as const)('arrival %s: counted from the report, not from dispatch → %s', (areaType, due) => {
    const d = deadlineFor({ ...base, status: 'dispatched', areaType, now: sh('2026-12-01T10:04:00') })!;
    expect(d.kind).toBe('arrival');
    expect(d.dueAt).toEqual(sh(`2026-12-01T${due}:00`));
  });

  it('restoration after arrival: urban 3 h, rural 4 h', () => {
    const now = sh('2026-12-01T10:40:00');
    expect(deadlineFor({ ...base, status: 'arrived', now })!.dueAt).toEqual(sh('2026-12-01T13:40:00'));
    expect(deadlineFor({ ...base, status: 'arrived', areaType: 'rural', now })!.dueAt).toEqual(sh('2026-12-01T14:40:00'));
  });

  it('time spent paused (waiting for the customer) is added to a deadline measured from the report', () => {
    const d = deadlineFor({ ...base, status: 'accepted', pausedMsSinceClock: 20 * 60_000 })!;
    expect(d.dueAt).toEqual(sh('2026-12-01T11:05:00'));
  });

  it('warnings at 50% and 80% of the allowed time', () => {
    const d = deadlineFor({ ...base, status: 'dispatched' })!;
    const w = warningTimes(d);
    expect(w.warn50Due).toEqual(sh('2026-12-01T10:22:30'));
    expect(w.warn80Due).toEqual(sh('2026-12-01T10:36:00'));
  });

  it('no clock on visited or closed orders', () => {
    expect(deadlineFor({ ...base, status: 'visited' })).toBeNull();
    expect(deadlineFor({ ...base, status: 'closed' })).toBeNull();
  });
});

describe('desk deadlines', () => {
  it('online consultation: first reply 30 min, then the answer within 2 h of the question', () => {
    const c = { ...base, type: 'consultation' as const, status: 'received' as const };
    expect(deadlineFor(c)).toMatchObject({ kind: 'first_reply', dueAt: sh('2026-12-01T10:30:00') });
    expect(deadlineFor({ ...c, status: 'replied', now: sh('2026-12-01T10:20:00') })).toMatchObject({
      kind: 'answer',
      dueAt: sh('2026-12-01T12:00:00'),
    });
    expect(deadlineFor({ ...c, channel: 'phone' })).toMatchObject({ kind: 'answer' });
  });

  it('complaint: contact within 24 h, reply within 5 working days', () => {
    const c = { ...base, type: 'complaint' as const, status: 'received' as const };
    expect(deadlineFor(c)).toMatchObject({ kind: 'contact', dueAt: sh('2026-12-02T10:00:00') });
    // Tue 1 Dec + 5 working days = Tue 8 Dec (the weekend skipped).
    expect(deadlineFor({ ...c, status: 'replied' })).toMatchObject({ kind: 'reply', dueAt: sh('2026-12-08T10:00:00') });
  });

  it.each([
    ['new_connection', 'residential', '2026-12-08'],
    ['new_connection', 'lv_non_residential', '2026-12-09'],
    ['new_connection', 'hv_single', '2026-12-31'],
    ['meter_check', 'residential', '2026-12-08'],
  ] as const)('service request %s (%s) → %s', (subtype, supplyClass, due) => {
    const d = deadlineFor({ ...base, type: 'service_request', subtype, supplyClass, status: 'received' })!;
    expect(d.kind).toBe('completion');
    expect(d.dueAt).toEqual(sh(`${due}T10:00:00`));
  });

  it('reconnection at once: a remote reconnect for smart-prepaid accounts within 30 min', () => {
    expect(deadlineFor({ ...base, type: 'reconnection', status: 'received', paymentMode: 'prepaid' })!.dueAt).toEqual(sh('2026-12-01T10:30:00'));
  });
});

describe('working days (Asia/Shanghai, weekends and holidays skipped)', () => {
  const cal = DEFAULT_SLA.calendar;
  it.each([
    // start (Shanghai)        n  expected
    ['2026-12-04T10:00:00', 1, '2026-12-07T10:00:00'], // Friday → Monday, across a weekend
    ['2026-12-05T10:00:00', 1, '2026-12-07T10:00:00'], // received on Saturday
    ['2026-12-04T23:30:00', 1, '2026-12-07T23:30:00'], // late evening stays on the Shanghai date
    ['2026-09-30T09:00:00', 1, '2026-10-08T09:00:00'], // National Day 1–7 Oct
    ['2026-09-29T09:00:00', 5, '2026-10-12T09:00:00'], // 30 Sep, 8, 9, 10 (makeup Saturday), 12
    ['2026-09-18T09:00:00', 2, '2026-09-21T09:00:00'], // Sunday 20 Sep is a makeup workday
    ['2026-12-31T12:00:00', 1, '2027-01-04T12:00:00'], // New Year's Day and a weekend
    ['2026-12-01T10:00:00', 0, '2026-12-01T10:00:00'],
  ] as const)('%s + %i working days → %s', (start, n, expected) => {
    expect(addWorkingDays(sh(start), n, cal)).toEqual(sh(expected));
  });

  it('knows weekdays, weekends, holidays and makeup days', () => {
    expect(isWorkingDay('2026-12-01', cal)).toBe(true);
    expect(isWorkingDay('2026-12-05', cal)).toBe(false);
    expect(isWorkingDay('2026-10-01', cal)).toBe(false);
    expect(isWorkingDay('2026-10-10', cal)).toBe(true);
  });
});

describe('countdown', () => {
  it('labels time left and overdue time', () => {
    const d = { kind: 'arrival' as const, startedAt: sh('2026-12-01T10:00:00'), dueAt: sh('2026-12-01T10:45:00') };
    expect(countdownOf(d, sh('2026-12-01T10:20:00'), false)).toMatchObject({ label: '到达现场时限剩余25分钟', overdue: false });
    expect(countdownOf(d, sh('2026-12-01T12:00:00'), false)).toMatchObject({ label: '到达现场时限已超时1小时15分钟', overdue: true });
    expect(countdownOf(d, sh('2026-12-01T10:20:00'), true)!.label).toContain('已挂起');
  });
});
