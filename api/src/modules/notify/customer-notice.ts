/**
 * Customer notices other than outages (work-order progress, payments, refunds, reconnection, bills,
 * smart-prepaid balance): each is first written to an outbox (`customer_notices`, unique key) by the code
 * path whose event it reports, then delivered: a message-centre entry per person (unique
 * `<noticeKey>|<recipient>`), plus a WeChat subscribe message for people with an openid or an SMS to the
 * phone otherwise. Every external copy is claimed on its own (pending → sending) before it is sent, so a
 * notice is delivered once however often delivery runs and on however many instances; what a crash leaves
 * pending is picked up by `resumeCustomerNotices` (called with the outage-notice resume, every 30 s).
 */
import { Schema, model, Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { AccountModel, BindingModel, CustomerModel, bindingLevelOf } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { mergeRecipients, noticeRank, orderRecipients } from '../outages/outage.rules';
import { MessageModel, type MessageDoc } from './message.model';
import { OutboxSmsProvider, type SmsProvider } from './sms-provider';
import { getWechatSubscribeProvider, type WechatSubscribeProvider } from './wechat-subscribe';
import type { NoticeChannel, Recipient } from './fanout';

/** Who a notice is for: named users, the people bound to an account, or a phone known only from a call. */
export interface Audience {
  userIds?: Types.ObjectId[];
  /** Everyone bound to this account (level 'all'), or only its 户主 (level 'holder'); its enterprise's users for enterprise accounts. */
  accountId?: Types.ObjectId | null;
  accountLevel?: 'holder' | 'all';
  /** Enterprise users who hear about it: money notices go to admin and finance, service notices to admin and the power liaison. */
  topic: 'money' | 'service';
  /** When nobody above has an app identity: an SMS to this phone (a caller known only by phone). */
  phone?: string | null;
}

export interface CustomerNoticeInput {
  key: string;
  kind: string;
  title: string;
  body: string;
  /** SMS text (no long digit runs: verification codes are read from the same outbox). Default: the body. */
  smsBody?: string;
  link?: string | null;
  page?: string | null;
  templateId: string;
  wechatData: Record<string, { value: string }>;
  orderId?: Types.ObjectId | null;
  outageId?: Types.ObjectId | null;
  accountId?: Types.ObjectId | null;
  /** The account number shown with the message (the recipient's own account). */
  accountNumber?: string | null;
  audience: Audience;
  at?: Date;
}

const noticeSchema = new Schema(
  {
    key: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    smsBody: { type: String, default: null },
    link: { type: String, default: null },
    page: { type: String, default: null },
    templateId: { type: String, required: true },
    wechatData: { type: Schema.Types.Mixed, default: {} },
    orderId: { type: Types.ObjectId, default: null },
    outageId: { type: Types.ObjectId, default: null },
    accountId: { type: Types.ObjectId, default: null },
    accountNumber: { type: String, default: null },
    audience: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['pending', 'delivered'], default: 'pending' },
    recipients: { type: Number, default: null },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
noticeSchema.index({ key: 1 }, { unique: true });
noticeSchema.index({ status: 1, createdAt: 1 });
export const CustomerNoticeModel = model('CustomerNotice', noticeSchema, 'customer_notices');

type NoticeDoc = CustomerNoticeInput & { _id: Types.ObjectId; status: string; createdAt: Date; smsBody?: string | null };

// ---------------------------------------------------------------------------------------------
// Providers (development and tests: the outboxes; production plugs its gateways in)

let smsProvider: SmsProvider = new OutboxSmsProvider();
export const setCustomerNoticeSms = (p: SmsProvider) => {
  smsProvider = p;
};
const providers = (): { sms: SmsProvider; wechat: WechatSubscribeProvider } => ({ sms: smsProvider, wechat: getWechatSubscribeProvider() });

// ---------------------------------------------------------------------------------------------
// Outbox

const ignoreDuplicates = (err: unknown) => {
  const e = err as { writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (isDuplicateKeyError(err) && (e.writeErrors ?? []).every((w) => (w.code ?? w.err?.code) === 11000)) return;
  throw err;
};

/** Writes notices to the outbox (a key written before is left as it is). */
export async function enqueueNotices(notices: CustomerNoticeInput[]): Promise<void> {
  if (!notices.length) return;
  const now = new Date();
  const docs = notices.map((n) => ({
    ...n,
    smsBody: n.smsBody ?? null,
    link: n.link ?? null,
    page: n.page ?? null,
    orderId: n.orderId ?? null,
    outageId: n.outageId ?? null,
    accountId: n.accountId ?? null,
    accountNumber: n.accountNumber ?? null,
    status: 'pending',
    createdAt: n.at ?? now,
  }));
  await CustomerNoticeModel.insertMany(docs, { ordered: false }).catch(ignoreDuplicates);
}

/** Enqueues and delivers at once; a failed delivery stays in the outbox for the resume. */
export async function notify(notices: CustomerNoticeInput[]): Promise<void> {
  if (!notices.length) return;
  await enqueueNotices(notices);
  await deliverEnqueued(notices);
}

/**
 * Delivers notices just written to the outbox from what the writer holds (no second read). Delivering one twice
 * is harmless (unique message keys, claimed copies); a failure leaves it pending for the resume.
 */
export async function deliverEnqueued(notices: CustomerNoticeInput[]): Promise<void> {
  for (const n of notices) {
    await deliver(n).catch(async (err) => {
      await CustomerNoticeModel.updateOne(
        { key: n.key, status: 'pending' },
        { $inc: { attempts: 1 }, $set: { lastError: String((err as Error)?.message ?? err) } },
      ).catch(() => undefined);
    });
  }
}

/** Delivers the pending notices with these keys. */
export async function deliverNotices(keys: string[]): Promise<number> {
  const docs = (await CustomerNoticeModel.find({ key: { $in: keys }, status: 'pending' }).lean()) as unknown as NoticeDoc[];
  let n = 0;
  for (const d of docs) {
    try {
      await deliver(d);
      n++;
    } catch (err) {
      await CustomerNoticeModel.updateOne({ key: d.key }, { $inc: { attempts: 1 }, $set: { lastError: String((err as Error)?.message ?? err) } });
    }
  }
  return n;
}

/** Notices left pending (a writer that died, a failed delivery), oldest first. */
export async function resumeCustomerNotices(staleMs = 30_000, limit = 100): Promise<number> {
  const stale = await CustomerNoticeModel.find(
    { status: 'pending', createdAt: { $lte: new Date(Date.now() - staleMs) }, attempts: { $lt: 20 } },
    { key: 1 },
  )
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean();
  return stale.length ? deliverNotices(stale.map((s) => s.key)) : 0;
}

// ---------------------------------------------------------------------------------------------
// Recipients

const ENTERPRISE_TOPIC_ROLES = {
  money: ['enterprise_admin', 'enterprise_finance'],
  service: ['enterprise_admin', 'enterprise_electrician'],
} as const;

/**
 * The people an audience names, one entry each: message centre always, WeChat for people with an openid,
 * SMS to the phone otherwise (the fan-out's channel rule).
 */
export async function resolveAudience(a: Audience, accountNumber: string | null): Promise<Recipient[]> {
  const userIds = new Map<string, Types.ObjectId>((a.userIds ?? []).filter(Boolean).map((id) => [String(id), new Types.ObjectId(String(id))]));
  let rank = 2;
  if (a.accountId) {
    const acc = await AccountModel.findById(a.accountId, { customerId: 1, enterpriseId: 1 }).lean();
    if (acc) {
      const cust = await CustomerModel.findById(acc.customerId, { flags: 1, tier: 1 }).lean();
      if (cust) rank = noticeRank({ ...(cust.flags ?? {}), tier: cust.tier });
      const bindings = await BindingModel.find({ accountId: acc._id }, { userId: 1, level: 1, verifiedBy: 1 }).lean();
      for (const b of bindings) if (a.accountLevel !== 'holder' || bindingLevelOf(b) === 'holder') userIds.set(String(b.userId), b.userId);
      if (acc.enterpriseId) {
        const ent = await UserModel.find(
          { enterpriseId: acc.enterpriseId, roles: { $in: [...ENTERPRISE_TOPIC_ROLES[a.topic]] }, disabled: { $ne: true } },
          { siteAccountIds: 1 },
        ).lean();
        for (const u of ent)
          if (!u.siteAccountIds?.length || u.siteAccountIds.some((s) => String(s) === String(acc._id))) userIds.set(String(u._id), u._id);
      }
    }
  }
  const users = userIds.size
    ? await UserModel.find({ _id: { $in: [...userIds.values()] }, disabled: { $ne: true } }, { openid: 1, phone: 1 }).lean()
    : [];
  const nums = accountNumber ? [accountNumber] : [];
  const channels: NoticeChannel[] = ['inapp', 'wechat', 'sms'];
  const out: Recipient[] = users.map((u) => ({
    key: `u:${u._id}`,
    userId: u._id,
    phone: u.phone ?? null,
    openid: u.openid ?? null,
    rank,
    accountNumbers: nums,
    channels,
  }));
  if (!out.length && a.phone)
    out.push({ key: `p:${a.phone}`, userId: null, phone: a.phone, openid: null, rank, accountNumbers: nums, channels: ['sms'] });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Delivery

async function deliver(d: CustomerNoticeInput & { smsBody?: string | null }): Promise<void> {
  const recipients = orderRecipients(mergeRecipients(await resolveAudience(d.audience, d.accountNumber ?? null)));
  const now = new Date();
  if (recipients.length) {
    const docs = recipients.map((r, seq) => ({
      key: `${d.key}|${r.key}`,
      noticeKey: d.key,
      recipientKey: r.key,
      userId: r.userId,
      phone: r.phone,
      openid: r.openid,
      kind: d.kind,
      title: d.title,
      body: d.body,
      outageId: d.outageId ?? null,
      orderId: d.orderId ?? null,
      link: d.link ?? null,
      accountNumbers: r.accountNumbers,
      rank: r.rank,
      seq,
      wechat: r.channels.includes('wechat') && r.openid ? 'pending' : 'none',
      sms: r.channels.includes('sms') && r.phone && !(r.channels.includes('wechat') && r.openid) ? 'pending' : 'none',
      sentAt: null,
      readAt: null,
      // Message-centre entries of app users show in the centre; phone-only ones are the SMS's delivery record.
      createdAt: now,
    }));
    await MessageModel.insertMany(docs, { ordered: false }).catch(ignoreDuplicates);
    await sendCopies(d);
  }
  await CustomerNoticeModel.updateOne(
    { key: d.key, status: 'pending' },
    { $set: { status: 'delivered', deliveredAt: new Date(), recipients: recipients.length, lastError: null } },
  );
}

/** Each pending WeChat/SMS copy of the notice, claimed one by one: the claim's winner sends it. */
async function sendCopies(d: CustomerNoticeInput & { smsBody?: string | null }): Promise<void> {
  const { sms, wechat } = providers();
  const pending = (await MessageModel.find(
    { noticeKey: d.key, $or: [{ wechat: 'pending' }, { sms: 'pending' }] },
    { _id: 1, openid: 1, phone: 1, wechat: 1, sms: 1 },
  ).lean()) as unknown as Pick<MessageDoc, '_id' | 'openid' | 'phone' | 'wechat' | 'sms'>[];
  for (const m of pending) {
    if (
      m.wechat === 'pending' &&
      (await MessageModel.updateOne({ _id: m._id, wechat: 'pending' }, { $set: { wechat: 'sending' } })).modifiedCount === 1
    ) {
      try {
        await wechat.send(m.openid!, d.templateId, d.wechatData ?? {}, d.page ?? null);
        await MessageModel.updateOne({ _id: m._id }, { $set: { wechat: 'sent', sentAt: new Date() } });
      } catch {
        await MessageModel.updateOne({ _id: m._id }, { $set: { wechat: 'failed' } });
      }
    }
    if (m.sms === 'pending' && (await MessageModel.updateOne({ _id: m._id, sms: 'pending' }, { $set: { sms: 'sending' } })).modifiedCount === 1) {
      try {
        await sms.send(m.phone!, `notice.${d.kind}`, d.smsBody ?? d.body); // the provider signs it (smsBrand)
        await MessageModel.updateOne({ _id: m._id }, { $set: { sms: 'sent', sentAt: new Date() } });
      } catch {
        await MessageModel.updateOne({ _id: m._id }, { $set: { sms: 'failed' } });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Short texts shared by the notice builders

/** WeChat template fields are short: thing ≤ 20 characters. */
export const thing = (s: string) => ({ value: Array.from(s).slice(0, 20).join('') });
/** Last four digits, for SMS texts ("尾号0006"). */
export const tail = (s: string | null | undefined) => (s ? s.slice(-4) : '');
export const yuan = (fen: number) => `${(fen / 100).toFixed(2)}元`;
