import { DomainError } from '../../lib/errors';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  ORDER_TYPES,
  planStep,
  statusesOf,
  VISIT_REQUIRED,
  type Action,
  type ActorRole,
  type OrderStatus,
  type OrderType,
  type StepInput,
} from './workorder.rules';
import { priorityOf } from './priority.rules';

const EVERYONE: ActorRole[] = ['customer', 'agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'admin'];
const FULL: StepInput = {
  crewId: 'c',
  agentId: 'a',
  notes: '说明',
  reason: '原因',
  reasonCode: 'x',
  stars: 5,
  department: '营销部',
  visibility: 'customer',
};
const inputFor = (action: Action): StepInput => ({
  ...FULL,
  reasonCode: action === 'pause' ? 'waiting_customer' : action === 'closeWithReason' ? 'customer_internal_fault' : null,
});

/** The expected machine, written out independently of the implementation's table: `from action → to`. */
const FAULT: string[] = [
  'reported dispatch dispatched',
  'dispatched accept accepted',
  'accepted arrive arrived',
  'arrived resolve resolved',
  ...['dispatched', 'accepted', 'arrived'].map((s) => `${s} returnForRedispatch reported`),
  'resolved visit visited',
  'visited close closed',
  ...['reported', 'dispatched', 'accepted', 'arrived'].flatMap((s) => [
    `${s} closeWithReason closed`,
    `${s} pause ${s}`,
    `${s} resume ${s}`,
    `${s} transfer ${s}`,
  ]),
  ...['reported', 'dispatched', 'accepted', 'arrived', 'resolved', 'visited'].map((s) => `${s} note ${s}`),
];
function generic(type: OrderType): string[] {
  const open = ['received', 'accepted', 'replied', 'processing'];
  const t = [
    'received claim accepted',
    'received assign accepted',
    ...['accepted', 'replied', 'processing'].map((s) => `${s} assign ${s}`),
    'accepted reply replied',
    'replied reply replied',
    'processing reply processing',
    'accepted process processing',
    'replied process processing',
    ...['accepted', 'replied', 'processing'].map((s) => `${s} resolve resolved`),
    'resolved visit visited',
    'visited close closed',
    ...open.flatMap((s) => [`${s} pause ${s}`, `${s} resume ${s}`, `${s} transfer received`]),
    ...[...open, 'resolved', 'visited'].map((s) => `${s} note ${s}`),
  ];
  if (!VISIT_REQUIRED[type]) t.push('resolved close closed');
  if (type === 'praise') t.push('received close closed', 'accepted close closed');
  return t;
}
const EXPECTED: Record<OrderType, Map<string, OrderStatus>> = Object.fromEntries(
  ORDER_TYPES.map((type) => [
    type,
    new Map(
      (type === 'fault_repair' ? FAULT : generic(type)).map((l) => {
        const [from, action, to] = l.split(' ');
        return [`${from} ${action}`, to as OrderStatus];
      }),
    ),
  ]),
) as Record<OrderType, Map<string, OrderStatus>>;

const cases = ORDER_TYPES.flatMap((type) => statusesOf(type).flatMap((from) => ACTIONS.map((action) => ({ type, from, action }))));

describe('state machine: every (type, state, action)', () => {
  it('covers every type with its states', () => {
    expect(statusesOf('fault_repair')).toEqual(['reported', 'dispatched', 'accepted', 'arrived', 'resolved', 'visited', 'closed']);
    expect(statusesOf('complaint')).toEqual(['accepted', 'received', 'replied', 'processing', 'resolved', 'visited', 'closed']);
    expect(cases.length).toBeGreaterThan(900);
  });

  it.each(cases)('$type: $from —$action→', ({ type, from, action }) => {
    const expected = EXPECTED[type].get(`${from} ${action}`);
    if (expected) {
      expect(planStep(type, from, action, EVERYONE, inputFor(action)).to).toBe(expected);
    } else {
      let err: unknown;
      try {
        planStep(type, from, action, EVERYONE, inputFor(action));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DomainError);
      expect(['CONFLICT', 'BAD_REQUEST']).toContain((err as DomainError).code);
      expect((err as DomainError).message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});

describe('who may take each step', () => {
  const legal = cases.filter(({ type, from, action }) => EXPECTED[type].has(`${from} ${action}`));
  it.each(legal)('$type: $from —$action→ refuses roles outside its list', ({ type, from, action }) => {
    const allowed = EVERYONE.filter((r) => {
      try {
        planStep(type, from, action, [r], inputFor(action));
        return true;
      } catch (e) {
        if ((e as DomainError).code !== 'FORBIDDEN') throw e;
        return false;
      }
    });
    expect(allowed.length).toBeGreaterThan(0);
    // Field work is the crew's; customers only rate; dispatch is the dispatcher's.
    if (['accept', 'arrive', 'returnForRedispatch'].includes(action) || (type === 'fault_repair' && action === 'resolve')) {
      expect(allowed.sort()).toEqual(['area_manager', 'crew']);
    }
    if (action === 'dispatch') expect(allowed.sort()).toEqual(['admin', 'dispatcher', 'supervisor']);
    if (action !== 'visit') expect(allowed).not.toContain('customer');
    if (action === 'visit') expect(allowed).toContain('customer');
  });
});

describe('step details', () => {
  it('a dissatisfied visit (≤ 2 stars) reopens: fault back to the crew, desk orders back to the agent', () => {
    expect(planStep('fault_repair', 'resolved', 'visit', ['customer'], { stars: 2 }).to).toBe('dispatched');
    expect(planStep('fault_repair', 'resolved', 'visit', ['agent'], { stars: 3 }).to).toBe('visited');
    expect(planStep('complaint', 'resolved', 'visit', ['customer'], { stars: 1 }).to).toBe('accepted');
  });

  it('names the missing field in Chinese', () => {
    expect(() => planStep('fault_repair', 'arrived', 'resolve', ['crew'], {})).toThrow('请填写处理说明');
    expect(() => planStep('fault_repair', 'reported', 'dispatch', ['dispatcher'], {})).toThrow('请选择抢修班组');
    expect(() => planStep('fault_repair', 'accepted', 'returnForRedispatch', ['crew'], { reason: ' ' })).toThrow('请填写退回原因');
    expect(() => planStep('fault_repair', 'resolved', 'visit', ['customer'], { stars: 6 })).toThrow('满意度评分为1到5星');
    expect(() => planStep('fault_repair', 'arrived', 'closeWithReason', ['crew'], { reasonCode: 'bogus', notes: 'x' })).toThrow('办结原因不正确');
  });

  it('a crew cannot refuse a dispatched order: there is no refusal step, only return with a reason', () => {
    expect(() => planStep('fault_repair', 'dispatched', 'close', ['crew'], {})).toThrow(DomainError);
    expect(planStep('fault_repair', 'dispatched', 'returnForRedispatch', ['crew'], { reason: '非本班组辖区' }).to).toBe('reported');
  });
});

describe('priority', () => {
  it.each([
    [{ type: 'fault_repair', faultKind: 'sparking', tier: 'C' }, '紧急'],
    [{ type: 'fault_repair', faultKind: 'fallen_wire' }, '紧急'],
    [{ type: 'fault_repair', faultKind: 'whole_house_outage', tier: 'C', flags: { vulnerable: true } }, '高'],
    [{ type: 'fault_repair', faultKind: 'whole_house_outage', tier: 'A' }, '高'],
    [{ type: 'fault_repair', faultKind: 'flicker', tier: 'C' }, '中'],
    [{ type: 'complaint', tier: 'C', flags: { sensitive: true } }, '中'],
    [{ type: 'consultation', tier: 'C' }, '低'],
    [{ type: 'praise' }, '低'],
  ] as const)('%j → %s', (input, label) => {
    expect(priorityOf(input as Parameters<typeof priorityOf>[0]).label).toBe(label);
  });

  it('danger outranks any tier and flag', () => {
    const danger = priorityOf({ type: 'fault_repair', faultKind: 'sparking', tier: 'C' }).score;
    const vip = priorityOf({
      type: 'fault_repair',
      faultKind: 'whole_house_outage',
      tier: 'A',
      flags: { important: true, sensitive: true, vulnerable: true },
    }).score;
    expect(danger).toBeGreaterThan(vip);
  });
});
