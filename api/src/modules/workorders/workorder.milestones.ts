/**
 * Service applications on the work-order engine: ONE application is ONE order (type service_request, subtype the
 * application kind) carrying its milestones (`application`, applications/application.rules.ts). This is the only
 * writer of those orders besides the engine's own steps (a customer's rating, a desk note or close, the SLA sweep):
 * every step is one single-document update guarded by the version it was decided on, with its timeline entry and
 * its outbox effect in the same update, published through the same outbox path (workorder.effects.ts).
 *
 * The order's `nextDeadline` is always the running milestone's deadline, so the SLA sweep warns at 50% / 80% of it
 * and escalates it at 100% to the supervisor (督办) like any other deadline; a request for documents pauses the
 * order (the sweep skips paused orders) and its milestone, and the supply of documents moves the deadline by the
 * paused working time.
 */
import { Types } from 'mongoose';
import { recordAudit } from '../audit/audit.service';
import { UserModel } from '../auth/user.model';
import type { AccessClaims } from '../auth/tokens';
import { DomainError } from '../../lib/errors';
import { ensureSettingsFresh, ensureSettingVersions, slaConfigFor, slaPinAt } from '../settings/settings.service';
import type { Account } from '../accounts/account.model';
import { CustomerModel } from '../accounts/account.model';
import type { ApplicationDocument, ApplicationForm, ApplicationState } from '../applications/application.model';
import {
  COMPLETE_LABELS,
  DOC_LABELS,
  kindTitle,
  MILESTONE_LABELS,
  milestonePath,
  newMilestones,
  pauseMilestone,
  planAppStep,
  promiseWorkingDays,
  resumeMilestone,
  startMilestone,
  type AppAction,
  type AppActorRole,
  type AppStepInput,
  type ApplicationKind,
  type DocKind,
} from '../applications/application.rules';
import { formatShanghaiShort } from './customer-view.rules';
import { nextOrderNo } from './order-number';
import { priorityOf } from './priority.rules';
import { deadlineFor, warningTimes, type SupplyClass } from './sla.rules';
import { flushOrderOutbox, orderEffect } from './workorder.effects';
import { loadActor, loadVisibleOrder, type Actor } from './workorder.access';
import { WorkOrderModel, type NextDeadline, type TimelineEntry, type WorkOrder } from './workorder.model';
import type { OrderStatus } from './workorder.rules';

const conflict = (m = '申请状态已变化，请刷新后重试') => new DomainError('CONFLICT', m);
const CLEAR_MARKS = { 'slaMarks.warn50At': null, 'slaMarks.warn80At': null, 'slaMarks.overdueAt': null };
export const BUSINESS_DEPARTMENT = '营业厅业务受理';

/** A written application order and the effect it left (the notices are built from both). */
export interface AppWrite {
  order: WorkOrder;
  action: AppAction | 'create';
  effectKey: string;
  at: Date;
}

function appRoles(a: Actor): AppActorRole[] {
  return a.roles.filter((r): r is AppActorRole => ['customer', 'agent', 'expert', 'supervisor', 'admin'].includes(r));
}

function entry(
  a: Actor,
  action: string,
  from: OrderStatus | null,
  to: OrderStatus | null,
  now: Date,
  note: string | null,
  visibility: 'customer' | 'internal' = 'customer',
  attachments: string[] = [],
): TimelineEntry {
  const staffRole = ['supervisor', 'agent', 'expert', 'admin'].find((r) => a.roles.includes(r as never));
  return { actorId: a.user.sub, actorRole: staffRole ?? 'customer', actorName: a.name, action, from, to, at: now, note, visibility, attachments };
}

/** The order's deadline for the running milestone (the same NextDeadline the sweep reads). */
function milestoneDeadline(app: ApplicationState, keepId: Types.ObjectId | null, cfg: ReturnType<typeof slaConfigFor>): NextDeadline | null {
  const m = app.milestones[app.current];
  if (!m?.startedAt || !m.dueAt) return null;
  const d = { startedAt: new Date(m.startedAt), dueAt: new Date(m.dueAt) };
  return { id: keepId ?? new Types.ObjectId(), kind: 'completion', ...d, ...warningTimes(d, cfg) };
}

/** The order status that stands for the application's state (the engine's queue and filters read it). */
function statusOf(app: ApplicationState, claimed: boolean): OrderStatus {
  if (app.phase === 'withdrawn' || app.phase === 'refused') return 'closed';
  if (app.phase === 'completed') return 'resolved';
  if (app.current === 0) return claimed ? 'accepted' : 'received';
  return 'processing';
}

// ---------------------------------------------------------------------------------------------

export interface CreateApplicationInput {
  kind: ApplicationKind;
  supplyClass: SupplyClass;
  account: Account | null;
  form: ApplicationForm;
  documents: ApplicationDocument[];
  channel: 'web' | 'miniprogram';
  requestId?: string | null;
}

export async function createApplicationOrder(user: AccessClaims, input: CreateApplicationInput, ip: string | null = null): Promise<AppWrite> {
  const a = await loadActor(user, ip);
  if (!a.roles.includes('customer')) throw new DomainError('FORBIDDEN', '业务申请由客户本人或企业用户提交');
  await ensureSettingsFresh();
  const now = new Date();
  const pin = slaPinAt(now);
  const cfg = slaConfigFor(pin, now);
  const account = input.account;
  const customer = account ? await CustomerModel.findById(account.customerId, { tier: 1, flags: 1 }).lean() : null;
  const ms = newMilestones(milestonePath(input.kind, input.supplyClass));
  ms[0] = startMilestone(ms[0]!, now, cfg.calendar);
  const app: ApplicationState = {
    kind: input.kind,
    supplyClass: input.supplyClass,
    applicant: user.ent ? 'enterprise' : 'resident',
    form: input.form,
    documents: input.documents,
    milestones: ms,
    current: 0,
    phase: 'in_progress',
    promiseWorkingDays: promiseWorkingDays(input.kind, input.supplyClass, cfg),
    docRequest: null,
    resultAccountNumber: null,
    endedAt: null,
    endReason: null,
  };
  const _id = new Types.ObjectId();
  const orderNo = await nextOrderNo(now);
  const priority = priorityOf({
    type: 'service_request',
    faultKind: null,
    tier: (customer?.tier as 'A' | 'B' | 'C' | undefined) ?? (user.ent ? 'B' : null),
    flags: customer?.flags ?? null,
  });
  const status: OrderStatus = 'received';
  const eff = orderEffect(
    { _id, orderNo, type: 'service_request', regionId: account?.regionId ?? null, priority },
    'workorder.created',
    status,
    now,
    0,
    {
      application: input.kind,
    },
  );
  const description = `${MILESTONE_LABELS.accept}：${input.form.reason}`;
  const doc = {
    _id,
    orderNo,
    type: 'service_request' as const,
    subtype: input.kind,
    channel: input.channel,
    status,
    version: 0,
    priority: { score: priority.score, level: priority.level },
    accountId: account?._id ?? null,
    accountNumber: account?.number ?? null,
    customerId: account?.customerId ?? null,
    transformerAreaId: account?.transformerAreaId ?? null,
    transformerAreaName: account?.transformerAreaName ?? null,
    feederId: account?.feederId ?? null,
    regionId: account?.regionId ?? null,
    enterpriseId: account?.enterpriseId ?? (user.ent ? new Types.ObjectId(user.ent) : null),
    reporterUserId: new Types.ObjectId(user.sub),
    ...(input.requestId ? { requestKey: `${user.sub}:${input.requestId}` } : {}),
    contactName: input.form.contactName,
    contactPhone: input.form.contactPhone,
    areaType: account?.areaType ?? 'urban',
    supplyClass: input.supplyClass,
    paymentMode: account?.paymentMode ?? null,
    faultKind: null,
    category: null,
    description,
    photos: [],
    assignee: { department: BUSINESS_DEPARTMENT, agentId: null, crewId: null },
    clock: { startedAt: now, pausedMsAtStart: 0 },
    ...pin,
    nextDeadline: milestoneDeadline(app, null, cfg),
    slaMarks: { warn50At: null, warn80At: null, overdueAt: null },
    pausedMs: 0,
    incidentId: null,
    application: app,
    timeline: [
      entry(
        a,
        'create',
        null,
        status,
        now,
        `提交${kindTitle(app)}申请，待受理`,
        'customer',
        input.documents.map((d) => d.fileId),
      ),
    ],
    outbox: [eff],
  };
  let created: WorkOrder;
  try {
    created = (await WorkOrderModel.create(doc as never)).toObject() as unknown as WorkOrder;
  } catch (err) {
    const filed = input.requestId
      ? ((await WorkOrderModel.findOne({ requestKey: `${user.sub}:${input.requestId}` }).lean()) as WorkOrder | null)
      : null;
    if (filed) return { order: filed, action: 'create', effectKey: `${filed._id}:workorder.created:0`, at: filed.createdAt };
    throw err;
  }
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'application.create',
    targetType: 'workorder',
    targetId: String(_id),
    ip,
    detail: { orderNo, kind: input.kind, supplyClass: input.supplyClass },
  });
  await flushOrderOutbox([created]).catch(() => undefined);
  return { order: created, action: 'create', effectKey: eff.key, at: now };
}

// ---------------------------------------------------------------------------------------------

export interface AppStepRequest extends AppStepInput {
  orderId: string;
  version?: number;
  visibility?: 'customer' | 'internal';
  documents?: ApplicationDocument[];
  /** What the last milestone produced (a new connection's account), decided by the caller before the write. */
  resultAccountNumber?: string | null;
}

/** The order as an application, or NOT_FOUND when the caller may not see it / it is no application. */
export async function loadApplicationOrder(user: AccessClaims, orderId: string, ip: string | null = null): Promise<{ a: Actor; o: WorkOrder }> {
  const a = await loadActor(user, ip);
  const o = await loadVisibleOrder(a, orderId);
  if (!o.application) throw new DomainError('NOT_FOUND', '申请不存在或无权访问');
  return { a, o };
}

export async function applyApplicationStep(user: AccessClaims, action: AppAction, req: AppStepRequest, ip: string | null = null): Promise<AppWrite> {
  const { a, o } = await loadApplicationOrder(user, req.orderId, ip);
  if (req.version !== undefined && req.version !== o.version) throw conflict();
  const app0 = o.application!;
  const roles = appRoles(a);
  const outcome = planAppStep(app0, action, roles, req);
  await ensureSettingVersions([
    { kind: 'sla', version: o.slaVersion },
    { kind: 'calendar', version: o.calendarVersion },
  ]);
  const cfg = slaConfigFor(o, new Date());
  const cal = cfg.calendar;
  const now = new Date();
  const app: ApplicationState = structuredClone(app0);
  const set: Record<string, unknown> = { updatedAt: now };
  const inc: Record<string, number> = { version: 1 };
  const m = app.milestones[app.current];
  let engineAction = 'note';
  let note: string | null = req.notes?.trim() || null;
  let visibility: 'customer' | 'internal' = 'customer';
  let attachments: string[] = [];
  let claimed = o.assignee?.agentId != null;
  let deadlineChanged = false;

  switch (action) {
    case 'claim':
      engineAction = 'claim';
      set['assignee.agentId'] = new Types.ObjectId(user.sub);
      claimed = true;
      note = `业务受理员已接手您的申请${note ? `：${note}` : ''}`;
      break;
    case 'assign': {
      const target = Types.ObjectId.isValid(req.agentId!)
        ? await UserModel.findById(req.agentId, { roles: 1, displayName: 1, disabled: 1 }).lean()
        : null;
      if (!target || target.disabled || !target.roles.some((r) => r === 'agent' || r === 'expert' || r === 'supervisor'))
        throw new DomainError('BAD_REQUEST', '处理人不存在');
      engineAction = 'assign';
      set['assignee.agentId'] = target._id;
      claimed = true;
      visibility = 'internal';
      note = `指派给${target.displayName}`;
      break;
    }
    case 'complete': {
      const cur = m!;
      app.milestones[app.current] = { ...cur, doneAt: now, note };
      const label = COMPLETE_LABELS[cur.key];
      note = `${MILESTONE_LABELS[cur.key]}完成（${label}）${note ? `：${note}` : ''}`;
      app.current += 1;
      engineAction = outcome.finished ? 'resolve' : 'process';
      if (outcome.finished) {
        app.phase = 'completed';
        app.endedAt = now;
        app.resultAccountNumber = req.resultAccountNumber ?? app.resultAccountNumber;
        set.resolution = note;
        set.resolvedAt = now;
      } else {
        app.milestones[app.current] = startMilestone(app.milestones[app.current]!, now, cal);
      }
      if (!claimed) {
        set['assignee.agentId'] = new Types.ObjectId(user.sub);
        claimed = true;
      }
      deadlineChanged = true;
      break;
    }
    case 'schedule': {
      const at = new Date(req.scheduledAt!);
      app.milestones[app.current] = { ...m!, scheduledAt: at };
      note = `已预约${MILESTONE_LABELS[m!.key]}时间：${formatShanghaiShort(at)}${note ? `，${note}` : ''}`;
      break;
    }
    case 'requestDocs': {
      const kinds = [...new Set(req.docKinds!)] as DocKind[];
      app.phase = 'waiting_customer';
      app.docRequest = { kinds, note: note!, at: now };
      app.milestones[app.current] = pauseMilestone(m!, now);
      engineAction = 'pause';
      set.pausedAt = now;
      set.pausedReasonCode = 'waiting_customer';
      note = `待您补充资料：${kinds.map((k) => DOC_LABELS[k]).join('、')}。${note}`;
      break;
    }
    case 'supplyDocs': {
      const docs = req.documents ?? [];
      if (!docs.length) throw new DomainError('BAD_REQUEST', '请上传需补充的资料');
      app.documents = [...app.documents, ...docs.map((d) => ({ ...d, supplied: true }))];
      app.phase = 'in_progress';
      app.docRequest = null;
      app.milestones[app.current] = resumeMilestone(m!, now, cal);
      attachments = docs.map((d) => d.fileId);
      engineAction = 'resume';
      const pausedFor = o.pausedAt ? now.getTime() - new Date(o.pausedAt).getTime() : 0;
      set.pausedAt = null;
      set.pausedReasonCode = null;
      inc.pausedMs = pausedFor;
      set.pauses = [...(o.pauses ?? []), { from: o.pausedAt ?? now, to: now, reasonCode: 'waiting_customer', note: '待客户补充资料' }];
      note = `已补充资料：${docs.map((d) => DOC_LABELS[d.kind]).join('、')}，恢复办理`;
      // Same deadline, moved by the paused working time: keep its id so marks already fired stay fired.
      const nd = milestoneDeadline(app, o.nextDeadline?.id ?? null, cfg);
      set.nextDeadline = nd;
      break;
    }
    case 'withdraw':
    case 'refuse': {
      if (m && app.phase === 'waiting_customer') app.milestones[app.current] = resumeMilestone(m, now, cal);
      app.phase = outcome.phase;
      app.endedAt = now;
      app.endReason = action === 'refuse' ? req.reason!.trim() : (note ?? '客户撤回');
      engineAction = 'close';
      set.closedAt = now;
      set.reasonCode = action === 'refuse' ? 'refused' : 'withdrawn';
      set.pausedAt = null;
      set.nextDeadline = null;
      note = action === 'refuse' ? `不予受理：${app.endReason}` : `您已撤回申请${note ? `：${note}` : ''}`;
      break;
    }
    case 'note':
      visibility = req.visibility ?? 'internal';
      engineAction = visibility === 'customer' ? 'reply' : 'note';
      break;
  }

  const to = statusOf(app, claimed);
  set.status = to;
  set.application = app;
  if (deadlineChanged) {
    if (app.phase === 'completed') {
      // Finished: the engine's return-visit clock (the customer rates it, or an agent calls).
      const d = deadlineFor(
        {
          type: 'service_request',
          subtype: o.subtype,
          status: 'resolved',
          channel: o.channel,
          areaType: o.areaType,
          supplyClass: o.supplyClass,
          paymentMode: o.paymentMode,
          now,
          clockStartedAt: o.clock.startedAt,
          pausedMsSinceClock: 0,
        },
        cfg,
      );
      set.nextDeadline = d ? { id: new Types.ObjectId(), ...d, ...warningTimes(d, cfg) } : null;
    } else set.nextDeadline = milestoneDeadline(app, null, cfg);
    Object.assign(set, CLEAR_MARKS, { escalatedAt: null });
  }
  const version = o.version + 1;
  const eff = orderEffect(o, `workorder.application.${action}`, to, now, version, { application: app.kind });
  const updated = (await WorkOrderModel.findOneAndUpdate(
    { _id: o._id, version: o.version },
    { $set: set, $inc: inc, $push: { timeline: entry(a, engineAction, o.status, to, now, note, visibility, attachments), outbox: eff } },
    { returnDocument: 'after' },
  ).lean()) as WorkOrder | null;
  if (!updated) throw conflict();
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: `application.${action}`,
    targetType: 'workorder',
    targetId: String(o._id),
    ip,
    detail: { orderNo: o.orderNo, from: o.status, to, version, milestone: m?.key ?? null },
  });
  await flushOrderOutbox([updated]).catch(() => undefined);
  return { order: updated, action, effectKey: eff.key, at: now };
}
