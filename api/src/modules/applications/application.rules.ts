/**
 * Service applications (业扩报装: 新装、增容/减容, and 校表、过户) as milestones on ONE work order (SPEC §3.5a, §4).
 * Pure — no I/O — so the writer (workorders/workorder.milestones.ts), the service, the screens and the tests read
 * one table: the milestone path of each kind, the documents each kind needs, the steps staff and customers take
 * (a table like workorder.rules.ts), and the working-day clock of every milestone with its paused intervals.
 */
import { DomainError } from '../../lib/errors';
import {
  APPLICATION_DOC_LABELS,
  APPLICATION_KIND_LABELS,
  APPLICATION_MILESTONE_LABELS,
  APPLICATION_PHASE_LABELS,
  APPLICATION_TURN_LABELS,
  CAPACITY_DIRECTION_LABELS,
} from '../../shared/labels';
import { addWorkingDays, isWorkingDay, shanghaiDate, type SlaConfig, type SupplyClass, type WorkCalendar } from '../workorders/sla.rules';

export const APPLICATION_KINDS = ['new_connection', 'capacity_change', 'meter_check', 'name_change'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];
export const MILESTONE_KEYS = [
  'accept',
  'survey',
  'plan',
  'design',
  'mid_check',
  'completion',
  'install',
  'meter_test',
  'result',
  'review',
  'transfer',
] as const;
export type MilestoneKey = (typeof MILESTONE_KEYS)[number];
export const DOC_KINDS = ['id_card', 'property', 'licence', 'authorisation', 'other'] as const;
export type DocKind = (typeof DOC_KINDS)[number];
export const PHASES = ['in_progress', 'waiting_customer', 'completed', 'withdrawn', 'refused'] as const;
export type Phase = (typeof PHASES)[number];
export type Turn = 'utility' | 'customer';
export const CAPACITY_DIRECTIONS = ['increase', 'decrease'] as const;

export const KIND_LABELS: Record<ApplicationKind, string> = APPLICATION_KIND_LABELS;
export const MILESTONE_LABELS: Record<MilestoneKey, string> = APPLICATION_MILESTONE_LABELS;
export const DOC_LABELS: Record<DocKind, string> = APPLICATION_DOC_LABELS;
export const PHASE_LABELS: Record<Phase, string> = APPLICATION_PHASE_LABELS;
export const TURN_LABELS: Record<Turn, string> = APPLICATION_TURN_LABELS;

/** What the customer calls the application: 新装, 增容 or 减容, 校表, 过户. */
export function kindTitle(app: { kind: ApplicationKind; form: { capacityDirection: 'increase' | 'decrease' | null } }): string {
  return app.kind === 'capacity_change' && app.form.capacityDirection ? CAPACITY_DIRECTION_LABELS[app.form.capacityDirection] : KIND_LABELS[app.kind];
}

const DAY = 24 * 3600_000;
const SHANGHAI = 8 * 3600_000;

// ---------------------------------------------------------------------------------------------
// Milestone paths

export interface MilestoneSpec {
  key: MilestoneKey;
  workingDays: number;
}

/**
 * The milestones of an application and each one's working days.
 * - High voltage (published practice, SPEC §3.5a): 受理 1 → 现场勘查 2 → 答复供电方案 15 (single) / 30 (dual)
 *   → 设计审查 10 → 中间检查 5 → 竣工检验 5 → 装表接电 5. The whole promise of §4 (22 / 32) counts the utility's
 *   own time; each link also has its own clock, and an application is on time only if every link is.
 * - Residential and low-voltage non-residential: the short path 受理 → 现场勘查 → 装表接电 within the total
 *   (5: 1 + 2 + 2; 6: 1 + 2 + 3).
 * - 增容/减容 (our choice, from practice): the path of the supply class it is on — a capacity change is a new
 *   connection's survey, plan and energising on an existing account; low voltage takes the short path, high
 *   voltage the full one.
 * - 校表 (5 working days for the result, §4): 受理 1 → 现场校验 2 → 答复校验结果 2.
 * - 过户 (our choice, 5 working days, the SLA's nameChangeWorkingDays): 受理 1 → 资料审核 2 → 变更户名 2 (contract
 *   signed with the new holder, the account's name changed).
 */
export function milestonePath(kind: ApplicationKind, supplyClass: SupplyClass): MilestoneSpec[] {
  if (kind === 'meter_check')
    return [
      { key: 'accept', workingDays: 1 },
      { key: 'meter_test', workingDays: 2 },
      { key: 'result', workingDays: 2 },
    ];
  if (kind === 'name_change')
    return [
      { key: 'accept', workingDays: 1 },
      { key: 'review', workingDays: 2 },
      { key: 'transfer', workingDays: 2 },
    ];
  if (supplyClass === 'hv_single' || supplyClass === 'hv_dual')
    return [
      { key: 'accept', workingDays: 1 },
      { key: 'survey', workingDays: 2 },
      { key: 'plan', workingDays: supplyClass === 'hv_dual' ? 30 : 15 },
      { key: 'design', workingDays: 10 },
      { key: 'mid_check', workingDays: 5 },
      { key: 'completion', workingDays: 5 },
      { key: 'install', workingDays: 5 },
    ];
  return [
    { key: 'accept', workingDays: 1 },
    { key: 'survey', workingDays: 2 },
    { key: 'install', workingDays: supplyClass === 'residential' ? 2 : 3 },
  ];
}

/** The whole application's promise in working days (SPEC §4), from the order's SLA rules. */
export function promiseWorkingDays(
  kind: ApplicationKind,
  supplyClass: SupplyClass,
  cfg: Pick<SlaConfig, 'meterCheckWorkingDays' | 'nameChangeWorkingDays' | 'connectionWorkingDays'>,
): number {
  if (kind === 'meter_check') return cfg.meterCheckWorkingDays;
  if (kind === 'name_change') return cfg.nameChangeWorkingDays;
  return cfg.connectionWorkingDays[supplyClass];
}

/** The documents each kind asks for (required ones first); enterprises add the licence and an authorisation letter. */
export function requiredDocs(kind: ApplicationKind, applicant: 'resident' | 'enterprise'): DocKind[] {
  const ent = applicant === 'enterprise';
  switch (kind) {
    case 'new_connection':
      return ent ? ['licence', 'property', 'authorisation'] : ['id_card', 'property'];
    case 'capacity_change':
      return ent ? ['licence', 'authorisation'] : ['id_card'];
    case 'meter_check':
      return ent ? ['licence'] : ['id_card'];
    case 'name_change':
      return ent ? ['licence', 'property', 'authorisation'] : ['id_card', 'property'];
  }
}

/** What the form needs besides documents. */
export function formNeeds(kind: ApplicationKind): { account: boolean; address: boolean; capacity: boolean; newHolder: boolean } {
  return {
    account: kind !== 'new_connection',
    address: kind === 'new_connection',
    capacity: kind === 'new_connection' || kind === 'capacity_change',
    newHolder: kind === 'name_change',
  };
}

// ---------------------------------------------------------------------------------------------
// Working time

/** Milliseconds of [from, to) that fall on working days (Shanghai calendar days). */
export function workingMsBetween(from: Date, to: Date, cal: WorkCalendar): number {
  let t = from.getTime();
  const end = to.getTime();
  let ms = 0;
  for (let i = 0; t < end && i < 4000; i++) {
    // The next Shanghai midnight after t.
    const nextMidnight = Math.floor((t + SHANGHAI) / DAY) * DAY + DAY - SHANGHAI;
    const stop = Math.min(nextMidnight, end);
    if (isWorkingDay(shanghaiDate(new Date(t)), cal)) ms += stop - t;
    t = stop;
  }
  return ms;
}

/** `start` moved forward by `ms` of working time (non-working days are skipped whole). */
export function addWorkingMs(start: Date, ms: number, cal: WorkCalendar): Date {
  let t = start.getTime();
  let left = ms;
  for (let i = 0; left > 0 && i < 4000; i++) {
    const nextMidnight = Math.floor((t + SHANGHAI) / DAY) * DAY + DAY - SHANGHAI;
    if (isWorkingDay(shanghaiDate(new Date(t)), cal)) {
      const room = nextMidnight - t;
      if (left <= room) return new Date(t + left);
      left -= room;
    }
    t = nextMidnight;
  }
  return new Date(t);
}

// ---------------------------------------------------------------------------------------------
// Milestone state (stored on the order: workorder `application.milestones`)

export interface Pause {
  from: Date;
  to: Date | null;
  /** Working time the pause covered (set when it ends): the milestone's deadline moves by this much. */
  workingMs: number;
}

export interface MilestoneState {
  key: MilestoneKey;
  workingDays: number;
  startedAt: Date | null;
  dueAt: Date | null;
  doneAt: Date | null;
  pauses: Pause[];
  note: string | null;
  scheduledAt: Date | null;
}

/** A milestone's deadline: n working days after its start, moved by the working time it stood paused. */
export function milestoneDue(m: Pick<MilestoneState, 'startedAt' | 'workingDays' | 'pauses'>, cal: WorkCalendar): Date | null {
  if (!m.startedAt) return null;
  const base = addWorkingDays(new Date(m.startedAt), m.workingDays, cal);
  const paused = (m.pauses ?? []).reduce((s, p) => s + (p.to ? p.workingMs : 0), 0);
  return paused > 0 ? addWorkingMs(base, paused, cal) : base;
}

export function startMilestone(m: MilestoneState, now: Date, cal: WorkCalendar): MilestoneState {
  const started = { ...m, startedAt: now, pauses: [] as Pause[] };
  return { ...started, dueAt: milestoneDue(started, cal) };
}

export function pauseMilestone(m: MilestoneState, now: Date): MilestoneState {
  return { ...m, pauses: [...(m.pauses ?? []), { from: now, to: null, workingMs: 0 }] };
}

/** Ends the open pause: the working time it covered is added to the deadline. */
export function resumeMilestone(m: MilestoneState, now: Date, cal: WorkCalendar): MilestoneState {
  const pauses = (m.pauses ?? []).map((p) => (p.to ? p : { ...p, to: now, workingMs: workingMsBetween(new Date(p.from), now, cal) }));
  const next = { ...m, pauses };
  return { ...next, dueAt: milestoneDue(next, cal) };
}

export const isPaused = (m: Pick<MilestoneState, 'pauses'>) => (m.pauses ?? []).some((p) => !p.to);

/** Late: done after its deadline, or still running past it (a paused milestone's clock stands still). */
export function milestoneLate(m: MilestoneState, now: Date): boolean {
  if (!m.startedAt || !m.dueAt) return false;
  const due = new Date(m.dueAt).getTime();
  if (m.doneAt) return new Date(m.doneAt).getTime() > due;
  if (isPaused(m)) {
    const from = (m.pauses ?? []).find((p) => !p.to)!.from;
    return new Date(from).getTime() > due;
  }
  return now.getTime() > due;
}

/** On time only if every milestone is (null while still running and nothing is late yet). */
export function applicationOnTime(ms: MilestoneState[], now: Date, finished: boolean): boolean | null {
  if (ms.some((m) => milestoneLate(m, now))) return false;
  return finished ? true : null;
}

/** Working days left on a milestone (negative when late), to one decimal; frozen while paused. */
export function workingDaysLeft(m: MilestoneState, now: Date, cal: WorkCalendar): number | null {
  if (!m.dueAt || m.doneAt) return null;
  const at = isPaused(m) ? new Date((m.pauses ?? []).find((p) => !p.to)!.from) : now;
  const due = new Date(m.dueAt);
  const ms = at <= due ? workingMsBetween(at, due, cal) : -workingMsBetween(due, at, cal);
  return Math.round((ms / DAY) * 10) / 10;
}

export function newMilestones(path: MilestoneSpec[]): MilestoneState[] {
  return path.map((p) => ({
    key: p.key,
    workingDays: p.workingDays,
    startedAt: null,
    dueAt: null,
    doneAt: null,
    pauses: [],
    note: null,
    scheduledAt: null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Steps (the table)

export const APP_ACTIONS = ['claim', 'assign', 'complete', 'schedule', 'requestDocs', 'supplyDocs', 'withdraw', 'refuse', 'note'] as const;
export type AppAction = (typeof APP_ACTIONS)[number];
export type AppActorRole = 'customer' | 'agent' | 'expert' | 'supervisor' | 'admin';

export const APP_ACTION_LABELS: Record<AppAction, string> = {
  claim: '认领',
  assign: '指派',
  complete: '完成环节',
  schedule: '预约时间',
  requestDocs: '请客户补充资料',
  supplyDocs: '补充资料',
  withdraw: '撤回申请',
  refuse: '不予受理',
  note: '留言',
};

/** What completing each milestone is called on the staff screen, and what it needs. */
export const COMPLETE_LABELS: Record<MilestoneKey, string> = {
  accept: '受理通过',
  survey: '勘查完成',
  plan: '答复供电方案',
  design: '设计审查通过',
  mid_check: '中间检查合格',
  completion: '竣工检验合格',
  install: '确认装表接电',
  meter_test: '记录校验结果',
  result: '答复校验结果',
  review: '资料审核通过',
  transfer: '确认户名变更',
};
/** Milestones whose completion must say what was found or decided (plan, inspection results, the meter test). */
const COMPLETE_NEEDS_NOTES: readonly MilestoneKey[] = ['plan', 'design', 'mid_check', 'completion', 'meter_test', 'result'];
/** Milestones with an appointment (survey visit, meter test, installation). */
export const SCHEDULABLE: readonly MilestoneKey[] = ['survey', 'meter_test', 'install'];

const DESK: readonly AppActorRole[] = ['agent', 'expert', 'supervisor'];
const OPEN: readonly Phase[] = ['in_progress', 'waiting_customer'];

interface AppStep {
  action: AppAction;
  phases: readonly Phase[];
  roles: readonly AppActorRole[];
  requires: readonly (keyof AppStepInput)[];
}

const STEPS: readonly AppStep[] = [
  { action: 'claim', phases: OPEN, roles: DESK, requires: [] },
  { action: 'assign', phases: OPEN, roles: ['supervisor', 'admin'], requires: ['agentId'] },
  { action: 'complete', phases: ['in_progress'], roles: DESK, requires: [] },
  { action: 'schedule', phases: ['in_progress'], roles: DESK, requires: ['scheduledAt'] },
  { action: 'requestDocs', phases: ['in_progress'], roles: DESK, requires: ['docKinds', 'notes'] },
  { action: 'supplyDocs', phases: ['waiting_customer'], roles: ['customer'], requires: ['fileIds'] },
  // The customer may withdraw before installation (the last milestone has not started).
  { action: 'withdraw', phases: OPEN, roles: ['customer'], requires: [] },
  // A refusal is a supervisor's decision, with its reason.
  { action: 'refuse', phases: OPEN, roles: ['supervisor'], requires: ['reason'] },
  { action: 'note', phases: [...OPEN, 'completed'], roles: [...DESK, 'admin'], requires: ['notes'] },
];

export interface AppStepInput {
  agentId?: string | null;
  notes?: string | null;
  reason?: string | null;
  scheduledAt?: Date | null;
  docKinds?: DocKind[] | null;
  fileIds?: string[] | null;
}

const FIELD_MESSAGES: Record<keyof AppStepInput, string> = {
  agentId: '请选择处理人',
  notes: '请填写说明',
  reason: '请填写不予受理的原因',
  scheduledAt: '请选择预约时间',
  docKinds: '请选择需补充的资料',
  fileIds: '请上传需补充的资料',
};

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '') && !(Array.isArray(v) && v.length === 0);

export interface AppLike {
  phase: Phase;
  current: number;
  milestones: MilestoneState[];
}

/** Whether the customer may still withdraw: open, and installation (the last milestone) has not started. */
export function canWithdraw(app: AppLike): boolean {
  return OPEN.includes(app.phase) && app.current < app.milestones.length - 1;
}

export type AppOutcome = { phase: Phase; advance: boolean; finished: boolean } | { phase: Phase; advance: false; finished: false; closed: true };

/**
 * Decides one step: what it does to the application, or a DomainError naming what is wrong.
 * Role first (FORBIDDEN), then state (CONFLICT), then fields (BAD_REQUEST) — like planStep.
 */
export function planAppStep(app: AppLike, action: AppAction, roles: readonly AppActorRole[], input: AppStepInput = {}): AppOutcome {
  const step = STEPS.find((s) => s.action === action);
  if (!step) throw new DomainError('BAD_REQUEST', '不支持此操作');
  if (!roles.some((r) => step.roles.includes(r)))
    throw new DomainError('FORBIDDEN', action === 'refuse' ? '不予受理需由值班长决定' : '无权执行此操作');
  if (!step.phases.includes(app.phase)) {
    throw new DomainError('CONFLICT', `申请当前为“${PHASE_LABELS[app.phase]}”，不能${APP_ACTION_LABELS[action]}，请刷新后重试`);
  }
  for (const f of step.requires) if (!present(input[f])) throw new DomainError('BAD_REQUEST', FIELD_MESSAGES[f]);
  const m = app.milestones[app.current];
  switch (action) {
    case 'complete': {
      if (!m) throw new DomainError('CONFLICT', '申请已办结');
      if (COMPLETE_NEEDS_NOTES.includes(m.key) && !present(input.notes))
        throw new DomainError('BAD_REQUEST', `请填写${MILESTONE_LABELS[m.key]}的结果`);
      const finished = app.current === app.milestones.length - 1;
      return { phase: finished ? 'completed' : 'in_progress', advance: true, finished };
    }
    case 'schedule':
      if (!m || !SCHEDULABLE.includes(m.key)) throw new DomainError('BAD_REQUEST', '当前环节无需预约');
      return { phase: app.phase, advance: false, finished: false };
    case 'requestDocs':
      return { phase: 'waiting_customer', advance: false, finished: false };
    case 'supplyDocs':
      return { phase: 'in_progress', advance: false, finished: false };
    case 'withdraw':
      if (!canWithdraw(app)) throw new DomainError('CONFLICT', '已进入装表接电环节，不能撤回申请，请联系客户经理');
      return { phase: 'withdrawn', advance: false, finished: false, closed: true };
    case 'refuse':
      if (app.current >= app.milestones.length - 1) throw new DomainError('CONFLICT', '已进入最后环节，不能不予受理');
      return { phase: 'refused', advance: false, finished: false, closed: true };
    default:
      return { phase: app.phase, advance: false, finished: false };
  }
}

/** The actions a caller with these roles can take now (the screens' buttons). */
export function availableAppActions(app: AppLike, roles: readonly AppActorRole[]): AppAction[] {
  return STEPS.filter((s) => s.phases.includes(app.phase) && roles.some((r) => s.roles.includes(r)))
    .map((s) => s.action)
    .filter((a) =>
      a === 'withdraw' ? canWithdraw(app) : a === 'schedule' ? SCHEDULABLE.includes(app.milestones[app.current]?.key as MilestoneKey) : true,
    )
    .filter((a) => a !== 'refuse' || app.current < app.milestones.length - 1);
}

/** Whose turn it is: the customer's while documents are awaited, the utility's otherwise. */
export const turnOf = (app: Pick<AppLike, 'phase'>): Turn | null =>
  app.phase === 'waiting_customer' ? 'customer' : app.phase === 'in_progress' ? 'utility' : null;
