/**
 * The warning board (预警看板): orders approaching their deadline, backlog per region against crew capacity,
 * areas above their usual level, customers turning sensitive. A page view reads small collections only: the
 * board snapshot and the daily counts the warnings job keeps (warnings.jobs.ts), the grid's regions and crews.
 */
import { Types } from 'mongoose';
import type { AccessClaims } from '../auth/tokens';
import { CrewModel } from '../auth/user.model';
import { AccountModel, CustomerModel } from '../accounts/account.model';
import { GridNodeModel } from '../grid/grid.model';
import { TeamModel } from '../staff/team.model';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import { OPEN_STATUSES } from '../workorders/workorder.rules';
import { toSummary, type WorkOrderSummary } from '../workorders/workorder.service';
import { countdownOf } from '../workorders/sla.rules';
import { maskName } from '../../lib/mask';
import { DomainError } from '../../lib/errors';
import { ANOMALY_METHOD_LABELS, ANOMALY_METRIC_LABELS, GRID_KIND_LABELS, SENSITIVE_REASON_LABELS } from '../../shared/labels';
import { BASELINE_DAYS, EVIDENCE_DAYS, judgeArea, seriesOf, shanghaiDays, shanghaiMidnight } from './anomaly.rules';
import { AreaDailyCountModel, type AreaDailyCount, WarningStateModel } from './warning.model';
import { backlogRows, type BacklogRow, NEAR_DUE_MINUTES, selectNearDeadline } from './warning.rules';

// ---------------------------------------------------------------------------------------------
// Who sees what: a supervisor their teams' regions; admin and dispatchers everything

export interface WarningScope {
  all: boolean;
  regionIds: Types.ObjectId[];
  teams: { id: string; name: string }[];
  /** May act (督办): supervisors and admins; dispatchers read. */
  canAct: boolean;
}

export async function warningScope(user: AccessClaims): Promise<WarningScope> {
  const canAct = user.roles.includes('supervisor') || user.roles.includes('admin');
  if (user.roles.includes('admin') || user.roles.includes('dispatcher')) {
    const teams = await TeamModel.find({}, { name: 1 }).sort({ name: 1 }).lean();
    return { all: true, regionIds: [], teams: teams.map((t) => ({ id: String(t._id), name: t.name })), canAct };
  }
  if (!user.roles.includes('supervisor')) throw new DomainError('FORBIDDEN', '无权查看预警');
  const teams = await TeamModel.find({ leaderId: new Types.ObjectId(user.sub) }, { name: 1, regionIds: 1 }).lean();
  const regions = new Map<string, Types.ObjectId>();
  for (const t of teams) for (const r of (t.regionIds ?? []) as unknown as Types.ObjectId[]) regions.set(String(r), r);
  return { all: false, regionIds: [...regions.values()], teams: teams.map((t) => ({ id: String(t._id), name: t.name })), canAct };
}

export const inScope = (s: WarningScope, regionId: Types.ObjectId | string | null | undefined) =>
  s.all || (regionId != null && s.regionIds.some((r) => String(r) === String(regionId)));

// ---------------------------------------------------------------------------------------------
// Daily counts per area (kept by the job)

/** Days of counts kept per area: the baseline plus the day judged plus a margin. */
export const COUNT_DAYS = 60;
const METRIC_OF: Record<string, 'fault' | 'complaint'> = { fault_repair: 'fault', complaint: 'complaint' };
const COUNTS_STATE = 'area-counts';

/**
 * Counts fault reports and complaints per area and Shanghai day over `days`, and writes them (exact counts, so a
 * re-run writes the same). `full` replaces every area's map (the last COUNT_DAYS days); otherwise only `days` change.
 */
export async function writeAreaCounts(days: string[], full: boolean, now = new Date()): Promise<number> {
  const from = shanghaiMidnight(days[0]);
  const counts = new Map<string, { doc: Omit<AreaDailyCount, 'days' | 'updatedAt'>; days: Record<string, number> }>();
  const add = (
    metric: 'fault' | 'complaint',
    areaKind: 'region' | 'transformer_area',
    areaId: Types.ObjectId,
    regionId: Types.ObjectId | null,
    day: string,
  ) => {
    const _id = `${metric}:${areaKind}:${areaId}`;
    let c = counts.get(_id);
    if (!c) {
      c = { doc: { _id, metric, areaKind, areaId, regionId }, days: {} };
      counts.set(_id, c);
    }
    c.days[day] = (c.days[day] ?? 0) + 1;
  };
  const cursor = WorkOrderModel.find(
    { type: { $in: ['fault_repair', 'complaint'] }, createdAt: { $gte: from } },
    { type: 1, transformerAreaId: 1, regionId: 1, createdAt: 1, 'clock.startedAt': 1 },
  )
    .lean()
    .cursor({ batchSize: 2000 });
  const wanted = new Set(days);
  for await (const o of cursor as AsyncIterable<Pick<WorkOrder, 'type' | 'transformerAreaId' | 'regionId' | 'createdAt' | 'clock'>>) {
    const metric = METRIC_OF[o.type];
    // When it was reported: the clock's start (a system order filed with a past time) unless a reopen moved it later.
    const reported = Math.min(new Date(o.createdAt).getTime(), o.clock?.startedAt ? new Date(o.clock.startedAt).getTime() : Number.POSITIVE_INFINITY);
    const day = new Date(reported + 8 * 3600_000).toISOString().slice(0, 10);
    if (!metric || !wanted.has(day)) continue;
    if (o.transformerAreaId) add(metric, 'transformer_area', o.transformerAreaId, o.regionId ?? null, day);
    if (o.regionId) add(metric, 'region', o.regionId, o.regionId, day);
  }
  const ops = [...counts.values()].map((c) => {
    const set: Record<string, unknown> = {
      metric: c.doc.metric,
      areaKind: c.doc.areaKind,
      areaId: c.doc.areaId,
      regionId: c.doc.regionId,
      updatedAt: now,
    };
    if (full) set.days = c.days;
    else for (const d of days) set[`days.${d}`] = c.days[d] ?? 0;
    return { updateOne: { filter: { _id: c.doc._id }, update: { $set: set }, upsert: true } };
  });
  for (let i = 0; i < ops.length; i += 500) await AreaDailyCountModel.bulkWrite(ops.slice(i, i + 500) as never, { ordered: false });
  if (full) {
    // Areas with nothing in the whole window: an empty map (their old days are past the window).
    await AreaDailyCountModel.updateMany({ _id: { $nin: [...counts.keys()] } }, { $set: { days: {}, updatedAt: now } });
  }
  return counts.size;
}

/**
 * One round of the counts: in full when never done, every 6 hours, or when the number of orders jumped (a bulk load
 * such as the history seed writes orders dated in the past); otherwise today and yesterday only.
 */
export async function refreshAreaCounts(now = new Date(), opts: { full?: boolean } = {}): Promise<{ full: boolean; areas: number }> {
  const state = await WarningStateModel.findById(COUNTS_STATE).lean();
  const orders = await WorkOrderModel.estimatedDocumentCount();
  const last = state?.value as { orders?: number } | null;
  const full = opts.full || !state?.at || now.getTime() - new Date(state.at).getTime() > 6 * 3600_000 || Math.abs(orders - (last?.orders ?? 0)) > 500;
  const days = full ? shanghaiDays(now, COUNT_DAYS) : shanghaiDays(now, 2);
  const areas = await writeAreaCounts(days, full, now);
  if (full) await WarningStateModel.updateOne({ _id: COUNTS_STATE }, { $set: { at: now, value: { orders } } }, { upsert: true });
  return { full, areas };
}

// ---------------------------------------------------------------------------------------------
// The board's snapshot: near-deadline candidates and open field orders per region (refreshed by the job)

const SNAPSHOT_STATE = 'board-snapshot';
/** Candidates include orders that will cross their 80% mark within this long (the snapshot's refresh interval and then some). */
const SNAPSHOT_HORIZON_MS = 5 * 60_000;
const FIELD_OPEN = ['reported', 'dispatched', 'accepted', 'arrived'];

interface SnapshotRow {
  summary: WorkOrderSummary;
  deadline: { kind: string; startedAt: string; dueAt: string; warn80Due: string };
}
interface Snapshot {
  near: SnapshotRow[];
  openByRegion: Record<string, number>;
}

export async function refreshBoardSnapshot(now = new Date()): Promise<{ near: number }> {
  const horizon = now.getTime() + SNAPSHOT_HORIZON_MS;
  const dueSoon = now.getTime() + NEAR_DUE_MINUTES * 60_000 + SNAPSHOT_HORIZON_MS;
  // One read of the open orders (a few hundred; a collection scan on the embedded server, so once per refresh).
  const open = (await WorkOrderModel.find(
    { status: { $in: OPEN_STATUSES } },
    { timeline: 0, outbox: 0, slaHistory: 0, application: 0 },
  ).lean()) as unknown as WorkOrder[];
  const near = open
    .filter((o) => {
      const d = o.nextDeadline;
      if (!d || o.pausedAt) return false;
      const due = new Date(d.dueAt).getTime();
      return due > now.getTime() && (new Date(d.warn80Due).getTime() <= horizon || due <= dueSoon);
    })
    .sort((a, b) => new Date(a.nextDeadline!.dueAt).getTime() - new Date(b.nextDeadline!.dueAt).getTime())
    .slice(0, 500);
  const openByRegion: Record<string, number> = {};
  for (const o of open)
    if (o.type === 'fault_repair' && FIELD_OPEN.includes(o.status) && o.regionId)
      openByRegion[String(o.regionId)] = (openByRegion[String(o.regionId)] ?? 0) + 1;
  const value: Snapshot = {
    near: near.map((o) => ({
      summary: toSummary(o, now),
      deadline: {
        kind: o.nextDeadline!.kind,
        startedAt: new Date(o.nextDeadline!.startedAt).toISOString(),
        dueAt: new Date(o.nextDeadline!.dueAt).toISOString(),
        warn80Due: new Date(o.nextDeadline!.warn80Due).toISOString(),
      },
    })),
    openByRegion,
  };
  await WarningStateModel.updateOne({ _id: SNAPSHOT_STATE }, { $set: { at: now, value } }, { upsert: true });
  return { near: value.near.length };
}

// ---------------------------------------------------------------------------------------------
// The board

export interface NearDeadlineRow extends WorkOrderSummary {
  regionName: string;
}

export interface AnomalyRow {
  key: string;
  metric: 'fault' | 'complaint';
  metricLabel: string;
  areaKind: 'region' | 'transformer_area';
  areaKindLabel: string;
  areaId: string;
  areaName: string;
  regionName: string;
  /** The Shanghai day judged (today, or yesterday when today is quiet so far). */
  day: string;
  /** The window that fired: 1 = the day alone, 3 = the last three days together (count and limit are its totals). */
  windowDays: number;
  count: number;
  baselineMean: number;
  baselineDays: number;
  limit: number;
  method: 'poisson' | 'ewma';
  methodLabel: string;
  ewma: { value: number; limit: number } | null;
  /** The last EVIDENCE_DAYS days up to the day judged, oldest first. */
  recent: { day: string; count: number }[];
}

export interface SensitiveRow {
  customerId: string;
  nameMasked: string;
  since: string;
  reason: string;
  reasonLabel: string;
  orderNos: string[];
}

export interface WarningBoard {
  generatedAt: string;
  snapshotAt: string | null;
  scope: { all: boolean; regions: { id: string; name: string }[]; teams: { id: string; name: string }[]; canAct: boolean };
  nearDeadline: NearDeadlineRow[];
  backlog: BacklogRow[];
  anomalies: AnomalyRow[];
  sensitive: SensitiveRow[];
  rules: { nearDueMinutes: number; baselineDays: number; evidenceDays: number };
}

async function regionsOf(scope: WarningScope): Promise<{ id: string; name: string }[]> {
  const regions = await GridNodeModel.find({ kind: 'region' }, { name: 1, code: 1 }).sort({ code: 1 }).lean();
  return regions.filter((r) => inScope(scope, r._id)).map((r) => ({ id: String(r._id), name: r.name }));
}

/** Areas above their usual level, over the count documents of the regions in scope. */
export async function anomaliesFor(scope: WarningScope, now = new Date(), regionNames = new Map<string, string>()): Promise<AnomalyRow[]> {
  const filter = scope.all ? {} : { regionId: { $in: scope.regionIds } };
  const docs = (await AreaDailyCountModel.find(filter).lean()) as unknown as AreaDailyCount[];
  const daysToday = shanghaiDays(now, BASELINE_DAYS + 2);
  const rows: (Omit<AnomalyRow, 'areaName' | 'regionName'> & { regionId: string | null })[] = [];
  for (const d of docs) {
    // Today so far, then yesterday (a whole day): the first that fires is shown.
    for (const days of [daysToday.slice(1), daysToday.slice(0, -1)]) {
      const v = judgeArea(seriesOf(d.days, days));
      if (!v.fired || !v.method) continue;
      const recentDays = days.slice(-EVIDENCE_DAYS);
      rows.push({
        key: d._id,
        metric: d.metric,
        metricLabel: ANOMALY_METRIC_LABELS[d.metric],
        areaKind: d.areaKind,
        areaKindLabel: GRID_KIND_LABELS[d.areaKind],
        areaId: String(d.areaId),
        regionId: d.regionId ? String(d.regionId) : null,
        day: days[days.length - 1],
        windowDays: v.windowDays,
        count: v.count,
        baselineMean: Math.round(v.baselineMean * 100) / 100,
        baselineDays: BASELINE_DAYS,
        limit: v.poissonLimit,
        method: v.method,
        methodLabel: ANOMALY_METHOD_LABELS[v.method],
        ewma: v.ewma ? { value: Math.round(v.ewma.value * 100) / 100, limit: Math.round(v.ewma.limit * 100) / 100 } : null,
        recent: recentDays.map((day, i) => ({ day, count: v.recent[i] ?? 0 })),
      });
      break;
    }
  }
  const areaIds = rows.filter((r) => r.areaKind === 'transformer_area').map((r) => new Types.ObjectId(r.areaId));
  const names = new Map((await GridNodeModel.find({ _id: { $in: areaIds } }, { name: 1 }).lean()).map((n) => [String(n._id), n.name] as const));
  if (!regionNames.size) for (const r of await GridNodeModel.find({ kind: 'region' }, { name: 1 }).lean()) regionNames.set(String(r._id), r.name);
  return rows
    .map(({ regionId, ...r }) => ({
      ...r,
      areaName: r.areaKind === 'region' ? (regionNames.get(r.areaId) ?? '') : (names.get(r.areaId) ?? ''),
      regionName: regionId ? (regionNames.get(regionId) ?? '') : '',
    }))
    .sort((a, b) => b.count / Math.max(1, b.limit) - a.count / Math.max(1, a.limit));
}

export async function warningBoard(user: AccessClaims, now = new Date()): Promise<WarningBoard> {
  const scope = await warningScope(user);
  const [regions, snapshotDoc, crews, sensitive] = await Promise.all([
    regionsOf(scope),
    WarningStateModel.findById(SNAPSHOT_STATE).lean(),
    CrewModel.find({}, { regionId: 1, capacity: 1 }).lean(),
    CustomerModel.find({ 'sensitive.since': { $ne: null } }, { name: 1, sensitive: 1 })
      .sort({ 'sensitive.since': -1 })
      .limit(200)
      .lean(),
  ]);
  const snapshot = (snapshotDoc?.value as Snapshot | null) ?? { near: [], openByRegion: {} };
  const regionNames = new Map(regions.map((r) => [r.id, r.name]));
  const near = selectNearDeadline(
    snapshot.near
      .filter((r) => inScope(scope, r.summary.regionId))
      .map((r) => ({
        ...r,
        deadline: { dueAt: new Date(r.deadline.dueAt), warn80Due: new Date(r.deadline.warn80Due), paused: false },
        raw: r.deadline,
      })),
    now,
  ).map((r) => ({
    ...r.summary,
    countdown: countdownOf(
      { kind: r.raw.kind as never, dueAt: new Date(r.raw.dueAt), startedAt: new Date(r.raw.startedAt), warn80Due: new Date(r.raw.warn80Due) },
      now,
      false,
    ),
    regionName: r.summary.regionId ? (regionNames.get(r.summary.regionId) ?? '') : '',
  }));
  const backlog = backlogRows(
    regions,
    crews.filter((c) => inScope(scope, c.regionId)).map((c) => ({ regionId: String(c.regionId), capacity: c.capacity })),
    new Map(Object.entries(snapshot.openByRegion)),
  );
  const anomalies = await anomaliesFor(scope, now, new Map(regionNames));
  // Sensitive customers of the regions in scope: by their accounts' regions (flag docs are few).
  let sensitiveRows = sensitive;
  if (!scope.all && sensitive.length) {
    const accounts = await AccountModel.find({ customerId: { $in: sensitive.map((c) => c._id) } }, { customerId: 1, regionId: 1 }).lean();
    const ok = new Set(accounts.filter((a) => inScope(scope, a.regionId)).map((a) => String(a.customerId)));
    sensitiveRows = sensitive.filter((c) => ok.has(String(c._id)));
  }
  return {
    generatedAt: now.toISOString(),
    snapshotAt: snapshotDoc?.at ? new Date(snapshotDoc.at).toISOString() : null,
    scope: { all: scope.all, regions, teams: scope.teams, canAct: scope.canAct },
    nearDeadline: near,
    backlog,
    anomalies,
    sensitive: sensitiveRows.map((c) => {
      const s = c.sensitive as { since: Date; reason: string; orderNos: string[] };
      return {
        customerId: String(c._id),
        nameMasked: maskName(c.name),
        since: new Date(s.since).toISOString(),
        reason: s.reason,
        reasonLabel: SENSITIVE_REASON_LABELS[s.reason as keyof typeof SENSITIVE_REASON_LABELS] ?? '',
        orderNos: s.orderNos ?? [],
      };
    }),
    rules: { nearDueMinutes: NEAR_DUE_MINUTES, baselineDays: BASELINE_DAYS, evidenceDays: EVIDENCE_DAYS },
  };
}

/** The staff home for a supervisor: today's warnings and a few KPIs. */
export async function supervisorHome(user: AccessClaims, now = new Date()) {
  const board = await warningBoard(user, now);
  const { openSupervisionCount } = await import('./supervision.service');
  const open = await openSupervisionCount(user);
  return {
    cards: [
      { key: 'supervision', label: '待处理督办', value: open, href: '/staff/supervision' },
      { key: 'near', label: '临近超时工单', value: board.nearDeadline.length, href: '/staff/warnings' },
      { key: 'backlog', label: '积压超出抢修能力的区域', value: board.backlog.filter((b) => b.over).length, href: '/staff/warnings' },
      { key: 'anomalies', label: '报修/投诉异常升高', value: board.anomalies.length, href: '/staff/warnings' },
      { key: 'sensitive', label: '敏感客户', value: board.sensitive.length, href: '/staff/warnings' },
    ],
    teams: board.scope.teams.map((t) => t.name),
    nearDeadline: board.nearDeadline.slice(0, 5),
    anomalies: board.anomalies.slice(0, 5),
  };
}
