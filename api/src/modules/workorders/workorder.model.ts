import { Schema, model, Types } from 'mongoose';
import { CHANNELS, FAULT_KINDS, ORDER_STATUSES, ORDER_TYPES, SERVICE_SUBTYPES } from './workorder.rules';
import { DEADLINE_KINDS, SUPPLY_CLASSES } from './sla.rules';

/** Append-only: written only with $push, never edited. */
const timelineSchema = new Schema(
  {
    actorId: { type: String, default: null },
    actorRole: { type: String, required: true },
    actorName: { type: String, default: null },
    action: { type: String, required: true },
    from: { type: String, default: null },
    to: { type: String, default: null },
    at: { type: Date, required: true },
    note: { type: String, default: null },
    visibility: { type: String, enum: ['customer', 'internal'], required: true },
    attachments: { type: [String], default: [] },
  },
  { _id: false },
);

const workOrderSchema = new Schema(
  {
    /** 工单编号, e.g. GD20261201-000123: Shanghai date + a per-day counter. */
    orderNo: { type: String, required: true },
    type: { type: String, enum: ORDER_TYPES, required: true },
    subtype: { type: String, enum: [...SERVICE_SUBTYPES, null], default: null },
    channel: { type: String, enum: CHANNELS, required: true },
    status: { type: String, enum: ORDER_STATUSES, required: true },
    /** Bumped by every staff/customer step; a step is applied only to the version it was decided on. */
    version: { type: Number, required: true, default: 0 },
    priority: {
      score: { type: Number, required: true },
      level: { type: String, required: true },
    },
    accountId: { type: Types.ObjectId, default: null },
    accountNumber: { type: String, default: null },
    customerId: { type: Types.ObjectId, default: null },
    enterpriseId: { type: Types.ObjectId, default: null },
    reporterUserId: { type: Types.ObjectId, default: null },
    /** `<userId>:<client request id>`: a create resent after a lost reply finds its order instead of filing another. Absent when not sent. */
    requestKey: { type: String, default: undefined },
    contactName: { type: String, default: null },
    /** Stored in full for the crew's call; every output masks it. */
    contactPhone: { type: String, default: null },
    transformerAreaId: { type: Types.ObjectId, default: null },
    transformerAreaName: { type: String, default: null },
    feederId: { type: Types.ObjectId, default: null },
    regionId: { type: Types.ObjectId, default: null },
    areaType: { type: String, enum: ['urban', 'rural', 'remote'], default: 'urban' },
    supplyClass: { type: String, enum: SUPPLY_CLASSES, default: 'residential' },
    paymentMode: { type: String, enum: ['postpaid', 'prepaid', null], default: null },
    faultKind: { type: String, enum: [...FAULT_KINDS, null], default: null },
    category: { type: String, default: null },
    description: { type: String, required: true },
    photos: { type: [String], default: [] },
    assignee: {
      department: { type: String, default: null },
      agentId: { type: Types.ObjectId, default: null },
      crewId: { type: Types.ObjectId, default: null },
    },
    /** The promise the customer was given: arrival and answers run from here (reset on reopen). */
    clock: {
      startedAt: { type: Date, required: true },
      pausedMsAtStart: { type: Number, default: 0 },
    },
    /** The SLA rules and calendar versions (settings) its deadlines are computed under, kept for life. Null: before versions. */
    slaVersion: { type: Number, default: null },
    calendarVersion: { type: Number, default: null },
    nextDeadline: {
      type: new Schema(
        {
          /** New id per deadline, so a late SLA sweep cannot fire a mark on the next deadline. */
          id: { type: Types.ObjectId, required: true },
          kind: { type: String, enum: DEADLINE_KINDS, required: true },
          startedAt: { type: Date, required: true },
          dueAt: { type: Date, required: true },
          warn50Due: { type: Date, required: true },
          warn80Due: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    /** When each mark of the current deadline fired; null = not yet. Reset with every new deadline. */
    slaMarks: {
      warn50At: { type: Date, default: null },
      warn80At: { type: Date, default: null },
      overdueAt: { type: Date, default: null },
    },
    /** Every deadline that ended, met or not (sla.rules endDeadline): appended with $push, never edited. */
    slaHistory: {
      type: [new Schema({ kind: String, startedAt: Date, dueAt: Date, endedAt: Date, met: Boolean }, { _id: false })],
      default: [],
    },
    escalatedAt: { type: Date, default: null },
    pausedAt: { type: Date, default: null },
    pausedReasonCode: { type: String, default: null },
    pausedMs: { type: Number, default: 0 },
    pauses: {
      type: [new Schema({ from: Date, to: Date, reasonCode: String, note: String }, { _id: false })],
      default: [],
    },
    reasonCode: { type: String, default: null },
    reopenCount: { type: Number, default: 0 },
    resolution: { type: String, default: null },
    rating: {
      type: new Schema({ stars: Number, comment: String, at: Date, by: String }, { _id: false }),
      default: null,
    },
    incidentId: { type: Types.ObjectId, default: null },
    /** Service applications only: milestones, form and documents (applications/application.rules.ts). */
    application: { type: Schema.Types.Mixed, default: undefined },
    timeline: { type: [timelineSchema], default: [] },
    /** Events/notifications not yet published (see events/event.service.ts). */
    outbox: { type: [Schema.Types.Mixed], default: [] },
    resolvedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
workOrderSchema.index({ orderNo: 1 }, { unique: true });
// The live queue: open orders by priority, then the nearest deadline.
workOrderSchema.index({ status: 1, 'priority.score': -1, 'nextDeadline.dueAt': 1 });
workOrderSchema.index({ regionId: 1, status: 1, 'priority.score': -1 });
// SLA sweep: marks falling due.
workOrderSchema.index({ 'nextDeadline.warn50Due': 1, 'slaMarks.warn50At': 1 });
workOrderSchema.index({ 'nextDeadline.warn80Due': 1, 'slaMarks.warn80At': 1 });
workOrderSchema.index({ 'nextDeadline.dueAt': 1, 'slaMarks.overdueAt': 1 });
workOrderSchema.index({ 'assignee.crewId': 1, status: 1 });
workOrderSchema.index({ reporterUserId: 1, createdAt: -1 });
workOrderSchema.index({ accountId: 1, createdAt: -1 });
workOrderSchema.index({ enterpriseId: 1, createdAt: -1 });
workOrderSchema.index({ 'outbox.0.at': 1 }, { sparse: true });
workOrderSchema.index({ requestKey: 1 }, { unique: true, sparse: true });

export const WorkOrderModel = model('WorkOrder', workOrderSchema, 'workorders');

export interface TimelineEntry {
  actorId: string | null;
  actorRole: string;
  actorName?: string | null;
  action: string;
  from?: string | null;
  to?: string | null;
  at: Date;
  note?: string | null;
  visibility: 'customer' | 'internal';
  attachments?: string[];
}

export interface NextDeadline {
  id: Types.ObjectId;
  kind: (typeof DEADLINE_KINDS)[number];
  startedAt: Date;
  dueAt: Date;
  warn50Due: Date;
  warn80Due: Date;
}

/** The stored shape, as read with .lean(). */
export interface WorkOrder {
  _id: Types.ObjectId;
  orderNo: string;
  type: (typeof ORDER_TYPES)[number];
  subtype: (typeof SERVICE_SUBTYPES)[number] | null;
  channel: (typeof CHANNELS)[number];
  status: (typeof ORDER_STATUSES)[number];
  version: number;
  priority: { score: number; level: string };
  accountId: Types.ObjectId | null;
  accountNumber: string | null;
  customerId: Types.ObjectId | null;
  enterpriseId: Types.ObjectId | null;
  reporterUserId: Types.ObjectId | null;
  contactName: string | null;
  contactPhone: string | null;
  transformerAreaId: Types.ObjectId | null;
  transformerAreaName: string | null;
  feederId: Types.ObjectId | null;
  regionId: Types.ObjectId | null;
  areaType: 'urban' | 'rural' | 'remote';
  supplyClass: (typeof SUPPLY_CLASSES)[number];
  paymentMode: 'postpaid' | 'prepaid' | null;
  faultKind: (typeof FAULT_KINDS)[number] | null;
  category: string | null;
  description: string;
  photos: string[];
  assignee: { department: string | null; agentId: Types.ObjectId | null; crewId: Types.ObjectId | null };
  clock: { startedAt: Date; pausedMsAtStart: number };
  slaVersion?: number | null;
  calendarVersion?: number | null;
  nextDeadline: NextDeadline | null;
  slaMarks: { warn50At: Date | null; warn80At: Date | null; overdueAt: Date | null };
  slaHistory?: import('./sla.rules').DeadlineOutcome[];
  escalatedAt: Date | null;
  pausedAt: Date | null;
  pausedReasonCode: string | null;
  pausedMs: number;
  pauses: { from: Date; to: Date; reasonCode: string; note: string }[];
  reasonCode: string | null;
  reopenCount: number;
  resolution: string | null;
  rating: { stars: number; comment: string; at: Date; by: string } | null;
  incidentId: Types.ObjectId | null;
  application?: import('../applications/application.model').ApplicationState | null;
  timeline: TimelineEntry[];
  outbox: import('../events/event.service').PendingEffect[];
  resolvedAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
