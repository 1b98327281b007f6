import { describe, expect, it } from 'vitest';
import { assertSupervisionAction, backlogRows, isNearDeadline, selectNearDeadline, sensitiveVerdict } from './warning.rules';

const T0 = new Date('2026-12-02T02:00:00Z');
const min = (n: number) => new Date(T0.getTime() + n * 60_000);
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

describe('orders approaching their deadline', () => {
  // A 45-minute arrival started 40 minutes ago: past its 80% mark (36 min), 5 minutes left.
  const near = { id: 'a', deadline: { dueAt: min(5), warn80Due: min(-4), paused: false } };
  // 24 h contact, 2 h in: before 80%, far from due.
  const early = { id: 'b', deadline: { dueAt: min(22 * 60), warn80Due: min(17 * 60), paused: false } };
  // Breached a minute ago: not a warning any more (it is the 督办 inbox's).
  const late = { id: 'c', deadline: { dueAt: min(-1), warn80Due: min(-10), paused: false } };
  // Within 30 minutes of due though before 80% (a long deadline's last half hour).
  const soon = { id: 'd', deadline: { dueAt: min(20), warn80Due: min(30), paused: false } };
  const paused = { id: 'e', deadline: { dueAt: min(3), warn80Due: min(-5), paused: true } };

  it('selects before breach only, nearest first', () => {
    expect(selectNearDeadline([early, soon, late, near, paused], T0).map((o) => o.id)).toEqual(['a', 'd']);
  });

  it('drops an order the moment it is due', () => {
    expect(isNearDeadline(near.deadline, min(4.99))).toBe(true);
    expect(isNearDeadline(near.deadline, min(5))).toBe(false);
  });
});

describe('backlog per region against crew capacity', () => {
  it('divides open field orders by the crews’ capacity and marks the overloaded red', () => {
    const rows = backlogRows(
      [
        { id: 'r1', name: '岳麓区供电所' },
        { id: 'r2', name: '芙蓉区供电所' },
        { id: 'r3', name: '浏阳市供电所' },
      ],
      [
        { regionId: 'r1', capacity: 5 },
        { regionId: 'r1', capacity: 6 },
        { regionId: 'r2', capacity: 5 },
      ],
      new Map([
        ['r1', 12],
        ['r2', 5],
        ['r3', 1],
      ]),
    );
    const r1 = rows.find((r) => r.regionId === 'r1')!;
    expect(r1).toMatchObject({ open: 12, capacity: 11, crews: 2, over: true });
    expect(r1.ratio).toBeCloseTo(12 / 11, 10);
    // Exactly at capacity is not over.
    expect(rows.find((r) => r.regionId === 'r2')).toMatchObject({ open: 5, capacity: 5, ratio: 1, over: false });
    // No crew at all: any open order is over, with no ratio.
    expect(rows.find((r) => r.regionId === 'r3')).toMatchObject({ capacity: 0, ratio: null, over: true });
    // Over ones first.
    expect(rows[rows.length - 1].regionId).toBe('r2');
  });
});

describe('customers turning sensitive', () => {
  const c = (n: string, type: string, at: Date) => ({ orderId: n, orderNo: n, type, at });

  it('two complaints within 12 months', () => {
    expect(sensitiveVerdict([c('GD1', 'complaint', day(-300)), c('GD2', 'consultation', day(-2))], T0)).toBeNull();
    expect(sensitiveVerdict([c('GD1', 'complaint', day(-300)), c('GD2', 'complaint', day(-2))], T0)).toEqual({
      reason: 'complaints_12m',
      orderNos: ['GD1', 'GD2'],
      windowDays: 365,
    });
    // One of them older than a year: no.
    expect(sensitiveVerdict([c('GD1', 'complaint', day(-400)), c('GD2', 'complaint', day(-2))], T0)).toBeNull();
  });

  it('three orders within some 7 days', () => {
    expect(
      sensitiveVerdict([c('GD1', 'fault_repair', day(-20)), c('GD2', 'consultation', day(-12)), c('GD3', 'fault_repair', day(-1))], T0),
    ).toBeNull();
    expect(sensitiveVerdict([c('GD1', 'fault_repair', day(-9)), c('GD2', 'consultation', day(-4)), c('GD3', 'fault_repair', day(-3))], T0)).toEqual({
      reason: 'repeat_contacts_7d',
      orderNos: ['GD1', 'GD2', 'GD3'],
      windowDays: 7,
    });
  });
});

describe('督办 states', () => {
  it('acknowledges once; a resolved item takes nothing more', () => {
    expect(() => assertSupervisionAction('open', 'acknowledge')).not.toThrow();
    expect(() => assertSupervisionAction('acknowledged', 'acknowledge')).toThrow('已签收');
    expect(() => assertSupervisionAction('acknowledged', 'urge')).not.toThrow();
    expect(() => assertSupervisionAction('resolved', 'comment')).toThrow('已办结');
  });
});
