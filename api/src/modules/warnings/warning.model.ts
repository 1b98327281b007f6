import { Schema, model, type Types } from 'mongoose';
import { SUPERVISION_STATES, type SupervisionState } from './warning.rules';

/**
 * Daily counts of fault reports / complaints per area (transformer area or region), kept by the warnings job so
 * the board reads ~1,200 small documents instead of every order. One document per metric × area, its `days`
 * a map YYYY-MM-DD (Shanghai) → count over the last COUNT_DAYS days. _id `<metric>:<areaKind>:<areaId>`.
 */
const areaDailyCountSchema = new Schema(
  {
    _id: String,
    metric: { type: String, enum: ['fault', 'complaint'], required: true },
    areaKind: { type: String, enum: ['region', 'transformer_area'], required: true },
    areaId: { type: Schema.Types.ObjectId, required: true },
    regionId: { type: Schema.Types.ObjectId, default: null },
    days: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
areaDailyCountSchema.index({ regionId: 1 });
export const AreaDailyCountModel = model('AreaDailyCount', areaDailyCountSchema, 'area_daily_counts');
export interface AreaDailyCount {
  _id: string;
  metric: 'fault' | 'complaint';
  areaKind: 'region' | 'transformer_area';
  areaId: Types.ObjectId;
  regionId: Types.ObjectId | null;
  days: Record<string, number>;
  updatedAt: Date | null;
}

/**
 * The warnings job's durable state: the event-log cursor, when the counts were last rebuilt in full, the board's
 * snapshot of near-deadline orders and open field orders. _id names the piece.
 */
const warningStateSchema = new Schema(
  {
    _id: String,
    seq: { type: Number, default: 0 },
    at: { type: Date, default: null },
    value: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, minimize: false },
);
export const WarningStateModel = model('WarningState', warningStateSchema, 'warning_state');

/** A 督办 item: one per escalated deadline of an order (key from the SLA sweep's event), or one manual 督办. */
const supervisionItemSchema = new Schema(
  {
    /** `<orderId>:sla:<deadlineId>:overdue` (the sweep's event key) or `manual:<orderId>:<n>`: creating it twice adds nothing. */
    key: { type: String, required: true },
    source: { type: String, enum: ['sla', 'manual'], required: true },
    orderId: { type: Schema.Types.ObjectId, required: true },
    orderNo: { type: String, required: true },
    orderType: { type: String, required: true },
    regionId: { type: Schema.Types.ObjectId, default: null },
    deadlineKind: { type: String, default: null },
    dueAt: { type: Date, default: null },
    reason: { type: String, default: null },
    state: { type: String, enum: SUPERVISION_STATES, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, default: null },
    createdByName: { type: String, default: null },
    ackAt: { type: Date, default: null },
    ackBy: { type: String, default: null },
    ackByName: { type: String, default: null },
    resolvedAt: { type: Date, default: null },
    comments: {
      type: [new Schema({ at: Date, by: String, byName: String, text: String }, { _id: false })],
      default: [],
    },
    urges: {
      type: [new Schema({ at: Date, by: String, byName: String, text: String, to: [String] }, { _id: false })],
      default: [],
    },
  },
  { versionKey: false },
);
supervisionItemSchema.index({ key: 1 }, { unique: true });
supervisionItemSchema.index({ orderId: 1 });
supervisionItemSchema.index({ state: 1, regionId: 1, createdAt: -1 });
export const SupervisionItemModel = model('SupervisionItem', supervisionItemSchema, 'supervision_items');
export interface SupervisionItem {
  _id: Types.ObjectId;
  key: string;
  source: 'sla' | 'manual';
  orderId: Types.ObjectId;
  orderNo: string;
  orderType: string;
  regionId: Types.ObjectId | null;
  deadlineKind: string | null;
  dueAt: Date | null;
  reason: string | null;
  state: SupervisionState;
  createdAt: Date;
  createdBy: string | null;
  createdByName: string | null;
  ackAt: Date | null;
  ackBy: string | null;
  ackByName: string | null;
  resolvedAt: Date | null;
  comments: { at: Date; by: string; byName: string; text: string }[];
  urges: { at: Date; by: string; byName: string; text: string; to: string[] }[];
}

/** Each customer's recent orders (one document per customer, read by _id): what the sensitive rules look at. */
const customerContactsSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    contacts: {
      type: [new Schema({ orderId: String, orderNo: String, type: String, at: Date }, { _id: false })],
      default: [],
    },
  },
  { versionKey: false },
);
export const CustomerContactsModel = model('CustomerContacts', customerContactsSchema, 'customer_contacts');

/** The weekly quality report of one team and week, stored once (key `<teamId>:<weekStart>`). */
const weeklyReportSchema = new Schema(
  {
    key: { type: String, required: true },
    teamId: { type: Schema.Types.ObjectId, required: true },
    teamName: { type: String, required: true },
    leaderId: { type: Schema.Types.ObjectId, default: null },
    /** Shanghai dates of the Monday and Sunday of the week. */
    weekStart: { type: String, required: true },
    weekEnd: { type: String, required: true },
    generatedAt: { type: Date, required: true },
    pdf: { type: Buffer, required: true },
    size: { type: Number, required: true },
  },
  { versionKey: false },
);
weeklyReportSchema.index({ key: 1 }, { unique: true });
weeklyReportSchema.index({ teamId: 1, weekStart: -1 });
export const WeeklyReportModel = model('WeeklyReport', weeklyReportSchema, 'weekly_reports');
