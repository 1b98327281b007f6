/** Hand-made orders for the points tests (the stored shape, as the workorders module writes it). */
import { Types } from 'mongoose';
import type { TimelineEntry, WorkOrder } from '../workorders/workorder.model';
import { blankOrder } from '../workorders/workorder.fixtures';

const MIN = 60_000;

export interface OrderSpec {
  agentId: string;
  start: Date;
  orderNo?: string;
  type?: WorkOrder['type'];
  /** Minutes from start: claim, first customer reply (null: none), resolve (null: not resolved). */
  claimMin?: number;
  replyMin?: number | null;
  resolveMin?: number | null;
  /** Rating: stars and minutes from start. */
  rating?: { stars: number; min: number } | null;
  /** Reopen minutes from start (a dissatisfied rating at that time). */
  reopenMin?: number | null;
  deadlines?: { kind: 'first_reply' | 'answer'; met: boolean }[];
}

export function fixtureOrder(s: OrderSpec): WorkOrder {
  const at = (m: number) => new Date(s.start.getTime() + m * MIN);
  const id = new Types.ObjectId();
  const agent = { actorId: s.agentId, actorRole: 'agent', actorName: '坐席', visibility: 'customer' as const };
  const tl: TimelineEntry[] = [
    { actorId: null, actorRole: 'customer', action: 'create', from: null, to: 'received', at: at(0), visibility: 'customer' },
  ];
  tl.push({ ...agent, action: 'claim', from: 'received', to: 'accepted', at: at(s.claimMin ?? 1) });
  if (s.replyMin != null) tl.push({ ...agent, action: 'reply', from: 'accepted', to: 'replied', at: at(s.replyMin) });
  const resolveMin = s.resolveMin === undefined ? 10 : s.resolveMin;
  let status: WorkOrder['status'] = s.replyMin != null ? 'replied' : 'accepted';
  if (resolveMin != null) {
    tl.push({ ...agent, action: 'resolve', from: status, to: 'resolved', at: at(resolveMin) });
    status = 'resolved';
  }
  let reopenCount = 0;
  if (s.reopenMin != null) {
    tl.push({
      actorId: null,
      actorRole: 'customer',
      action: 'visit',
      from: 'resolved',
      to: 'resolved',
      at: at(s.reopenMin),
      visibility: 'customer',
      note: '客户评价：1星',
    });
    tl.push({ actorId: null, actorRole: 'system', action: 'reopen', from: 'resolved', to: 'accepted', at: at(s.reopenMin), visibility: 'customer' });
    status = 'accepted';
    reopenCount = 1;
  }
  if (s.rating && s.reopenMin == null) {
    tl.push({ actorId: null, actorRole: 'customer', action: 'visit', from: 'resolved', to: 'visited', at: at(s.rating.min), visibility: 'customer' });
    status = 'visited';
  }
  const deadlines = (s.deadlines ?? []).map((d, i) => ({
    kind: d.kind,
    startedAt: at(0),
    dueAt: at(30 + i),
    endedAt: d.met ? at(5 + i) : at(60 + i),
    met: d.met,
  }));
  const rating =
    s.reopenMin != null
      ? { stars: 1, comment: '', at: at(s.reopenMin), by: 'customer' }
      : s.rating
        ? { stars: s.rating.stars, comment: '', at: at(s.rating.min), by: 'customer' }
        : null;
  return blankOrder({
    _id: id,
    ...(s.orderNo ? { orderNo: s.orderNo } : {}),
    type: s.type ?? 'consultation',
    status,
    version: tl.length,
    description: '咨询电费',
    assignee: { department: null, agentId: new Types.ObjectId(s.agentId), crewId: null },
    slaHistory: deadlines,
    reopenCount,
    resolution: resolveMin != null ? '已答复' : null,
    rating,
    timeline: tl,
    resolvedAt: resolveMin != null && s.reopenMin == null ? at(resolveMin) : null,
    createdAt: at(0),
    updatedAt: at(resolveMin ?? 0),
  } as Partial<WorkOrder> & { createdAt: Date });
}
