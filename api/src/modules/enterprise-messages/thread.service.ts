/**
 * The enterprise ↔ account-manager thread (SPEC §3.5, seed 004: point-to-point service with the
 * enterprise's power liaison). Who may read and write is decided here, from the database on every call:
 *
 * - the enterprise's own users (admin, finance, power liaison) — their enterprise's thread only; a removed or
 *   disabled user, or one moved to another enterprise, is refused on the next call;
 * - the enterprise's account manager (Enterprise.accountManagerId) — the threads of their enterprises;
 * - supervisors (值班长) — every thread, read-only: they watch the 30-minute promise, the manager answers
 *   (one point of contact for the customer). Their reading moves no read mark.
 *
 * A message is written (acknowledged by the database) before the call returns and before the live event
 * goes out; the event carries no text and no names, screens re-read through the guarded reads.
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { DomainError } from '../../lib/errors';
import type { AppServices } from '../../http/types';
import { EnterpriseModel } from '../accounts/account.model';
import type { AccessClaims } from '../auth/tokens';
import { ENTERPRISE_ROLES, UserModel } from '../auth/user.model';
import { nextSeq } from '../events/counter.model';
import { EventModel, InAppNotificationModel } from '../events/event.model';
import { assertOwnFiles, signDocumentLinks, type DocumentLink } from '../files/file.service';
import { settingInForce } from '../settings/settings.service';
import {
  EnterpriseThreadMessageModel,
  EnterpriseThreadModel,
  EnterpriseThreadReadModel,
  type ThreadDoc,
  type ThreadMessageDoc,
} from './thread.model';
import { MANAGER_SERVICE_HOURS_TEXT, replyDueAt, serviceMsBetween, type ThreadSide } from './thread.rules';

const oid = (s: string | Types.ObjectId) => (typeof s === 'string' ? new Types.ObjectId(s) : s);
const notFound = () => new DomainError('NOT_FOUND', '会话不存在或无权访问');

// ---------------------------------------------------------------------------------------------
// Who is asking

export interface ThreadActor {
  userId: Types.ObjectId;
  name: string;
  /** The role shown beside their messages. */
  role: string;
  side: ThreadSide | 'supervisor';
  /** Enterprises whose thread they may open; 'all' for supervisors. */
  enterprises: Types.ObjectId[] | 'all';
  canWrite: boolean;
}

/** The caller's standing in threads, read fresh (a removed user, a reassigned manager stop on the next call). */
export async function threadActor(user: AccessClaims): Promise<ThreadActor> {
  const u = await UserModel.findById(user.sub, { displayName: 1, roles: 1, enterpriseId: 1, disabled: 1 }).lean();
  if (!u || u.disabled) throw notFound();
  const roles = (u.roles ?? []) as string[];
  const entRole = roles.find((r) => (ENTERPRISE_ROLES as readonly string[]).includes(r));
  if (entRole) {
    // Claims and the stored user must agree: a user removed from the enterprise (or moved) has no thread.
    if (!u.enterpriseId || !user.ent || String(u.enterpriseId) !== user.ent) throw notFound();
    return { userId: u._id, name: u.displayName, role: entRole, side: 'customer', enterprises: [u.enterpriseId], canWrite: true };
  }
  if (roles.includes('account_manager')) {
    const ents = await EnterpriseModel.find({ accountManagerId: u._id }, { _id: 1 }).lean();
    return { userId: u._id, name: u.displayName, role: 'account_manager', side: 'manager', enterprises: ents.map((e) => e._id), canWrite: true };
  }
  if (roles.includes('supervisor'))
    return { userId: u._id, name: u.displayName, role: 'supervisor', side: 'supervisor', enterprises: 'all', canWrite: false };
  throw notFound();
}

export const actorReaches = (a: ThreadActor, enterpriseId: Types.ObjectId | string) =>
  a.enterprises === 'all' || a.enterprises.some((e) => String(e) === String(enterpriseId));

/** The enterprise whose thread the call is about: an enterprise user's own (whatever they pass), or one the staff member reaches. */
function targetEnterprise(a: ThreadActor, enterpriseId: string | null | undefined): Types.ObjectId {
  if (a.side === 'customer') {
    const own = (a.enterprises as Types.ObjectId[])[0];
    if (enterpriseId && String(own) !== enterpriseId) throw notFound();
    return own;
  }
  if (!enterpriseId || !Types.ObjectId.isValid(enterpriseId) || !actorReaches(a, enterpriseId)) throw notFound();
  return oid(enterpriseId);
}

async function ensureThread(enterpriseId: Types.ObjectId): Promise<ThreadDoc> {
  const found = (await EnterpriseThreadModel.findOne({ enterpriseId }).lean()) as ThreadDoc | null;
  if (found) return found;
  try {
    await EnterpriseThreadModel.create({ enterpriseId });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  return (await EnterpriseThreadModel.findOne({ enterpriseId }).lean()) as unknown as ThreadDoc;
}

// ---------------------------------------------------------------------------------------------
// The account manager card

export interface ManagerCard {
  name: string;
  /** The manager's work phone (工作电话), never a personal number. */
  workPhone: string | null;
  serviceHours: string;
}

async function managerOf(enterpriseId: Types.ObjectId): Promise<{ enterprise: { id: string; name: string }; manager: ManagerCard | null }> {
  const ent = await EnterpriseModel.findById(enterpriseId, { name: 1, accountManagerId: 1 }).lean();
  if (!ent) throw notFound();
  const m = ent.accountManagerId
    ? await UserModel.findOne({ _id: ent.accountManagerId, disabled: { $ne: true } }, { displayName: 1, workPhone: 1 }).lean()
    : null;
  return {
    enterprise: { id: String(ent._id), name: ent.name },
    manager: m ? { name: m.displayName, workPhone: m.workPhone ?? null, serviceHours: MANAGER_SERVICE_HOURS_TEXT } : null,
  };
}

/** For the portal's 客户经理 page: who the enterprise's account manager is. */
export async function myAccountManager(user: AccessClaims) {
  const a = await threadActor(user);
  if (a.side !== 'customer') throw notFound();
  return managerOf(targetEnterprise(a, null));
}

// ---------------------------------------------------------------------------------------------
// Messages

export interface ThreadMessageView {
  id: string;
  seq: number;
  side: ThreadSide;
  authorName: string;
  authorRole: string;
  mine: boolean;
  text: string;
  attachments: DocumentLink[];
  createdAt: string;
  /** Whether the other side has read it (read receipts). */
  read: boolean;
}

async function views(
  services: Pick<AppServices, 'cfg' | 'keys'>,
  a: ThreadActor,
  t: ThreadDoc,
  docs: ThreadMessageDoc[],
): Promise<ThreadMessageView[]> {
  const ids = [...new Set(docs.flatMap((d) => d.attachmentIds.map(String)))];
  // Links only for people who reach the thread (checked by the caller), each link signed to the reader.
  const links = ids.length ? await signDocumentLinks(services, { sub: String(a.userId) }, ids) : [];
  const byId = new Map(links.map((l) => [l.id, l]));
  return docs.map((d) => ({
    id: String(d._id),
    seq: d.seq,
    side: d.side,
    authorName: d.authorName,
    authorRole: d.authorRole,
    mine: d.authorId.equals(a.userId),
    text: d.text,
    attachments: d.attachmentIds.flatMap((x) => byId.get(String(x)) ?? []),
    createdAt: d.createdAt.toISOString(),
    read: d.side === 'customer' ? d.seq <= (t.managerReadSeq ?? 0) : d.seq <= (t.customerReadSeq ?? 0),
  }));
}

async function readMark(threadId: Types.ObjectId, userId: Types.ObjectId): Promise<number> {
  return (await EnterpriseThreadReadModel.findOne({ threadId, userId }, { lastReadSeq: 1 }).lean())?.lastReadSeq ?? 0;
}

const otherSide = (side: ThreadActor['side']): ThreadSide => (side === 'customer' ? 'manager' : 'customer');

/** A page of the thread (newest last), the enterprise and its manager, and the caller's unread count. */
export async function readThread(
  services: Pick<AppServices, 'cfg' | 'keys'>,
  user: AccessClaims,
  input: { enterpriseId?: string | null; beforeSeq?: number | null; limit?: number },
) {
  const a = await threadActor(user);
  const enterpriseId = targetEnterprise(a, input.enterpriseId);
  const [t, head] = await Promise.all([ensureThread(enterpriseId), managerOf(enterpriseId)]);
  const limit = Math.min(input.limit ?? 50, 100);
  const q: Record<string, unknown> = { threadId: t._id };
  if (input.beforeSeq) q.seq = { $lt: input.beforeSeq };
  const docs = (await EnterpriseThreadMessageModel.find(q).sort({ seq: -1 }).limit(limit).lean()) as unknown as ThreadMessageDoc[];
  docs.reverse();
  const mark = a.side === 'supervisor' ? t.seq : await readMark(t._id, a.userId);
  const unread =
    a.side === 'supervisor' ? 0 : await EnterpriseThreadMessageModel.countDocuments({ threadId: t._id, side: otherSide(a.side), seq: { $gt: mark } });
  const now = new Date();
  return {
    enterprise: head.enterprise,
    manager: head.manager,
    canWrite: a.canWrite && (a.side === 'customer' ? head.manager !== null : true),
    side: a.side,
    messages: await views(services, a, t, docs),
    hasMore: docs.length === limit && (docs[0]?.seq ?? 0) > 1,
    unread,
    lastSeq: t.seq,
    waiting: waitingOf(t, now),
  };
}

function waitingOf(t: ThreadDoc, now: Date) {
  if (!t.waitingSince) return null;
  const cal = settingInForce('calendar', now).value;
  return {
    since: t.waitingSince.toISOString(),
    dueAt: t.waitingDueAt ? t.waitingDueAt.toISOString() : null,
    overdue: !!t.waitingDueAt && t.waitingDueAt.getTime() <= now.getTime(),
    /** Service minutes waited (what the 30-minute promise counts). */
    serviceMinutes: Math.floor(serviceMsBetween(t.waitingSince, now, cal) / 60_000),
    /** Clock minutes waited. */
    minutes: Math.floor((now.getTime() - t.waitingSince.getTime()) / 60_000),
  };
}

export interface SendInput {
  enterpriseId?: string | null;
  text: string;
  attachmentIds?: string[];
  /** A key the client generates per message: a retried send (lost answer) stores nothing twice. */
  clientKey?: string | null;
}

/** Posts a message. Returns once it is stored; then the live event goes out. */
export async function sendMessage(services: Pick<AppServices, 'cfg' | 'keys'>, user: AccessClaims, input: SendInput, now = new Date()) {
  const a = await threadActor(user);
  if (!a.canWrite || a.side === 'supervisor') throw new DomainError('FORBIDDEN', '值班长可查看会话，回复请由客户经理进行');
  const enterpriseId = targetEnterprise(a, input.enterpriseId);
  const side = a.side;
  const text = input.text.trim();
  const attachmentIds = input.attachmentIds?.length ? await assertOwnFiles(input.attachmentIds, String(a.userId), 'message_attachment') : [];
  if (!text && attachmentIds.length === 0) throw new DomainError('BAD_REQUEST', '请输入留言内容或添加附件');
  if (side === 'customer' && !(await managerOf(enterpriseId)).manager) throw new DomainError('CONFLICT', '贵单位暂未分配客户经理，请拨打95598');
  const key = input.clientKey ? `${a.userId}:${input.clientKey}` : null;
  if (key) {
    const again = (await EnterpriseThreadMessageModel.findOne({ key }).lean()) as ThreadMessageDoc | null;
    if (again) return messageAck(services, a, again);
  }
  const t0 = await ensureThread(enterpriseId);
  const t = (await EnterpriseThreadModel.findOneAndUpdate(
    { _id: t0._id },
    { $inc: { seq: 1 }, $set: { lastMessageAt: now, lastSide: side, lastPreview: (text || '［附件］').slice(0, 60) } },
    { returnDocument: 'after' },
  ).lean()) as unknown as ThreadDoc;
  const sla = settingInForce('sla', now).value;
  const cal = settingInForce('calendar', now).value;
  const _id = new Types.ObjectId();
  const doc = {
    _id,
    key: key ?? String(_id),
    threadId: t._id,
    enterpriseId,
    seq: t.seq,
    side,
    authorId: a.userId,
    authorName: a.name,
    authorRole: a.role,
    text,
    attachmentIds: attachmentIds.map(oid),
    createdAt: now,
    replyDueAt: side === 'customer' ? replyDueAt(now, cal, sla.onlineFirstReplyMin ?? 30) : null,
    answeredAt: null,
    warnedAt: null,
  };
  try {
    await EnterpriseThreadMessageModel.create(doc);
  } catch (err) {
    if (!(key && isDuplicateKeyError(err))) throw err;
    return messageAck(services, a, (await EnterpriseThreadMessageModel.findOne({ key }).lean()) as unknown as ThreadMessageDoc);
  }
  if (side === 'customer') {
    // The oldest unanswered message sets the thread's waiting time; later ones leave it.
    await EnterpriseThreadModel.updateOne({ _id: t._id, waitingSince: null }, { $set: { waitingSince: now, waitingDueAt: doc.replyDueAt } });
  } else {
    await Promise.all([
      EnterpriseThreadMessageModel.updateMany({ threadId: t._id, side: 'customer', answeredAt: null }, { $set: { answeredAt: now } }),
      EnterpriseThreadModel.updateOne({ _id: t._id }, { $set: { waitingSince: null, waitingDueAt: null } }),
      // The reply settles the warnings of this thread.
      InAppNotificationModel.updateMany({ key: { $regex: `^entmsg:${enterpriseId}:` }, readAt: null }, { $set: { readAt: now } }),
    ]);
  }
  // Writing counts as reading everything before it.
  await markReadUpTo(a, t, t.seq);
  await emitThreadEvent(`entmsg:${_id}:posted`, 'entmsg.posted', { enterpriseId: String(enterpriseId), seq: t.seq, side });
  return messageAck(services, a, doc as unknown as ThreadMessageDoc);
}

async function messageAck(services: Pick<AppServices, 'cfg' | 'keys'>, a: ThreadActor, d: ThreadMessageDoc): Promise<ThreadMessageView> {
  const t = (await EnterpriseThreadModel.findById(d.threadId).lean()) as unknown as ThreadDoc;
  return (await views(services, a, t, [d]))[0];
}

async function markReadUpTo(a: ThreadActor, t: ThreadDoc, upTo: number): Promise<boolean> {
  if (a.side === 'supervisor') return false;
  const seq = Math.min(upTo, t.seq);
  const r = await EnterpriseThreadReadModel.updateOne(
    { threadId: t._id, userId: a.userId },
    { $max: { lastReadSeq: seq }, $setOnInsert: { threadId: t._id, userId: a.userId } },
    { upsert: true },
  );
  await EnterpriseThreadModel.updateOne({ _id: t._id }, { $max: a.side === 'manager' ? { managerReadSeq: seq } : { customerReadSeq: seq } });
  return r.modifiedCount + r.upsertedCount > 0;
}

/** Read marks: everything up to `upToSeq` (default: the newest) is read by the caller. */
export async function markThreadRead(user: AccessClaims, input: { enterpriseId?: string | null; upToSeq?: number | null }) {
  const a = await threadActor(user);
  const enterpriseId = targetEnterprise(a, input.enterpriseId);
  const t = await ensureThread(enterpriseId);
  const moved = await markReadUpTo(a, t, input.upToSeq ?? t.seq);
  if (moved && a.side !== 'supervisor') {
    await emitThreadEvent(`entmsg:${t._id}:read:${a.side}:${a.userId}:${input.upToSeq ?? t.seq}`, 'entmsg.read', {
      enterpriseId: String(enterpriseId),
      side: a.side,
    });
  }
  return { ok: true };
}

/** Unread messages for the caller: an enterprise user's thread, or all of a manager's threads; a supervisor's count is the threads past the 30 minutes. */
export async function unreadCount(user: AccessClaims): Promise<{ count: number; overdue: number }> {
  const a = await threadActor(user);
  const now = new Date();
  if (a.side === 'supervisor') {
    const overdue = await EnterpriseThreadModel.countDocuments({ waitingSince: { $ne: null }, waitingDueAt: { $lte: now } });
    return { count: overdue, overdue };
  }
  const ents = a.enterprises as Types.ObjectId[];
  if (ents.length === 0) return { count: 0, overdue: 0 };
  const threads = (await EnterpriseThreadModel.find(
    { enterpriseId: { $in: ents } },
    { seq: 1, waitingSince: 1, waitingDueAt: 1 },
  ).lean()) as ThreadDoc[];
  if (threads.length === 0) return { count: 0, overdue: 0 };
  const marks = await EnterpriseThreadReadModel.find({ userId: a.userId, threadId: { $in: threads.map((t) => t._id) } }).lean();
  const markBy = new Map(marks.map((m) => [String(m.threadId), m.lastReadSeq]));
  const open = threads.filter((t) => t.seq > (markBy.get(String(t._id)) ?? 0));
  const count = open.length
    ? await EnterpriseThreadMessageModel.countDocuments({
        side: otherSide(a.side),
        $or: open.map((t) => ({ threadId: t._id, seq: { $gt: markBy.get(String(t._id)) ?? 0 } })),
      })
    : 0;
  const overdue = a.side === 'manager' ? threads.filter((t) => t.waitingSince && t.waitingDueAt && t.waitingDueAt <= now).length : 0;
  return { count, overdue };
}

// ---------------------------------------------------------------------------------------------
// The staff inbox (企业消息)

export interface InboxRow {
  enterpriseId: string;
  enterpriseName: string;
  managerName: string | null;
  lastMessageAt: string | null;
  lastSide: ThreadSide | null;
  lastPreview: string | null;
  unread: number;
  waiting: ReturnType<typeof waitingOf>;
}

/** The manager's enterprises (a supervisor: every enterprise with a thread or a manager), longest-waiting first. */
export async function inbox(user: AccessClaims): Promise<{ rows: InboxRow[]; readOnly: boolean }> {
  const a = await threadActor(user);
  if (a.side === 'customer') throw notFound();
  const entFilter = a.enterprises === 'all' ? {} : { _id: { $in: a.enterprises } };
  const threads = (await EnterpriseThreadModel.find(a.enterprises === 'all' ? {} : { enterpriseId: { $in: a.enterprises } })
    .limit(1000)
    .lean()) as ThreadDoc[];
  const entIds = a.enterprises === 'all' ? threads.map((t) => t.enterpriseId) : a.enterprises;
  const ents = await EnterpriseModel.find(a.enterprises === 'all' ? { _id: { $in: entIds } } : entFilter, { name: 1, accountManagerId: 1 }).lean();
  const managerIds = [...new Set(ents.filter((e) => e.accountManagerId).map((e) => String(e.accountManagerId)))];
  const managers = managerIds.length ? await UserModel.find({ _id: { $in: managerIds.map(oid) } }, { displayName: 1 }).lean() : [];
  const managerBy = new Map(managers.map((m) => [String(m._id), m.displayName]));
  const threadBy = new Map(threads.map((t) => [String(t.enterpriseId), t]));
  const marks =
    a.side === 'manager' && threads.length
      ? await EnterpriseThreadReadModel.find({ userId: a.userId, threadId: { $in: threads.map((t) => t._id) } }).lean()
      : [];
  const markBy = new Map(marks.map((m) => [String(m.threadId), m.lastReadSeq]));
  const unreadBy = new Map<string, number>();
  if (a.side === 'manager') {
    const open = threads.filter((t) => t.seq > (markBy.get(String(t._id)) ?? 0));
    if (open.length) {
      const counts = await EnterpriseThreadMessageModel.aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { side: 'customer', $or: open.map((t) => ({ threadId: t._id, seq: { $gt: markBy.get(String(t._id)) ?? 0 } })) } },
        { $group: { _id: '$threadId', n: { $sum: 1 } } },
      ]);
      for (const c of counts) unreadBy.set(String(c._id), c.n);
    }
  }
  const now = new Date();
  const rows: InboxRow[] = ents.map((e) => {
    const t = threadBy.get(String(e._id));
    return {
      enterpriseId: String(e._id),
      enterpriseName: e.name,
      managerName: e.accountManagerId ? (managerBy.get(String(e.accountManagerId)) ?? null) : null,
      lastMessageAt: t?.lastMessageAt ? t.lastMessageAt.toISOString() : null,
      lastSide: t?.lastSide ?? null,
      lastPreview: t?.lastPreview ?? null,
      unread: t ? (unreadBy.get(String(t._id)) ?? 0) : 0,
      waiting: t ? waitingOf(t, now) : null,
    };
  });
  // Waiting threads first, longest wait first; then the most recent conversations.
  rows.sort((x, y) => {
    if (x.waiting && y.waiting) return x.waiting.since.localeCompare(y.waiting.since);
    if (x.waiting) return -1;
    if (y.waiting) return 1;
    return (y.lastMessageAt ?? '').localeCompare(x.lastMessageAt ?? '') || x.enterpriseName.localeCompare(y.enterpriseName);
  });
  return { rows, readOnly: !a.canWrite };
}

/** The manager's open 30-minute warnings (in-app notifications), newest first. */
export async function replyWarnings(user: AccessClaims) {
  const a = await threadActor(user);
  if (a.side !== 'manager') return [];
  const docs = await InAppNotificationModel.find({ recipientUserId: a.userId, kind: 'entmsg.reply_due', readAt: null })
    .sort({ createdAt: -1 })
    .limit(50)
    .lean();
  return docs.map((d) => ({ id: String(d._id), title: d.title, body: d.body, createdAt: d.createdAt.toISOString() }));
}

// ---------------------------------------------------------------------------------------------
// Events (the same database-backed feed the work-order queue reads)

export async function emitThreadEvent(key: string, type: string, payload: Record<string, unknown>) {
  if (await EventModel.exists({ key })) return;
  const seq = await nextSeq('events');
  const at = new Date();
  try {
    await EventModel.create({ seq, key, type, orderId: null, regionId: null, at, publishedAt: at, payload });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// The 30-minute warning (run by the leased job in api/src/jobs/reply-watch.ts)

/**
 * Warns the account manager once for every customer message whose reply deadline (30 minutes of service
 * time) has passed without an answer. The notification goes in first under a unique key, then the message
 * is marked: a crash in between re-inserts nothing and marks on the next run. Returns how many were warned.
 */
export async function warnUnanswered(now = new Date(), opts: { limit?: number; shouldContinue?: () => boolean } = {}): Promise<number> {
  const due = (await EnterpriseThreadMessageModel.find(
    { side: 'customer', answeredAt: null, warnedAt: null, replyDueAt: { $ne: null, $lte: now } },
    { enterpriseId: 1, replyDueAt: 1, createdAt: 1 },
  )
    .sort({ replyDueAt: 1 })
    .limit(opts.limit ?? 200)
    .lean()) as Pick<ThreadMessageDoc, '_id' | 'enterpriseId' | 'replyDueAt' | 'createdAt'>[];
  if (due.length === 0) return 0;
  const ents = await EnterpriseModel.find(
    { _id: { $in: [...new Set(due.map((d) => String(d.enterpriseId)))].map(oid) } },
    { name: 1, accountManagerId: 1 },
  ).lean();
  const entBy = new Map(ents.map((e) => [String(e._id), e]));
  const minutes = settingInForce('sla', now).value.onlineFirstReplyMin ?? 30;
  let warned = 0;
  for (const m of due) {
    if (opts.shouldContinue && !opts.shouldContinue()) break;
    const e = entBy.get(String(m.enterpriseId));
    const sent = new Date(m.createdAt.getTime() + 8 * 3_600_000).toISOString();
    if (e?.accountManagerId) {
      await InAppNotificationModel.create({
        key: `entmsg:${m.enterpriseId}:${m._id}:reply_due`,
        recipientUserId: e.accountManagerId,
        recipientRole: null,
        kind: 'entmsg.reply_due',
        title: `企业留言超过${minutes}分钟未回复`,
        body: `${e.name}于${sent.slice(5, 7)}月${sent.slice(8, 10)}日${sent.slice(11, 16)}的留言已等待${minutes}分钟（服务时间），请尽快回复。`,
        createdAt: now,
      }).catch((err) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
    }
    const r = await EnterpriseThreadMessageModel.updateOne({ _id: m._id, warnedAt: null, answeredAt: null }, { $set: { warnedAt: now } });
    if (r.modifiedCount === 1) {
      warned++;
      await emitThreadEvent(`entmsg:${m._id}:reply_due`, 'entmsg.reply_due', { enterpriseId: String(m.enterpriseId) });
    }
  }
  return warned;
}
