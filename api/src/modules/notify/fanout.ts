import { Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isDuplicateKeyError } from '../../db/connect';
import { acquireLease, releaseLease } from '../../jobs/lease';
import { mergeRecipients, orderRecipients } from '../outages/outage.rules';
import { MessageModel, type MessageDoc } from './message.model';
import type { SmsProvider } from './sms-provider';
import { getWechatSubscribeProvider, OUTAGE_TEMPLATE_ID, type WechatSubscribeProvider } from './wechat-subscribe';

export type NoticeChannel = 'inapp' | 'wechat' | 'sms';

export interface Recipient {
  /** `u:<userId>` or `p:<phone>`: one person, the dedupe unit. */
  key: string;
  userId: Types.ObjectId | null;
  phone: string | null;
  openid: string | null;
  rank: number;
  accountNumbers: string[];
  channels: NoticeChannel[];
}

export interface Notice {
  key: string;
  kind: string;
  title: string;
  body: string;
  outageId?: Types.ObjectId | null;
  /** The customer's order the notice is about. */
  orderId?: Types.ObjectId | null;
  /** Where it leads in the web portal; outage notices lead to the outage (/outages/<id>) when not given. */
  link?: string | null;
  /** Short fields for the WeChat template. */
  wechatData?: Record<string, { value: string }>;
  /** WeChat subscribe-message template (default: the outage notice's). */
  templateId?: string;
  /** SMS template name and text (default: `outage.<kind>` and the body). SMS texts avoid long digit runs (codes are read from the same outbox). */
  smsTemplate?: string;
  smsBody?: string;
  /** Mini-program page the WeChat message opens. */
  page?: string | null;
}

export interface FanOutResult {
  recipients: number;
  created: number;
  wechatSent: number;
  smsSent: number;
  skipped: boolean;
}

const CHUNK = 500;
const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

const ignoreDuplicates = (err: unknown) => {
  const e = err as { writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (isDuplicateKeyError(err) && (e.writeErrors ?? []).every((w) => (w.code ?? w.err?.code) === 11000)) return;
  throw err;
};

/**
 * Delivers one notice to these recipients, most important first, each person once.
 * Message-centre entries are inserted in rank order under unique keys (re-running inserts nothing
 * twice); WeChat/SMS copies are then sent in the same order by whoever holds the notice's lease, each
 * claimed (pending → sending) before it is sent, so a copy is never sent twice.
 */
export async function fanOut(
  notice: Notice,
  recipients: Recipient[],
  providers: { sms: SmsProvider; wechat?: WechatSubscribeProvider },
): Promise<FanOutResult> {
  const lease = `notice:${notice.key}`;
  const ttl = 60_000;
  if (!(await acquireLease(lease, owner, ttl))) return { recipients: 0, created: 0, wechatSent: 0, smsSent: 0, skipped: true };
  try {
    const ordered = orderRecipients(mergeRecipients(recipients));
    let created = 0;
    for (let i = 0; i < ordered.length; i += CHUNK) {
      const now = new Date();
      const docs = ordered.slice(i, i + CHUNK).map((r, k) => ({
        key: `${notice.key}|${r.key}`,
        noticeKey: notice.key,
        recipientKey: r.key,
        userId: r.userId,
        phone: r.phone,
        openid: r.openid,
        kind: notice.kind,
        title: notice.title,
        body: notice.body,
        outageId: notice.outageId ?? null,
        orderId: notice.orderId ?? null,
        link: notice.link ?? (notice.outageId ? `/outages/${notice.outageId}` : null),
        accountNumbers: r.accountNumbers,
        rank: r.rank,
        seq: i + k,
        wechat: r.channels.includes('wechat') && r.openid ? 'pending' : 'none',
        sms: r.channels.includes('sms') && r.phone && !(r.channels.includes('wechat') && r.openid) ? 'pending' : 'none',
        sentAt: null,
        readAt: null,
        createdAt: now,
      }));
      const res = await MessageModel.insertMany(docs, { ordered: false, rawResult: true }).catch((err) => {
        ignoreDuplicates(err);
        return { insertedCount: (err as { insertedDocs?: unknown[]; result?: { insertedCount?: number } }).result?.insertedCount ?? 0 };
      });
      created += (res as { insertedCount?: number }).insertedCount ?? 0;
      await acquireLease(lease, owner, ttl);
    }
    const { wechatSent, smsSent } = await sendExternal(notice, providers, () => acquireLease(lease, owner, ttl));
    return { recipients: ordered.length, created, wechatSent, smsSent, skipped: false };
  } finally {
    await releaseLease(lease, owner).catch(() => undefined);
  }
}

async function sendExternal(notice: Notice, providers: { sms: SmsProvider; wechat?: WechatSubscribeProvider }, renew: () => Promise<boolean>) {
  const wechat = providers.wechat ?? getWechatSubscribeProvider();
  let wechatSent = 0;
  let smsSent = 0;
  for (;;) {
    const batch = (await MessageModel.find(
      { noticeKey: notice.key, $or: [{ wechat: 'pending' }, { sms: 'pending' }] },
      { _id: 1, openid: 1, phone: 1, wechat: 1, sms: 1, seq: 1 },
    )
      .sort({ seq: 1 })
      .limit(CHUNK)
      .lean()) as unknown as Pick<MessageDoc, '_id' | 'openid' | 'phone' | 'wechat' | 'sms' | 'seq'>[];
    if (batch.length === 0) break;
    const wx = batch.filter((m) => m.wechat === 'pending');
    const sm = batch.filter((m) => m.sms === 'pending');
    // Claimed before sending: a crash after this point leaves 'sending', never a second copy.
    if (wx.length) await MessageModel.updateMany({ _id: { $in: wx.map((m) => m._id) }, wechat: 'pending' }, { $set: { wechat: 'sending' } });
    if (sm.length) await MessageModel.updateMany({ _id: { $in: sm.map((m) => m._id) }, sms: 'pending' }, { $set: { sms: 'sending' } });
    const sent: { wx: Types.ObjectId[]; sms: Types.ObjectId[]; failedWx: Types.ObjectId[]; failedSms: Types.ObjectId[] } = {
      wx: [],
      sms: [],
      failedWx: [],
      failedSms: [],
    };
    const jobs = [
      ...wx.map((m) => async () => {
        try {
          await wechat.send(
            m.openid!,
            notice.templateId ?? OUTAGE_TEMPLATE_ID,
            notice.wechatData ?? { thing1: { value: notice.title.slice(0, 20) } },
            notice.page ?? null,
          );
          sent.wx.push(m._id);
        } catch {
          sent.failedWx.push(m._id);
        }
      }),
      ...sm.map((m) => async () => {
        try {
          await providers.sms.send(m.phone!, notice.smsTemplate ?? `outage.${notice.kind}`, `【国网电力】${notice.smsBody ?? notice.body}`);
          sent.sms.push(m._id);
        } catch {
          sent.failedSms.push(m._id);
        }
      }),
    ];
    // Batches go out in seq order; within a batch a few at a time.
    for (let i = 0; i < jobs.length; i += 25) await Promise.all(jobs.slice(i, i + 25).map((j) => j()));
    const now = new Date();
    if (sent.wx.length) await MessageModel.updateMany({ _id: { $in: sent.wx } }, { $set: { wechat: 'sent', sentAt: now } });
    if (sent.sms.length) await MessageModel.updateMany({ _id: { $in: sent.sms } }, { $set: { sms: 'sent', sentAt: now } });
    if (sent.failedWx.length) await MessageModel.updateMany({ _id: { $in: sent.failedWx } }, { $set: { wechat: 'failed' } });
    if (sent.failedSms.length) await MessageModel.updateMany({ _id: { $in: sent.failedSms } }, { $set: { sms: 'failed' } });
    wechatSent += sent.wx.length;
    smsSent += sent.sms.length;
    if (!(await renew())) break;
  }
  return { wechatSent, smsSent };
}

// ---------------------------------------------------------------------------------------------
// Message centre reads

export interface MessageView {
  id: string;
  kind: string;
  title: string;
  body: string;
  outageId: string | null;
  orderId: string | null;
  /** Where the notice leads in the web portal (its order, outage, account or payments). */
  link: string | null;
  accountNumbers: string[];
  read: boolean;
  createdAt: string;
}

const toView = (m: MessageDoc): MessageView => ({
  id: String(m._id),
  kind: m.kind,
  title: m.title,
  body: m.body,
  outageId: m.outageId ? String(m.outageId) : null,
  orderId: m.orderId ? String(m.orderId) : null,
  link: m.link ?? (m.outageId ? `/outages/${m.outageId}` : null),
  accountNumbers: m.accountNumbers ?? [],
  read: m.readAt != null,
  createdAt: new Date(m.createdAt).toISOString(),
});

export async function listMessages(userId: string, opts: { limit?: number; before?: string | null; unreadOnly?: boolean }) {
  const q: Record<string, unknown> = { userId: new Types.ObjectId(userId) };
  if (opts.before) q.createdAt = { $lt: new Date(opts.before) };
  if (opts.unreadOnly) q.readAt = null;
  const docs = (await MessageModel.find(q, { key: 0, phone: 0, openid: 0 })
    .sort({ createdAt: -1, seq: 1 })
    .limit(opts.limit ?? 20)
    .lean()) as unknown as MessageDoc[];
  return docs.map(toView);
}

export async function unreadCount(userId: string): Promise<number> {
  return MessageModel.countDocuments({ userId: new Types.ObjectId(userId), readAt: null });
}

/** Marks the caller's own messages read; ids of others' messages are silently ignored. */
export async function markRead(userId: string, opts: { ids?: string[]; all?: boolean }): Promise<{ updated: number }> {
  const q: Record<string, unknown> = { userId: new Types.ObjectId(userId), readAt: null };
  if (!opts.all) q._id = { $in: (opts.ids ?? []).filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id)) };
  const r = await MessageModel.updateMany(q, { $set: { readAt: new Date() } });
  return { updated: r.modifiedCount };
}
