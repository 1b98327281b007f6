import { Schema, model, Types } from 'mongoose';
import './wechat-subscribe';

/**
 * One notice to one person: the message-centre entry (when the person has an app identity) and the
 * delivery record of its WeChat/SMS copies. `key` = `<noticeKey>|<recipientKey>` is unique, so each
 * person gets each notice once however many of their accounts are in scope and however often the
 * fan-out runs.
 */
const channelState = { type: String, enum: ['none', 'pending', 'sending', 'sent', 'failed'], default: 'none' };
const messageSchema = new Schema(
  {
    key: { type: String, required: true },
    noticeKey: { type: String, required: true },
    /** `u:<userId>` for app users, `p:<phone>` for callers known only by phone. */
    recipientKey: { type: String, required: true },
    userId: { type: Types.ObjectId, default: null },
    phone: { type: String, default: null },
    openid: { type: String, default: null },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    outageId: { type: Types.ObjectId, default: null },
    /** The order a work-order notice is about (the customer's own order). */
    orderId: { type: Types.ObjectId, default: null },
    /** Where the notice leads in the web portal (e.g. /home/orders/<id>, /outages/<id>). */
    link: { type: String, default: null },
    /** The recipient's accounts the notice concerns (numbers are the customer's own). */
    accountNumbers: { type: [String], default: [] },
    /** 0 = told first (vulnerable/important/sensitive), 1 = A/B customers, 2 = others. */
    rank: { type: Number, required: true },
    /** Position in the fan-out order of this notice. */
    seq: { type: Number, required: true },
    wechat: channelState,
    sms: channelState,
    sentAt: { type: Date, default: null },
    readAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
messageSchema.index({ key: 1 }, { unique: true });
messageSchema.index({ userId: 1, createdAt: -1 });
messageSchema.index({ userId: 1, readAt: 1 });
messageSchema.index({ noticeKey: 1, seq: 1 });
export const MessageModel = model('Message', messageSchema, 'messages');

export interface MessageDoc {
  _id: Types.ObjectId;
  key: string;
  noticeKey: string;
  recipientKey: string;
  userId: Types.ObjectId | null;
  phone: string | null;
  openid: string | null;
  kind: string;
  title: string;
  body: string;
  outageId: Types.ObjectId | null;
  orderId?: Types.ObjectId | null;
  link?: string | null;
  accountNumbers: string[];
  rank: number;
  seq: number;
  wechat: 'none' | 'pending' | 'sending' | 'sent' | 'failed';
  sms: 'none' | 'pending' | 'sending' | 'sent' | 'failed';
  sentAt: Date | null;
  readAt: Date | null;
  createdAt: Date;
}
