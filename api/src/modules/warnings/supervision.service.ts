/**
 * 督办 inbox: the escalations the SLA sweep writes (event `workorder.sla_overdue`, notification `workorder.overdue`)
 * become 督办 items, one per escalated deadline (the event's key is the item's unique key), plus manual ones.
 * 待处理 → 已签收 (who, when) → 已办结 (when the order is resolved or closed, seen in the event log). Urging notifies
 * the crew's members or the assigned agent and writes an internal note on the order through workorder.service.
 */
import { Types } from 'mongoose';
import type { AccessClaims } from '../auth/tokens';
import { CrewModel, UserModel } from '../auth/user.model';
import { InAppNotificationModel, type EventRecord } from '../events/event.model';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import { applyStep } from '../workorders/workorder.service';
import { OPEN_STATUSES } from '../workorders/workorder.rules';
import { isDuplicateKeyError } from '../../db/connect';
import { DomainError } from '../../lib/errors';
import { DEADLINE_KIND_LABELS, ORDER_TYPE_LABELS, SUPERVISION_SOURCE_LABELS, SUPERVISION_STATE_LABELS } from '../../shared/labels';
import { SupervisionItemModel, type SupervisionItem } from './warning.model';
import { assertSupervisionAction, type SupervisionState } from './warning.rules';
import { inScope, warningScope, type WarningScope } from './warning.service';

const notFound = () => new DomainError('NOT_FOUND', '督办不存在或无权访问');

const shanghaiMinute = (d: Date) => new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

// ---------------------------------------------------------------------------------------------
// From the event log (called by the warnings job with each batch it reads)

/** Creates items for escalations and closes items whose order was resolved; idempotent (unique keys, guarded updates). */
export async function ingestSupervisionEvents(events: readonly EventRecord[]): Promise<{ created: number; resolved: number }> {
  let created = 0;
  let resolved = 0;
  for (const e of events) {
    const p = (e.payload ?? {}) as Record<string, unknown>;
    if (e.type === 'workorder.sla_overdue' && e.orderId) {
      const r = await SupervisionItemModel.updateOne(
        { key: e.key },
        {
          $setOnInsert: {
            key: e.key,
            source: 'sla',
            orderId: e.orderId,
            orderNo: String(p.orderNo ?? ''),
            orderType: String(p.orderType ?? ''),
            regionId: e.regionId ?? (p.regionId ? new Types.ObjectId(String(p.regionId)) : null),
            deadlineKind: p.deadlineKind ? String(p.deadlineKind) : null,
            dueAt: p.dueAt ? new Date(String(p.dueAt)) : null,
            reason: null,
            state: 'open',
            createdAt: e.at,
            comments: [],
            urges: [],
          },
        },
        { upsert: true },
      ).catch((err) => {
        if (isDuplicateKeyError(err)) return { upsertedCount: 0 };
        throw err;
      });
      created += r.upsertedCount ?? 0;
    }
    const status = String(p.status ?? '');
    if (e.orderId && (status === 'resolved' || status === 'visited' || status === 'closed')) {
      // A return-visit escalation is done only when the visit is; every other one when the order is resolved.
      const kinds = status === 'resolved' ? { deadlineKind: { $ne: 'return_visit' } } : {};
      const r = await SupervisionItemModel.updateMany(
        { orderId: e.orderId, state: { $ne: 'resolved' }, createdAt: { $lte: e.at }, ...kinds },
        { $set: { state: 'resolved', resolvedAt: e.at } },
      );
      resolved += r.modifiedCount;
    }
  }
  return { created, resolved };
}

// ---------------------------------------------------------------------------------------------
// The inbox

export interface SupervisionView {
  id: string;
  source: 'sla' | 'manual';
  sourceLabel: string;
  orderId: string;
  orderNo: string;
  orderTypeLabel: string;
  regionId: string | null;
  deadlineLabel: string | null;
  dueAt: string | null;
  reason: string | null;
  state: SupervisionState;
  stateLabel: string;
  createdAt: string;
  createdByName: string | null;
  ackAt: string | null;
  ackByName: string | null;
  resolvedAt: string | null;
  comments: { at: string; byName: string; text: string }[];
  urges: { at: string; byName: string; text: string; to: string[] }[];
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function toView(i: SupervisionItem): SupervisionView {
  return {
    id: String(i._id),
    source: i.source,
    sourceLabel: SUPERVISION_SOURCE_LABELS[i.source],
    orderId: String(i.orderId),
    orderNo: i.orderNo,
    orderTypeLabel: ORDER_TYPE_LABELS[i.orderType as keyof typeof ORDER_TYPE_LABELS] ?? '',
    regionId: i.regionId ? String(i.regionId) : null,
    deadlineLabel: i.deadlineKind ? (DEADLINE_KIND_LABELS[i.deadlineKind as keyof typeof DEADLINE_KIND_LABELS] ?? null) : null,
    dueAt: iso(i.dueAt),
    reason: i.reason,
    state: i.state,
    stateLabel: SUPERVISION_STATE_LABELS[i.state],
    createdAt: iso(i.createdAt)!,
    createdByName: i.createdByName,
    ackAt: iso(i.ackAt),
    ackByName: i.ackByName,
    resolvedAt: iso(i.resolvedAt),
    comments: (i.comments ?? []).map((c) => ({ at: iso(c.at)!, byName: c.byName, text: c.text })),
    urges: (i.urges ?? []).map((u) => ({ at: iso(u.at)!, byName: u.byName, text: u.text, to: u.to ?? [] })),
  };
}

const scopeFilter = (s: WarningScope) => (s.all ? {} : { regionId: { $in: s.regionIds } });

export async function listSupervision(user: AccessClaims, opts: { state?: SupervisionState | 'all'; limit?: number } = {}) {
  const scope = await warningScope(user);
  const state = opts.state ?? 'all';
  const filter = { ...scopeFilter(scope), ...(state === 'all' ? {} : { state }) };
  const [items, counts] = await Promise.all([
    SupervisionItemModel.find(filter)
      .sort({ createdAt: -1 })
      .limit(opts.limit ?? 100)
      .lean(),
    SupervisionItemModel.aggregate<{ _id: SupervisionState; n: number }>([
      { $match: scopeFilter(scope) },
      { $group: { _id: '$state', n: { $sum: 1 } } },
    ]),
  ]);
  const by = Object.fromEntries(counts.map((c) => [c._id, c.n]));
  return {
    items: (items as unknown as SupervisionItem[]).map(toView),
    counts: { open: by.open ?? 0, acknowledged: by.acknowledged ?? 0, resolved: by.resolved ?? 0 },
    canAct: scope.canAct,
  };
}

/** 待处理 items in the caller's scope (the menu's badge). */
export async function openSupervisionCount(user: AccessClaims): Promise<number> {
  const scope = await warningScope(user);
  return SupervisionItemModel.countDocuments({ ...scopeFilter(scope), state: 'open' });
}

async function actor(user: AccessClaims) {
  const scope = await warningScope(user);
  if (!scope.canAct) throw new DomainError('FORBIDDEN', '仅值班长可以办理督办');
  const me = await UserModel.findById(user.sub, { displayName: 1 }).lean();
  return { scope, name: me?.displayName ?? '' };
}

async function loadItem(scope: WarningScope, id: string): Promise<SupervisionItem> {
  if (!Types.ObjectId.isValid(id)) throw notFound();
  const item = (await SupervisionItemModel.findById(id).lean()) as unknown as SupervisionItem | null;
  if (!item || !inScope(scope, item.regionId)) throw notFound();
  return item;
}

export async function acknowledgeSupervision(user: AccessClaims, id: string) {
  const { scope, name } = await actor(user);
  const item = await loadItem(scope, id);
  assertSupervisionAction(item.state, 'acknowledge');
  const now = new Date();
  const r = await SupervisionItemModel.updateOne(
    { _id: item._id, state: 'open' },
    { $set: { state: 'acknowledged', ackAt: now, ackBy: user.sub, ackByName: name } },
  );
  if (r.modifiedCount !== 1) throw new DomainError('CONFLICT', '该督办状态已变化，请刷新后重试');
  return toView((await SupervisionItemModel.findById(item._id).lean()) as unknown as SupervisionItem);
}

export async function commentSupervision(user: AccessClaims, id: string, text: string) {
  const { scope, name } = await actor(user);
  const item = await loadItem(scope, id);
  assertSupervisionAction(item.state, 'comment');
  await SupervisionItemModel.updateOne({ _id: item._id }, { $push: { comments: { at: new Date(), by: user.sub, byName: name, text } } });
  return toView((await SupervisionItemModel.findById(item._id).lean()) as unknown as SupervisionItem);
}

/** Who an urge goes to: the members of the crew the order is dispatched to, else the agent it is assigned to. */
async function assigneesOf(o: Pick<WorkOrder, 'assignee'>): Promise<{ ids: Types.ObjectId[]; names: string[]; crewName: string | null }> {
  if (o.assignee?.crewId) {
    const crew = await CrewModel.findById(o.assignee.crewId, { name: 1, memberIds: 1 }).lean();
    const members = crew?.memberIds?.length ? await UserModel.find({ _id: { $in: crew.memberIds } }, { displayName: 1 }).lean() : [];
    return { ids: members.map((m) => m._id), names: members.map((m) => m.displayName), crewName: crew?.name ?? null };
  }
  if (o.assignee?.agentId) {
    const agent = await UserModel.findById(o.assignee.agentId, { displayName: 1 }).lean();
    return agent ? { ids: [agent._id], names: [agent.displayName], crewName: null } : { ids: [], names: [], crewName: null };
  }
  return { ids: [], names: [], crewName: null };
}

export async function urgeSupervision(user: AccessClaims, id: string, text: string | null | undefined, ip: string | null = null) {
  const { scope, name } = await actor(user);
  const item = await loadItem(scope, id);
  assertSupervisionAction(item.state, 'urge');
  const o = (await WorkOrderModel.findById(item.orderId, { assignee: 1, status: 1, orderNo: 1 }).lean()) as unknown as WorkOrder | null;
  if (!o) throw notFound();
  const to = await assigneesOf(o);
  if (!to.ids.length) throw new DomainError('CONFLICT', '工单尚未派给班组或处理人，请先派单或指派');
  const words = text?.trim() || '请尽快处理';
  const now = new Date();
  // The note on the order goes through the order's own write path (it checks the supervisor may note it).
  await applyStep(user, 'note', { orderId: String(item.orderId), notes: `督办催办（${name}）：${words}`, visibility: 'internal' }, ip);
  const n = (item.urges ?? []).length;
  await InAppNotificationModel.insertMany(
    to.ids.map((uid) => ({
      key: `urge:${item._id}:${n}:${uid}`,
      recipientRole: null,
      recipientUserId: uid,
      regionId: item.regionId,
      kind: 'supervision.urge',
      title: `督办催办：${item.orderNo}`,
      body: `${name}催办：${words}`,
      orderId: item.orderId,
      createdAt: now,
    })),
    { ordered: false },
  ).catch((err) => {
    if (!isDuplicateKeyError(err)) throw err;
  });
  await SupervisionItemModel.updateOne(
    { _id: item._id },
    { $push: { urges: { at: now, by: user.sub, byName: name, text: words, to: to.crewName ? [to.crewName, ...to.names] : to.names } } },
  );
  return toView((await SupervisionItemModel.findById(item._id).lean()) as unknown as SupervisionItem);
}

/** A manual 督办 on any open order in scope, by its number or id; one unfinished item per order at a time. */
export async function createManualSupervision(
  user: AccessClaims,
  input: { orderNo?: string | null; orderId?: string | null; reason: string },
  ip: string | null = null,
) {
  const { scope, name } = await actor(user);
  const filter =
    input.orderId && Types.ObjectId.isValid(input.orderId) ? { _id: new Types.ObjectId(input.orderId) } : { orderNo: (input.orderNo ?? '').trim() };
  const o = (await WorkOrderModel.findOne(filter, {
    orderNo: 1,
    type: 1,
    status: 1,
    regionId: 1,
    nextDeadline: 1,
  }).lean()) as unknown as WorkOrder | null;
  if (!o || !inScope(scope, o.regionId)) throw new DomainError('NOT_FOUND', '工单不存在或不在您的督办范围内');
  if (!OPEN_STATUSES.includes(o.status)) throw new DomainError('CONFLICT', '工单已办结，无需督办');
  const pending = await SupervisionItemModel.findOne({ orderId: o._id, state: { $ne: 'resolved' } }).lean();
  if (pending) throw new DomainError('CONFLICT', `该工单已在督办中（${SUPERVISION_STATE_LABELS[pending.state as SupervisionState]}）`);
  const n = await SupervisionItemModel.countDocuments({ orderId: o._id, source: 'manual' });
  const now = new Date();
  try {
    await SupervisionItemModel.create({
      key: `manual:${o._id}:${n}`,
      source: 'manual',
      orderId: o._id,
      orderNo: o.orderNo,
      orderType: o.type,
      regionId: o.regionId,
      deadlineKind: o.nextDeadline?.kind ?? null,
      dueAt: o.nextDeadline?.dueAt ?? null,
      reason: input.reason,
      state: 'acknowledged',
      createdAt: now,
      createdBy: user.sub,
      createdByName: name,
      ackAt: now,
      ackBy: user.sub,
      ackByName: name,
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new DomainError('CONFLICT', '该工单已在督办中');
    throw err;
  }
  await applyStep(user, 'note', { orderId: String(o._id), notes: `发起督办（${name}）：${input.reason}`, visibility: 'internal' }, ip);
  const item = (await SupervisionItemModel.findOne({ key: `manual:${o._id}:${n}` }).lean()) as unknown as SupervisionItem;
  return toView(item);
}

// ---------------------------------------------------------------------------------------------
// What the urged crew or agent (and the routed managers) see

export const STAFF_NOTICE_KINDS = ['supervision.urge', 'warning.sensitive'] as const;

export async function myStaffNotices(user: AccessClaims) {
  const docs = await InAppNotificationModel.find({
    recipientUserId: new Types.ObjectId(user.sub),
    kind: { $in: [...STAFF_NOTICE_KINDS] },
    readAt: null,
  })
    .sort({ createdAt: -1 })
    .limit(20)
    .lean();
  return docs.map((d) => ({
    id: String(d._id),
    kind: d.kind as (typeof STAFF_NOTICE_KINDS)[number],
    title: d.title,
    body: d.body,
    orderId: d.orderId ? String(d.orderId) : null,
    at: new Date(d.createdAt).toISOString(),
    atText: shanghaiMinute(d.createdAt),
  }));
}

export async function readStaffNotice(user: AccessClaims, id: string) {
  if (!Types.ObjectId.isValid(id)) throw new DomainError('NOT_FOUND', '通知不存在');
  await InAppNotificationModel.updateOne(
    { _id: new Types.ObjectId(id), recipientUserId: new Types.ObjectId(user.sub), readAt: null },
    { $set: { readAt: new Date() } },
  );
  return { ok: true };
}
