/**
 * The work-order state machine: types, states, legal steps, who may take them and what each step needs.
 * Pure — no I/O — so the service, the router and the tests all read one table.
 */
import { OUTAGE_FAULT_KINDS } from '../outages/outage.rules';
import { FAULT_KIND_LABELS as FAULT_KIND_NAMES, ORDER_STATUS_LABELS, ORDER_TYPE_LABELS, SERVICE_SUBTYPE_LABELS } from '../../shared/labels';
import { DomainError } from '../../lib/errors';

export const ORDER_TYPES = [
  'fault_repair',
  'consultation',
  'complaint',
  'report',
  'opinion',
  'praise',
  'service_request',
  'reconnection',
  'return_visit',
] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const SERVICE_SUBTYPES = ['new_connection', 'capacity_change', 'meter_check', 'name_change'] as const;
export type ServiceSubtype = (typeof SERVICE_SUBTYPES)[number];

export const CHANNELS = ['miniprogram', 'web', 'phone', 'staff'] as const;
export type Channel = (typeof CHANNELS)[number];

export const FAULT_KINDS = ['whole_house_outage', 'area_outage', 'flicker', 'sparking', 'fallen_wire', 'meter_problem'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const ORDER_STATUSES = [
  'reported',
  'dispatched',
  'accepted',
  'arrived',
  'received',
  'replied',
  'processing',
  'resolved',
  'visited',
  'closed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Reason codes stop or redirect a clock instead of letting it run out (SPEC 3.2). */
export const CLOSE_REASONS = ['customer_internal_fault', 'arrears_outage'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const PAUSE_REASONS = ['waiting_customer'] as const;

export const ACTIONS = [
  'dispatch',
  'accept',
  'arrive',
  'resolve',
  'returnForRedispatch',
  'claim',
  'assign',
  'reply',
  'process',
  'visit',
  'close',
  'closeWithReason',
  'pause',
  'resume',
  'transfer',
  'note',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Steps the system takes on its own, never a person (workorder.system.ts): an outage takes over the "no power"
 * reports it caused (merge), its restoration resolves them (restore), and its ETR changes are written on them
 * (outageNote). They sit in the same table as people's steps, with the role 'system'.
 */
export const SYSTEM_ACTIONS = ['merge', 'restore', 'outageNote'] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

/** Staff roles plus 'customer' (residents and enterprise users acting on their own orders). */
export type ActorRole =
  | 'customer'
  | 'agent'
  | 'expert'
  | 'dispatcher'
  | 'crew'
  | 'area_manager'
  | 'supervisor'
  | 'admin'
  /** The system itself (outage merge and restoration); no user has this role. */
  | 'system';

/** Labels of the enums above: the one source is shared/labels.ts (the apps import it as @power/api/labels). */
export const TYPE_LABELS: Record<OrderType, string> = ORDER_TYPE_LABELS;
export const SUBTYPE_LABELS: Record<ServiceSubtype, string> = SERVICE_SUBTYPE_LABELS;
export const STATUS_LABELS: Record<OrderStatus, string> = ORDER_STATUS_LABELS;
export const ACTION_LABELS: Record<Action | SystemAction | 'create' | 'reopen' | 'sla_warn50' | 'sla_warn80' | 'sla_overdue', string> = {
  create: '提交工单',
  dispatch: '派单',
  accept: '接单',
  arrive: '到达现场',
  resolve: '处理完成',
  returnForRedispatch: '退回重派',
  claim: '认领',
  assign: '指派',
  reply: '答复',
  process: '开始处理',
  visit: '回访',
  close: '关闭工单',
  closeWithReason: '按原因办结',
  pause: '挂起',
  resume: '恢复处理',
  transfer: '转派',
  note: '备注',
  merge: '并入故障事件',
  restore: '恢复送电办结',
  outageNote: '停电进展',
  reopen: '重新处理',
  sla_warn50: '时限预警（已过50%）',
  sla_warn80: '时限预警（已过80%）',
  sla_overdue: '超时督办',
};
export const FAULT_KIND_LABELS: Record<FaultKind, string> = FAULT_KIND_NAMES;

export const OPEN_STATUSES: readonly OrderStatus[] = ['reported', 'dispatched', 'accepted', 'arrived', 'received', 'replied', 'processing'];
/** Orders a crew is working on: what counts against its capacity. */
export const CREW_LOAD_STATUSES: readonly OrderStatus[] = ['dispatched', 'accepted', 'arrived'];

/** Fields a step may need; the service passes what the caller sent. */
export interface StepInput {
  crewId?: string | null;
  agentId?: string | null;
  notes?: string | null;
  reason?: string | null;
  reasonCode?: string | null;
  stars?: number | null;
  department?: string | null;
  visibility?: 'customer' | 'internal';
  /** System steps: the incident order the step is taken for. */
  incidentId?: string | null;
}

interface Step {
  action: Action | SystemAction;
  from: readonly OrderStatus[];
  /** 'same' keeps the status (notes, pauses, reassignment); a function decides by input (visits, replies). */
  to: OrderStatus | 'same' | ((from: OrderStatus, input: StepInput) => OrderStatus);
  roles: readonly ActorRole[];
  requires: readonly (keyof StepInput)[];
}

const FAULT_OPEN: readonly OrderStatus[] = ['reported', 'dispatched', 'accepted', 'arrived'];
const GENERIC_OPEN: readonly OrderStatus[] = ['received', 'accepted', 'replied', 'processing'];
const DESK: readonly ActorRole[] = ['agent', 'expert', 'supervisor'];
const FIELD: readonly ActorRole[] = ['crew', 'area_manager'];
const ALL_STAFF: readonly ActorRole[] = ['agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'admin'];
const SYSTEM: readonly ActorRole[] = ['system'];

/** Rating of 1–2 stars is "dissatisfied" and sends the order back for re-work. */
export const DISSATISFIED_MAX_STARS = 2;
export const isDissatisfied = (stars: number) => stars <= DISSATISFIED_MAX_STARS;

const FAULT_STEPS: readonly Step[] = [
  { action: 'dispatch', from: ['reported'], to: 'dispatched', roles: ['dispatcher', 'supervisor', 'admin'], requires: ['crewId'] },
  { action: 'accept', from: ['dispatched'], to: 'accepted', roles: FIELD, requires: [] },
  { action: 'arrive', from: ['accepted'], to: 'arrived', roles: FIELD, requires: [] },
  { action: 'resolve', from: ['arrived'], to: 'resolved', roles: FIELD, requires: ['notes'] },
  // Not a refusal (接收工单不可拒绝): the order goes back to the dispatch desk with the reason on the timeline.
  { action: 'returnForRedispatch', from: ['dispatched', 'accepted', 'arrived'], to: 'reported', roles: FIELD, requires: ['reason'] },
  // A dissatisfied visit goes back to the same crew (a resolved fault always had one) for re-work.
  {
    action: 'visit',
    from: ['resolved'],
    to: (_from, input) => (isDissatisfied(input.stars ?? 0) ? 'dispatched' : 'visited'),
    roles: [...DESK, 'customer'],
    requires: ['stars'],
  },
  { action: 'close', from: ['visited'], to: 'closed', roles: [...DESK, 'dispatcher', 'admin'], requires: [] },
  {
    action: 'closeWithReason',
    from: FAULT_OPEN,
    to: 'closed',
    roles: ['agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor'],
    requires: ['reasonCode', 'notes'],
  },
  { action: 'pause', from: FAULT_OPEN, to: 'same', roles: ALL_STAFF, requires: ['reasonCode', 'notes'] },
  { action: 'resume', from: FAULT_OPEN, to: 'same', roles: ALL_STAFF, requires: [] },
  {
    action: 'transfer',
    from: FAULT_OPEN,
    to: 'same',
    roles: ['agent', 'expert', 'dispatcher', 'supervisor', 'admin'],
    requires: ['department', 'notes'],
  },
  { action: 'note', from: [...FAULT_OPEN, 'resolved', 'visited'], to: 'same', roles: ALL_STAFF, requires: ['notes'] },
  // System steps (planSystemStep). A report joins an outage's incident only before a crew has taken it up;
  // the restoration resolves whatever of it is still open (the crew's work ends with the power back).
  { action: 'merge', from: ['reported', 'dispatched'], to: 'same', roles: SYSTEM, requires: ['incidentId'] },
  { action: 'restore', from: FAULT_OPEN, to: 'resolved', roles: SYSTEM, requires: ['incidentId', 'notes'] },
  { action: 'outageNote', from: FAULT_OPEN, to: 'same', roles: SYSTEM, requires: ['incidentId', 'notes'] },
];

/** Types whose close needs a return visit first (the customer is asked how it went). */
export const VISIT_REQUIRED: Record<OrderType, boolean> = {
  fault_repair: true,
  consultation: false,
  complaint: true,
  report: true,
  opinion: false,
  praise: false,
  service_request: true,
  reconnection: false,
  return_visit: false,
};

function genericSteps(type: OrderType): Step[] {
  const closeFrom: OrderStatus[] = VISIT_REQUIRED[type] ? ['visited'] : ['resolved', 'visited'];
  if (type === 'praise') closeFrom.push('received', 'accepted'); // a thank-you needs no handling
  return [
    { action: 'claim', from: ['received'], to: 'accepted', roles: DESK, requires: [] },
    {
      action: 'assign',
      from: GENERIC_OPEN,
      to: (from) => (from === 'received' ? 'accepted' : from),
      roles: ['supervisor', 'admin'],
      requires: ['agentId'],
    },
    {
      action: 'reply',
      from: ['accepted', 'replied', 'processing'],
      to: (from, input) => (from === 'accepted' && input.visibility === 'customer' ? 'replied' : from),
      roles: DESK,
      requires: ['notes'],
    },
    { action: 'process', from: ['accepted', 'replied'], to: 'processing', roles: DESK, requires: [] },
    { action: 'resolve', from: ['accepted', 'replied', 'processing'], to: 'resolved', roles: DESK, requires: ['notes'] },
    {
      action: 'visit',
      from: ['resolved'],
      to: (_from, input) => (isDissatisfied(input.stars ?? 0) ? 'accepted' : 'visited'),
      roles: [...DESK, 'customer'],
      requires: ['stars'],
    },
    { action: 'close', from: closeFrom, to: 'closed', roles: [...DESK, 'admin'], requires: [] },
    { action: 'pause', from: GENERIC_OPEN, to: 'same', roles: ALL_STAFF, requires: ['reasonCode', 'notes'] },
    { action: 'resume', from: GENERIC_OPEN, to: 'same', roles: ALL_STAFF, requires: [] },
    // The new department picks it up from the queue; the timeline carries everything already said.
    {
      action: 'transfer',
      from: GENERIC_OPEN,
      to: 'received',
      roles: ['agent', 'expert', 'dispatcher', 'supervisor', 'admin'],
      requires: ['department', 'notes'],
    },
    { action: 'note', from: [...GENERIC_OPEN, 'resolved', 'visited'], to: 'same', roles: ALL_STAFF, requires: ['notes'] },
  ];
}

const STEPS: Record<OrderType, readonly Step[]> = Object.fromEntries(
  ORDER_TYPES.map((t) => [t, t === 'fault_repair' ? FAULT_STEPS : genericSteps(t)]),
) as Record<OrderType, readonly Step[]>;

export function initialStatus(type: OrderType): OrderStatus {
  return type === 'fault_repair' ? 'reported' : 'received';
}

export function stepsFor(type: OrderType): readonly Step[] {
  return STEPS[type];
}

/** Every status a type can be in (for table-driven tests and the UI's filter lists). */
export function statusesOf(type: OrderType): OrderStatus[] {
  const s = new Set<OrderStatus>([initialStatus(type), 'closed']);
  for (const step of STEPS[type]) for (const f of step.from) s.add(f);
  return ORDER_STATUSES.filter((x) => s.has(x));
}

const FIELD_MESSAGES: Record<keyof StepInput, string> = {
  crewId: '请选择抢修班组',
  agentId: '请选择处理人',
  notes: '请填写处理说明',
  reason: '请填写退回原因',
  reasonCode: '请选择原因',
  stars: '请选择满意度评分',
  department: '请选择转派部门',
  visibility: '请选择可见范围',
  incidentId: '缺少故障事件',
};

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');

/**
 * Decides one step: the status it leads to, or a DomainError naming what is wrong.
 * Role check first (FORBIDDEN), then state (CONFLICT — in practice a stale screen), then fields.
 */
export function planStep(
  type: OrderType,
  from: OrderStatus,
  action: Action,
  roles: readonly ActorRole[],
  input: StepInput = {},
): { to: OrderStatus } {
  const step = STEPS[type].find((s) => s.action === action);
  if (!step) throw new DomainError('BAD_REQUEST', `${TYPE_LABELS[type]}工单不支持“${ACTION_LABELS[action]}”`);
  if (!roles.some((r) => step.roles.includes(r))) throw new DomainError('FORBIDDEN', '无权执行此操作');
  if (!step.from.includes(from)) {
    throw new DomainError('CONFLICT', `工单当前为“${STATUS_LABELS[from]}”，不能${ACTION_LABELS[action]}，请刷新后重试`);
  }
  for (const f of step.requires) {
    if (!present(input[f])) throw new DomainError('BAD_REQUEST', FIELD_MESSAGES[f]);
  }
  if (step.requires.includes('stars') && !(Number.isInteger(input.stars) && input.stars! >= 1 && input.stars! <= 5)) {
    throw new DomainError('BAD_REQUEST', '满意度评分为1到5星');
  }
  if (action === 'closeWithReason' && !CLOSE_REASONS.includes(input.reasonCode as CloseReason)) {
    throw new DomainError('BAD_REQUEST', '办结原因不正确');
  }
  if (action === 'pause' && !PAUSE_REASONS.includes(input.reasonCode as (typeof PAUSE_REASONS)[number])) {
    throw new DomainError('BAD_REQUEST', '挂起原因不正确');
  }
  const to = step.to === 'same' ? from : typeof step.to === 'function' ? step.to(from, input) : step.to;
  return { to };
}

/** Why the system refuses one of its own steps on an order: one message per refusal. */
export const SYSTEM_REFUSALS = {
  not_fault: '只有故障报修工单能由停电事件处理',
  not_no_power: '打火冒烟、电线断落、电表故障等报修需单独派单，不并入停电事件',
  is_incident: '故障事件工单不能并入其他故障事件',
  merged_elsewhere: '该报修已并入其他故障事件',
  already_merged: '该报修已并入此故障事件',
  not_in_incident: '该工单不属于此故障事件',
  merge_state: '抢修人员已接单或工单已办结的报修不再并入故障事件',
  restore_state: '工单已处理完毕，恢复送电不再改变其状态',
  outageNote_state: '工单已办结，不再记录停电进展',
} as const;
export type SystemRefusal = keyof typeof SYSTEM_REFUSALS;

export class SystemStepRefused extends DomainError {
  constructor(readonly refusal: SystemRefusal) {
    super(refusal.endsWith('_state') ? 'CONFLICT' : 'BAD_REQUEST', SYSTEM_REFUSALS[refusal]);
  }
}

/** The order as a system step reads it. */
export interface SystemStepOrder {
  _id: unknown;
  type: OrderType;
  status: OrderStatus;
  faultKind?: FaultKind | null;
  incidentId?: unknown;
}

/** Statuses a system step may start from (to select candidates with the same table that decides them). */
export function systemStepFrom(action: SystemAction): readonly OrderStatus[] {
  return FAULT_STEPS.find((s) => s.action === action)!.from;
}

/**
 * Decides one system step on one order, from the same table as people's steps: the status it leads to, or a
 * SystemStepRefused naming why not. `input.incidentId` is the incident the step is taken for; the incident
 * order itself is restored (and noted) like its reports, but never merged.
 */
export function planSystemStep(o: SystemStepOrder, action: SystemAction, input: StepInput): { to: OrderStatus } {
  if (o.type !== 'fault_repair') throw new SystemStepRefused('not_fault');
  const step = FAULT_STEPS.find((s) => s.action === action)!;
  for (const f of step.requires) {
    if (!present(input[f])) throw new DomainError('BAD_REQUEST', FIELD_MESSAGES[f]);
  }
  const incident = String(input.incidentId);
  const isIncident = String(o._id) === incident;
  const current = o.incidentId ? String(o.incidentId) : null;
  if (action === 'merge') {
    if (isIncident) throw new SystemStepRefused('is_incident');
    if (current === incident) throw new SystemStepRefused('already_merged');
    if (current) throw new SystemStepRefused('merged_elsewhere');
    if (!OUTAGE_FAULT_KINDS.includes(o.faultKind as (typeof OUTAGE_FAULT_KINDS)[number])) throw new SystemStepRefused('not_no_power');
  } else if (!isIncident && current !== incident) {
    throw new SystemStepRefused('not_in_incident');
  }
  if (!step.from.includes(o.status)) throw new SystemStepRefused(`${action}_state`);
  return { to: step.to === 'same' ? o.status : typeof step.to === 'function' ? step.to(o.status, input) : step.to };
}

/** The actions a caller with these roles can take now (for the UI's buttons). */
export function availableActions(type: OrderType, status: OrderStatus, roles: readonly ActorRole[]): Action[] {
  return STEPS[type]
    .filter((s) => s.from.includes(status) && roles.some((r) => r !== 'system' && s.roles.includes(r)))
    .map((s) => s.action as Action);
}

/**
 * The timeline's words for a step: one source for the service and for the history seed, which writes a year of
 * past timelines without going through the service and must read the same.
 */
export const STEP_NOTES = {
  dispatched: (crewName: string, note?: string | null) => `已派单至${crewName}${note ? `：${note}` : ''}`,
  paused: (note: string) => `等待客户：${note}`,
  rated: (byCustomer: boolean, stars: number, comment?: string | null) =>
    `${byCustomer ? '客户评价' : '回访记录'}：${stars}星${comment ? `，${comment}` : ''}`,
  reopenedDissatisfied: '客户不满意，工单重新处理',
  customerInternalFault: (note?: string | null) => `经核实为客户内部故障，请联系专业电工处理。${note ?? ''}`,
} as const;

/** The words of a step taken without a note of its own. */
const DEFAULT_STEP_NOTES: Partial<Record<Action, string>> = {
  accept: '抢修人员已接单，正在赶往现场',
  arrive: '抢修人员已到达现场',
  claim: '工单已受理',
  process: '工单正在处理中',
  close: '工单已办结',
};
export const stepNote = (action: Action, note: string | null): string | null => note ?? DEFAULT_STEP_NOTES[action] ?? null;
