/**
 * A deterministic year of CLOSED work orders at the Changsha scale of seed 001 (~180,000 orders a year: about
 * half of them fault reports, ~0.6% complaints), for the quality reports, agent points and early warnings.
 *
 * History happened before the platform: the orders go straight into `workorders` with insertMany (no outbox, no
 * events, no audit), every one closed, so the live queue, the return-visit queue and the SLA sweep never see them.
 * Each order is played through the real state machine (workorder.rules planStep / planSystemStep) and the real SLA
 * rules (sla.rules deadlineFor / endDeadline, DEFAULT_SLA = settings version 1), the way workorder.service applyStep
 * and workorder.system would have written it: timeline, clock, pauses, slaHistory, reopen after a dissatisfied visit,
 * merges into incident orders and their restoration.
 *
 * Order numbers: GD<yyyymmdd>-<6 digits> with the history's own per-day counter from 500000, so they never collide
 * with live numbering (order-number.ts starts every day at 1). `historyOrderFilter` selects them.
 *
 * Accounts: generated residents only (numbers 32…, never the demo accounts, the demo enterprises' sites or the
 * joinable 3101000009xxx ones; the first 100 generated accounts are left out too, end-to-end specs bind them) and
 * never an account bound to anyone; reporterUserId is always null, so no customer's order list shows history.
 * Actors: the generated agents of the staff roster (agent03…, with teamId), the region's repair crews (not the
 * demo crew01's), dispatchers by name only.
 *
 * Plants for the early-warning lane (HISTORY_PLANTS): a transformer area of 芙蓉区 (R2) whose fault reports over
 * the last 3 days are ~4× its usual level, a complaints jump in 天心区 (R3) over the same days, 5 customers with
 * 2–3 complaints in the last 12 months and 3 with ≥3 contacts within 7 days. No storms and no incidents in the
 * last 21 / 3 days, so every other area varies normally there.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mongoose, { Types } from 'mongoose';
import { AccountModel, BindingModel } from '../modules/accounts/account.model';
import { CrewModel, UserModel } from '../modules/auth/user.model';
import { GridNodeModel } from '../modules/grid/grid.model';
import { TeamModel } from '../modules/staff/team.model';
import { formatOrderNo } from '../modules/workorders/order-number';
import { priorityOf } from '../modules/workorders/priority.rules';
import {
  addWorkingDays,
  DEFAULT_SLA,
  deadlineFor,
  type DeadlineOutcome,
  endDeadline,
  shanghaiDate,
  type SupplyClass,
} from '../modules/workorders/sla.rules';
import { WorkOrderModel, type TimelineEntry } from '../modules/workorders/workorder.model';
import {
  type Action,
  type ActorRole,
  type Channel,
  type FaultKind,
  isDissatisfied,
  type OrderStatus,
  type OrderType,
  planStep,
  planSystemStep,
  type ServiceSubtype,
  type SystemAction,
  STEP_NOTES,
  stepNote,
} from '../modules/workorders/workorder.rules';
import { personName, phoneNumber } from './names';
import { createRandom, type Random } from './random';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;

/** The history's per-day order counter starts here (live numbering starts at 1 every day). */
export const HISTORY_SEQ_START = 500_000;
/** Every history order, by its number (counters 500000–999999): what a re-run deletes first. */
export const historyOrderFilter = () => ({ orderNo: { $regex: '^GD\\d{8}-[5-9]\\d{5}$' } });

/** What the history plants for the early-warning lane (fixed, so tests and the README can name them). */
export const HISTORY_PLANTS = {
  /** The jump: the urban transformer area of this region with the most eligible accounts (ties: lowest code). */
  jumpRegionCode: 'R2',
  /** Its fault reports over the last `jumpDays` days are ~4× its usual daily level (at least 8 reports in all). */
  jumpDays: 3,
  /** A complaints jump over the same days in this region (at least 6 complaints in the 3 days). */
  complaintJumpRegionCode: 'R3',
  /** Customers with 2–3 complaints in the last 12 months (the last one within 30 days): turning sensitive. */
  sensitiveComplaintAccounts: ['3200000000101', '3200000000202', '3200000000303', '3200000000404', '3200000000505'],
  /** Complaints each of them made, in the same order. */
  sensitiveComplaintCounts: [2, 3, 2, 3, 2],
  /** Customers with ≥3 contacts within 7 days (the last within the last 10 days). */
  repeatContactAccounts: ['3200000000606', '3200000000707', '3200000000808'],
  repeatContactCounts: [3, 4, 3],
} as const;

export interface HistoryOptions {
  /** Orders in all (default 180,000). */
  orders?: number;
  /** Days of history before today (default 365); today itself is never included. */
  days?: number;
  seed?: number;
  now?: Date;
  /** Insert batch size (default 2,000). */
  batch?: number;
  /** Recompute the quality roll-ups and the points ledger afterwards when those modules exist (default true). */
  rebuild?: boolean;
  log?: (msg: string) => void;
}

export interface HistoryResult {
  orders: number;
  incidents: number;
  mergedReports: number;
  from: Date;
  to: Date;
  ms: number;
  insertMs: number;
  plants: {
    jumpArea: { id: string; code: string; name: string; usualPerDay: number; jumpReports: number };
    complaintJumpRegion: { id: string; code: string; complaints: number };
    sensitiveComplaintAccounts: string[];
    repeatContactAccounts: string[];
  };
}

// ---------------------------------------------------------------------------------------------
// Mix (seed 001: 165,780–181,855 orders a year, faults 81,273–102,329, complaints 919–1,260)

const TYPE_SHARE: Record<OrderType, number> = {
  fault_repair: 0.5,
  consultation: 0.28,
  complaint: 0.006,
  report: 0.012,
  opinion: 0.025,
  praise: 0.015,
  service_request: 0.07,
  reconnection: 0.05,
  return_visit: 0.042,
};
const TYPES = Object.keys(TYPE_SHARE) as OrderType[];

const CHANNEL_MIX: Record<OrderType, [Channel, number][]> = {
  fault_repair: [
    ['phone', 60],
    ['miniprogram', 28],
    ['web', 7],
    ['staff', 5],
  ],
  consultation: [
    ['phone', 60],
    ['miniprogram', 25],
    ['web', 12],
    ['staff', 3],
  ],
  complaint: [
    ['phone', 85],
    ['miniprogram', 8],
    ['web', 5],
    ['staff', 2],
  ],
  report: [
    ['phone', 70],
    ['miniprogram', 15],
    ['web', 15],
  ],
  opinion: [
    ['phone', 50],
    ['miniprogram', 30],
    ['web', 20],
  ],
  praise: [
    ['phone', 60],
    ['miniprogram', 30],
    ['web', 10],
  ],
  service_request: [
    ['staff', 35],
    ['web', 25],
    ['miniprogram', 25],
    ['phone', 15],
  ],
  reconnection: [['staff', 1]],
  return_visit: [['staff', 1]],
};

const FAULT_KIND_MIX: [FaultKind, number][] = [
  ['whole_house_outage', 45],
  ['area_outage', 25],
  ['flicker', 12],
  ['sparking', 6],
  ['fallen_wire', 4],
  ['meter_problem', 8],
];
const SUBTYPE_MIX: [ServiceSubtype, number][] = [
  ['meter_check', 35],
  ['name_change', 30],
  ['new_connection', 25],
  ['capacity_change', 10],
];
/** Stars of a return visit: mostly 5, a few dissatisfied (≤2 reopens the order). */
const STARS: [number, number][] = [
  [5, 78],
  [4, 12],
  [3, 5],
  [2, 3],
  [1, 2],
];
const WEEKDAY = [0.86, 1.1, 1.05, 1.02, 1.0, 1.0, 0.9];
const HOURS_FAULT = [0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 0.9, 1.2, 1.3, 1.3, 1.2, 1.1, 1.1, 1.2, 1.2, 1.2, 1.3, 1.5, 1.6, 1.5, 1.2, 0.8, 0.5];
const HOURS_DESK = [0.05, 0.03, 0.02, 0.02, 0.03, 0.1, 0.3, 0.8, 1.5, 1.8, 1.8, 1.5, 1.0, 1.3, 1.6, 1.6, 1.5, 1.3, 1.0, 0.9, 0.8, 0.6, 0.3, 0.1];
const AREA_TYPE_WEIGHT = { urban: 1.6, rural: 0.8, remote: 0.6 } as const;

const CATEGORY: Record<OrderType, string[]> = {
  fault_repair: ['低压故障', '高压故障', '计量故障', '客户内部故障'],
  consultation: ['电费电价', '停电信息', '业务办理', '用电安全', '智能交费'],
  complaint: ['服务态度', '抢修质量', '停电问题', '电费争议', '业扩报装'],
  report: ['窃电举报', '违约用电', '违章作业'],
  opinion: ['服务建议', '渠道建议', '停电通知'],
  praise: ['抢修服务', '窗口服务', '热线服务'],
  service_request: ['业务办理'],
  reconnection: ['欠费复电'],
  return_visit: ['服务回访'],
};
const DESCRIPTIONS: Record<OrderType, string[]> = {
  fault_repair: ['家里突然停电，邻居家有电', '整栋楼停电了', '灯一直闪，电压不稳', '电表箱冒火花', '门口电线掉下来了', '电表不走字'],
  consultation: ['咨询本月电费为什么比上月高', '咨询阶梯电价怎么计算', '咨询明天是否计划停电', '咨询如何办理过户', '咨询智能交费余额提醒'],
  complaint: ['抢修人员迟迟未到', '停电前没有收到通知', '对电费计算有异议', '工作人员态度不好', '报装进度太慢'],
  report: ['举报附近有人私拉电线', '举报商铺疑似窃电', '举报施工单位违章作业'],
  opinion: ['建议停电通知提前发短信', '建议小程序增加用电分析', '建议延长营业厅服务时间'],
  praise: ['感谢抢修师傅冒雨抢修', '营业厅工作人员服务很好', '热线客服耐心解答'],
  service_request: ['申请办理业务'],
  reconnection: ['缴清欠费，申请恢复供电'],
  return_visit: ['对已办结工单进行回访'],
};
const SUBTYPE_TEXT: Record<ServiceSubtype, string> = {
  new_connection: '申请新装用电',
  capacity_change: '申请增容',
  meter_check: '申请校验电能表',
  name_change: '申请办理过户',
};
const RESOLUTIONS_FAULT = [
  '更换熔断器后恢复供电',
  '更换损坏的空气开关，已恢复供电',
  '紧固接线端子，电压恢复正常',
  '处理断线，已恢复供电',
  '更换故障电能表',
];
const RESOLUTIONS_DESK = ['已向客户详细解释，客户表示理解', '已核实并答复客户', '已按规定办理完毕', '已转相关部门处理并反馈客户', '已为客户办理完成'];
const DISPATCHERS = ['郑海', '邹凯', '罗文斌', '唐建军'];
const COMMENTS = ['', '', '', '处理及时', '服务很好', '师傅很专业', '谢谢'];

// ---------------------------------------------------------------------------------------------
// Base data

interface Acct {
  _id: Types.ObjectId;
  number: string;
  customerId: Types.ObjectId | null;
  holderName: string;
  phone: string | null;
  regionId: Types.ObjectId;
  feederId: Types.ObjectId | null;
  transformerAreaId: Types.ObjectId;
  transformerAreaName: string;
  areaType: 'urban' | 'rural' | 'remote';
  usageCategory: string;
  paymentMode: 'postpaid' | 'prepaid' | null;
}
interface Area {
  id: string;
  code: string;
  name: string;
  regionId: string;
  areaType: 'urban' | 'rural' | 'remote';
  weight: number;
  accounts: number[];
}
interface Person {
  id: Types.ObjectId;
  name: string;
  speed: number;
}
interface Crew {
  id: Types.ObjectId;
  name: string;
  memberId: Types.ObjectId | null;
}

interface Ctx {
  r: Random;
  accounts: Acct[];
  areas: Area[];
  areaCum: number[];
  areaById: Map<string, Area>;
  regionCode: Map<string, string>;
  /** Hotline agents by region id; the business desk for service requests. */
  hotline: Map<string, Person[]>;
  business: Person[];
  crews: Map<string, Crew[]>;
  /** Random picks never take these (the plants' accounts keep their own pattern). */
  reserved: Set<number>;
  complained: Set<number>;
  /** Contacts of the last 7 days, for repeat contacts: [account index, createdAt ms]. */
  recent: [number, number][];
  idPrefix: string;
  idCounter: number;
  cutoff: number;
}

const weighted = <T>(r: Random, xs: readonly [T, number][]): T => {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [v, w] of xs) {
    x -= w;
    if (x < 0) return v;
  }
  return xs[xs.length - 1][0];
};
const between = (r: Random, a: number, b: number) => a + r.next() * (b - a);
const bump = (d: number, peak: number, width: number) => {
  const dist = Math.min(Math.abs(d - peak), 365 - Math.abs(d - peak));
  return Math.exp(-((dist / width) ** 2));
};
/** Day of the year (0–364) of a Shanghai date. */
const dayOfYear = (date: string) => {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Math.floor((t - Date.parse(`${date.slice(0, 4)}-01-01T00:00:00Z`)) / DAY);
};

function nextId(ctx: Ctx, at: number): Types.ObjectId {
  const secs = Math.floor(at / 1000)
    .toString(16)
    .padStart(8, '0');
  const n = (ctx.idCounter++).toString(16).padStart(6, '0');
  return new Types.ObjectId(`${secs}${ctx.idPrefix}${n}`);
}

function pickArea(ctx: Ctx): Area {
  const x = ctx.r.next() * ctx.areaCum[ctx.areaCum.length - 1];
  let lo = 0;
  let hi = ctx.areaCum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ctx.areaCum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return ctx.areas[lo];
}

/** A random eligible account (weighted by area), or a recent contact's account (repeat contact, FCR). */
function pickAccount(ctx: Ctx, at: number, type: OrderType): number {
  const r = ctx.r;
  if (r.chance(0.035) && ctx.recent.length) {
    const [idx, when] = ctx.recent[Math.floor(r.next() * ctx.recent.length)];
    if (when < at && at - when < 7 * DAY && !ctx.reserved.has(idx) && !(type === 'complaint' && ctx.complained.has(idx))) return idx;
  }
  for (let i = 0; i < 20; i++) {
    const area = pickArea(ctx);
    const idx = area.accounts[Math.floor(r.next() * area.accounts.length)];
    if (ctx.reserved.has(idx)) continue;
    if (type === 'complaint' && ctx.complained.has(idx)) continue;
    return idx;
  }
  const idx = ctx.areas[0].accounts.find((i) => !ctx.reserved.has(i)) ?? 0;
  return idx;
}

// ---------------------------------------------------------------------------------------------
// One order, played through the real rules

interface Actor {
  id: string | null;
  role: ActorRole;
  name: string | null;
}
const SYSTEM_ACTOR: Actor = { id: null, role: 'system', name: null };

interface PlanStep {
  at: number;
  action: Action | SystemAction | 'reopen';
  actor: Actor;
  note?: string | null;
  visibility?: 'customer' | 'internal';
  stars?: number;
  reasonCode?: string;
  crew?: Crew;
}

interface OrderSeed {
  _id: Types.ObjectId;
  type: OrderType;
  subtype: ServiceSubtype | null;
  channel: Channel;
  acct: Acct | null;
  createdAt: number;
  faultKind: FaultKind | null;
  category: string;
  description: string;
  contactName: string;
  contactPhone: string | null;
  agent: Person | null;
  creator: Actor;
  createNote?: string | null;
  incident?: { id: Types.ObjectId; area: Area; areaId: Types.ObjectId; feederId: Types.ObjectId | null };
  incidentId?: Types.ObjectId | null;
  steps: PlanStep[];
}

const actorOf = (p: Person, role: ActorRole = 'agent'): Actor => ({ id: String(p.id), role, name: p.name });
const crewActor = (c: Crew): Actor => ({ id: c.memberId ? String(c.memberId) : null, role: 'crew', name: c.name });

/** Plays the order's steps through the state machine and SLA rules; the document as applyStep would have left it. */
function play(o: OrderSeed, cutoff: number): Record<string, unknown> {
  // Anything that would end today or later is compressed into the time before today (faster, never slower).
  // Whole milliseconds, as the database stores them.
  o.createdAt = Math.round(o.createdAt);
  for (const s of o.steps) s.at = Math.round(s.at);
  const last = o.steps.length ? o.steps[o.steps.length - 1].at : o.createdAt;
  if (last >= cutoff) {
    const f = (cutoff - MIN - o.createdAt) / (last - o.createdAt);
    let prev = o.createdAt;
    for (const s of o.steps) {
      s.at = Math.max(prev + 1000, Math.round(o.createdAt + (s.at - o.createdAt) * f));
      prev = s.at;
    }
  }
  const acct = o.acct;
  const areaType = o.incident ? o.incident.area.areaType : (acct?.areaType ?? 'urban');
  const supplyClass: SupplyClass = acct && acct.usageCategory !== 'residential' ? 'lv_non_residential' : 'residential';
  const paymentMode = acct?.paymentMode ?? null;
  let status: OrderStatus = o.type === 'fault_repair' ? 'reported' : 'received';
  let clock = { startedAt: new Date(o.createdAt), pausedMsAtStart: 0 };
  let pausedMs = 0;
  let pausedAt: number | null = null;
  const pauses: { from: Date; to: Date; reasonCode: string; note: string }[] = [];
  let pauseNote = '';
  let next: { kind: DeadlineOutcome['kind']; startedAt: Date; dueAt: Date } | null = null;
  const slaHistory: DeadlineOutcome[] = [];
  let incidentId: Types.ObjectId | null = null; // set by the merge step
  let crewId: Types.ObjectId | null = null;
  let department = o.type === 'fault_repair' ? '配抢指挥' : o.type === 'service_request' ? '业务受理' : '客户服务中心';
  let agentId: Types.ObjectId | null = o.agent && o.creator.role === 'agent' ? o.agent.id : null;
  let rating: { stars: number; comment: string; at: Date; by: string } | null = null;
  let resolvedAt: Date | null = null;
  let closedAt: Date | null = null;
  let resolution: string | null = null;
  let reasonCode: string | null = null;
  let reopenCount = 0;
  let version = 0;
  const timeline: TimelineEntry[] = [];
  const entry = (
    a: Actor,
    action: string,
    from: OrderStatus | null,
    to: OrderStatus | null,
    at: number,
    note: string | null,
    vis: 'customer' | 'internal' = 'customer',
  ) =>
    timeline.push({
      actorId: a.id,
      actorRole: a.role,
      actorName: a.name,
      action,
      from,
      to,
      at: new Date(at),
      note,
      visibility: vis,
      attachments: [],
    });

  const deadline = (st: OrderStatus, at: number) =>
    deadlineFor({
      type: o.type,
      subtype: o.subtype,
      status: st,
      channel: o.channel,
      areaType,
      supplyClass,
      paymentMode,
      now: new Date(at),
      clockStartedAt: clock.startedAt,
      pausedMsSinceClock: pausedMs - clock.pausedMsAtStart,
    });
  const reDeadline = (st: OrderStatus, at: number, mergedReport = false) => {
    const d = mergedReport ? null : deadline(st, at);
    if (!d) {
      if (next) {
        slaHistory.push(endDeadline(next, new Date(at))!);
        next = null;
      }
      return;
    }
    if (next && next.kind === d.kind && next.dueAt.getTime() === d.dueAt.getTime()) return;
    if (next) slaHistory.push(endDeadline(next, new Date(at))!);
    next = d;
  };

  entry(o.creator, 'create', null, status, o.createdAt, o.createNote ?? null);
  next = deadline(status, o.createdAt);
  for (const s of o.steps) {
    version++;
    const from = status;
    if (s.action === 'merge' || s.action === 'restore') {
      const { to } = planSystemStep({ _id: o._id, type: o.type, status, faultKind: o.faultKind, incidentId }, s.action, {
        incidentId: String(o.incident?.id ?? o.incidentId),
        notes: s.note ?? '恢复送电',
      });
      if (s.action === 'merge') {
        incidentId = o.incidentId!;
        next = null; // the incident carries the clock; a merged report's own deadline stops without an outcome
        entry(SYSTEM_ACTOR, 'merge', from, to, s.at, s.note ?? null);
      } else {
        status = to;
        resolvedAt = new Date(s.at);
        resolution = s.note ?? '恢复送电';
        entry(SYSTEM_ACTOR, 'restore', from, to, s.at, resolution);
        reDeadline(to, s.at, !o.incident);
      }
      continue;
    }
    if (s.action === 'pause') {
      pausedAt = s.at;
      pauseNote = STEP_NOTES.paused(s.note ?? '需客户补充信息');
      entry(s.actor, 'pause', status, status, s.at, pauseNote);
      continue;
    }
    if (s.action === 'resume') {
      const d = s.at - pausedAt!;
      pausedMs += d;
      pauses.push({ from: new Date(pausedAt!), to: new Date(s.at), reasonCode: 'waiting_customer', note: pauseNote });
      if (next) next = { ...next, dueAt: new Date(next.dueAt.getTime() + d) };
      pausedAt = null;
      entry(s.actor, 'resume', status, status, s.at, `恢复处理（挂起${Math.round(d / MIN)}分钟）`, 'internal');
      continue;
    }
    const action = s.action as Action;
    const { to } = planStep(o.type, status, action, [s.actor.role], {
      crewId: s.crew ? String(s.crew.id) : null,
      notes: s.note ?? '已处理',
      stars: s.stars ?? null,
      reasonCode: s.reasonCode ?? null,
      visibility: s.visibility ?? 'customer',
    });
    let note = stepNote(action, s.note ?? null);
    let vis: 'customer' | 'internal' = s.visibility ?? 'customer';
    let reopened = false;
    switch (action) {
      case 'dispatch':
        crewId = s.crew!.id;
        department = s.crew!.name;
        note = STEP_NOTES.dispatched(s.crew!.name);
        break;
      case 'claim':
        agentId = new Types.ObjectId(s.actor.id!);
        break;
      case 'reply':
        vis = s.visibility ?? 'customer';
        break;
      case 'resolve':
        resolution = note;
        resolvedAt = new Date(s.at);
        break;
      case 'visit': {
        const byCustomer = s.actor.role === 'customer';
        const comment = s.note ?? '';
        rating = { stars: s.stars!, comment, at: new Date(s.at), by: byCustomer ? 'customer' : 'agent' };
        note = STEP_NOTES.rated(byCustomer, s.stars!, comment);
        if (isDissatisfied(s.stars!)) {
          reopened = true;
          reopenCount++;
          clock = { startedAt: new Date(s.at), pausedMsAtStart: pausedMs };
          resolvedAt = null;
          entry(s.actor, 'visit', from, 'resolved', s.at, note);
          entry(SYSTEM_ACTOR, 'reopen', 'resolved', to, s.at, STEP_NOTES.reopenedDissatisfied);
        }
        break;
      }
      case 'close':
        closedAt = new Date(s.at);
        break;
      case 'closeWithReason':
        closedAt = new Date(s.at);
        reasonCode = s.reasonCode!;
        note = STEP_NOTES.customerInternalFault(note);
        break;
    }
    if (!reopened) entry(s.actor, action, from, to, s.at, note, vis);
    if (to !== status || reopened) reDeadline(to, s.at);
    status = to;
  }
  if (status !== 'closed') throw new Error(`history order ${o.type} ended ${status}`);
  const createdAt = new Date(o.createdAt);
  const priority = priorityOf({ type: o.type, faultKind: o.faultKind, tier: o.incident ? null : 'C', flags: null });
  return {
    _id: o._id,
    type: o.type,
    subtype: o.subtype,
    channel: o.channel,
    status,
    version,
    priority: o.incident ? { score: 90, level: 'high' } : { score: priority.score, level: priority.level },
    accountId: acct?._id ?? null,
    accountNumber: acct?.number ?? null,
    customerId: acct?.customerId ?? null,
    enterpriseId: null,
    reporterUserId: null,
    contactName: o.contactName,
    contactPhone: o.contactPhone,
    transformerAreaId: o.incident ? o.incident.areaId : (acct?.transformerAreaId ?? null),
    transformerAreaName: o.incident ? o.incident.area.name : (acct?.transformerAreaName ?? null),
    feederId: o.incident ? o.incident.feederId : (acct?.feederId ?? null),
    regionId: o.incident ? new Types.ObjectId(o.incident.area.regionId) : (acct?.regionId ?? null),
    areaType,
    supplyClass,
    paymentMode,
    faultKind: o.faultKind,
    category: o.category,
    description: o.description,
    photos: [],
    assignee: { department, agentId, crewId },
    clock,
    slaVersion: 1,
    calendarVersion: 1,
    nextDeadline: null,
    slaMarks: { warn50At: null, warn80At: null, overdueAt: null },
    slaHistory,
    escalatedAt: null,
    pausedAt: null,
    pausedReasonCode: null,
    pausedMs,
    pauses,
    reasonCode,
    reopenCount,
    resolution,
    rating,
    incidentId,
    timeline,
    outbox: [],
    resolvedAt,
    closedAt,
    createdAt,
    updatedAt: closedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Plans per type: how long each step took, sampled against the promise (most met, a realistic share missed)

function stars(r: Random, p: Person | null, afterReopen = false): number {
  if (afterReopen)
    return weighted(r, [
      [5, 60],
      [4, 25],
      [3, 15],
    ] as [number, number][]);
  const s = weighted(r, STARS);
  // Slower agents get a few more middling ratings.
  return p && p.speed > 1.2 && s === 5 && r.chance(0.15) ? 4 : s;
}

function visitStep(r: Random, o: OrderSeed, at: number, visitor: Person, afterReopen = false, mergedReport = false): PlanStep {
  const online = o.channel === 'miniprogram' || o.channel === 'web';
  const late = r.chance(0.03);
  const when = at + (late ? between(r, 24.2, 40) * HOUR : between(r, 0.5, 20) * HOUR);
  const st = mergedReport
    ? weighted(r, [
        [5, 80],
        [4, 14],
        [3, 6],
      ] as [number, number][])
    : stars(r, o.agent, afterReopen);
  const byCustomer = online && r.chance(0.7);
  return {
    at: when,
    action: 'visit',
    actor: byCustomer ? { id: null, role: 'customer', name: o.contactName } : actorOf(visitor),
    stars: st,
    note: st >= 4 ? r.pick(COMMENTS) : st === 3 ? '一般' : '问题没有彻底解决',
  };
}

/** Appends steps of a fault from `t` (report or reopen) through to resolve: dispatch, accept, arrive, resolve. */
function faultWork(r: Random, crew: Crew, t: number, areaType: Area['areaType'], redispatch: boolean, steps: PlanStep[]): number {
  const dispatcher: Actor = { id: null, role: 'dispatcher', name: r.pick(DISPATCHERS) };
  let at = t;
  if (!redispatch) {
    at += (r.chance(0.05) ? between(r, 5.3, 20) : between(r, 0.5, 4.8)) * MIN;
    steps.push({ at, action: 'dispatch', actor: dispatcher, crew });
  }
  at += between(r, 0.5, 5) * MIN;
  steps.push({ at, action: 'accept', actor: crewActor(crew) });
  const arrivalBudget = DEFAULT_SLA.faultArrivalMin[areaType] * MIN;
  const share = r.chance(0.045) ? between(r, 1.02, 1.6) : areaType === 'urban' ? between(r, 0.15, 0.6) : between(r, 0.18, 0.6);
  at = Math.max(at + MIN, t + arrivalBudget * share);
  steps.push({ at, action: 'arrive', actor: crewActor(crew) });
  return at;
}

function planFault(ctx: Ctx, o: OrderSeed): void {
  const r = ctx.r;
  const acct = o.acct!;
  const crews = ctx.crews.get(String(acct.regionId))!;
  const crew = r.pick(crews);
  const visitor = o.agent ?? r.pick(ctx.hotline.get(String(acct.regionId))!);
  const steps: PlanStep[] = [];
  let at = faultWork(r, crew, o.createdAt, acct.areaType, false, steps);
  if (r.chance(0.03) && o.faultKind !== 'fallen_wire') {
    steps.push({
      at: at + between(r, 10, 30) * MIN,
      action: 'closeWithReason',
      actor: crewActor(crew),
      reasonCode: 'customer_internal_fault',
      note: '表后线路故障，已告知客户',
    });
    o.steps = steps;
    return;
  }
  const restoreBudget = DEFAULT_SLA.faultRestoreMin[acct.areaType] * MIN;
  for (let round = 0; round < 2; round++) {
    at += restoreBudget * (r.chance(0.03) ? between(r, 1.02, 1.5) : between(r, 0.08, 0.7));
    steps.push({ at, action: 'resolve', actor: crewActor(crew), note: r.pick(RESOLUTIONS_FAULT) });
    const v = visitStep(r, o, at, visitor, round > 0);
    steps.push(v);
    at = v.at;
    if (!isDissatisfied(v.stars!)) break;
    at = faultWork(r, crew, at, acct.areaType, true, steps);
  }
  steps.push({ at: at + between(r, 1, 120) * MIN, action: 'close', actor: actorOf(visitor) });
  o.steps = steps;
}

/** A desk order: claim, (reply), (pause), (process), resolve, (visit), close — against the type's promise. */
function planDesk(ctx: Ctx, o: OrderSeed): void {
  const r = ctx.r;
  const agent = o.agent!;
  const me = actorOf(agent);
  const online = o.channel === 'miniprogram' || o.channel === 'web';
  const t0 = o.createdAt;
  const steps: PlanStep[] = [];
  const sp = agent.speed;
  // Phone and staff orders are taken by the agent on the call; online ones wait in the queue.
  let at = t0 + (o.creator.role === 'agent' ? between(r, 0.1, 1) * MIN : (r.chance(0.06) ? between(r, 31, 60) : between(r, 1, 22)) * MIN);
  steps.push({ at, action: 'claim', actor: me });
  const workingBudget = (days: number) => addWorkingDays(new Date(t0), days, DEFAULT_SLA.calendar).getTime() - t0;
  let resolveAt: number;
  let reply: number | null = null;
  let process = false;
  let pauseShare = 0;
  switch (o.type) {
    case 'consultation': {
      if (online) reply = at + between(r, 1, 8) * MIN;
      const d = r.chance(0.08) ? between(r, 125, 600) : between(r, 30, 115) * Math.min(sp, 1.04);
      resolveAt = t0 + d * MIN;
      pauseShare = 0.04;
      break;
    }
    case 'complaint':
      reply = t0 + (r.chance(0.04) ? between(r, 24.2, 36) : between(r, 1, 20)) * HOUR;
      process = true;
      resolveAt = t0 + workingBudget(DEFAULT_SLA.complaintReplyWorkingDays) * (r.chance(0.05) ? between(r, 1.02, 1.3) : between(r, 0.15, 0.9));
      pauseShare = 0.15;
      break;
    case 'report':
    case 'opinion': {
      if (online) reply = at + between(r, 1, 10) * MIN;
      process = o.type === 'report';
      const days = o.type === 'report' ? DEFAULT_SLA.reportReplyWorkingDays : DEFAULT_SLA.opinionReplyWorkingDays;
      resolveAt = t0 + workingBudget(days) * (r.chance(0.04) ? between(r, 1.02, 1.3) : between(r, 0.05, 0.8));
      pauseShare = o.type === 'report' ? 0.1 : 0;
      break;
    }
    case 'praise':
      resolveAt = at + between(r, 1, 10) * MIN;
      break;
    case 'service_request': {
      const days =
        o.subtype === 'meter_check'
          ? DEFAULT_SLA.meterCheckWorkingDays
          : o.subtype === 'name_change'
            ? DEFAULT_SLA.nameChangeWorkingDays
            : DEFAULT_SLA.connectionWorkingDays.residential;
      process = true;
      resolveAt = t0 + workingBudget(days) * (r.chance(0.05) ? between(r, 1.02, 1.4) : between(r, 0.2, 0.9));
      pauseShare = 0.2;
      break;
    }
    case 'reconnection':
      resolveAt =
        o.acct?.paymentMode === 'prepaid'
          ? t0 + (r.chance(0.03) ? between(r, 31, 60) : between(r, 3, 25)) * MIN
          : t0 + (r.chance(0.005) ? between(r, 24.5, 30) * HOUR : r.chance(0.05) ? between(r, 60, 240) * MIN : between(r, 8, 50) * MIN);
      break;
    default: // return_visit
      resolveAt = t0 + (r.chance(0.03) ? between(r, 24.5, 30) * HOUR : between(r, 10, 1200) * MIN);
  }
  if (reply !== null) {
    reply = Math.max(reply, at + 30_000);
    steps.push({
      at: reply,
      action: 'reply',
      actor: me,
      visibility: 'customer',
      note: o.type === 'complaint' ? '已联系客户，了解诉求并告知处理进度' : '您好，已收到您的诉求，正在为您处理',
    });
    at = reply;
  }
  resolveAt = Math.max(resolveAt, at + 2 * MIN);
  if (process) {
    at = at + (resolveAt - at) * between(r, 0.05, 0.3);
    steps.push({ at, action: 'process', actor: me });
  }
  let shift = 0;
  if (pauseShare && r.chance(pauseShare)) {
    const from = at + (resolveAt - at) * between(r, 0.1, 0.5);
    const len = o.type === 'consultation' ? between(r, 20, 180) * MIN : between(r, 1, 30) * HOUR;
    steps.push({ at: from, action: 'pause', actor: me, note: r.pick(['需客户补充资料', '等待客户确认', '客户暂时无法接听']) });
    steps.push({ at: from + len, action: 'resume', actor: me });
    shift = len;
  }
  at = resolveAt + shift;
  for (let round = 0; round < 2; round++) {
    steps.push({ at, action: 'resolve', actor: me, note: r.pick(RESOLUTIONS_DESK) });
    const visitRequired = o.type === 'complaint' || o.type === 'report' || o.type === 'service_request';
    if (!visitRequired && !(o.type === 'consultation' || o.type === 'opinion' ? r.chance(0.55) : false)) break;
    const v = visitStep(r, o, at, agent, round > 0);
    steps.push(v);
    at = v.at;
    if (!isDissatisfied(v.stars!)) break;
    // Reopened: back to the agent, handled again within a fraction of the promise.
    at += between(r, 0.5, 8) * HOUR;
  }
  steps.push({ at: at + between(r, 1, 60) * MIN, action: 'close', actor: me });
  o.steps = steps;
}

/** The incident order of an outage and its merged reports (workorder.system: open, merge, restore). */
function planIncident(ctx: Ctx, area: Area, t0: number, size: number): OrderSeed[] {
  const r = ctx.r;
  const a0 = ctx.accounts[area.accounts[0]];
  const id = nextId(ctx, t0);
  const crews = ctx.crews.get(area.regionId)!;
  const crew = r.pick(crews);
  const incident: OrderSeed = {
    _id: id,
    type: 'fault_repair',
    subtype: null,
    channel: 'staff',
    acct: null,
    createdAt: t0,
    faultKind: 'area_outage',
    category: '故障停电事件',
    description: `故障停电事件：${area.name}。原因：${r.pick(['配变低压侧故障', '10kV线路跳闸', '树障引起线路故障', '电缆头击穿'])}。该范围内的停电报修已并入本工单。`,
    contactName: '系统',
    contactPhone: null,
    agent: null,
    creator: SYSTEM_ACTOR,
    createNote: `故障停电事件：${area.name}`,
    incident: { id, area, areaId: a0.transformerAreaId, feederId: a0.feederId },
    steps: [],
  };
  const steps: PlanStep[] = [];
  const arrive = faultWork(r, crew, t0, area.areaType, false, steps);
  const restoredAt = arrive + DEFAULT_SLA.faultRestoreMin[area.areaType] * MIN * (r.chance(0.04) ? between(r, 1.02, 1.4) : between(r, 0.15, 0.8));
  const restoreNote = '故障已排除，恢复送电';
  steps.push({ at: restoredAt, action: 'restore', actor: SYSTEM_ACTOR, note: restoreNote });
  const visitor = r.pick(ctx.hotline.get(area.regionId)!);
  const v = { ...visitStep(r, incident, restoredAt, visitor, false, true), actor: actorOf(visitor) };
  steps.push(v);
  steps.push({ at: v.at + between(r, 1, 60) * MIN, action: 'close', actor: actorOf(visitor) });
  incident.steps = steps;
  const out = [incident];
  // Reports: from distinct accounts of the area, a few before the incident opened (merged then), the rest linked as they came.
  const pool = [...area.accounts].filter((i) => !ctx.reserved.has(i));
  for (let k = 0; k < size && pool.length; k++) {
    const idx = pool.splice(Math.floor(r.next() * pool.length), 1)[0];
    const acct = ctx.accounts[idx];
    const created = k < 3 ? t0 - between(r, 1, 9) * MIN : t0 + between(r, 0.5, Math.min(50, (restoredAt - t0) / MIN - 5)) * MIN;
    const channel = weighted(r, CHANNEL_MIX.fault_repair);
    const agent = channel === 'phone' || channel === 'staff' ? r.pick(ctx.hotline.get(area.regionId)!) : null;
    const o: OrderSeed = {
      _id: nextId(ctx, created),
      type: 'fault_repair',
      subtype: null,
      channel,
      acct,
      createdAt: created,
      faultKind: r.chance(0.7) ? 'whole_house_outage' : 'area_outage',
      category: '低压故障',
      description: r.pick(['家里突然停电了', '整个小区都停电了', '楼里停电，请尽快处理']),
      contactName: acct.holderName,
      contactPhone: acct.phone,
      agent,
      creator: agent ? actorOf(agent) : { id: null, role: 'customer', name: acct.holderName },
      incidentId: id,
      steps: [],
    };
    const mergeAt = Math.max(created + 20_000, t0 + 1000);
    const mv = visitStep(r, o, restoredAt, o.agent ?? visitor, false, true);
    o.steps = [
      { at: mergeAt, action: 'merge', actor: SYSTEM_ACTOR, note: `您所在区域发生故障停电（${area.name}），抢修人员正在处理，无需重复报修` },
      { at: restoredAt, action: 'restore', actor: SYSTEM_ACTOR, note: restoreNote },
      mv,
      { at: mv.at + between(r, 1, 60) * MIN, action: 'close', actor: actorOf(o.agent ?? visitor) },
    ];
    ctx.recent.push([idx, created]);
    out.push(o);
  }
  return out;
}

function makeOrder(ctx: Ctx, type: OrderType, at: number, accountIdx: number, opts: { faultKind?: FaultKind; channel?: Channel } = {}): OrderSeed {
  const r = ctx.r;
  const acct = ctx.accounts[accountIdx];
  const channel = opts.channel ?? weighted(r, CHANNEL_MIX[type]);
  const regionId = String(acct.regionId);
  const agent = type === 'service_request' ? r.pick(ctx.business) : r.pick(ctx.hotline.get(regionId)!);
  const subtype = type === 'service_request' ? weighted(r, SUBTYPE_MIX) : null;
  const faultKind = type === 'fault_repair' ? (opts.faultKind ?? weighted(r, FAULT_KIND_MIX)) : null;
  const byAgent = type !== 'reconnection' && (channel === 'phone' || channel === 'staff');
  const family = r.chance(0.12);
  const o: OrderSeed = {
    _id: nextId(ctx, at),
    type,
    subtype,
    channel,
    acct,
    createdAt: at,
    faultKind,
    category: r.pick(CATEGORY[type]),
    description: subtype
      ? SUBTYPE_TEXT[subtype]
      : type === 'fault_repair'
        ? DESCRIPTIONS.fault_repair[
            Math.max(
              0,
              FAULT_KIND_MIX.findIndex(([k]) => k === faultKind),
            )
          ]
        : r.pick(DESCRIPTIONS[type]),
    contactName: family ? personName(r) : acct.holderName,
    contactPhone: family || !acct.phone ? phoneNumber(r) : acct.phone,
    agent: type === 'fault_repair' && !byAgent ? null : agent,
    creator: type === 'reconnection' ? SYSTEM_ACTOR : byAgent ? actorOf(agent) : { id: null, role: 'customer', name: acct.holderName },
    createNote: byAgent
      ? `坐席代客户登记（${channel === 'phone' ? '来电' : '现场'}）`
      : type === 'reconnection'
        ? '电费已结清，系统自动生成复电工单'
        : null,
    steps: [],
  };
  if (type === 'fault_repair') planFault(ctx, o);
  else planDesk(ctx, o);
  if (type === 'complaint') ctx.complained.add(accountIdx);
  ctx.recent.push([accountIdx, at]);
  return o;
}

// ---------------------------------------------------------------------------------------------
// The year

/** Spreads `total` over weights with cumulative rounding: the counts sum to `total` exactly. */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const out: number[] = [];
  let acc = 0;
  let given = 0;
  for (const w of weights) {
    acc += (w / sum) * total;
    const n = Math.round(acc) - given;
    out.push(n);
    given += n;
  }
  return out;
}

function timeInDay(r: Random, dayStart: number, hours: number[]): number {
  const h = weighted(
    r,
    hours.map((w, i) => [i, w] as [number, number]),
  );
  return dayStart + h * HOUR + Math.floor(r.next() * HOUR);
}

async function loadBase(seed: number): Promise<Omit<Ctx, 'cutoff'>> {
  const r = createRandom(seed);
  const grid = (await GridNodeModel.find({ kind: { $in: ['region', 'transformer_area'] } }, { kind: 1, code: 1, name: 1, regionId: 1, areaType: 1 })
    .sort({ code: 1 })
    .lean()) as unknown as { _id: Types.ObjectId; kind: string; code: string; name: string; regionId?: Types.ObjectId; areaType: Area['areaType'] }[];
  const regionCode = new Map(grid.filter((g) => g.kind === 'region').map((g) => [String(g._id), g.code]));
  const bound = new Set(((await BindingModel.distinct('accountId')) as Types.ObjectId[]).map(String));
  const accounts = (
    (await AccountModel.find(
      { number: { $regex: '^32\\d{11}$' }, enterpriseId: null },
      {
        number: 1,
        customerId: 1,
        holderName: 1,
        phone: 1,
        regionId: 1,
        feederId: 1,
        transformerAreaId: 1,
        transformerAreaName: 1,
        areaType: 1,
        usageCategory: 1,
        paymentMode: 1,
      },
    )
      .sort({ number: 1 })
      .lean()) as unknown as Acct[]
  ).filter((a) => Number(a.number.slice(2)) >= 100 && !bound.has(String(a._id)));
  if (accounts.length < 50) throw new Error(`history: only ${accounts.length} eligible generated accounts (seed at least ~200 accounts first)`);
  const areas: Area[] = [];
  const areaById = new Map<string, Area>();
  for (const g of grid) {
    if (g.kind !== 'transformer_area') continue;
    const a: Area = { id: String(g._id), code: g.code, name: g.name, regionId: String(g.regionId), areaType: g.areaType, weight: 0, accounts: [] };
    a.weight = AREA_TYPE_WEIGHT[g.areaType] * between(r, 0.5, 1.5);
    areas.push(a);
    areaById.set(a.id, a);
  }
  accounts.forEach((a, i) => {
    areaById.get(String(a.transformerAreaId))?.accounts.push(i);
  });
  const withAccounts = areas.filter((a) => a.accounts.length > 0);
  // At small seeds an area holds a handful of accounts: its weight is what it would be at full size.
  const areaCum: number[] = [];
  let cum = 0;
  for (const a of withAccounts) {
    cum += a.weight;
    areaCum.push(cum);
  }

  const teams = (await TeamModel.find({}, { name: 1, profession: 1, regionIds: 1 }).sort({ name: 1 }).lean()) as unknown as {
    _id: Types.ObjectId;
    profession: string;
    regionIds: Types.ObjectId[];
  }[];
  const agents = (await UserModel.find({ teamId: { $ne: null }, username: { $regex: '^agent\\d+$' } }, { username: 1, displayName: 1, teamId: 1 })
    .sort({ username: 1 })
    .lean()) as unknown as { _id: Types.ObjectId; username: string; displayName: string; teamId: Types.ObjectId }[];
  // Generated agents only (agent03…): the demo logins' own lists and points start empty.
  const generated = agents.filter((a) => a.username !== 'agent01' && a.username !== 'agent02');
  if (!generated.length) throw new Error('history: no generated agents with a team (run the staff roster seed first)');
  const people = new Map(generated.map((a) => [String(a._id), { id: a._id, name: a.displayName, speed: between(r, 0.75, 1.3) }]));
  const hotline = new Map<string, Person[]>();
  const business: Person[] = [];
  for (const t of teams) {
    const members = generated.filter((a) => String(a.teamId) === String(t._id)).map((a) => people.get(String(a._id))!);
    if (t.profession === 'business') business.push(...members);
    else if (t.profession === 'hotline') for (const reg of t.regionIds) hotline.set(String(reg), [...(hotline.get(String(reg)) ?? []), ...members]);
  }
  const allHotline = [...people.values()];
  for (const id of regionCode.keys()) if (!hotline.get(id)?.length) hotline.set(id, allHotline);
  if (!business.length) business.push(...allHotline);

  const crewDocs = (await CrewModel.find({}, { name: 1, regionId: 1, memberIds: 1 }).sort({ name: 1 }).lean()) as unknown as {
    _id: Types.ObjectId;
    name: string;
    regionId: Types.ObjectId;
    memberIds?: Types.ObjectId[];
  }[];
  const crews = new Map<string, Crew[]>();
  for (const c of crewDocs) {
    // The demo crew (crew01's) keeps an empty history: its member's "my orders" list starts with the live ones.
    if (c.memberIds?.length) continue;
    const list = crews.get(String(c.regionId)) ?? [];
    list.push({ id: c._id, name: c.name, memberId: null });
    crews.set(String(c.regionId), list);
  }
  for (const c of crewDocs) if (!crews.get(String(c.regionId))?.length) crews.set(String(c.regionId), [{ id: c._id, name: c.name, memberId: null }]);
  if (regionCode.size && [...regionCode.keys()].some((id) => !crews.get(id)?.length)) throw new Error('history: a region has no repair crew');

  const idPrefix = createHash('sha1').update(`history:${seed}`).digest('hex').slice(0, 10);
  return {
    r,
    accounts,
    areas: withAccounts,
    areaCum,
    areaById,
    regionCode,
    hotline,
    business,
    crews,
    reserved: new Set(),
    complained: new Set(),
    recent: [],
    idPrefix,
    idCounter: 0,
  };
}

/** Marks the history's run in `meta` ({_id: 'history'}) with what it planted, for tests, the README and other lanes. */
const meta = () => mongoose.connection.db!.collection<{ _id: string; value: unknown; at: Date }>('meta');

export async function historyPlants(): Promise<HistoryResult['plants'] | null> {
  const doc = await meta().findOne({ _id: 'history' });
  return ((doc?.value as { plants?: HistoryResult['plants'] } | undefined)?.plants ?? null) as HistoryResult['plants'] | null;
}

/**
 * Inserts the history (deleting a previous one first: history orders only, by their numbers). Deterministic: the
 * same seed, base data and `now` give the same orders, ids included.
 */
export async function seedHistory(opts: HistoryOptions = {}): Promise<HistoryResult> {
  const started = Date.now();
  const total = opts.orders ?? 180_000;
  const days = opts.days ?? 365;
  const seed = opts.seed ?? 20261214;
  const log = opts.log ?? (() => undefined);
  const batch = opts.batch ?? 2000;
  const now = opts.now ?? new Date();
  const today = shanghaiDate(now);
  const todayStart = Date.parse(`${today}T00:00:00Z`) - SHANGHAI;
  const firstDay = todayStart - days * DAY;
  const base = await loadBase(seed);
  const ctx: Ctx = { ...base, cutoff: todayStart };
  const r = ctx.r;
  await WorkOrderModel.collection.deleteMany(historyOrderFilter());

  // Plants: accounts by number, the jump area and region.
  const byNumber = new Map(ctx.accounts.map((a, i) => [a.number, i]));
  const plantIdx = (nums: readonly string[]) =>
    nums.map((n) => {
      const i = byNumber.get(n);
      // A small seed (fewer than ~1,000 accounts) lacks some: those plants are left out, and said so.
      if (i === undefined) log(`history: planted account ${n} is not among the generated accounts: left out`);
      else ctx.reserved.add(i);
      return i;
    });
  const sensitive = plantIdx(HISTORY_PLANTS.sensitiveComplaintAccounts);
  const repeat = plantIdx(HISTORY_PLANTS.repeatContactAccounts);
  const regionIdOf = (code: string) => [...ctx.regionCode.entries()].find(([, c]) => c === code)?.[0];
  const jumpRegion = regionIdOf(HISTORY_PLANTS.jumpRegionCode);
  const jumpArea = ctx.areas
    .filter((a) => a.regionId === jumpRegion && a.areaType === 'urban')
    .sort((a, b) => b.accounts.length - a.accounts.length || a.code.localeCompare(b.code))[0];
  const complaintRegion = regionIdOf(HISTORY_PLANTS.complaintJumpRegionCode);
  if (!jumpArea || !complaintRegion) throw new Error('history: the planted region or area is missing from the grid');
  // A big residential area: busier than most all year (its own usual level), which the jump then multiplies.
  jumpArea.weight = AREA_TYPE_WEIGHT.urban * 2.5;
  {
    let cum = 0;
    ctx.areaCum = ctx.areas.map((a) => {
      cum += a.weight;
      return cum;
    });
  }

  // Volume by day and type: weekly and seasonal shape, storms in summer, noise.
  const dates = Array.from({ length: days }, (_, i) => shanghaiDate(new Date(firstDay + i * DAY + 12 * HOUR)));
  const summer = dates.map((d, i) => ({ i, doy: dayOfYear(d) })).filter(({ i, doy }) => doy >= 160 && doy <= 240 && i < days - 21);
  const storms = new Map<number, number>();
  for (let k = 0; k < 5 && summer.length; k++) storms.set(summer[Math.floor(r.next() * summer.length)].i, between(r, 2.5, 4));
  const dayWeights: Record<OrderType, number[]> = Object.fromEntries(TYPES.map((t) => [t, [] as number[]])) as Record<OrderType, number[]>;
  dates.forEach((d, i) => {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    const doy = dayOfYear(d);
    for (const t of TYPES) {
      const weekly = t === 'fault_repair' ? 0.5 + 0.5 * WEEKDAY[dow] : WEEKDAY[dow];
      const season =
        t === 'fault_repair' ? 1 + 0.55 * bump(doy, 205, 35) + 0.2 * bump(doy, 15, 20) : 1 + 0.08 * Math.cos(((doy - 200) / 365) * 2 * Math.PI);
      const storm =
        t === 'fault_repair' ? (storms.get(i) ?? 1) : t === 'consultation' || t === 'complaint' ? 1 + ((storms.get(i) ?? 1) - 1) * 0.3 : 1;
      dayWeights[t].push(TYPE_SHARE[t] * weekly * season * storm * between(r, 0.9, 1.1));
    }
  });

  // Planted orders come out of the total, so the total is exact.
  const usualAreaPerDay = (() => {
    const share = jumpArea.weight / ctx.areaCum[ctx.areaCum.length - 1];
    return (total * TYPE_SHARE.fault_repair * 0.8 * share) / days;
  })();
  const jumpExtra = Math.max(8, Math.round(3 * usualAreaPerDay * HISTORY_PLANTS.jumpDays));
  const regionWeight =
    ctx.areas.filter((a) => a.regionId === complaintRegion).reduce((s, a) => s + a.weight, 0) / ctx.areaCum[ctx.areaCum.length - 1];
  const complaintExtra = Math.max(6, Math.round(3 * ((total * TYPE_SHARE.complaint * regionWeight) / days) * HISTORY_PLANTS.jumpDays));
  const plantCount =
    jumpExtra +
    complaintExtra +
    HISTORY_PLANTS.sensitiveComplaintCounts.reduce((s, n, k) => s + (sensitive[k] === undefined ? 0 : n), 0) +
    HISTORY_PLANTS.repeatContactCounts.reduce((s, n, k) => s + (repeat[k] === undefined ? 0 : n), 0);
  const regularTotal = Math.max(0, total - plantCount);
  const allWeights = TYPES.flatMap((t) => dayWeights[t]);
  const flat = allocate(regularTotal, allWeights);
  const cells = (t: OrderType, i: number) => flat[TYPES.indexOf(t) * days + i];

  // Planted orders by day index.
  const planted = new Map<number, { type: OrderType; idx: number; hourBias?: number; faultKind?: FaultKind }[]>();
  const plant = (dayIndex: number, type: OrderType, idx: number, faultKind?: FaultKind) => {
    const d = Math.min(days - 1, Math.max(0, dayIndex));
    planted.set(d, [...(planted.get(d) ?? []), { type, idx, faultKind }]);
  };
  {
    const pool = [...jumpArea.accounts];
    const jumpIdx: number[] = [];
    for (let k = 0; k < jumpExtra; k++) {
      if (!pool.length) pool.push(...jumpArea.accounts.filter((i) => !ctx.reserved.has(i)));
      jumpIdx.push(pool.splice(Math.floor(r.next() * pool.length), 1)[0]);
    }
    jumpIdx.forEach((idx, k) => {
      plant(
        days - 1 - (k % HISTORY_PLANTS.jumpDays),
        'fault_repair',
        idx,
        weighted(r, [
          ['flicker', 5],
          ['whole_house_outage', 3],
          ['meter_problem', 2],
        ]),
      );
    });
    const regionAccounts = ctx.areas.filter((a) => a.regionId === complaintRegion).flatMap((a) => a.accounts.filter((i) => !ctx.reserved.has(i)));
    for (let k = 0; k < complaintExtra; k++) {
      const idx = regionAccounts.splice(Math.floor(r.next() * regionAccounts.length), 1)[0];
      ctx.complained.add(idx);
      plant(days - 1 - (k % HISTORY_PLANTS.jumpDays), 'complaint', idx);
    }
    sensitive.forEach((idx, k) => {
      if (idx === undefined) return;
      const n = HISTORY_PLANTS.sensitiveComplaintCounts[k];
      const at = [r.int(150, 330), r.int(40, 140), r.int(3, 28)];
      const chosen = n === 2 ? [at[0], at[2]] : at;
      for (const ago of chosen) plant(days - Math.min(ago, days - 1), 'complaint', idx);
    });
    repeat.forEach((idx, k) => {
      if (idx === undefined) return;
      const n = HISTORY_PLANTS.repeatContactCounts[k];
      const startAgo = r.int(6, 10);
      const types: OrderType[] = ['fault_repair', 'consultation', 'consultation', 'complaint'];
      for (let j = 0; j < n; j++) plant(days - startAgo + Math.floor((j * 5) / Math.max(1, n - 1)), types[j], idx, 'whole_house_outage');
    });
  }

  let inserted = 0;
  let incidents = 0;
  let mergedReports = 0;
  let insertMs = 0;
  const pending: Record<string, unknown>[] = [];
  const flush = async (force = false) => {
    while (pending.length >= batch || (force && pending.length)) {
      const t = Date.now();
      const chunk = pending.splice(0, batch);
      await WorkOrderModel.collection.insertMany(chunk as never[], { ordered: false });
      insertMs += Date.now() - t;
      inserted += chunk.length;
    }
  };

  let mergeCarry = 0;
  for (let i = 0; i < days; i++) {
    const dayStart = firstDay + i * DAY;
    ctx.recent = ctx.recent.filter(([, at]) => at >= dayStart - 7 * DAY);
    const orders: OrderSeed[] = [];
    // Faults: outages merge ~20% of the reports under incident orders (storm days more, none in the last 3 days).
    const faultBudget = cells('fault_repair', i);
    const mergeShare = i >= days - HISTORY_PLANTS.jumpDays ? 0 : storms.has(i) ? 0.42 : 0.2;
    let remaining = faultBudget;
    // Reports to merge today (with what earlier days left over, so small histories merge ~20% too).
    mergeCarry = mergeShare ? mergeCarry + mergeShare * faultBudget * 0.88 : 0;
    for (let guard = 0; guard < 500 && remaining >= 4; guard++) {
      const want = r.int(3, 12);
      if (want > mergeCarry + want / 2) break;
      const area = pickArea(ctx);
      if (area === jumpArea || area.accounts.length < 2) continue;
      const size = Math.min(want, remaining - 1, area.accounts.length);
      const t0 = timeInDay(r, dayStart, HOURS_FAULT);
      const start = Math.min(Math.max(t0, dayStart + 12 * MIN), dayStart + 21 * HOUR);
      const group = planIncident(ctx, area, start, size);
      orders.push(...group);
      incidents++;
      mergedReports += group.length - 1;
      mergeCarry -= group.length - 1;
      remaining -= group.length;
    }
    const slots: { type: OrderType; at: number; idx?: number; faultKind?: FaultKind }[] = [];
    for (let k = 0; k < remaining; k++) slots.push({ type: 'fault_repair', at: timeInDay(r, dayStart, HOURS_FAULT) });
    for (const t of TYPES) {
      if (t === 'fault_repair') continue;
      for (let k = 0; k < cells(t, i); k++) slots.push({ type: t, at: timeInDay(r, dayStart, HOURS_DESK) });
    }
    for (const p of planted.get(i) ?? []) slots.push({ type: p.type, idx: p.idx, faultKind: p.faultKind, at: timeInDay(r, dayStart, HOURS_DESK) });
    slots.sort((a, b) => a.at - b.at);
    for (const s of slots) {
      orders.push(makeOrder(ctx, s.type, s.at, s.idx ?? pickAccount(ctx, s.at, s.type), { faultKind: s.faultKind }));
    }
    // Numbers by the order they came in: the history's own daily series.
    orders.sort((a, b) => a.createdAt - b.createdAt || (a._id.toHexString() < b._id.toHexString() ? -1 : 1));
    const bySeq = new Map<string, number>();
    for (const o of orders) {
      const day = shanghaiDate(new Date(o.createdAt)).replace(/-/g, '');
      const n = (bySeq.get(day) ?? HISTORY_SEQ_START) + 1;
      bySeq.set(day, n);
      pending.push({ orderNo: formatOrderNo(day, n - 1), ...play(o, ctx.cutoff) });
    }
    await flush();
    if (i % 60 === 59) log(`history: ${inserted + pending.length} orders up to ${dates[i]}`);
  }
  await flush(true);

  const plants: HistoryResult['plants'] = {
    jumpArea: {
      id: jumpArea.id,
      code: jumpArea.code,
      name: jumpArea.name,
      usualPerDay: Math.round(usualAreaPerDay * 100) / 100,
      jumpReports: jumpExtra,
    },
    complaintJumpRegion: { id: complaintRegion, code: HISTORY_PLANTS.complaintJumpRegionCode, complaints: complaintExtra },
    sensitiveComplaintAccounts: HISTORY_PLANTS.sensitiveComplaintAccounts.filter((_, k) => sensitive[k] !== undefined),
    repeatContactAccounts: HISTORY_PLANTS.repeatContactAccounts.filter((_, k) => repeat[k] !== undefined),
  };
  const from = new Date(firstDay);
  const to = new Date(todayStart);
  await meta().updateOne(
    { _id: 'history' },
    { $set: { value: { orders: inserted, incidents, mergedReports, from, to, seed, plants }, at: new Date() } },
    { upsert: true },
  );
  log(
    `history: ${inserted} closed orders (${incidents} incidents, ${mergedReports} merged reports) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (opts.rebuild !== false) await rebuildDerived(now, log);
  return { orders: inserted, incidents, mergedReports, from, to, ms: Date.now() - started, insertMs, plants };
}

/** The quality roll-ups and the points ledger, recomputed over the history when those modules exist. */
async function rebuildDerived(now: Date, log: (m: string) => void) {
  const here = (p: string) => new URL(p, import.meta.url);
  const present = (p: string) => existsSync(fileURLToPath(here(`${p}.ts`))) || existsSync(fileURLToPath(here(`${p}.js`)));
  const targets: [string, string][] = [
    ['../modules/quality/rollup.service', 'rebuildQuality'],
    ['../modules/points/points.service', 'rebuildPoints'],
  ];
  for (const [p, fn] of targets) {
    if (!present(p)) continue;
    const t = Date.now();
    const mod = (await import(p)) as Record<string, unknown>;
    if (typeof mod[fn] !== 'function') continue;
    // The history is in: a failed recomputation must not fail the seed (which would drop the whole demo data set);
    // it is said plainly and can be run again on its own.
    try {
      await (mod[fn] as (o: { now?: Date; log?: (m: string) => void }) => Promise<unknown>)({ now, log });
      log(`history: ${fn} took ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (err) {
      log(
        `history: ${fn} FAILED after ${((Date.now() - t) / 1000).toFixed(1)} s (${err instanceof Error ? err.message : String(err)}); the orders are in, run it again`,
      );
    }
  }
}
