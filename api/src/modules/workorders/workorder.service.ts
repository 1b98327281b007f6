import { Types } from 'mongoose';
import { maskName, maskPhone } from '../../lib/mask';
import type { AccessClaims } from '../auth/tokens';
import { CrewModel, UserModel } from '../auth/user.model';
import { loadAccessibleAccount } from '../accounts/account.access';
import { AccountModel, CustomerModel, type Account } from '../accounts/account.model';
import { isDuplicateKeyError } from '../../db/connect';
import { recordAudit } from '../audit/audit.service';
import type { PendingEffect } from '../events/event.service';
import { flushOrderOutbox, orderEffect } from './workorder.effects';
import { nextOrderNo } from './order-number';
import { assertFieldActor, isDesk, loadActor, loadVisibleOrder, notFound, orderAccessFilter, type Actor } from './workorder.access';
import { WorkOrderModel, type NextDeadline, type TimelineEntry, type WorkOrder } from './workorder.model';
import { decodePhotoDataUrl, photoStore } from './photo.store';
import { priorityOf, PRIORITY_LABELS, type PriorityLevel } from './priority.rules';
import { labelOf, ROLE_LABELS } from '../../shared/labels';
import { countdownOf, deadlineFor, endDeadline, warningTimes, type SlaConfig, type SupplyClass } from './sla.rules';
import {
  ACTION_LABELS,
  availableActions,
  CREW_LOAD_STATUSES,
  FAULT_KIND_LABELS,
  initialStatus,
  isDissatisfied,
  OPEN_STATUSES,
  planStep,
  STATUS_LABELS,
  SUBTYPE_LABELS,
  TYPE_LABELS,
  type Action,
  type Channel,
  type FaultKind,
  type OrderStatus,
  type OrderType,
  type ServiceSubtype,
  type StepInput,
  STEP_NOTES,
  stepNote,
} from './workorder.rules';
import { afterFaultReport, incidentBrief, linkToActiveOutage, type OutageBrief } from '../outages/outage.intake';
import { isOutageFaultKind } from '../outages/outage.rules';
import { ensureSettingsFresh, ensureSettingVersions, slaConfigFor, slaPinAt } from '../settings/settings.service';
import { customerActionLabel, customerDescription, customerNote, customerProgress, type CustomerProgress } from './customer-view.rules';
import { DomainError } from '../../lib/errors';

/**
 * SLA rules and working calendar in force now: versioned settings (settings.service, cached per process).
 * An order stores the versions it was created under (slaVersion, calendarVersion) and keeps them.
 */
export const getSlaConfig = (): SlaConfig => slaConfigFor(null);

export const CONFLICT_MESSAGE = '工单状态已变化，请刷新后重试';
const conflict = (message = CONFLICT_MESSAGE) => new DomainError('CONFLICT', message);
const badRequest = (message: string) => new DomainError('BAD_REQUEST', message);

// ---------------------------------------------------------------------------------------------
// Deadlines

/** The deadline an order runs against in `status`; the current one is kept if the promise is unchanged. */
function nextDeadlineFor(
  o: Pick<WorkOrder, 'type' | 'subtype' | 'channel' | 'areaType' | 'supplyClass' | 'paymentMode' | 'pausedMs' | 'nextDeadline'> &
    Partial<Pick<WorkOrder, 'slaVersion' | 'calendarVersion'>>,
  status: OrderStatus,
  clock: { startedAt: Date; pausedMsAtStart: number },
  now: Date,
): { nextDeadline: NextDeadline | null; changed: boolean } {
  // The order's own SLA and calendar versions (the ones in force now for an order that has none).
  const sla = slaConfigFor(o, now);
  const d = deadlineFor(
    {
      type: o.type,
      subtype: o.subtype,
      status,
      channel: o.channel,
      areaType: o.areaType,
      supplyClass: o.supplyClass,
      paymentMode: o.paymentMode,
      now,
      clockStartedAt: clock.startedAt,
      pausedMsSinceClock: o.pausedMs - clock.pausedMsAtStart,
    },
    sla,
  );
  if (!d) return { nextDeadline: null, changed: o.nextDeadline != null };
  const cur = o.nextDeadline;
  // Dispatched → accepted runs against the same arrival promise: keep it, or its warnings would fire twice.
  if (cur && cur.kind === d.kind && cur.dueAt.getTime() === d.dueAt.getTime()) return { nextDeadline: cur, changed: false };
  return { nextDeadline: { id: new Types.ObjectId(), ...d, ...warningTimes(d, sla) }, changed: true };
}

const CLEAR_MARKS = { 'slaMarks.warn50At': null, 'slaMarks.warn80At': null, 'slaMarks.overdueAt': null };

// ---------------------------------------------------------------------------------------------
// Views

export interface TimelineView {
  action: string;
  actionLabel: string;
  actorRole: string;
  actorRoleLabel: string;
  actorName: string | null;
  at: string;
  note: string | null;
  visibility: 'customer' | 'internal';
  attachments: string[];
}

export interface WorkOrderSummary {
  id: string;
  orderNo: string;
  type: OrderType;
  typeLabel: string;
  subtype: ServiceSubtype | null;
  subtypeLabel: string | null;
  channel: Channel;
  status: OrderStatus;
  statusLabel: string;
  version: number;
  priority: { score: number; level: PriorityLevel; label: string };
  faultKind: FaultKind | null;
  faultKindLabel: string | null;
  category: string | null;
  descriptionPreview: string;
  accountNumber: string | null;
  transformerAreaName: string | null;
  regionId: string | null;
  areaType: 'urban' | 'rural' | 'remote';
  contactNameMasked: string;
  contactPhoneMasked: string | null;
  assignee: { department: string | null; agentId: string | null; crewId: string | null };
  countdown: ReturnType<typeof countdownOf>;
  paused: boolean;
  escalated: boolean;
  reopenCount: number;
  createdAt: string;
  updatedAt: string;
  /** Customers only (null for staff): plain-words status, crew and the time promised to them. */
  progress: CustomerProgress | null;
}

export interface WorkOrderDetail extends WorkOrderSummary {
  description: string;
  photos: string[];
  reasonCode: string | null;
  resolution: string | null;
  rating: { stars: number; comment: string; at: string } | null;
  incidentId: string | null;
  pauses: { from: string; to: string | null; reasonCode: string; note: string }[];
  timeline: TimelineView[];
  /** What the caller may do now (buttons). */
  actions: Action[];
  /** Only for the crew or area manager the order is assigned to: where to go and whom to call (each read audited). */
  fieldContact: { name: string | null; phone: string | null; address: string | null } | null;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function priorityView(p: { score: number; level: string }) {
  const level = p.level as PriorityLevel;
  return { score: p.score, level, label: PRIORITY_LABELS[level] };
}

export function toSummary(o: WorkOrder, now = new Date()): WorkOrderSummary {
  return {
    id: String(o._id),
    orderNo: o.orderNo,
    type: o.type,
    typeLabel: TYPE_LABELS[o.type],
    subtype: o.subtype ?? null,
    subtypeLabel: o.subtype ? SUBTYPE_LABELS[o.subtype] : null,
    channel: o.channel,
    status: o.status,
    statusLabel: STATUS_LABELS[o.status],
    version: o.version,
    priority: priorityView(o.priority),
    faultKind: o.faultKind ?? null,
    faultKindLabel: o.faultKind ? FAULT_KIND_LABELS[o.faultKind] : null,
    category: o.category ?? null,
    descriptionPreview: Array.from(o.description).slice(0, 60).join(''),
    accountNumber: o.accountNumber ?? null,
    transformerAreaName: o.transformerAreaName ?? null,
    regionId: o.regionId ? String(o.regionId) : null,
    areaType: o.areaType,
    contactNameMasked: maskName(o.contactName),
    contactPhoneMasked: maskPhone(o.contactPhone),
    assignee: {
      department: o.assignee?.department ?? null,
      agentId: o.assignee?.agentId ? String(o.assignee.agentId) : null,
      crewId: o.assignee?.crewId ? String(o.assignee.crewId) : null,
    },
    countdown: o.status === 'closed' ? null : countdownOf(o.nextDeadline, now, o.pausedAt != null),
    paused: o.pausedAt != null,
    escalated: o.escalatedAt != null,
    reopenCount: o.reopenCount ?? 0,
    createdAt: iso(o.createdAt)!,
    updatedAt: iso(o.updatedAt)!,
    progress: null,
  };
}

/**
 * An order as its customer sees it: status in plain words, no staff deadline (countdown), the crew and the
 * promised time instead; system-made orders in customer words.
 */
export function toCustomerSummary(o: WorkOrder, now = new Date(), crewPhone: string | null = null): WorkOrderSummary {
  const progress = customerProgress(o, now, crewPhone);
  const description = customerDescription(o);
  return {
    ...toSummary(o, now),
    statusLabel: progress.statusLabel,
    descriptionPreview: Array.from(description).slice(0, 60).join(''),
    countdown: null,
    progress,
  };
}

/** Work phones of crews, for the customer's view of who is coming. */
export async function crewPhones(orders: Pick<WorkOrder, 'assignee'>[]): Promise<Map<string, string | null>> {
  const ids = [
    ...new Set(
      orders
        .map((o) => o.assignee?.crewId)
        .filter(Boolean)
        .map(String),
    ),
  ];
  if (!ids.length) return new Map();
  const crews = await CrewModel.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { workPhone: 1 }).lean();
  return new Map(crews.map((c) => [String(c._id), (c as { workPhone?: string | null }).workPhone ?? null]));
}

/**
 * Customers see only customer-visible entries, in customer words, without staff names, and no staff
 * deadline (see toCustomerSummary); staff see everything.
 */
export function toDetail(o: WorkOrder, a: Actor, now = new Date(), crewPhone: string | null = null): WorkOrderDetail {
  const customer = !a.roles.some((r) => r !== 'customer');
  const timeline = (o.timeline ?? [])
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => !customer || t.visibility === 'customer')
    .map(({ t, i }) => ({
      action: t.action,
      actionLabel: customer ? customerActionLabel(o.type, t.action) : (ACTION_LABELS[t.action as keyof typeof ACTION_LABELS] ?? t.action),
      actorRole: t.actorRole,
      actorRoleLabel: labelOf(ROLE_LABELS, t.actorRole, '工作人员'),
      actorName: customer ? null : (t.actorName ?? null),
      at: iso(t.at)!,
      note: customer ? customerNote(o, t, i) : (t.note ?? null),
      visibility: t.visibility,
      attachments: t.attachments ?? [],
    }));
  return {
    ...(customer ? toCustomerSummary(o, now, crewPhone) : toSummary(o, now)),
    description: customer ? customerDescription(o) : o.description,
    photos: o.photos ?? [],
    reasonCode: o.reasonCode ?? null,
    resolution: o.resolution ?? null,
    rating: o.rating ? { stars: o.rating.stars, comment: o.rating.comment ?? '', at: iso(o.rating.at)! } : null,
    incidentId: o.incidentId ? String(o.incidentId) : null,
    pauses: (o.pauses ?? []).map((p) => ({ from: iso(p.from)!, to: iso(p.to), reasonCode: p.reasonCode, note: p.note })),
    timeline,
    fieldContact: null,
    actions: o.pausedAt
      ? (availableActions(o.type, o.status, a.roles).filter((x) => x === 'resume' || x === 'note' || x === 'transfer') as Action[])
      : availableActions(o.type, o.status, a.roles).filter((x) => x !== 'resume'),
  };
}

// ---------------------------------------------------------------------------------------------
// Effects: events for the live queue, audit

/** The outbox path every order write shares (workorder.effects.ts); re-exported for the sweep and tests. */
export { flushOrderOutbox };
const effect = (
  o: Pick<WorkOrder, '_id' | 'orderNo' | 'type' | 'regionId' | 'priority'>,
  type: string,
  status: OrderStatus,
  now: Date,
  version: number,
): PendingEffect => orderEffect(o, type, status, now, version);

function entry(
  a: Actor | 'system',
  action: string,
  from: OrderStatus | null,
  to: OrderStatus | null,
  now: Date,
  opts: Partial<TimelineEntry> = {},
): TimelineEntry {
  const role = a === 'system' ? 'system' : primaryRole(a);
  return {
    actorId: a === 'system' ? null : a.user.sub,
    actorRole: role,
    actorName: a === 'system' ? null : a.name,
    action,
    from,
    to,
    at: now,
    note: opts.note ?? null,
    visibility: opts.visibility ?? 'customer',
    attachments: opts.attachments ?? [],
  };
}

function primaryRole(a: Actor): string {
  const order = ['dispatcher', 'crew', 'area_manager', 'agent', 'expert', 'supervisor', 'admin', 'customer'];
  return order.find((r) => a.roles.includes(r as never)) ?? a.roles[0] ?? 'customer';
}

// ---------------------------------------------------------------------------------------------
// Creating orders

export interface CreateOrderInput {
  type: OrderType;
  subtype?: ServiceSubtype | null;
  accountId?: string | null;
  faultKind?: FaultKind | null;
  category?: string | null;
  description: string;
  photos?: string[];
  contactName?: string | null;
  contactPhone?: string | null;
  supplyClass?: SupplyClass | null;
  /** Client's id for this submission (idempotency): the same id from the same user files one order. */
  requestId?: string | null;
}

const NEEDS_ACCOUNT: readonly OrderType[] = ['fault_repair', 'service_request', 'reconnection'];

/** The fields every new order starts with, whoever opens it. */
function newOrderFields(o: {
  _id: Types.ObjectId;
  orderNo: string;
  base: Record<string, unknown>;
  status: OrderStatus;
  priority: { score: number; level: string };
  account: Account | null;
  clock: { startedAt: Date; pausedMsAtStart: number };
}) {
  return {
    _id: o._id,
    orderNo: o.orderNo,
    ...o.base,
    status: o.status,
    version: 0,
    priority: { score: o.priority.score, level: o.priority.level },
    ...accountPart(o.account),
    clock: o.clock,
    slaMarks: { warn50At: null, warn80At: null, overdueAt: null },
  };
}

/** What an order takes from its account: where it is in the grid and whose it is. */
const accountPart = (account: Account | null) => ({
  accountId: account?._id ?? null,
  accountNumber: account?.number ?? null,
  customerId: account?.customerId ?? null,
  transformerAreaId: account?.transformerAreaId ?? null,
  transformerAreaName: account?.transformerAreaName ?? null,
  feederId: account?.feederId ?? null,
  regionId: account?.regionId ?? null,
});

const supplyClassOf = (account: Account | null): SupplyClass =>
  account && account.usageCategory !== 'residential' ? 'lv_non_residential' : 'residential';

export interface SystemOrderInput {
  /** Fixed id chosen by the caller, so a retry after a crash never creates the order twice. */
  orderId?: Types.ObjectId;
  type: OrderType;
  accountId: Types.ObjectId | string;
  category: string;
  description: string;
  department: string;
  now?: Date;
}

/**
 * An order the system opens on its own (no logged-in actor): e.g. 复电 after a payment settled by a WeChat
 * notification. Same number series, deadlines, priority, timeline and live-queue event as createOrder;
 * 'staff' channel, so it runs against the type's handling promise rather than an online first reply.
 */
export async function createSystemOrder(input: SystemOrderInput): Promise<{ orderId: string; orderNo: string; created: boolean }> {
  const existing = input.orderId ? await WorkOrderModel.findById(input.orderId, { orderNo: 1 }).lean() : null;
  if (existing) return { orderId: String(existing._id), orderNo: existing.orderNo, created: false };
  const account = (await AccountModel.findById(input.accountId).lean()) as Account | null;
  if (!account) throw new Error(`account ${input.accountId} not found`);
  const customer = await CustomerModel.findById(account.customerId, { tier: 1, flags: 1 }).lean();
  const now = input.now ?? new Date();
  await ensureSettingsFresh();
  const status = initialStatus(input.type);
  const priority = priorityOf({
    type: input.type,
    faultKind: null,
    tier: (customer?.tier as 'A' | 'B' | 'C' | undefined) ?? null,
    flags: customer?.flags ?? null,
  });
  const base = {
    type: input.type,
    subtype: null,
    channel: 'staff' as Channel,
    areaType: account.areaType as WorkOrder['areaType'],
    supplyClass: supplyClassOf(account),
    paymentMode: account.paymentMode as WorkOrder['paymentMode'],
    pausedMs: 0,
    nextDeadline: null,
    // The SLA rules and calendar in force now stay this order's, whatever is published later.
    ...slaPinAt(now),
  };
  const clock = { startedAt: now, pausedMsAtStart: 0 };
  const { nextDeadline } = nextDeadlineFor(base, status, clock, now);
  const _id = input.orderId ?? new Types.ObjectId();
  const orderNo = await nextOrderNo(now);
  const outbox = [effect({ _id, orderNo, type: input.type, regionId: account.regionId, priority }, 'workorder.created', status, now, 0)];
  const doc = {
    ...newOrderFields({ _id, orderNo, base, status, priority, account, clock }),
    enterpriseId: account.enterpriseId ?? null,
    reporterUserId: null,
    contactName: account.holderName,
    contactPhone: account.phone ?? null,
    faultKind: null,
    category: input.category,
    description: input.description,
    photos: [],
    assignee: { department: input.department, agentId: null, crewId: null },
    nextDeadline,
    incidentId: null,
    timeline: [entry('system', 'create', null, status, now, { note: input.description })],
    outbox,
  };
  try {
    await WorkOrderModel.create(doc);
  } catch (err) {
    const raced = isDuplicateKeyError(err) ? await WorkOrderModel.findById(_id, { orderNo: 1 }).lean() : null;
    if (raced) return { orderId: String(raced._id), orderNo: raced.orderNo, created: false };
    throw err;
  }
  await recordAudit({
    actorId: 'system',
    actorRoles: ['system'],
    action: 'workorder.create',
    targetType: 'workorder',
    targetId: String(_id),
    detail: { orderNo, type: input.type, status, channel: 'staff' },
  });
  await flushOrderOutbox([{ _id, regionId: account.regionId, outbox }]).catch(() => undefined);
  return { orderId: String(_id), orderNo, created: true };
}

/** Arrears, not a grid fault: the report was closed at intake and the customer is sent to payment. */
export interface ArrearsRedirect {
  accountId: string;
  accountNumber: string;
  /** What is owed now, in fen (open bills, or the negative balance of a smart-prepaid account). */
  dueFen: number;
  /** The customer-facing sentence, also on the order's timeline. */
  message: string;
}
export type CreatedOrder = WorkOrderDetail & { linkedOutage: OutageBrief | null; arrearsRedirect: ArrearsRedirect | null };

const dueFenOf = (account: Pick<Account, 'arrearsFen' | 'balanceFen'>) => Math.max(account.arrearsFen ?? 0, -(account.balanceFen ?? 0), 0);
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const arrearsMessage = (account: Pick<Account, 'arrearsFen' | 'balanceFen' | 'number'>) =>
  `户号${account.number}因欠费已停电${dueFenOf(account) > 0 ? `（应缴${yuan(dueFenOf(account))}）` : ''}，无需派抢修人员。请缴清电费，缴费到账后将自动生成复电工单并尽快恢复供电。`;

/**
 * What createOrder answered for an order it stored, rebuilt from the order itself, so a re-sent create
 * (same requestId after a lost reply) answers exactly what the first send did: linked to an outage at intake
 * (the link entry carries the creation instant), or closed at intake for arrears.
 */
async function intakeAnswer(o: WorkOrder, now: Date): Promise<{ linkedOutage: OutageBrief | null; arrearsRedirect: ArrearsRedirect | null }> {
  const createdAt = o.timeline?.[0]?.at ? new Date(o.timeline[0].at).getTime() : null;
  const atIntake = (t: TimelineEntry) => t.actorRole === 'system' && createdAt != null && new Date(t.at).getTime() === createdAt;
  const linked = o.incidentId != null && (o.timeline ?? []).some((t) => t.action === 'note' && atIntake(t));
  const arrears = o.reasonCode === 'arrears_outage' && (o.timeline ?? []).some((t) => t.action === 'closeWithReason' && atIntake(t));
  let arrearsRedirect: ArrearsRedirect | null = null;
  if (arrears && o.accountId) {
    const acc = (await AccountModel.findById(o.accountId, { number: 1, arrearsFen: 1, balanceFen: 1 }).lean()) as Account | null;
    if (acc) arrearsRedirect = { accountId: String(acc._id), accountNumber: acc.number, dueFen: dueFenOf(acc), message: arrearsMessage(acc) };
  }
  return { linkedOutage: linked ? await incidentBrief(o.incidentId!, now) : null, arrearsRedirect };
}

export async function createOrder(
  user: AccessClaims,
  input: CreateOrderInput,
  opts: { channel: Channel; ip?: string | null; forCaller?: boolean },
): Promise<CreatedOrder> {
  if (input.type === 'fault_repair' && !input.faultKind) throw badRequest('请选择故障类型');
  if (input.type !== 'fault_repair' && input.faultKind) throw badRequest('仅故障报修需要选择故障类型');
  if (input.type === 'service_request' && !input.subtype) throw badRequest('请选择业务类型');
  if (input.type !== 'service_request' && input.subtype) throw badRequest('仅业务申请需要选择业务类型');
  if (input.type === 'return_visit' && !opts.forCaller) throw badRequest('回访工单由客服创建');
  if (NEEDS_ACCOUNT.includes(input.type) && !input.accountId) throw badRequest('请选择户号');

  // In parallel, but the actor's refusal (e.g. a disabled user) wins over the account's, as when sequential.
  const [actor, accessible] = await Promise.allSettled([
    loadActor(user, opts.ip ?? null),
    input.accountId ? loadAccessibleAccount(user, input.accountId, 'report') : null,
  ]);
  if (actor.status === 'rejected') throw actor.reason;
  if (accessible.status === 'rejected') throw accessible.reason;
  const a = actor.value;
  const account: Account | null = accessible.value?.account ?? null;
  const photos = [...new Set(input.photos ?? [])];
  // Independent reads in parallel: a storm of reports is bound by round trips.
  const [customer, owned] = await Promise.all([
    account ? CustomerModel.findById(account.customerId, { tier: 1, flags: 1, name: 1, phone: 1 }).lean() : null,
    photos.length ? photoStore.ownedBy(photos, user.sub) : [],
  ]);
  if (owned.length !== photos.length) throw badRequest('照片不存在或已失效，请重新上传');
  const contactPhone = input.contactPhone ?? account?.phone ?? customer?.phone ?? null;
  if (opts.forCaller && !contactPhone) throw badRequest('请填写来电号码');

  await ensureSettingsFresh();
  const now = new Date();
  const status = initialStatus(input.type);
  const priority = priorityOf({
    type: input.type,
    faultKind: input.faultKind ?? null,
    tier: (customer?.tier as 'A' | 'B' | 'C' | undefined) ?? null,
    flags: customer?.flags ?? null,
  });
  const supplyClass: SupplyClass = input.supplyClass ?? supplyClassOf(account);
  const base = {
    type: input.type,
    subtype: input.subtype ?? null,
    channel: opts.channel,
    areaType: (account?.areaType as WorkOrder['areaType']) ?? 'urban',
    supplyClass,
    paymentMode: (account?.paymentMode as WorkOrder['paymentMode']) ?? null,
    pausedMs: 0,
    nextDeadline: null,
    // The SLA rules and calendar in force now stay this order's, whatever is published later.
    ...slaPinAt(now),
  };
  const clock = { startedAt: now, pausedMsAtStart: 0 };
  const { nextDeadline } = nextDeadlineFor(base, status, clock, now);
  // An account disconnected for arrears has no power because of the bill, not the grid: no crew, no clustering —
  // the report is closed at intake with the reason (欠费停电) and the customer is sent to payment (paying opens 复电).
  const arrears = input.type === 'fault_repair' && account?.supplyState === 'disconnected' && isOutageFaultKind(input.faultKind);
  // Deflection: a "no power" report inside an active outage joins its incident — no dispatch of its own.
  const [link, orderNo] = await Promise.all([
    input.type === 'fault_repair' && account && !arrears ? linkToActiveOutage(account, input.faultKind, now) : null,
    nextOrderNo(now),
  ]);
  const _id = new Types.ObjectId();
  const doc = {
    ...newOrderFields({ _id, orderNo, base, status, priority, account, clock }),
    enterpriseId: account?.enterpriseId ?? (user.ent ? new Types.ObjectId(user.ent) : null),
    reporterUserId: opts.forCaller ? null : new Types.ObjectId(user.sub),
    ...(input.requestId ? { requestKey: `${user.sub}:${input.requestId}` } : {}),
    contactName: input.contactName ?? account?.holderName ?? null,
    contactPhone,
    faultKind: input.faultKind ?? null,
    category: input.category ?? null,
    description: input.description,
    photos,
    assignee: {
      department: input.type === 'fault_repair' ? '配抢指挥' : '客户服务中心',
      agentId: opts.forCaller ? new Types.ObjectId(user.sub) : null,
      crewId: null,
    },
    nextDeadline: link || arrears ? null : nextDeadline,
    incidentId: link?.incidentId ?? null,
    timeline: [
      entry(a, 'create', null, status, now, {
        note: opts.forCaller ? `坐席代客户登记（${opts.channel === 'phone' ? '来电' : '现场'}）` : null,
        attachments: photos,
      }),
      ...(link ? [link.entry] : []),
      ...(arrears && account
        ? [entry('system', 'closeWithReason', status, 'closed', now, { note: `经核实为欠费停电：${arrearsMessage(account)}` })]
        : []),
    ],
    ...(arrears ? { status: 'closed' as OrderStatus, reasonCode: 'arrears_outage', closedAt: now } : {}),
    // A linked report is announced as 'workorder.linked' so consoles do not alert on it as a new row; nor on one closed for arrears.
    outbox: [
      effect(
        { _id, orderNo, type: input.type, regionId: account?.regionId ?? null, priority },
        link ? 'workorder.linked' : arrears ? 'workorder.arrears_redirected' : 'workorder.created',
        arrears ? 'closed' : status,
        now,
        0,
      ),
    ],
  };
  if (link) Object.assign(doc.outbox[0].payload, { incidentId: String(link.incidentId), outageId: String(link.outage._id) });
  let created: WorkOrder;
  try {
    created = (await WorkOrderModel.create(doc)).toObject() as unknown as WorkOrder;
  } catch (err) {
    // Filed before under this request id (the reply was lost): that order is the answer, nothing new is stored.
    const filed =
      input.requestId && isDuplicateKeyError(err)
        ? ((await WorkOrderModel.findOne({ requestKey: `${user.sub}:${input.requestId}` }).lean()) as unknown as WorkOrder | null)
        : null;
    if (filed) return { ...toDetail(filed, a, now), ...(await intakeAnswer(filed, now)) };
    throw err;
  }
  await Promise.all([
    recordAudit({
      actorId: user.sub,
      actorRoles: user.roles,
      action: 'workorder.create',
      targetType: 'workorder',
      targetId: String(_id),
      ip: opts.ip ?? null,
      detail: {
        orderNo,
        type: input.type,
        status: arrears ? 'closed' : status,
        channel: opts.channel,
        ...(arrears ? { reasonCode: 'arrears_outage' } : {}),
      },
    }),
    flushOrderOutbox([created]).catch(() => undefined),
  ]);
  if (arrears && account) {
    return {
      ...toDetail(created, a, now),
      linkedOutage: null,
      arrearsRedirect: { accountId: String(account._id), accountNumber: account.number, dueFen: dueFenOf(account), message: arrearsMessage(account) },
    };
  }
  // Unlinked fault reports: re-check for an outage confirmed meanwhile, then count for clustering.
  const merged = input.type === 'fault_repair' && !link ? (await afterFaultReport(created, now)).linked : false;
  // The order as written is the view (the outbox is not part of it) unless the re-check just merged it.
  const stored = merged ? ((await WorkOrderModel.findById(_id).lean()) as unknown as WorkOrder) : created;
  // Linked at intake, or by the re-check an instant later: either way the customer is told of the outage now.
  const linkedOutage = link?.brief ?? (merged && stored.incidentId ? await incidentBrief(stored.incidentId, now) : null);
  return { ...toDetail(stored, a, now), linkedOutage, arrearsRedirect: null };
}

// ---------------------------------------------------------------------------------------------
// Steps

export interface StepRequest extends StepInput {
  orderId: string;
  /** The version the caller's screen showed; a stale screen gets CONFLICT instead of acting on changed data. */
  version?: number;
  attachments?: string[];
  comment?: string | null;
  overCapacity?: boolean;
}

const WHILE_PAUSED: readonly Action[] = ['resume', 'note', 'transfer'];
const APPLICATION_ENGINE_STEPS: readonly Action[] = ['note', 'visit', 'close'];
const FIELD_ACTIONS: readonly Action[] = ['accept', 'arrive', 'resolve', 'returnForRedispatch'];

/**
 * Applies one step as ONE guarded single-document update: matched on the status and version the
 * decision was made on, so of two people acting at once exactly one wins and the other gets CONFLICT.
 */
export async function applyStep(user: AccessClaims, action: Action, req: StepRequest, ip: string | null = null): Promise<WorkOrderDetail> {
  const a = await loadActor(user, ip);
  const o = await loadVisibleOrder(a, req.orderId);
  if (req.version !== undefined && req.version !== o.version) throw conflict();
  // Service applications move through their milestones (workorder.milestones.ts); here only notes, the rating and the close.
  if (o.application && !APPLICATION_ENGINE_STEPS.includes(action)) throw conflict('业务申请请在“业务受理”中办理');
  if (o.pausedAt && !WHILE_PAUSED.includes(action)) throw conflict('工单已挂起，请先恢复处理');
  if (!o.pausedAt && action === 'resume') throw conflict('工单未挂起，无需恢复');
  if (o.pausedAt && action === 'pause') throw conflict('工单已挂起');

  const { to } = planStep(o.type, o.status, action, a.roles, req);
  const customerOnly = !a.roles.some((r) => r !== 'customer');
  if (o.type === 'fault_repair' && FIELD_ACTIONS.includes(action)) assertFieldActor(a, o);

  const now = new Date();
  const set: Record<string, unknown> = { status: to, updatedAt: now };
  const inc: Record<string, number> = { version: 1 };
  const push: Record<string, unknown> = {};
  const timeline: TimelineEntry[] = [];
  let clock = o.clock;
  let visibility: 'customer' | 'internal' = 'customer';
  let note = stepNote(action, req.notes?.trim() || null);
  const attachments = [...new Set(req.attachments ?? [])];
  if (attachments.length) {
    const owned = await photoStore.ownedBy(attachments, user.sub);
    if (owned.length !== attachments.length) throw badRequest('照片不存在或已失效，请重新上传');
  }

  switch (action) {
    case 'dispatch': {
      const crew = Types.ObjectId.isValid(req.crewId!) ? await CrewModel.findById(req.crewId).lean() : null;
      if (!crew) throw badRequest('抢修班组不存在');
      if (o.regionId && !crew.regionId.equals(o.regionId)) throw badRequest('该班组不负责此工单所在区域');
      const load = await WorkOrderModel.countDocuments({ 'assignee.crewId': crew._id, status: { $in: CREW_LOAD_STATUSES } });
      if (load >= crew.capacity && !req.overCapacity)
        throw badRequest(`该班组当前已满负荷（${load}/${crew.capacity}），请选择其他班组或确认超负荷派单`);
      set['assignee.crewId'] = crew._id;
      set['assignee.department'] = crew.name;
      note = STEP_NOTES.dispatched(crew.name, note);
      break;
    }
    case 'returnForRedispatch':
      set['assignee.crewId'] = null;
      visibility = 'internal';
      note = `退回重派：${req.reason}`;
      break;
    case 'resolve':
      set.resolution = note;
      set.resolvedAt = now;
      break;
    case 'claim':
      set['assignee.agentId'] = new Types.ObjectId(user.sub);
      break;
    case 'assign': {
      const target = Types.ObjectId.isValid(req.agentId!)
        ? await UserModel.findById(req.agentId, { roles: 1, displayName: 1, disabled: 1 }).lean()
        : null;
      if (!target || target.disabled || !target.roles.some((r) => r === 'agent' || r === 'expert' || r === 'supervisor'))
        throw badRequest('处理人不存在');
      set['assignee.agentId'] = target._id;
      visibility = 'internal';
      note = `指派给${target.displayName}${note ? `：${note}` : ''}`;
      break;
    }
    case 'transfer':
      set['assignee.department'] = req.department;
      set['assignee.agentId'] = null;
      visibility = 'internal';
      note = `转至${req.department}：${note}`;
      break;
    case 'reply':
    case 'note':
      visibility = req.visibility ?? 'internal';
      break;
    case 'visit': {
      const stars = req.stars!;
      set.rating = { stars, comment: req.comment?.trim() ?? '', at: now, by: customerOnly ? 'customer' : 'agent' };
      note = `${STEP_NOTES.rated(customerOnly, stars, req.comment?.trim())}${!customerOnly && note ? `（${note}）` : ''}`;
      if (isDissatisfied(stars)) {
        // Dissatisfied: back to work with a fresh promise to the customer.
        inc.reopenCount = 1;
        clock = { startedAt: now, pausedMsAtStart: o.pausedMs };
        set.clock = clock;
        set.resolvedAt = null;
        timeline.push(entry(a, 'visit', o.status, 'resolved', now, { note }));
        timeline.push(entry('system', 'reopen', 'resolved', to, now, { note: STEP_NOTES.reopenedDissatisfied }));
      }
      break;
    }
    case 'close':
      set.closedAt = now;
      break;
    case 'closeWithReason':
      set.closedAt = now;
      set.reasonCode = req.reasonCode;
      note =
        req.reasonCode === 'arrears_outage'
          ? `经核实为欠费停电，请缴清电费后办理复电（缴费后将自动生成复电工单）。${note ?? ''}`
          : STEP_NOTES.customerInternalFault(note);
      break;
    case 'pause':
      set.pausedAt = now;
      set.pausedReasonCode = req.reasonCode;
      note = STEP_NOTES.paused(note!);
      break;
    case 'resume': {
      const pausedFor = now.getTime() - new Date(o.pausedAt!).getTime();
      set.pausedAt = null;
      set.pausedReasonCode = null;
      inc.pausedMs = pausedFor;
      set.pauses = [...(o.pauses ?? []), { from: o.pausedAt, to: now, reasonCode: o.pausedReasonCode ?? 'waiting_customer', note: lastPauseNote(o) }];
      // The clock stood still: every date of the running deadline moves by the paused time.
      if (o.nextDeadline) {
        const shift = (d: Date) => new Date(new Date(d).getTime() + pausedFor);
        set['nextDeadline.dueAt'] = shift(o.nextDeadline.dueAt);
        set['nextDeadline.warn50Due'] = shift(o.nextDeadline.warn50Due);
        set['nextDeadline.warn80Due'] = shift(o.nextDeadline.warn80Due);
      }
      visibility = 'internal';
      note = `恢复处理（挂起${Math.round(pausedFor / 60_000)}分钟）`;
      break;
    }
  }

  if (timeline.length === 0) timeline.push(entry(a, action, o.status, to, now, { note, visibility, attachments }));
  if (to !== o.status || clock !== o.clock) {
    await ensureSettingVersions([
      { kind: 'sla', version: o.slaVersion },
      { kind: 'calendar', version: o.calendarVersion },
    ]);
    const { nextDeadline, changed } = nextDeadlineFor({ ...o, pausedMs: o.pausedMs }, to, clock, now);
    if (changed) {
      Object.assign(set, { nextDeadline, ...CLEAR_MARKS });
      const ended = endDeadline(o.nextDeadline, now);
      if (ended) push.slaHistory = ended;
    }
  }
  const version = o.version + 1;
  const updated = (await WorkOrderModel.findOneAndUpdate(
    { _id: o._id, status: o.status, version: o.version },
    { $set: set, $inc: inc, $push: { timeline: { $each: timeline }, outbox: effect(o, `workorder.${action}`, to, now, version), ...push } },
    { returnDocument: 'after' },
  ).lean()) as WorkOrder | null;
  if (!updated) throw conflict();

  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: `workorder.${action}`,
    targetType: 'workorder',
    targetId: String(o._id),
    ip,
    detail: { orderNo: o.orderNo, from: o.status, to, version },
  });
  await flushOrderOutbox([updated]).catch(() => undefined);
  return toDetail(updated, a, now);
}

function lastPauseNote(o: WorkOrder): string {
  const t = [...(o.timeline ?? [])].reverse().find((x) => x.action === 'pause');
  return t?.note ?? '';
}

// ---------------------------------------------------------------------------------------------
// Reads

/** An order the caller may see; `fieldContact` adds (and audits) the address and phone for its assigned crew. */
export async function getOrder(
  user: AccessClaims,
  orderId: string,
  opts: { ip?: string | null; fieldContact?: boolean } = {},
): Promise<WorkOrderDetail> {
  const a = await loadActor(user, opts.ip ?? null);
  const o = await loadVisibleOrder(a, orderId);
  const customer = !a.roles.some((r) => r !== 'customer');
  const phone = customer && o.assignee?.crewId ? ((await crewPhones([o])).get(String(o.assignee.crewId)) ?? null) : null;
  const detail = toDetail(o, a, new Date(), phone);
  if (opts.fieldContact && !isDesk(a) && a.roles.some((r) => r === 'crew' || r === 'area_manager') && isFieldActorOf(a, o)) {
    detail.fieldContact = await readFieldContact(a, o);
  }
  return detail;
}

/**
 * The street address and a callable phone for the crew sent to the order (SPEC §6a): read from the account
 * and the order in full, and audited every time, like any staff read of full personal data.
 */
async function readFieldContact(a: Actor, o: WorkOrder): Promise<NonNullable<WorkOrderDetail['fieldContact']>> {
  const account = o.accountId ? await AccountModel.findById(o.accountId, { address: 1, phone: 1, holderName: 1 }).lean() : null;
  const contact = {
    name: o.contactName ?? account?.holderName ?? null,
    phone: o.contactPhone ?? account?.phone ?? null,
    address: account?.address ?? null,
  };
  await recordAudit({
    actorId: a.user.sub,
    actorRoles: a.user.roles,
    action: 'order.field_contact_read',
    targetType: 'workorder',
    targetId: String(o._id),
    reason: 'assigned field work',
    ip: a.ip,
  });
  return contact;
}

function isFieldActorOf(a: Actor, o: WorkOrder): boolean {
  try {
    assertFieldActor(a, o);
    return true;
  } catch {
    return false;
  }
}

export async function listMyOrders(user: AccessClaims, opts: { state?: 'open' | 'closed' | 'all'; limit?: number }) {
  const a = await loadActor(user);
  const filter = await orderAccessFilter(a);
  if (!filter) return [];
  const q: Record<string, unknown> = { ...filter };
  if (opts.state === 'open') q.status = { $ne: 'closed' };
  if (opts.state === 'closed') q.status = 'closed';
  const customer = !a.roles.some((r) => r !== 'customer');
  // Customers' lists are short; their first timeline entry tells a system-made order (a reconnection) from one a person filed.
  const docs = (await WorkOrderModel.find(q, customer ? { outbox: 0 } : { timeline: 0, outbox: 0 })
    .sort({ createdAt: -1 })
    .limit(opts.limit ?? 50)
    .lean()) as unknown as WorkOrder[];
  const now = new Date();
  if (!customer) return docs.map((d) => toSummary(d, now));
  const phones = await crewPhones(docs);
  return docs.map((d) => toCustomerSummary(d, now, d.assignee?.crewId ? (phones.get(String(d.assignee.crewId)) ?? null) : null));
}

export interface QueueFilter {
  types?: OrderType[];
  priority?: PriorityLevel[];
  regionId?: string;
  statuses?: OrderStatus[];
  overdue?: boolean;
  mine?: boolean;
  escalated?: boolean;
  /** Default true: reports merged into an incident are shown once, as their incident order. */
  hideMerged?: boolean;
  limit?: number;
  offset?: number;
}

/** The live queue: open orders, most urgent first, then the nearest deadline. */
export async function queueOrders(user: AccessClaims, f: QueueFilter) {
  const a = await loadActor(user);
  const access = await orderAccessFilter(a);
  if (!access) throw notFound();
  const now = new Date();
  const q: Record<string, unknown> = { ...access, status: { $in: f.statuses?.length ? f.statuses : OPEN_STATUSES } };
  if (f.types?.length) q.type = { $in: f.types };
  if (f.priority?.length) q['priority.level'] = { $in: f.priority };
  if (f.regionId) q.regionId = new Types.ObjectId(f.regionId);
  if (f.overdue) q['nextDeadline.dueAt'] = { $lte: now };
  if (f.escalated) q.escalatedAt = { $ne: null };
  if (f.mine) q['assignee.agentId'] = new Types.ObjectId(user.sub);
  if (f.hideMerged !== false) q.incidentId = null;
  const [docs, total] = await Promise.all([
    WorkOrderModel.find(q, { timeline: 0, outbox: 0 })
      .sort({ 'priority.score': -1, 'nextDeadline.dueAt': 1, createdAt: 1 })
      .skip(f.offset ?? 0)
      .limit(f.limit ?? 50)
      .lean(),
    WorkOrderModel.countDocuments(q),
  ]);
  return { items: (docs as unknown as WorkOrder[]).map((d) => toSummary(d, now)), total };
}

/** Orders for the caller's crew (crew) or region (area manager) that still need field work. */
export async function crewOrders(user: AccessClaims, opts: { includeDone?: boolean }) {
  const a = await loadActor(user);
  const or: Record<string, unknown>[] = [];
  if (a.crewId) or.push({ 'assignee.crewId': a.crewId });
  if (a.roles.includes('area_manager') && a.regionId) or.push({ regionId: a.regionId, type: 'fault_repair' });
  if (!or.length) return [];
  const statuses: OrderStatus[] = opts.includeDone ? [...CREW_LOAD_STATUSES, 'resolved', 'visited', 'closed'] : [...CREW_LOAD_STATUSES];
  const filter: Record<string, unknown> = { $or: or, status: { $in: statuses } };
  const docs = (await WorkOrderModel.find(filter, { timeline: 0, outbox: 0 })
    .sort({ 'priority.score': -1, 'nextDeadline.dueAt': 1 })
    .limit(100)
    .lean()) as unknown as WorkOrder[];
  const now = new Date();
  // Where to go and whom to call, on the card itself: only for field work still open and assigned to the caller
  // (crew: dispatched to their crew; area manager: their region), each read audited like workorder.get's.
  return Promise.all(
    docs.map(async (d) => ({
      ...toSummary(d, now),
      fieldContact: (CREW_LOAD_STATUSES as readonly string[]).includes(d.status) && isFieldActorOf(a, d) ? await readFieldContact(a, d) : null,
    })),
  );
}

/** Crews with their current load (open dispatched orders) against capacity. */
export async function listCrews(opts: { regionId?: string }) {
  const q = opts.regionId ? { regionId: new Types.ObjectId(opts.regionId) } : {};
  const crews = await CrewModel.find(q).sort({ name: 1 }).limit(200).lean();
  const loads = await WorkOrderModel.aggregate<{ _id: Types.ObjectId; n: number }>([
    { $match: { 'assignee.crewId': { $in: crews.map((c) => c._id) }, status: { $in: CREW_LOAD_STATUSES } } },
    { $group: { _id: '$assignee.crewId', n: { $sum: 1 } } },
  ]);
  const byId = new Map(loads.map((l) => [String(l._id), l.n]));
  return crews.map((c) => {
    const load = byId.get(String(c._id)) ?? 0;
    return {
      id: String(c._id),
      name: c.name,
      regionId: String(c.regionId),
      capacity: c.capacity,
      load,
      available: Math.max(0, c.capacity - load),
      memberCount: c.memberIds?.length ?? 0,
    };
  });
}

/** Resolved orders waiting for a return visit, oldest first. */
export async function returnVisitQueue(user: AccessClaims, opts: { limit?: number }) {
  const a = await loadActor(user);
  if (!isDesk(a)) throw notFound();
  const docs = (await WorkOrderModel.find({ status: 'resolved' }, { timeline: 0, outbox: 0 })
    .sort({ resolvedAt: 1 })
    .limit(opts.limit ?? 50)
    .lean()) as unknown as WorkOrder[];
  const now = new Date();
  return docs.map((d) => toSummary(d, now));
}

// ---------------------------------------------------------------------------------------------
// Photos

export async function uploadPhoto(user: AccessClaims, dataUrl: string, ip: string | null) {
  const photo = decodePhotoDataUrl(dataUrl); // refuses what is not a photo (DomainError)
  const r = await photoStore.put({ ...photo, ownerId: user.sub });
  void ip;
  return { id: r.id, mime: photo.mime, size: photo.data.length };
}
