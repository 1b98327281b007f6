/**
 * Order facts: what one work order contributes to the quality reports, computed from the order alone (plus the
 * few things around it in FactContext). Pure — no I/O — so the roll-up job, the full rebuild, the points lane and
 * the tests all read one definition. Every date that places a fact in a period is a Shanghai calendar day.
 */
import { type DeadlineKind, shanghaiDate } from '../workorders/sla.rules';
import type { WorkOrder } from '../workorders/workorder.model';
import { type Channel, type OrderType, type ServiceSubtype, VISIT_REQUIRED } from '../workorders/workorder.rules';

export const FCR_WINDOW_MS = 7 * 24 * 3600_000;

/** Desk orders: handled by agents at a desk (AHT is measured on these). */
export const DESK_TYPES: readonly OrderType[] = ['consultation', 'complaint', 'report', 'opinion', 'praise', 'service_request', 'return_visit'];

/** Types that are not a customer contacting us (an outbound return visit is not a "new contact"). */
const NOT_A_CONTACT: readonly OrderType[] = ['return_visit'];

export type DeadlineOutcomeKind = 'met' | 'missed' | 'pending';

/** One deadline of the order: an SLA deadline (slaHistory / the running nextDeadline) or an application milestone. */
export interface FactDeadline {
  kind: DeadlineKind | 'milestone';
  /** Application milestones: the milestone key. */
  milestone: string | null;
  startedAt: Date;
  dueAt: Date;
  /** When it ended (null: still running). */
  endedAt: Date | null;
  outcome: DeadlineOutcomeKind;
  /**
   * The day the outcome was decided, which places it in a period: met → the day it ended; missed → the day it
   * fell due (a running deadline past due is missed from then on); pending → null (left out).
   */
  day: string | null;
}

export interface OrderFact {
  orderId: string;
  orderNo: string;
  type: OrderType;
  subtype: ServiceSubtype | null;
  channel: Channel;
  regionId: string | null;
  transformerAreaId: string | null;
  accountId: string | null;
  /** The handling agent's team (users.teamId at the time of the fact); null for orders no agent handled. */
  teamId: string | null;
  agentId: string | null;
  crewId: string | null;
  /** 故障事件工单: the one dispatchable order of an outage (opened by the system). */
  isIncident: boolean;
  /** A customer's fault report (fault_repair, not an incident). */
  isFaultReport: boolean;
  /** A fault report merged into an incident. */
  merged: boolean;
  isComplaint: boolean;
  isDesk: boolean;
  createdAt: Date;
  createdDay: string;
  /** The first resolution (a reopen does not move it). */
  resolvedAt: Date | null;
  resolvedDay: string | null;
  deadlines: FactDeadline[];
  /** Order-level 及时率: every decided deadline met; placed on the day of its latest decided deadline. */
  onTime: { met: boolean; day: string } | null;
  /** Applications: on time only if every milestone is; decided at the first miss or when the last milestone is done. */
  application: { met: boolean; day: string } | null;
  /** Desk orders: claim → first customer-visible reply or resolve, minus paused time; counted on the resolve day. */
  ahtMs: number | null;
  claimedAt: Date | null;
  firstResponseAt: Date | null;
  reopened: boolean;
  reopenCount: number;
  /** A new contact from the same account after this one, up to 7 days after its resolution (null: not resolved). */
  repeatContact7d: boolean | null;
  /** yes: resolved, never reopened, no repeat contact in 7 days; provisional: the 7 days have not passed yet. */
  fcr: 'yes' | 'no' | 'provisional' | null;
  rating: { stars: number; at: Date; day: string } | null;
  /** A return visit was asked for (types that need one, once resolved); counted on the resolve day. */
  visitRequested: boolean;
  /** Every Shanghai day this fact contributes to (what a change of the fact makes dirty). */
  days: string[];
  /** The earliest time the fact changes by time alone (a pending deadline falls due, the FCR window ends). */
  recheckAt: Date | null;
}

export interface FactContext {
  now: Date;
  /** Staff user id → team id. */
  agentTeam: Map<string, string | null>;
  /** The next contact (order created) from the same account after this order was created; null: none. */
  nextContactAt: Date | null;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const t = (d: Date | string) => new Date(d).getTime();

/** Is this the incident order of an outage (opened by the system, not a customer's report)? */
export function isIncidentOrder(o: Pick<WorkOrder, 'type' | 'incidentId' | 'timeline' | 'channel' | 'accountId'>): boolean {
  if (o.type !== 'fault_repair' || o.incidentId) return false;
  const first = o.timeline?.[0];
  return first ? first.actorRole === 'system' && first.action === 'create' && o.channel === 'staff' : false;
}

/** Whether an order counts as a customer contact (for the FCR repeat-contact rule). */
export function isContact(o: Pick<WorkOrder, 'type' | 'accountId'>): boolean {
  return !!o.accountId && !NOT_A_CONTACT.includes(o.type);
}

/** Paused time overlapping [from, to] (pauses recorded on the order, plus one still open). */
function pausedBetween(o: Pick<WorkOrder, 'pauses' | 'pausedAt'>, from: number, to: number): number {
  const spans: [number, number][] = (o.pauses ?? []).map((p) => [t(p.from), t(p.to)]);
  if (o.pausedAt) spans.push([t(o.pausedAt), to]);
  let ms = 0;
  for (const [a, b] of spans) ms += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return ms;
}

function deadlinesOf(o: WorkOrder, now: Date): FactDeadline[] {
  const out: FactDeadline[] = [];
  for (const h of o.slaHistory ?? []) {
    const met = !!h.met;
    out.push({
      kind: h.kind,
      milestone: null,
      startedAt: new Date(h.startedAt),
      dueAt: new Date(h.dueAt),
      endedAt: new Date(h.endedAt),
      outcome: met ? 'met' : 'missed',
      day: shanghaiDate(new Date(met ? h.endedAt : h.dueAt)),
    });
  }
  const d = o.nextDeadline;
  if (d) {
    // While paused the clock stands still (resume moves dueAt): not missed, whatever the time.
    const missed = !o.pausedAt && t(d.dueAt) < now.getTime();
    out.push({
      kind: d.kind,
      milestone: null,
      startedAt: new Date(d.startedAt),
      dueAt: new Date(d.dueAt),
      endedAt: null,
      outcome: missed ? 'missed' : 'pending',
      day: missed ? shanghaiDate(new Date(d.dueAt)) : null,
    });
  }
  for (const m of o.application?.milestones ?? []) {
    if (!m.startedAt || !m.dueAt) continue;
    const due = t(m.dueAt);
    const pausedOpen = (m.pauses ?? []).some((p) => !p.to);
    let outcome: DeadlineOutcomeKind;
    let day: string | null;
    if (m.doneAt) {
      outcome = t(m.doneAt) <= due ? 'met' : 'missed';
      day = shanghaiDate(new Date(outcome === 'met' ? m.doneAt : m.dueAt));
    } else if (!pausedOpen && due < now.getTime()) {
      outcome = 'missed';
      day = shanghaiDate(new Date(m.dueAt));
    } else {
      outcome = 'pending';
      day = null;
    }
    out.push({
      kind: 'milestone',
      milestone: m.key,
      startedAt: new Date(m.startedAt),
      dueAt: new Date(m.dueAt),
      endedAt: m.doneAt ? new Date(m.doneAt) : null,
      outcome,
      day,
    });
  }
  return out;
}

/** The day a decided deadline was decided, as an instant (for "latest"/"first" comparisons). */
const decidedAt = (d: FactDeadline) => (d.outcome === 'met' ? t(d.endedAt!) : t(d.dueAt));

/** The facts of one order at `ctx.now`. */
export function orderFacts(o: WorkOrder, ctx: FactContext): OrderFact {
  const now = ctx.now;
  const timeline = o.timeline ?? [];
  const isIncident = isIncidentOrder(o);
  const isFaultReport = o.type === 'fault_repair' && !isIncident;
  const isDesk = DESK_TYPES.includes(o.type);

  const firstResolve = timeline.find((e) => e.to === 'resolved' && e.from !== 'resolved');
  const resolvedAt = firstResolve ? new Date(firstResolve.at) : o.resolvedAt ? new Date(o.resolvedAt) : null;
  const resolvedDay = resolvedAt ? shanghaiDate(resolvedAt) : null;

  // The handler: the assigned agent, else whoever resolved it (desk orders).
  const resolver = firstResolve && firstResolve.actorRole !== 'system' && firstResolve.actorRole !== 'customer' ? firstResolve.actorId : null;
  const agentId = str(o.assignee?.agentId) ?? (isDesk ? str(resolver) : null);
  const teamId = agentId ? (ctx.agentTeam.get(agentId) ?? null) : null;

  // AHT
  let ahtMs: number | null = null;
  let claimedAt: Date | null = null;
  let firstResponseAt: Date | null = null;
  if (isDesk) {
    const claim = timeline.find((e) => e.action === 'claim' || e.action === 'assign');
    if (claim) {
      claimedAt = new Date(claim.at);
      const c = t(claim.at);
      const resp = timeline.find(
        (e) => t(e.at) >= c && ((e.action === 'reply' && e.visibility === 'customer') || (e.to === 'resolved' && e.from !== 'resolved')),
      );
      if (resp) {
        firstResponseAt = new Date(resp.at);
        if (resolvedAt) ahtMs = Math.max(0, t(resp.at) - c - pausedBetween(o, c, t(resp.at)));
      }
    }
  }

  const deadlines = deadlinesOf(o, now);
  const decided = deadlines.filter((d) => d.outcome !== 'pending');
  let onTime: OrderFact['onTime'] = null;
  if (decided.length) {
    const latest = decided.reduce((a, b) => (decidedAt(b) > decidedAt(a) ? b : a));
    onTime = { met: decided.every((d) => d.outcome === 'met'), day: latest.day! };
  }
  let application: OrderFact['application'] = null;
  const ms = deadlines.filter((d) => d.kind === 'milestone');
  if (ms.length) {
    const missed = ms.filter((d) => d.outcome === 'missed');
    const total = o.application?.milestones?.length ?? ms.length;
    if (missed.length) {
      const first = missed.reduce((a, b) => (decidedAt(b) < decidedAt(a) ? b : a));
      application = { met: false, day: first.day! };
    } else if (ms.length === total && ms.every((d) => d.outcome === 'met')) {
      const last = ms.reduce((a, b) => (decidedAt(b) > decidedAt(a) ? b : a));
      application = { met: true, day: last.day! };
    }
  }

  const reopenCount = o.reopenCount ?? 0;
  const reopened = reopenCount > 0 || timeline.some((e) => e.action === 'reopen');
  let repeatContact7d: boolean | null = null;
  let fcr: OrderFact['fcr'] = null;
  let recheck: number | null = null;
  if (resolvedAt) {
    const windowEnd = resolvedAt.getTime() + FCR_WINDOW_MS;
    const next = ctx.nextContactAt ? t(ctx.nextContactAt) : null;
    repeatContact7d = next !== null && next > t(o.createdAt) && next <= windowEnd;
    if (reopened || repeatContact7d) fcr = 'no';
    else if (now.getTime() < windowEnd) {
      fcr = 'provisional';
      recheck = windowEnd;
    } else fcr = 'yes';
  }
  for (const d of deadlines) if (d.outcome === 'pending' && !o.pausedAt && (recheck === null || t(d.dueAt) < recheck)) recheck = t(d.dueAt);

  const rating = o.rating?.at ? { stars: o.rating.stars, at: new Date(o.rating.at), day: shanghaiDate(new Date(o.rating.at)) } : null;
  const visitRequested = !!resolvedAt && VISIT_REQUIRED[o.type] && !isIncident;
  const createdDay = shanghaiDate(new Date(o.createdAt));

  const days = new Set<string>([createdDay]);
  if (resolvedDay) days.add(resolvedDay);
  for (const d of deadlines) if (d.day) days.add(d.day);
  if (onTime) days.add(onTime.day);
  if (application) days.add(application.day);
  if (rating) days.add(rating.day);

  return {
    orderId: String(o._id),
    orderNo: o.orderNo,
    type: o.type,
    subtype: o.subtype ?? null,
    channel: o.channel,
    regionId: str(o.regionId),
    transformerAreaId: str(o.transformerAreaId),
    accountId: str(o.accountId),
    teamId,
    agentId,
    crewId: str(o.assignee?.crewId),
    isIncident,
    isFaultReport,
    merged: isFaultReport && !!o.incidentId,
    isComplaint: o.type === 'complaint',
    isDesk,
    createdAt: new Date(o.createdAt),
    createdDay,
    resolvedAt,
    resolvedDay,
    deadlines,
    onTime,
    application,
    ahtMs,
    claimedAt,
    firstResponseAt,
    reopened,
    reopenCount,
    repeatContact7d,
    fcr,
    rating,
    visitRequested,
    days: [...days].sort(),
    recheckAt: recheck === null ? null : new Date(recheck),
  };
}

/**
 * The next contact after each order of one account: `orders` are the account's orders (any order), the answer maps
 * every order id to the creation time of the first later contact. Used by the job and the rebuild alike.
 */
export function nextContacts(orders: { id: string; createdAt: Date; contact: boolean }[]): Map<string, Date | null> {
  const sorted = [...orders].sort((a, b) => t(a.createdAt) - t(b.createdAt) || a.id.localeCompare(b.id));
  const out = new Map<string, Date | null>();
  let next: Date | null = null;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const o = sorted[i];
    // Strictly later: an order created at the same instant is not "after" it.
    out.set(o.id, next && t(next) > t(o.createdAt) ? next : findLater(sorted, i));
    if (o.contact) next = o.createdAt;
  }
  return out;
}

function findLater(sorted: { createdAt: Date; contact: boolean }[], i: number): Date | null {
  for (let j = i + 1; j < sorted.length; j++) if (sorted[j].contact && t(sorted[j].createdAt) > t(sorted[i].createdAt)) return sorted[j].createdAt;
  return null;
}
