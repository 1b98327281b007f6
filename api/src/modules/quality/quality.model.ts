import { Schema, model } from 'mongoose';

/**
 * Storage of the quality reports (api/docs/quality.md):
 * - order_facts: one document per order (_id = the order's id), the OrderFact of facts.rules.ts;
 * - quality_rollups: one document per Shanghai day ('d:YYYY-MM-DD') and per month ('m:YYYY-MM') holding every row
 *   of counters of that period — a page view reads a few dozen documents by _id, never a scan of orders or facts;
 * - quality_dirty: days whose roll-up must be recomputed (unique per day, `rev` bumped by every mark);
 * - quality_accounts: per account, its orders' creation/resolution times (the FCR repeat-contact rule);
 * - quality_meta: the event cursor, the customer counts per region, the last recheck/reconcile times.
 */
const loose = { strict: false, versionKey: false } as const;

const factSchema = new Schema({ _id: String, days: [String], recheckAt: Date, accountId: String }, loose);
// For a real MongoDB: the drill-down reads facts by day, the recheck pass by recheckAt.
factSchema.index({ days: 1 });
factSchema.index({ recheckAt: 1 }, { sparse: true });
export const OrderFactModel = model('OrderFact', factSchema, 'order_facts');

const rollupSchema = new Schema({ _id: String, rows: [Schema.Types.Mixed], aht: Schema.Types.Mixed, updatedAt: Date }, loose);
export const QualityRollupModel = model('QualityRollup', rollupSchema, 'quality_rollups');

const dirtySchema = new Schema({ _id: String, rev: { type: Number, default: 0 }, at: Date }, loose);
export const QualityDirtyModel = model('QualityDirty', dirtySchema, 'quality_dirty');

const accountSchema = new Schema({ _id: String, orders: Schema.Types.Mixed }, loose);
export const QualityAccountModel = model('QualityAccount', accountSchema, 'quality_accounts');

const metaSchema = new Schema({ _id: String }, loose);
export const QualityMetaModel = model('QualityMeta', metaSchema, 'quality_meta');

/** One order of an account, as quality_accounts keeps it. */
export interface AccountOrderEntry {
  createdAt: Date;
  resolvedAt: Date | null;
  contact: boolean;
}
