import { describe, expect, it } from 'vitest';
import type { WorkCalendar } from '../workorders/sla.rules';
import { addServiceMinutes, inServiceHours, replyDueAt, serviceMsBetween, sideOf, warningDue } from './thread.rules';

const sh = (local: string) => new Date(`${local}:00+08:00`);
const plain: WorkCalendar = { holidays: [], makeupWorkdays: [] };
// 2026-12-02 is a Wednesday; 12-04 Friday, 12-05/06 the weekend, 12-07 Monday.
const withHoliday: WorkCalendar = { holidays: ['2026-12-07'], makeupWorkdays: [] };
const withMakeup: WorkCalendar = { holidays: [], makeupWorkdays: ['2026-12-05'] };

describe('the 30-minute reply promise counts service time only', () => {
  it('inside the morning: 30 clock minutes', () => {
    expect(replyDueAt(sh('2026-12-02T09:10'), plain)).toEqual(sh('2026-12-02T09:40'));
  });

  it('across the lunch hour: 11:50 is due at 13:20', () => {
    expect(replyDueAt(sh('2026-12-02T11:50'), plain)).toEqual(sh('2026-12-02T13:20'));
    // A message during lunch counts from 13:00.
    expect(replyDueAt(sh('2026-12-02T12:20'), plain)).toEqual(sh('2026-12-02T13:30'));
  });

  it('in the evening: 17:20 is due at 08:50 the next working day; 20:00 at 09:00', () => {
    expect(replyDueAt(sh('2026-12-02T17:20'), plain)).toEqual(sh('2026-12-03T08:50'));
    expect(replyDueAt(sh('2026-12-02T20:00'), plain)).toEqual(sh('2026-12-03T09:00'));
    expect(replyDueAt(sh('2026-12-03T06:00'), plain)).toEqual(sh('2026-12-03T09:00'));
  });

  it('over the weekend: Friday 17:20 is due Monday 08:50; a Saturday message Monday 09:00', () => {
    expect(replyDueAt(sh('2026-12-04T17:20'), plain)).toEqual(sh('2026-12-07T08:50'));
    expect(replyDueAt(sh('2026-12-05T10:00'), plain)).toEqual(sh('2026-12-07T09:00'));
  });

  it('over a holiday of the settings calendar, and on a makeup workday', () => {
    expect(replyDueAt(sh('2026-12-04T17:20'), withHoliday)).toEqual(sh('2026-12-08T08:50'));
    expect(replyDueAt(sh('2026-12-04T17:20'), withMakeup)).toEqual(sh('2026-12-05T08:50'));
  });

  it('exactly at closing time the reply is due at closing; the configured minutes are honoured', () => {
    expect(replyDueAt(sh('2026-12-02T17:00'), plain)).toEqual(sh('2026-12-02T17:30'));
    expect(replyDueAt(sh('2026-12-02T09:00'), plain, 120)).toEqual(sh('2026-12-02T11:00'));
    expect(addServiceMinutes(sh('2026-12-02T09:00'), 0, plain)).toEqual(sh('2026-12-02T09:00'));
  });

  it('service time waited skips lunch, nights and weekends', () => {
    expect(serviceMsBetween(sh('2026-12-02T11:50'), sh('2026-12-02T13:20'), plain)).toBe(30 * 60_000);
    expect(serviceMsBetween(sh('2026-12-04T17:20'), sh('2026-12-07T08:50'), plain)).toBe(30 * 60_000);
    expect(serviceMsBetween(sh('2026-12-05T09:00'), sh('2026-12-05T18:00'), plain)).toBe(0);
    expect(serviceMsBetween(sh('2026-12-02T10:00'), sh('2026-12-02T09:00'), plain)).toBe(0);
  });

  it('tells desk hours from the rest', () => {
    expect(inServiceHours(sh('2026-12-02T08:30'), plain)).toBe(true);
    expect(inServiceHours(sh('2026-12-02T12:30'), plain)).toBe(false);
    expect(inServiceHours(sh('2026-12-02T17:30'), plain)).toBe(false);
    expect(inServiceHours(sh('2026-12-05T10:00'), plain)).toBe(false);
    expect(inServiceHours(sh('2026-12-05T10:00'), withMakeup)).toBe(true);
  });

  it('a waiting message warns once: not before its deadline, not after an answer, not twice', () => {
    const due = sh('2026-12-02T09:40');
    expect(warningDue({ answeredAt: null, warnedAt: null, replyDueAt: due }, sh('2026-12-02T09:39'))).toBe(false);
    expect(warningDue({ answeredAt: null, warnedAt: null, replyDueAt: due }, sh('2026-12-02T09:40'))).toBe(true);
    expect(warningDue({ answeredAt: sh('2026-12-02T09:20'), warnedAt: null, replyDueAt: due }, sh('2026-12-02T10:00'))).toBe(false);
    expect(warningDue({ answeredAt: null, warnedAt: sh('2026-12-02T09:40'), replyDueAt: due }, sh('2026-12-02T10:00'))).toBe(false);
  });

  it('sides: enterprise users write as the customer, the account manager as the manager, nobody else', () => {
    expect(sideOf(['enterprise_electrician'])).toBe('customer');
    expect(sideOf(['account_manager'])).toBe('manager');
    expect(sideOf(['supervisor'])).toBeNull();
  });
});
