/**
 * 积分台账 (points_ledger): APPEND-ONLY. An entry is inserted once under its unique key and never updated or
 * deleted — every query-level update/delete of this model throws (middleware below), and a correction is a new
 * entry. Never reset (积分累计不清零). `seq` orders entries for the roll-up into points_totals.
 */
import { Schema, model, Types } from 'mongoose';

export const LEDGER_APPEND_ONLY = '积分台账只增不改：不能修改或删除已记入的积分，更正请记一笔新的积分';

const ledgerSchema = new Schema(
  {
    /** `<orderId>:<rule>:<cycle>`: recomputing an order produces the same keys, so inserting again adds nothing. */
    key: { type: String, required: true },
    /** Insertion order for the roll-up (counter `points_ledger`); holes are allowed. */
    seq: { type: Number, required: true },
    agentId: { type: Types.ObjectId, required: true },
    /** The agent's team when the entry was made. */
    teamId: { type: Types.ObjectId, default: null },
    orderId: { type: Types.ObjectId, default: null },
    orderNo: { type: String, default: null },
    orderType: { type: String, default: null },
    rule: { type: String, required: true },
    /** Signed integer. */
    points: { type: Number, required: true },
    /** In words, e.g. "处理咨询工单 GD20261201-000123 +2". */
    reason: { type: String, required: true },
    /** The `points` settings version in force at `at`, under which the points were computed. */
    rulesVersion: { type: Number, required: true },
    /** When it was earned (the resolution, the rating, the deadline, the check). */
    at: { type: Date, required: true },
    /** Handled entries: the AHT measured (the medians are computed from these). */
    ahtMs: { type: Number, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
ledgerSchema.index({ key: 1 }, { unique: true });
ledgerSchema.index({ seq: 1 }, { unique: true });
ledgerSchema.index({ agentId: 1, at: -1 });
ledgerSchema.index({ rule: 1, at: -1 });

function refuse(): never {
  throw new Error(LEDGER_APPEND_ONLY);
}
for (const op of [
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'deleteOne',
  'deleteMany',
] as const) {
  ledgerSchema.pre(op, refuse);
}
// A document saved a second time (an edit through a loaded document) is refused too; `remove` of a document likewise.
ledgerSchema.pre('save', function () {
  if (!this.isNew) refuse();
});
ledgerSchema.pre('deleteOne', { document: true, query: false }, refuse);
// bulkWrite may only insert.
ledgerSchema.pre('bulkWrite', function (this: unknown, ...args: unknown[]) {
  const ops = args.find((a) => Array.isArray(a)) as Record<string, unknown>[] | undefined;
  if ((ops ?? []).some((o) => !('insertOne' in o))) refuse();
  const next = args.find((a) => typeof a === 'function') as (() => void) | undefined;
  next?.();
});

export const PointsLedgerModel = model('PointsLedger', ledgerSchema, 'points_ledger');

export interface LedgerEntry {
  key: string;
  seq: number;
  agentId: Types.ObjectId;
  teamId: Types.ObjectId | null;
  orderId: Types.ObjectId | null;
  orderNo: string | null;
  orderType: string | null;
  rule: string;
  points: number;
  reason: string;
  rulesVersion: number;
  at: Date;
  ahtMs: number | null;
  createdAt: Date;
}

/**
 * Roll-up of the ledger per agent and period ('all', '2026-05', '2026-Q2'): what leaderboards and the 我的积分
 * header read (tens of documents, not the ledger). Maintained by the accrual job from the ledger in `seq` order;
 * `appliedSeq` makes applying an entry twice a no-op.
 */
const totalsSchema = new Schema(
  {
    _id: String,
    agentId: { type: Types.ObjectId, required: true },
    period: { type: String, required: true },
    points: { type: Number, default: 0 },
    entries: { type: Number, default: 0 },
    appliedSeq: { type: Number, default: 0 },
  },
  { versionKey: false },
);
totalsSchema.index({ period: 1, points: -1 });
export const PointsTotalsModel = model('PointsTotals', totalsSchema, 'points_totals');

/** Durable cursors of the accrual job ('events': the last event seq handled; 'rollup': the last ledger seq rolled up). */
const cursorSchema = new Schema({ _id: String, seq: { type: Number, default: 0 }, at: { type: Date, default: null } }, { versionKey: false });
export const PointsCursorModel = model('PointsCursor', cursorSchema, 'points_cursors');

/** AHT median per order type over recent handled entries: one small document, refreshed by the job. */
const mediansSchema = new Schema(
  {
    _id: String,
    byType: { type: Schema.Types.Mixed, default: {} },
    samples: { type: Schema.Types.Mixed, default: {} },
    computedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
export const PointsMediansModel = model('PointsMedians', mediansSchema, 'points_medians');

/** 质检: one check per order per supervisor, never edited (audited). */
const qcSchema = new Schema(
  {
    orderId: { type: Types.ObjectId, required: true },
    orderNo: { type: String, required: true },
    orderType: { type: String, required: true },
    supervisorId: { type: Types.ObjectId, required: true },
    supervisorName: { type: String, required: true },
    agentId: { type: Types.ObjectId, required: true },
    agentName: { type: String, required: true },
    teamId: { type: Types.ObjectId, default: null },
    items: { type: [new Schema({ item: String, passed: Boolean }, { _id: false })], default: [] },
    failed: { type: Number, required: true },
    comment: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
qcSchema.index({ orderId: 1, supervisorId: 1 }, { unique: true });
qcSchema.index({ supervisorId: 1, createdAt: -1 });
qcSchema.index({ agentId: 1, createdAt: -1 });
export const QualityCheckModel = model('QualityCheck', qcSchema, 'quality_checks');

export interface QualityCheck {
  _id: Types.ObjectId;
  orderId: Types.ObjectId;
  orderNo: string;
  orderType: string;
  supervisorId: Types.ObjectId;
  supervisorName: string;
  agentId: Types.ObjectId;
  agentName: string;
  teamId: Types.ObjectId | null;
  items: { item: string; passed: boolean }[];
  failed: number;
  comment: string;
  createdAt: Date;
}
