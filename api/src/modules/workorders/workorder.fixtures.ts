/**
 * A stored work order with every field at its empty value, for tests of pure rules (facts, points) that build
 * orders by hand: each test names only what it is about.
 */
import { Types } from 'mongoose';
import type { WorkOrder } from './workorder.model';
import { formatOrderNo } from './order-number';

export function blankOrder(p: Partial<WorkOrder> & { createdAt: Date }): WorkOrder {
  return {
    _id: new Types.ObjectId(),
    orderNo: formatOrderNo(p.createdAt.toISOString().slice(0, 10).replace(/-/g, ''), Math.floor(Math.random() * 1e6)),
    type: 'consultation',
    subtype: null,
    channel: 'web',
    status: 'received',
    version: 0,
    priority: { score: 10, level: 'normal' },
    accountId: null,
    accountNumber: null,
    customerId: null,
    enterpriseId: null,
    reporterUserId: null,
    contactName: null,
    contactPhone: null,
    transformerAreaId: null,
    transformerAreaName: null,
    feederId: null,
    regionId: null,
    areaType: 'urban',
    supplyClass: 'residential',
    paymentMode: null,
    faultKind: null,
    category: null,
    description: '',
    photos: [],
    assignee: { department: null, agentId: null, crewId: null },
    clock: { startedAt: p.createdAt, pausedMsAtStart: 0 },
    nextDeadline: null,
    slaMarks: { warn50At: null, warn80At: null, overdueAt: null },
    slaHistory: [],
    escalatedAt: null,
    pausedAt: null,
    pausedReasonCode: null,
    pausedMs: 0,
    pauses: [],
    reasonCode: null,
    reopenCount: 0,
    resolution: null,
    rating: null,
    incidentId: null,
    timeline: [],
    outbox: [],
    resolvedAt: null,
    closedAt: null,
    updatedAt: p.createdAt,
    ...p,
  } as WorkOrder;
}
