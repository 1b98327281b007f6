/**
 * How an order reads to the customer who filed it (or whose account it concerns): plain-words statuses
 * (已受理、抢修人员已出发、已到达现场、已修复), the crew and the time they can expect, customer-visible
 * timeline entries only, and customer wording for what the system opened on its own (a reconnection after
 * a payment). Staff deadlines (派单 within 5 minutes, return-visit clocks) and internal notes stay with staff.
 * Pure — no I/O — so the service, the notices and the tests share one set of words.
 */
import type { DeadlineKind } from './sla.rules';
import type { OrderStatus, OrderType } from './workorder.rules';
import { CUSTOMER_DESK_STATUS_LABELS, CUSTOMER_FAULT_STATUS_LABELS, CUSTOMER_RECONNECTION_STATUS_LABELS } from '../../shared/labels';

/** Shanghai wall clock, "12月03日 14:05" (the same form as outage notices). */
export function formatShanghaiShort(d: Date | string | null | undefined): string {
  if (!d) return '待定';
  const s = new Date(new Date(d).getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(5, 7)}月${s.slice(8, 10)}日${s.slice(11, 16)}`;
}

export interface CustomerOrderLike {
  type: OrderType;
  status: OrderStatus;
  channel: string;
  orderNo: string;
  accountNumber: string | null;
  description: string;
  incidentId: unknown;
  pausedAt: Date | null;
  paymentMode?: 'postpaid' | 'prepaid' | null;
  assignee: { department: string | null; crewId: unknown };
  nextDeadline: { kind: DeadlineKind; dueAt: Date } | null;
  timeline?: { actorRole: string; action: string }[];
  reporterUserId?: unknown;
}

/** An order the system opened by itself (no person filed it): a reconnection after arrears were paid. */
export function isSystemMade(o: Pick<CustomerOrderLike, 'timeline' | 'reporterUserId'>): boolean {
  return !o.reporterUserId && o.timeline?.[0]?.actorRole === 'system';
}

const FAULT_STATUS: Record<string, string> = CUSTOMER_FAULT_STATUS_LABELS;
const RECONNECTION_STATUS: Record<string, string> = CUSTOMER_RECONNECTION_STATUS_LABELS;
const DESK_STATUS: Record<string, string> = CUSTOMER_DESK_STATUS_LABELS;

/** The status in the customer's words. */
export function customerStatusLabel(o: Pick<CustomerOrderLike, 'type' | 'status' | 'incidentId' | 'pausedAt'>): string {
  if (o.pausedAt && !['resolved', 'visited', 'closed'].includes(o.status)) return '等待您补充信息';
  if (o.type === 'fault_repair') {
    if (o.incidentId && o.status === 'reported') return '已并入停电抢修';
    return FAULT_STATUS[o.status] ?? '处理中';
  }
  if (o.type === 'reconnection') return RECONNECTION_STATUS[o.status] ?? '复电中';
  return DESK_STATUS[o.status] ?? '处理中';
}

/** Deadlines that are a promise to the customer, with how to say them; the rest (派单, 回访) are the staff's business. */
const PROMISES: Partial<Record<DeadlineKind, string>> = {
  arrival: '预计到达现场',
  restoration: '预计修复',
  reconnect: '预计恢复供电',
  first_reply: '预计答复',
  answer: '预计答复',
  contact: '预计联系您',
  reply: '预计答复',
  completion: '预计办结',
};

export interface CustomerProgress {
  /** Plain-words status (same as the view's statusLabel for customers). */
  statusLabel: string;
  /** What happens next, in a sentence. */
  hint: string;
  /** The crew sent to a fault: its name and work phone (the phone is filled in where the crew is read). */
  crew: { name: string; phone: string | null } | null;
  /** The time promised to the customer for the next step, when there is one. */
  expected: { label: string; at: string; text: string; late: boolean } | null;
}

const CREW_STATUSES: readonly string[] = ['dispatched', 'accepted', 'arrived', 'resolved', 'visited', 'closed'];

export function customerProgress(o: CustomerOrderLike, now = new Date(), crewPhone: string | null = null): CustomerProgress {
  const statusLabel = customerStatusLabel(o);
  const d = o.nextDeadline;
  const promise = d ? PROMISES[d.kind] : undefined;
  const done = ['resolved', 'visited', 'closed'].includes(o.status);
  const expected =
    d && promise && !done && !o.pausedAt
      ? {
          label: promise,
          at: new Date(d.dueAt).toISOString(),
          text: `${promise}：${formatShanghaiShort(d.dueAt)}前`,
          late: new Date(d.dueAt).getTime() < now.getTime(),
        }
      : null;
  const crew =
    o.type === 'fault_repair' && o.assignee?.crewId && o.assignee.department && CREW_STATUSES.includes(o.status)
      ? { name: o.assignee.department, phone: crewPhone }
      : null;
  return { statusLabel, hint: hintFor(o, expected), crew, expected };
}

function hintFor(o: CustomerOrderLike, expected: CustomerProgress['expected']): string {
  if (o.pausedAt && !['resolved', 'visited', 'closed'].includes(o.status)) return '工作人员需要您补充信息，请留意来电或消息。';
  const late = expected?.late ? '已超出承诺时间，我们正在加急处理。' : '';
  if (o.type === 'fault_repair') {
    switch (o.status) {
      case 'reported':
        return o.incidentId ? '您的报修已并入停电抢修，恢复送电后将通知您，无需重复报修。' : '正在为您安排抢修人员，请保持电话畅通。';
      case 'dispatched':
      case 'accepted':
        return late || '抢修人员正在赶往现场，请保持电话畅通。';
      case 'arrived':
        return late || '抢修人员正在现场处理。';
      case 'resolved':
        return '故障已修复，欢迎对本次服务进行评价。';
      default:
        return '感谢您的反馈。';
    }
  }
  if (o.type === 'reconnection') {
    return ['resolved', 'visited', 'closed'].includes(o.status) ? '已恢复供电，感谢您及时缴费。' : late || '欠费已结清，正在为您恢复供电。';
  }
  switch (o.status) {
    case 'received':
      return '我们已收到您的诉求，将尽快受理。';
    case 'accepted':
    case 'replied':
    case 'processing':
      return late || '工作人员正在处理，处理结果将通知您。';
    case 'resolved':
      return '已办结，欢迎对本次服务进行评价。';
    default:
      return '感谢您的反馈。';
  }
}

/** What the customer reads as the order's description: system-made orders in customer words, never a staff note. */
export function customerDescription(o: CustomerOrderLike): string {
  if (!isSystemMade(o)) return o.description;
  if (o.type === 'reconnection') {
    return `户号${o.accountNumber ?? ''}的欠费已结清，系统已自动为您申请复电${o.paymentMode === 'prepaid' ? '（远程复电）' : ''}，无需另行报修。`;
  }
  return '系统已为您创建此工单，工作人员将尽快处理。';
}

/** Timeline step names as the customer reads them. */
export function customerActionLabel(type: OrderType, action: string): string {
  const fault = type === 'fault_repair';
  switch (action) {
    case 'create':
      return type === 'reconnection' ? '申请复电' : fault ? '提交报修' : '提交工单';
    case 'dispatch':
      return '已安排抢修班组';
    case 'accept':
      return '抢修人员已出发';
    case 'arrive':
      return '已到达现场';
    case 'resolve':
      return type === 'reconnection' ? '已恢复供电' : fault ? '已修复' : '已办结';
    case 'claim':
      return '已受理';
    case 'reply':
      return '答复';
    case 'process':
      return '处理中';
    case 'visit':
      return '服务评价';
    case 'close':
      return '已完成';
    case 'closeWithReason':
      return '已办结';
    case 'pause':
      return '等待您补充信息';
    case 'reopen':
      return '重新处理';
    case 'merge':
      return '已并入停电抢修';
    case 'restore':
      return '已恢复送电';
    case 'note':
      return '进展';
    default:
      return '进展';
  }
}

/**
 * A customer-visible entry's note as the customer reads it: the dispatch entry names the crew only (what the
 * dispatcher wrote to the crew after "：" is theirs), and a system-made order's first entry is in customer words.
 */
export function customerNote(o: CustomerOrderLike, e: { action: string; actorRole: string; note?: string | null }, index: number): string | null {
  if (e.action === 'dispatch') {
    const crew = (e.note ?? '').split('：')[0].replace(/^已派单至/, '');
    return crew ? `由${crew}负责抢修` : null;
  }
  if (index === 0 && e.action === 'create' && e.actorRole === 'system' && isSystemMade(o)) return customerDescription(o);
  return e.note ?? null;
}
