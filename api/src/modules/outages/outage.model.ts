import { Schema, model, Types } from 'mongoose';
import { OUTAGE_KINDS, OUTAGE_STATUSES, type NoticeKind, type OutageKind, type OutageStatus } from './outage.rules';

/** Append-only record of every change (publication, edits, ETR changes, restoration). */
const historySchema = new Schema(
  {
    at: { type: Date, required: true },
    actorId: { type: String, default: null },
    actorName: { type: String, default: null },
    action: { type: String, required: true },
    /** field → { from, to } (dates as ISO strings). */
    changes: { type: Schema.Types.Mixed, default: {} },
    note: { type: String, default: null },
  },
  { _id: false },
);

const noticeSchema = new Schema(
  { key: { type: String, required: true }, kind: { type: String, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

const outageSchema = new Schema(
  {
    /** 停电编号 TD20261201-0001. */
    outageNo: { type: String, required: true },
    kind: { type: String, enum: OUTAGE_KINDS, required: true },
    status: { type: String, enum: OUTAGE_STATUSES, required: true },
    version: { type: Number, required: true, default: 0 },
    scope: {
      feederIds: { type: [Types.ObjectId], default: [] },
      transformerAreaIds: { type: [Types.ObjectId], default: [] },
    },
    /** The scope expanded to transformer areas at publication: "does it cover my area" is one indexed match. */
    coveredAreaIds: { type: [Types.ObjectId], default: [] },
    regionIds: { type: [Types.ObjectId], default: [] },
    /** Human description of the scope, e.g. "10kV岳麓东1一线（5个台区）". */
    areaText: { type: String, required: true },
    areaNames: { type: [String], default: [] },
    reason: { type: String, required: true },
    startAt: { type: Date, required: true },
    /** Expected restoration (预计恢复送电时间); null for a fault outage until the crew has assessed it. */
    etr: { type: Date, default: null },
    restoredAt: { type: Date, default: null },
    cancelledAt: { type: Date, default: null },
    proposalId: { type: Types.ObjectId, default: null },
    /** The incident order (故障事件工单) shares the outage's _id; set once it exists. */
    incidentOrderId: { type: Types.ObjectId, default: null },
    createdBy: { type: String, default: null },
    history: { type: [historySchema], default: [] },
    /** Notices decided by an outage write (same atomic update) and not yet fanned out. */
    pendingNotices: { type: [noticeSchema], default: [] },
    noticesSent: {
      type: [new Schema({ key: String, kind: String, at: Date, finishedAt: Date, recipients: Number }, { _id: false })],
      default: [],
    },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
outageSchema.index({ outageNo: 1 }, { unique: true });
outageSchema.index({ coveredAreaIds: 1, status: 1, startAt: 1 });
outageSchema.index({ status: 1, startAt: 1 });
outageSchema.index({ regionIds: 1, status: 1, startAt: 1 });
outageSchema.index({ 'pendingNotices.0.at': 1 }, { sparse: true });
export const OutageModel = model('Outage', outageSchema, 'outages');

export interface OutageHistory {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  note: string | null;
}
export interface Outage {
  _id: Types.ObjectId;
  outageNo: string;
  kind: OutageKind;
  status: OutageStatus;
  version: number;
  scope: { feederIds: Types.ObjectId[]; transformerAreaIds: Types.ObjectId[] };
  coveredAreaIds: Types.ObjectId[];
  regionIds: Types.ObjectId[];
  areaText: string;
  areaNames: string[];
  reason: string;
  startAt: Date;
  etr: Date | null;
  restoredAt: Date | null;
  cancelledAt: Date | null;
  proposalId: Types.ObjectId | null;
  incidentOrderId: Types.ObjectId | null;
  createdBy: string | null;
  history: OutageHistory[];
  pendingNotices: { key: string; kind: NoticeKind; at: Date }[];
  noticesSent: { key: string; kind: NoticeKind; at: Date; finishedAt: Date; recipients: number }[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Clustering state, one small document per transformer area (`ta:<id>`: the latest report times)
 * and per feeder (`feeder:<id>`: the latest report time per transformer area). Each report changes
 * each with one atomic update and reads the result back from the same write.
 */
const clusterStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    recent: { type: [Date], default: [] },
    areas: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
export const ClusterStateModel = model('OutageClusterState', clusterStateSchema, 'outage_cluster_state');

/** A suggested fault outage for dispatchers; `openKey` (unique, sparse) allows one open proposal per scope. */
const proposalSchema = new Schema(
  {
    openKey: { type: String, default: undefined },
    level: { type: String, enum: ['feeder', 'transformer_area'], required: true },
    scopeId: { type: Types.ObjectId, required: true },
    scopeName: { type: String, required: true },
    feederId: { type: Types.ObjectId, required: true },
    regionId: { type: Types.ObjectId, default: null },
    status: { type: String, enum: ['open', 'confirmed', 'dismissed', 'superseded'], required: true },
    triggerOrderId: { type: Types.ObjectId, default: null },
    /** Reports in the window when the rule fired (the live evidence is recomputed on read). */
    reportsAtProposal: { type: Number, default: 0 },
    areasAtProposal: { type: [Types.ObjectId], default: [] },
    /** How unusual the count was against the scope's normal rate, and which rule fired (outage.intake.ts). */
    stats: { type: Schema.Types.Mixed, default: null },
    outageId: { type: Types.ObjectId, default: null },
    decidedAt: { type: Date, default: null },
    decidedBy: { type: String, default: null },
    decisionNote: { type: String, default: null },
    /** After a dismissal the same scope is not proposed again until then. */
    suppressUntil: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
proposalSchema.index({ openKey: 1 }, { unique: true, sparse: true });
proposalSchema.index({ status: 1, createdAt: -1 });
proposalSchema.index({ scopeId: 1, status: 1 });
proposalSchema.index({ feederId: 1, status: 1 });
export const OutageProposalModel = model('OutageProposal', proposalSchema, 'outage_proposals');

/** A customer's subscription to outage notices for one account (transformer area kept for the fan-out query). */
const subscriptionSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true },
    accountId: { type: Types.ObjectId, required: true },
    transformerAreaId: { type: Types.ObjectId, required: true },
    channels: { type: [String], enum: ['inapp', 'wechat', 'sms'], default: ['inapp'] },
  },
  { timestamps: true, versionKey: false },
);
subscriptionSchema.index({ userId: 1, accountId: 1 }, { unique: true });
subscriptionSchema.index({ transformerAreaId: 1 });
export const OutageSubscriptionModel = model('OutageSubscription', subscriptionSchema, 'outage_subscriptions');

/** Settings (clustering thresholds) shared by every instance. */
const settingsSchema = new Schema({ _id: String, value: Schema.Types.Mixed, updatedAt: Date }, { versionKey: false });
export const OutageSettingsModel = model('OutageSettings', settingsSchema, 'outage_settings');
