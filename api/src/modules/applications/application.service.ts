/**
 * Service applications (SPEC §3.5a): filing one with its documents, the tracker view, the business desk's queue
 * and steps, document links. Orders are written only by workorders/workorder.milestones.ts; this module decides
 * what a form needs, who may see the documents, and what each step tells the customer.
 */
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { DomainError } from '../../lib/errors';
import { maskName, maskPhone } from '../../lib/mask';
import { SUPPLY_CLASS_LABELS } from '../../shared/labels';
import { loadAccessibleAccount } from '../accounts/account.access';
import type { Account } from '../accounts/account.model';
import { provisionConnection, transferHolder } from '../accounts/account.provision';
import type { AccessClaims, KeyRing } from '../auth/tokens';
import { fileViews, ownedFileIds, signDocumentLinks } from '../files/file.service';
import { slaConfigFor } from '../settings/settings.service';
import { formatShanghaiShort } from '../workorders/customer-view.rules';
import type { SupplyClass } from '../workorders/sla.rules';
import { loadActor, orderAccessFilter, type Actor } from '../workorders/workorder.access';
import {
  applyApplicationStep,
  createApplicationOrder,
  loadApplicationOrder,
  type AppStepRequest,
  type AppWrite,
} from '../workorders/workorder.milestones';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import type { ApplicationDocument } from './application.model';
import { sendApplicationNotices } from './application.notices';
import {
  APP_ACTION_LABELS,
  applicationOnTime,
  availableAppActions,
  COMPLETE_LABELS,
  DOC_LABELS,
  formNeeds,
  isPaused,
  KIND_LABELS,
  kindTitle,
  milestoneLate,
  MILESTONE_LABELS,
  PHASE_LABELS,
  requiredDocs,
  TURN_LABELS,
  turnOf,
  workingDaysLeft,
  type AppAction,
  type AppActorRole,
  type ApplicationKind,
  type DocKind,
  type MilestoneKey,
} from './application.rules';

/** Staff of the business desk: agents, experts and supervisors (a refusal is the supervisor's); admins read. */
const BUSINESS_STAFF = ['agent', 'expert', 'supervisor', 'admin'] as const;
const isCustomer = (a: Actor) => !a.roles.some((r) => r !== 'customer');
const isBusinessStaff = (a: Actor) => a.roles.some((r) => (BUSINESS_STAFF as readonly string[]).includes(r));
const notFound = () => new DomainError('NOT_FOUND', '申请不存在或无权访问');
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

const daysLabel = (d: number | null) => (d === null ? null : d >= 0 ? `剩余${d}个工作日` : `已超时${Math.abs(d)}个工作日`);

// ---------------------------------------------------------------------------------------------
// Filing

/** The form of a kind for this applicant: fields, required and optional documents, the supply classes to choose from. */
export function formSpec(user: AccessClaims, kind: ApplicationKind) {
  const applicant = user.ent ? 'enterprise' : 'resident';
  const required = requiredDocs(kind, applicant);
  const optional = (['id_card', 'property', 'licence', 'authorisation', 'other'] as DocKind[]).filter((k) => !required.includes(k));
  const classes: SupplyClass[] = applicant === 'enterprise' ? ['lv_non_residential', 'hv_single', 'hv_dual'] : ['residential', 'lv_non_residential'];
  return {
    kind,
    kindLabel: KIND_LABELS[kind],
    applicant,
    needs: formNeeds(kind),
    documents: [
      ...required.map((k) => ({ kind: k, label: DOC_LABELS[k], required: true })),
      ...optional.map((k) => ({ kind: k, label: DOC_LABELS[k], required: false })),
    ],
    supplyClasses: kind === 'new_connection' || kind === 'capacity_change' ? classes.map((c) => ({ value: c, label: SUPPLY_CLASS_LABELS[c] })) : [],
  };
}

export interface NewApplicationInput {
  kind: ApplicationKind;
  supplyClass?: SupplyClass | null;
  accountId?: string | null;
  address?: string | null;
  capacityKva?: number | null;
  capacityDirection?: 'increase' | 'decrease' | null;
  newHolderName?: string | null;
  reason: string;
  contactName: string;
  contactPhone: string;
  documents: { kind: DocKind; fileId: string }[];
  channel: 'web' | 'miniprogram';
  requestId?: string | null;
}

async function documentsOf(user: AccessClaims, docs: { kind: DocKind; fileId: string }[], now: Date): Promise<ApplicationDocument[]> {
  const ids = [...new Set(docs.map((d) => d.fileId))];
  const owned = await ownedFileIds(ids, user.sub, 'application_doc');
  if (owned.length !== ids.length) throw new DomainError('BAD_REQUEST', '资料文件不存在或不是您上传的，请重新上传');
  const views = new Map((await fileViews(ids)).map((v) => [v.id, v]));
  return docs.map((d) => {
    const v = views.get(d.fileId)!;
    return { kind: d.kind, fileId: d.fileId, name: v.name, mime: v.mime, size: v.size, uploadedAt: now, supplied: false };
  });
}

export async function submitApplication(user: AccessClaims, input: NewApplicationInput, ip: string | null = null) {
  const needs = formNeeds(input.kind);
  const applicant = user.ent ? 'enterprise' : 'resident';
  if (needs.account && !input.accountId) throw new DomainError('BAD_REQUEST', '请选择户号');
  if (needs.address && !input.address?.trim()) throw new DomainError('BAD_REQUEST', '请填写用电地址');
  if (needs.capacity && !input.capacityKva) throw new DomainError('BAD_REQUEST', '请填写申请容量（千伏安）');
  if (input.kind === 'capacity_change' && !input.capacityDirection) throw new DomainError('BAD_REQUEST', '请选择增容或减容');
  if (needs.newHolder && !input.newHolderName?.trim()) throw new DomainError('BAD_REQUEST', '请填写新户主姓名或单位名称');
  const missing = requiredDocs(input.kind, applicant).filter((k) => !input.documents.some((d) => d.kind === k));
  if (missing.length) throw new DomainError('BAD_REQUEST', `请上传${missing.map((k) => DOC_LABELS[k]).join('、')}`);
  const account: Account | null = input.accountId ? (await loadAccessibleAccount(user, input.accountId, 'report')).account : null;
  const supplyClass: SupplyClass =
    input.supplyClass ??
    (applicant === 'resident' ? 'residential' : account && account.usageCategory === 'residential' ? 'residential' : 'lv_non_residential');
  if (applicant === 'resident' && (supplyClass === 'hv_single' || supplyClass === 'hv_dual'))
    throw new DomainError('BAD_REQUEST', '高压用电申请请由企业用户办理');
  const now = new Date();
  const documents = await documentsOf(user, input.documents, now);
  const w = await createApplicationOrder(
    user,
    {
      kind: input.kind,
      supplyClass,
      account,
      channel: input.channel,
      requestId: input.requestId ?? null,
      documents,
      form: {
        address: input.address?.trim() || account?.address || null,
        capacityKva: needs.capacity ? (input.capacityKva ?? null) : null,
        capacityDirection: input.kind === 'capacity_change' ? (input.capacityDirection ?? null) : null,
        newHolderName: needs.newHolder ? (input.newHolderName?.trim() ?? null) : null,
        reason: input.reason.trim(),
        contactName: input.contactName.trim(),
        contactPhone: input.contactPhone,
      },
    },
    ip,
  );
  await sendApplicationNotices(w);
  return { id: String(w.order._id), orderNo: w.order.orderNo };
}

// ---------------------------------------------------------------------------------------------
// Views

function actorRoles(a: Actor): AppActorRole[] {
  return a.roles.filter((r): r is AppActorRole => ['customer', 'agent', 'expert', 'supervisor', 'admin'].includes(r));
}

export function applicationView(o: WorkOrder, a: Actor, now = new Date()) {
  const app = o.application!;
  const cal = slaConfigFor(o, now).calendar;
  const customer = isCustomer(a);
  const finished = app.phase === 'completed';
  const ended = app.phase === 'withdrawn' || app.phase === 'refused';
  // A withdrawn or refused application is judged as it stood when it ended.
  const at = ended && app.endedAt ? new Date(app.endedAt) : now;
  const milestones = app.milestones.map((m, i) => {
    const state = m.doneAt
      ? 'done'
      : i === app.current && app.phase !== 'withdrawn' && app.phase !== 'refused' && m.startedAt
        ? isPaused(m)
          ? 'paused'
          : 'running'
        : 'pending';
    const left = state === 'running' || state === 'paused' ? workingDaysLeft(m, now, cal) : null;
    const late = milestoneLate(m, at);
    const pausedMs = (m.pauses ?? []).reduce((s, p) => s + (p.workingMs ?? 0), 0);
    return {
      key: m.key,
      label: MILESTONE_LABELS[m.key],
      workingDays: m.workingDays,
      state,
      stateLabel:
        state === 'done'
          ? late
            ? '已完成（超时）'
            : '已按时完成'
          : state === 'paused'
            ? '计时暂停'
            : state === 'running'
              ? late
                ? '已超时'
                : '办理中'
              : '未开始',
      startedAt: iso(m.startedAt),
      dueAt: iso(m.dueAt),
      doneAt: iso(m.doneAt),
      startedLabel: m.startedAt ? formatShanghaiShort(m.startedAt) : null,
      dueLabel: m.dueAt ? formatShanghaiShort(m.dueAt) : null,
      doneLabel: m.doneAt ? formatShanghaiShort(m.doneAt) : null,
      scheduledLabel: m.scheduledAt ? formatShanghaiShort(m.scheduledAt) : null,
      daysLeft: left,
      daysLeftLabel: state === 'paused' ? `计时已暂停（${daysLabel(left)}）` : daysLabel(left),
      pausedWorkingDays: Math.round((pausedMs / 86_400_000) * 10) / 10,
      late,
      note: m.note,
      turn: i === app.current && !finished ? turnOf(app) : null,
    };
  });
  const lateOnes = milestones.filter((m) => m.late);
  const onTime = ended ? (app.milestones.some((m) => milestoneLate(m, at)) ? false : null) : applicationOnTime(app.milestones, now, finished);
  const entries = (o.timeline ?? []).filter((t) => !customer || t.visibility === 'customer');
  const turn = turnOf(app);
  const cur = ended ? null : (milestones[app.current] ?? null);
  const rated = o.rating != null;
  const actions = availableAppActions(app, actorRoles(a));
  return {
    id: String(o._id),
    orderNo: o.orderNo,
    version: o.version,
    kind: app.kind,
    kindLabel: kindTitle(app),
    supplyClass: app.supplyClass,
    supplyClassLabel: SUPPLY_CLASS_LABELS[app.supplyClass],
    phase: app.phase,
    phaseLabel: PHASE_LABELS[app.phase],
    turn,
    turnLabel: turn ? TURN_LABELS[turn] : null,
    status: o.status,
    createdAt: iso(o.createdAt)!,
    createdLabel: formatShanghaiShort(o.createdAt),
    accountNumber: o.accountNumber,
    form: {
      address: app.form.address,
      capacityKva: app.form.capacityKva,
      capacityDirection: app.form.capacityDirection,
      newHolderName: app.form.newHolderName,
      reason: app.form.reason,
      contactName: customer ? app.form.contactName : maskName(app.form.contactName),
      contactPhone: maskPhone(app.form.contactPhone),
    },
    promiseWorkingDays: app.promiseWorkingDays,
    promiseLabel: `承诺${app.promiseWorkingDays}个工作日内办结（各环节均须按时）`,
    milestones,
    currentLabel: cur ? cur.label : null,
    currentDaysLeftLabel: cur?.daysLeftLabel ?? null,
    onTime,
    onTimeLabel: onTime === true ? '各环节均按时完成' : onTime === false ? '有环节超出承诺时限' : null,
    late: lateOnes.map((m) => ({
      label: m.label,
      dueLabel: m.dueLabel,
      reason: `${m.label}应于${m.dueLabel}前完成，${m.doneAt ? `实际于${m.doneLabel}完成` : '目前尚未完成'}，已超出承诺时限，已督办值班长跟进处理。`,
    })),
    docRequest: app.docRequest
      ? {
          kinds: app.docRequest.kinds,
          kindLabels: app.docRequest.kinds.map((k) => DOC_LABELS[k]),
          note: app.docRequest.note,
          atLabel: formatShanghaiShort(app.docRequest.at),
        }
      : null,
    documents: app.documents.map((d) => ({
      kind: d.kind,
      kindLabel: DOC_LABELS[d.kind],
      fileId: d.fileId,
      name: d.name,
      mime: d.mime,
      size: d.size,
      supplied: d.supplied,
    })),
    requiredDocs: requiredDocs(app.kind, app.applicant).map((k) => ({ kind: k, label: DOC_LABELS[k] })),
    history: entries.map((t) => ({
      atLabel: formatShanghaiShort(t.at),
      at: iso(t.at)!,
      who:
        t.actorRole === 'customer'
          ? customer
            ? '您'
            : '客户'
          : t.actorRole === 'system'
            ? '系统'
            : customer
              ? '供电公司'
              : (t.actorName ?? '工作人员'),
      text: t.note ?? '',
      internal: t.visibility === 'internal',
    })),
    actions,
    actionLabels: Object.fromEntries(
      actions.map((x) => [x, x === 'complete' && cur ? COMPLETE_LABELS[cur.key as MilestoneKey] : APP_ACTION_LABELS[x]]),
    ),
    canRate: customer && o.status === 'resolved' && !rated,
    rating: o.rating ? { stars: o.rating.stars, comment: o.rating.comment ?? '' } : null,
    resultAccountNumber: app.resultAccountNumber,
    endReason: app.endReason,
    assignedToMe: o.assignee?.agentId ? String(o.assignee.agentId) === a.user.sub : false,
    assigned: o.assignee?.agentId != null,
    escalated: o.escalatedAt != null,
  };
}
export type ApplicationView = ReturnType<typeof applicationView>;

export async function getApplication(user: AccessClaims, id: string) {
  const { a, o } = await loadApplicationOrder(user, id);
  if (!isCustomer(a) && !isBusinessStaff(a)) throw notFound();
  return applicationView(o, a);
}

export async function myApplications(user: AccessClaims) {
  const a = await loadActor(user);
  const access = await orderAccessFilter(a);
  if (!access) return [];
  const docs = (await WorkOrderModel.find({ ...access, type: 'service_request', application: { $ne: null } }, { outbox: 0 })
    .sort({ createdAt: -1 })
    .limit(100)
    .lean()) as unknown as WorkOrder[];
  const now = new Date();
  return docs.map((o) => {
    const v = applicationView(o, a, now);
    return {
      id: v.id,
      orderNo: v.orderNo,
      kind: v.kind,
      kindLabel: v.kindLabel,
      supplyClassLabel: v.supplyClassLabel,
      phase: v.phase,
      phaseLabel: v.phaseLabel,
      turnLabel: v.turnLabel,
      currentLabel: v.currentLabel,
      currentDaysLeftLabel: v.currentDaysLeftLabel,
      onTimeLabel: v.onTimeLabel,
      createdLabel: v.createdLabel,
      accountNumber: v.accountNumber,
      address: v.form.address,
      canRate: v.canRate,
      late: v.late.length > 0,
    };
  });
}

export interface AppQueueFilter {
  kinds?: ApplicationKind[];
  milestone?: MilestoneKey | null;
  overdue?: boolean;
  waiting?: boolean;
  maxDaysLeft?: number | null;
  mine?: boolean;
  includeDone?: boolean;
}

/** The business desk's queue: open applications, the nearest milestone deadline first. */
export async function applicationQueue(user: AccessClaims, f: AppQueueFilter) {
  const a = await loadActor(user);
  if (!isBusinessStaff(a)) throw notFound();
  const now = new Date();
  const q: Record<string, unknown> = { type: 'service_request', application: { $ne: null } };
  q.status = f.includeDone ? { $in: ['resolved', 'visited', 'closed'] } : { $in: ['received', 'accepted', 'processing', 'replied'] };
  if (f.kinds?.length) q['application.kind'] = { $in: f.kinds };
  if (f.waiting) q['application.phase'] = 'waiting_customer';
  if (f.overdue) Object.assign(q, { 'nextDeadline.dueAt': { $lte: now }, pausedAt: null });
  if (f.mine) q['assignee.agentId'] = new Types.ObjectId(user.sub);
  if (f.milestone) q.$expr = { $eq: [{ $arrayElemAt: ['$application.milestones.key', '$application.current'] }, f.milestone] };
  const docs = (await WorkOrderModel.find(q, { outbox: 0 })
    .sort({ 'nextDeadline.dueAt': 1, createdAt: 1 })
    .limit(200)
    .lean()) as unknown as WorkOrder[];
  let items = docs.map((o) => applicationView(o, a, now));
  if (f.maxDaysLeft != null)
    items = items.filter((v) => (v.milestones.find((m) => m.state === 'running')?.daysLeft ?? Number.POSITIVE_INFINITY) <= f.maxDaysLeft!);
  return {
    total: items.length,
    items: items.map((v) => ({
      id: v.id,
      orderNo: v.orderNo,
      version: v.version,
      kindLabel: v.kindLabel,
      supplyClassLabel: v.supplyClassLabel,
      phaseLabel: v.phaseLabel,
      turnLabel: v.turnLabel,
      currentLabel: v.currentLabel,
      currentDaysLeftLabel: v.currentDaysLeftLabel,
      late: v.late.length > 0,
      waiting: v.phase === 'waiting_customer',
      contactName: v.form.contactName,
      address: v.form.address,
      accountNumber: v.accountNumber,
      createdLabel: v.createdLabel,
      assigned: v.assigned,
      assignedToMe: v.assignedToMe,
      escalated: v.escalated,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Steps

export interface StepBody extends Omit<AppStepRequest, 'documents' | 'scheduledAt' | 'resultAccountNumber'> {
  scheduledAt?: string | null;
  documents?: { kind: DocKind; fileId: string }[];
}

export async function applicationStep(user: AccessClaims, action: AppAction, body: StepBody, ip: string | null = null) {
  const { a, o } = await loadApplicationOrder(user, body.orderId, ip);
  if (!isCustomer(a) && !isBusinessStaff(a)) throw notFound();
  const req: AppStepRequest = {
    ...body,
    scheduledAt: body.scheduledAt ? new Date(body.scheduledAt) : null,
    documents: undefined,
    fileIds: body.documents?.map((d) => d.fileId) ?? null,
  };
  if (action === 'supplyDocs') req.documents = await documentsOf(user, body.documents ?? [], new Date());
  const app = o.application!;
  // The last milestone creates or changes the metering account (accounts module, idempotent per application).
  if (action === 'complete' && app.current === app.milestones.length - 1 && app.phase === 'in_progress') {
    if (app.kind === 'new_connection') {
      const r = await provisionConnection({
        orderId: o._id,
        applicantUserId: o.reporterUserId,
        enterpriseId: o.enterpriseId,
        holderName: app.form.contactName,
        phone: app.form.contactPhone,
        address: app.form.address ?? '',
        residential: app.supplyClass === 'residential',
      });
      req.resultAccountNumber = r.accountNumber;
    } else if (app.kind === 'name_change' && o.accountId && app.form.newHolderName) {
      await transferHolder(o.accountId, app.form.newHolderName);
      req.resultAccountNumber = o.accountNumber;
    } else req.resultAccountNumber = o.accountNumber;
  }
  const w: AppWrite = await applyApplicationStep(user, action, req, ip);
  await sendApplicationNotices(w);
  return applicationView(w.order, a);
}

/** Signed links to an application's documents: its applicant, their enterprise within role, the business desk. */
export async function applicationDocumentLinks(services: { cfg: Config; keys: KeyRing }, user: AccessClaims, id: string) {
  const { a, o } = await loadApplicationOrder(user, id);
  // Customers reach it only through the order rule (applicant; enterprise admin and power liaison within site scope).
  if (!isCustomer(a) && !isBusinessStaff(a)) throw notFound();
  if (isCustomer(a) && user.ent && !user.roles.some((r) => r === 'enterprise_admin' || r === 'enterprise_electrician')) throw notFound();
  const ids = o.application!.documents.map((d) => d.fileId);
  return signDocumentLinks(services, user, ids);
}
