import { describe, expect, it } from 'vitest';
import {
  addWorkingMs,
  applicationOnTime,
  availableAppActions,
  canWithdraw,
  milestonePath,
  milestoneLate,
  newMilestones,
  pauseMilestone,
  planAppStep,
  promiseWorkingDays,
  requiredDocs,
  resumeMilestone,
  startMilestone,
  workingDaysLeft,
  workingMsBetween,
  type AppLike,
  type MilestoneState,
} from './application.rules';
import { DEFAULT_SLA, type WorkCalendar } from '../workorders/sla.rules';

/** Shanghai wall clock → instant. */
const sh = (s: string) => new Date(`${s}+08:00`);
const H = 3600_000;
// New Year's Eve and Day off (Thursday, Friday), then the weekend; Sunday 2027-01-10 is a makeup workday.
const cal: WorkCalendar = { holidays: ['2026-12-31', '2027-01-01'], makeupWorkdays: ['2027-01-10'] };

describe('working-day arithmetic of a milestone', () => {
  it('counts only working-day time across a holiday and a weekend', () => {
    // Wed 16:00 → Mon 09:00: 8 h on Wednesday, nothing Thu–Sun, 9 h on Monday.
    expect(workingMsBetween(sh('2026-12-30T16:00:00'), sh('2027-01-04T09:00:00'), cal)).toBe(17 * H);
    expect(addWorkingMs(sh('2026-12-30T16:00:00'), 17 * H, cal)).toEqual(sh('2027-01-04T09:00:00'));
    // A makeup Sunday is a working day.
    expect(workingMsBetween(sh('2027-01-09T12:00:00'), sh('2027-01-11T00:00:00'), cal)).toBe(24 * H);
  });

  it('moves the deadline by the paused working time across a holiday and a weekend', () => {
    const [m0] = newMilestones([{ key: 'survey', workingDays: 3 }]);
    // Started Tuesday 10:00: Wed (1), Thu/Fri holiday, weekend, Mon (2), Tue (3) → Tue 2027-01-05 10:00.
    let m = startMilestone(m0!, sh('2026-12-29T10:00:00'), cal);
    expect(m.dueAt).toEqual(sh('2027-01-05T10:00:00'));
    // Documents requested Wed 16:00, supplied Mon 09:00: 17 working hours stood still.
    m = pauseMilestone(m, sh('2026-12-30T16:00:00'));
    expect(workingDaysLeft(m, sh('2027-01-03T12:00:00'), cal)).toBe(workingDaysLeft(m, sh('2026-12-30T16:00:00'), cal));
    expect(milestoneLate(m, sh('2027-01-20T00:00:00'))).toBe(false); // paused: the clock stands still
    m = resumeMilestone(m, sh('2027-01-04T09:00:00'), cal);
    expect(m.pauses[0]!.workingMs).toBe(17 * H);
    // Tue 10:00 + 17 h working time = Tue 24:00 (14 h) + 3 h on Wednesday.
    expect(m.dueAt).toEqual(sh('2027-01-06T03:00:00'));
    expect(milestoneLate({ ...m, doneAt: sh('2027-01-06T02:00:00') }, sh('2027-01-07T00:00:00'))).toBe(false);
    expect(milestoneLate({ ...m, doneAt: sh('2027-01-06T04:00:00') }, sh('2027-01-07T00:00:00'))).toBe(true);
  });
});

describe('paths and promises', () => {
  it('short paths add up to the whole promise; high voltage has every published link', () => {
    const sum = (k: Parameters<typeof milestonePath>) => milestonePath(...k).reduce((s, m) => s + m.workingDays, 0);
    expect(sum(['new_connection', 'residential'])).toBe(promiseWorkingDays('new_connection', 'residential', DEFAULT_SLA));
    expect(sum(['new_connection', 'lv_non_residential'])).toBe(6);
    expect(sum(['meter_check', 'residential'])).toBe(promiseWorkingDays('meter_check', 'residential', DEFAULT_SLA));
    expect(milestonePath('new_connection', 'hv_single').map((m) => [m.key, m.workingDays])).toEqual([
      ['accept', 1],
      ['survey', 2],
      ['plan', 15],
      ['design', 10],
      ['mid_check', 5],
      ['completion', 5],
      ['install', 5],
    ]);
    expect(milestonePath('new_connection', 'hv_dual').find((m) => m.key === 'plan')!.workingDays).toBe(30);
    expect(promiseWorkingDays('new_connection', 'hv_dual', DEFAULT_SLA)).toBe(32);
    expect(requiredDocs('capacity_change', 'enterprise')).toContain('licence');
    expect(requiredDocs('new_connection', 'resident')).toEqual(['id_card', 'property']);
  });
});

function app(ms: MilestoneState[], current: number, phase: AppLike['phase'] = 'in_progress'): AppLike {
  return { milestones: ms, current, phase };
}
function run(days: number[], doneAfterDays: number[]): MilestoneState[] {
  // Back-to-back milestones from Monday 2027-01-11 09:00, each done after the given number of working days.
  let t = sh('2027-01-11T09:00:00');
  return newMilestones(days.map((d) => ({ key: 'survey', workingDays: d }))).map((m0, i) => {
    const m = startMilestone(m0, t, cal);
    const done = addWorkingMs(t, doneAfterDays[i]! * 24 * H, cal);
    t = done;
    return { ...m, doneAt: done };
  });
}

describe('on time only if every milestone is', () => {
  it('one late milestone makes the application late even when the total is within the promise', () => {
    const onTime = run([1, 2, 2], [1, 1, 2]);
    expect(applicationOnTime(onTime, sh('2027-02-01T00:00:00'), true)).toBe(true);
    // Acceptance took 1.5 days of a 1-day clock; the rest was fast, the whole took 3.5 of 5 days.
    const lateAtOne = run([1, 2, 2], [1.5, 1, 1]);
    expect(lateAtOne.map((m) => milestoneLate(m, sh('2027-02-01T00:00:00')))).toEqual([true, false, false]);
    expect(applicationOnTime(lateAtOne, sh('2027-02-01T00:00:00'), true)).toBe(false);
  });
});

describe('withdraw and refuse', () => {
  const ms = newMilestones(milestonePath('new_connection', 'residential'));
  it('the customer withdraws before installation, not after', () => {
    expect(canWithdraw(app(ms, 0))).toBe(true);
    expect(canWithdraw(app(ms, 1, 'waiting_customer'))).toBe(true);
    expect(planAppStep(app(ms, 1), 'withdraw', ['customer'])).toMatchObject({ phase: 'withdrawn', closed: true });
    expect(canWithdraw(app(ms, 2))).toBe(false);
    expect(() => planAppStep(app(ms, 2), 'withdraw', ['customer'])).toThrow(/不能撤回/);
    expect(() => planAppStep(app(ms, 3, 'completed'), 'withdraw', ['customer'])).toThrow(/已办结/);
    expect(availableAppActions(app(ms, 2), ['customer'])).not.toContain('withdraw');
    expect(() => planAppStep(app(ms, 0), 'withdraw', ['agent'])).toThrow(/无权/);
  });
  it('a refusal needs a supervisor and a reason', () => {
    expect(() => planAppStep(app(ms, 0), 'refuse', ['agent'], { reason: '资料不全' })).toThrow(/值班长/);
    expect(() => planAppStep(app(ms, 0), 'refuse', ['supervisor'])).toThrow(/原因/);
    expect(planAppStep(app(ms, 0), 'refuse', ['supervisor'], { reason: '地址不在供电范围' })).toMatchObject({ phase: 'refused' });
  });
  it('documents pause the utility and hand the turn to the customer', () => {
    expect(planAppStep(app(ms, 1), 'requestDocs', ['agent'], { docKinds: ['property'], notes: '请补充租赁合同' }).phase).toBe('waiting_customer');
    expect(() => planAppStep(app(ms, 1, 'waiting_customer'), 'complete', ['agent'])).toThrow(/待您补充资料/);
    expect(planAppStep(app(ms, 1, 'waiting_customer'), 'supplyDocs', ['customer'], { fileIds: ['x'] }).phase).toBe('in_progress');
    expect(planAppStep(app(ms, 2), 'complete', ['agent'])).toMatchObject({ phase: 'completed', finished: true });
  });
});
