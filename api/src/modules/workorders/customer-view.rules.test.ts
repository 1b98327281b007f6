import { describe, expect, it } from 'vitest';
import {
  customerActionLabel,
  customerDescription,
  customerNote,
  customerProgress,
  customerStatusLabel,
  formatShanghaiShort,
  type CustomerOrderLike,
} from './customer-view.rules';

const base: CustomerOrderLike = {
  type: 'fault_repair',
  status: 'reported',
  channel: 'web',
  orderNo: 'GD20261203-000001',
  accountNumber: '3101000000002',
  description: '家里没电',
  incidentId: null,
  pausedAt: null,
  paymentMode: 'postpaid',
  assignee: { department: '配抢指挥', crewId: null },
  nextDeadline: { kind: 'dispatch', dueAt: new Date('2026-12-03T06:05:00Z') },
  timeline: [{ actorRole: 'customer', action: 'create' }],
  reporterUserId: 'u1',
};
const now = new Date('2026-12-03T06:00:00Z');

describe('the customer view of an order', () => {
  it('fault repairs in plain words: 已受理 → 抢修人员已出发 → 已到达现场 → 已修复', () => {
    expect(
      ['reported', 'dispatched', 'accepted', 'arrived', 'resolved', 'visited', 'closed'].map((status) =>
        customerStatusLabel({ ...base, status: status as never }),
      ),
    ).toEqual(['已受理', '抢修人员已出发', '抢修人员已出发', '已到达现场', '已修复', '已评价', '已完成']);
    expect(customerStatusLabel({ ...base, incidentId: 'o1' })).toBe('已并入停电抢修');
    expect(customerStatusLabel({ ...base, status: 'dispatched', pausedAt: now })).toBe('等待您补充信息');
    expect(customerStatusLabel({ ...base, type: 'reconnection', status: 'received' })).toBe('复电中');
    expect(customerStatusLabel({ ...base, type: 'reconnection', status: 'resolved' })).toBe('已复电');
    expect(customerStatusLabel({ ...base, type: 'consultation', status: 'replied' })).toBe('已答复');
  });

  it("the 5-minute dispatch deadline is the staff's; arrival, restoration and reconnection are promises shown to the customer", () => {
    expect(customerProgress(base, now).expected).toBeNull();
    const sent = customerProgress(
      {
        ...base,
        status: 'dispatched',
        assignee: { department: '岳麓区抢修1班', crewId: 'c1' },
        nextDeadline: { kind: 'arrival', dueAt: new Date('2026-12-03T06:45:00Z') },
      },
      now,
      '0731-88600001',
    );
    expect(sent).toMatchObject({
      statusLabel: '抢修人员已出发',
      crew: { name: '岳麓区抢修1班', phone: '0731-88600001' },
      expected: { label: '预计到达现场', late: false, text: '预计到达现场：12月03日14:45前' },
    });
    expect(
      customerProgress(
        {
          ...base,
          status: 'dispatched',
          assignee: { department: 'X班', crewId: 'c1' },
          nextDeadline: { kind: 'arrival', dueAt: new Date('2026-12-03T05:00:00Z') },
        },
        now,
      ).expected!.late,
    ).toBe(true);
    expect(customerProgress({ ...base, status: 'resolved', nextDeadline: { kind: 'return_visit', dueAt: now } }, now).expected).toBeNull();
    const reconnect = customerProgress(
      { ...base, type: 'reconnection', status: 'received', nextDeadline: { kind: 'reconnect', dueAt: new Date('2026-12-04T06:00:00Z') } },
      now,
    );
    expect(reconnect.expected!.label).toBe('预计恢复供电');
  });

  it("a system-made order reads in customer words, and the dispatch entry names the crew without the dispatcher's note", () => {
    const sys: CustomerOrderLike = {
      ...base,
      type: 'reconnection',
      status: 'received',
      reporterUserId: null,
      description: '欠费已结清（支付 PW261203123456789012），请安排复电',
      timeline: [{ actorRole: 'system', action: 'create' }],
    };
    expect(customerDescription(sys)).toBe('户号3101000000002的欠费已结清，系统已自动为您申请复电，无需另行报修。');
    expect(customerNote(sys, { action: 'create', actorRole: 'system', note: sys.description }, 0)).not.toMatch(/PW\d/);
    expect(customerDescription(base)).toBe('家里没电');
    expect(customerNote(base, { action: 'dispatch', actorRole: 'dispatcher', note: '已派单至岳麓区抢修1班：从北门进，注意狗' }, 1)).toBe(
      '由岳麓区抢修1班负责抢修',
    );
    expect(customerActionLabel('fault_repair', 'accept')).toBe('抢修人员已出发');
    expect(customerActionLabel('reconnection', 'resolve')).toBe('已恢复供电');
    expect(formatShanghaiShort('2026-12-31T16:30:00Z')).toBe('01月01日00:30');
  });
});
