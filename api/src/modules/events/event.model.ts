import { Schema, model, Types } from 'mongoose';

/**
 * The event log behind the live queue: every instance writes here and every instance's subscribers
 * poll it, so no process's memory is the source of truth (SPEC 6).
 */
const eventSchema = new Schema(
  {
    seq: { type: Number, required: true },
    /** Idempotency key: re-publishing after a crash inserts nothing new. */
    key: { type: String, required: true },
    type: { type: String, required: true },
    orderId: { type: Types.ObjectId, default: null },
    regionId: { type: Types.ObjectId, default: null },
    at: { type: Date, required: true },
    /** When it became visible: readers use it to tell a slow writer from a dead one. */
    publishedAt: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false },
);
eventSchema.index({ seq: 1 }, { unique: true });
eventSchema.index({ key: 1 }, { unique: true });
eventSchema.index({ orderId: 1, seq: 1 });
export const EventModel = model('Event', eventSchema, 'events');

export interface EventRecord {
  seq: number;
  key: string;
  type: string;
  orderId: Types.ObjectId | null;
  regionId: Types.ObjectId | null;
  at: Date;
  payload: Record<string, unknown> | null;
}

/** In-app notifications (督办 to supervisors). Delivery to WeChat/SMS comes later from this record. */
const notificationSchema = new Schema(
  {
    key: { type: String, required: true },
    recipientRole: { type: String, default: null },
    recipientUserId: { type: Types.ObjectId, default: null },
    regionId: { type: Types.ObjectId, default: null },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    orderId: { type: Types.ObjectId, default: null },
    readAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
notificationSchema.index({ key: 1 }, { unique: true });
notificationSchema.index({ recipientRole: 1, regionId: 1, createdAt: -1 });
notificationSchema.index({ recipientUserId: 1, createdAt: -1 });
export const InAppNotificationModel = model('InAppNotification', notificationSchema, 'notifications');
