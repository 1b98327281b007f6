import { Schema, model, Types } from 'mongoose';

/**
 * One message thread per enterprise, between the enterprise's users and its account manager (客户经理).
 * The thread document carries the counters every screen needs in one read: the message sequence, the
 * oldest unanswered customer message (what the staff inbox sorts and highlights by) and each side's read mark.
 */
const threadSchema = new Schema(
  {
    enterpriseId: { type: Types.ObjectId, required: true },
    /** Last message number handed out (one atomic $inc per message). */
    seq: { type: Number, default: 0 },
    lastMessageAt: { type: Date, default: null },
    lastSide: { type: String, enum: ['customer', 'manager', null], default: null },
    lastPreview: { type: String, default: null },
    /** When the oldest customer message still without a reply was sent; null when the manager has answered. */
    waitingSince: { type: Date, default: null },
    /** Its reply deadline by the 30-minute rule (service time, thread.rules.ts). */
    waitingDueAt: { type: Date, default: null },
    /** Highest message number the manager has read / any of the enterprise's users has read (read receipts). */
    managerReadSeq: { type: Number, default: 0 },
    customerReadSeq: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
threadSchema.index({ enterpriseId: 1 }, { unique: true });
threadSchema.index({ waitingSince: 1 });
export const EnterpriseThreadModel = model('EnterpriseThread', threadSchema, 'enterprise_threads');

const threadMessageSchema = new Schema(
  {
    /** Idempotency: `<authorId>:<client key>` (a retried send stores nothing twice), or the message's own id. */
    key: { type: String, required: true },
    threadId: { type: Types.ObjectId, required: true },
    enterpriseId: { type: Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    side: { type: String, enum: ['customer', 'manager'], required: true },
    authorId: { type: Types.ObjectId, required: true },
    authorName: { type: String, required: true },
    authorRole: { type: String, required: true },
    text: { type: String, default: '' },
    attachmentIds: { type: [Types.ObjectId], default: [] },
    createdAt: { type: Date, required: true },
    /** Customer messages: the reply deadline (30 minutes of service time), when it was answered, when the manager was warned. */
    replyDueAt: { type: Date, default: null },
    answeredAt: { type: Date, default: null },
    warnedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
threadMessageSchema.index({ key: 1 }, { unique: true });
threadMessageSchema.index({ threadId: 1, seq: 1 }, { unique: true });
threadMessageSchema.index({ side: 1, answeredAt: 1, warnedAt: 1, replyDueAt: 1 });
export const EnterpriseThreadMessageModel = model('EnterpriseThreadMessage', threadMessageSchema, 'enterprise_thread_messages');

/** Each person's read mark in a thread (unread = the other side's messages after it). */
const threadReadSchema = new Schema(
  {
    threadId: { type: Types.ObjectId, required: true },
    userId: { type: Types.ObjectId, required: true },
    lastReadSeq: { type: Number, default: 0 },
  },
  { versionKey: false },
);
threadReadSchema.index({ threadId: 1, userId: 1 }, { unique: true });
threadReadSchema.index({ userId: 1 });
export const EnterpriseThreadReadModel = model('EnterpriseThreadRead', threadReadSchema, 'enterprise_thread_reads');

export interface ThreadDoc {
  _id: Types.ObjectId;
  enterpriseId: Types.ObjectId;
  seq: number;
  lastMessageAt: Date | null;
  lastSide: 'customer' | 'manager' | null;
  lastPreview: string | null;
  waitingSince: Date | null;
  waitingDueAt: Date | null;
  managerReadSeq: number;
  customerReadSeq: number;
}
export interface ThreadMessageDoc {
  _id: Types.ObjectId;
  key: string;
  threadId: Types.ObjectId;
  enterpriseId: Types.ObjectId;
  seq: number;
  side: 'customer' | 'manager';
  authorId: Types.ObjectId;
  authorName: string;
  authorRole: string;
  text: string;
  attachmentIds: Types.ObjectId[];
  createdAt: Date;
  replyDueAt: Date | null;
  answeredAt: Date | null;
  warnedAt: Date | null;
}
