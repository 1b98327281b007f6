/**
 * The hook into fault intake (called by workorder.service createOrder for fault_repair):
 * link a report to an active outage covering its transformer area, or count it for clustering and
 * propose a fault outage to dispatchers. Imports no service module, so the work-order engine can import it.
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { nextSeq } from '../events/counter.model';
import { EventModel } from '../events/event.model';
import { AccountModel } from '../accounts/account.model';
import { GridNodeModel } from '../grid/grid.model';
import { WorkOrderModel, type TimelineEntry, type WorkOrder } from '../workorders/workorder.model';
import { mergeIntoIncident, openIncidentOrder } from '../workorders/workorder.system';
import type { AccessClaims } from '../auth/tokens';
import { ensureSettingsFresh, publishSetting, settingInForce } from '../settings/settings.service';
import { sameValue } from '../settings/settings.rules';
import { ClusterStateModel, OutageModel, OutageProposalModel, type Outage } from './outage.model';
import {
  clusterRuleText,
  feederAreasInWindow,
  feederEvidence,
  formatShanghai,
  isOutageFaultKind,
  OUTAGE_FAULT_KINDS,
  OUTAGE_KIND_LABELS,
  phaseOf,
  PHASE_LABELS,
  proposalScopes,
  unusualness,
  type ClusterConfig,
  type OutageKind,
  type OutagePhase,
  type Unusualness,
} from './outage.rules';

// ---------------------------------------------------------------------------------------------
// Settings

/** Clustering thresholds: the `cluster` setting in force (settings.service: versioned, cached, refreshed within seconds). */
export async function getClusterConfig(): Promise<ClusterConfig> {
  await ensureSettingsFresh();
  return settingInForce('cluster').value;
}
/** A new version of the thresholds (validated and audited by the settings service); unchanged values publish nothing. */
export async function setClusterConfig(c: Partial<ClusterConfig>, by: AccessClaims, ip: string | null = null): Promise<ClusterConfig> {
  const cfg = { ...(await getClusterConfig()), ...c };
  if (sameValue(cfg, settingInForce('cluster').value)) return cfg;
  await publishSetting(by, { kind: 'cluster', value: cfg, note: '停电聚类阈值调整' }, ip);
  return settingInForce('cluster').value;
}

// ---------------------------------------------------------------------------------------------
// Views

export interface OutageBrief {
  id: string;
  outageNo: string;
  kind: OutageKind;
  kindLabel: string;
  phase: OutagePhase;
  phaseLabel: string;
  areaText: string;
  reason: string;
  startAt: string;
  etr: string | null;
  etrText: string;
  restoredAt: string | null;
}

export function toBrief(o: Outage, now = new Date()): OutageBrief {
  const phase = phaseOf(o, now);
  return {
    id: String(o._id),
    outageNo: o.outageNo,
    kind: o.kind,
    kindLabel: OUTAGE_KIND_LABELS[o.kind],
    phase,
    phaseLabel: PHASE_LABELS[phase],
    areaText: o.areaText,
    reason: o.reason,
    startAt: o.startAt.toISOString(),
    etr: o.etr ? o.etr.toISOString() : null,
    etrText: o.etr ? `预计${formatShanghai(o.etr)}恢复送电` : '抢修中，恢复时间待定',
    restoredAt: o.restoredAt ? o.restoredAt.toISOString() : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Events (the live feed the consoles read)

export async function emitEvent(
  key: string,
  type: string,
  regionId: Types.ObjectId | null,
  payload: Record<string, unknown>,
  orderId: Types.ObjectId | null = null,
) {
  if (await EventModel.exists({ key })) return;
  const seq = await nextSeq('events');
  const at = new Date();
  try {
    await EventModel.create({ seq, key, type, orderId, regionId, at, publishedAt: at, payload });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Active outages and the incident order

const ACTIVE = (areaId: Types.ObjectId, now: Date) => ({ coveredAreaIds: areaId, status: 'published' as const, startAt: { $lte: now } });

export async function findActiveOutage(transformerAreaId: Types.ObjectId, now = new Date()): Promise<Outage | null> {
  return (await OutageModel.findOne(ACTIVE(transformerAreaId, now)).sort({ startAt: -1 }).lean()) as Outage | null;
}

export const INCIDENT_CATEGORY = '故障停电事件';
const knownIncidents = new Set<string>();

/**
 * The incident order (故障事件工单) of an outage: ONE dispatchable order carrying the merged reports, opened
 * by the work-order engine's system operation. It has the outage's _id, so opening it is idempotent — two
 * instances racing insert the same _id and one gets a duplicate-key error.
 */
export async function ensureIncidentOrder(o: Outage, now = new Date()): Promise<Types.ObjectId> {
  const id = o._id;
  if (knownIncidents.has(String(id))) return id;
  if (!(await WorkOrderModel.exists({ _id: id }))) {
    const grid = await GridNodeModel.findById(o.coveredAreaIds[0], { areaType: 1, regionId: 1, feederId: 1, name: 1 }).lean();
    await openIncidentOrder({
      id,
      // A fault incident must be dispatched (5-minute promise); reports during planned work need no crew of their own.
      needsDispatch: o.kind === 'fault',
      regionId: o.regionIds[0] ?? grid?.regionId ?? null,
      feederId: o.scope.feederIds[0] ?? grid?.feederId ?? null,
      transformerAreaId: o.coveredAreaIds.length === 1 ? o.coveredAreaIds[0] : null,
      transformerAreaName: o.areaText,
      areaType: (grid?.areaType as 'urban' | 'rural' | 'remote') ?? 'urban',
      category: INCIDENT_CATEGORY,
      description: `${OUTAGE_KIND_LABELS[o.kind]}事件 ${o.outageNo}：${o.areaText}。原因：${o.reason}。该范围内的停电报修已并入本工单。`,
      note: `${OUTAGE_KIND_LABELS[o.kind]}事件（${o.outageNo}）：${o.areaText}，原因：${o.reason}`,
      payload: { outageId: String(o._id) },
      now,
    });
  }
  if (!o.incidentOrderId) await OutageModel.updateOne({ _id: o._id, incidentOrderId: null }, { $set: { incidentOrderId: id } });
  knownIncidents.add(String(id));
  return id;
}

export interface OutageLink {
  outage: Outage;
  incidentId: Types.ObjectId;
  entry: TimelineEntry;
  brief: OutageBrief;
}

function linkEntry(o: Outage, now: Date): TimelineEntry {
  return {
    actorId: null,
    actorRole: 'system',
    actorName: null,
    action: 'note',
    from: null,
    to: null,
    at: now,
    note: `您所在区域正在${OUTAGE_KIND_LABELS[o.kind]}（${o.areaText}，原因：${o.reason}），${o.etr ? `预计${formatShanghai(o.etr)}恢复送电` : '抢修人员正在处理，恢复时间待定'}。您的报修已并入停电事件 ${o.outageNo}，无需重复报修，恢复送电后将通知您。`,
    visibility: 'customer',
    attachments: [],
  };
}

/**
 * Before a fault report is stored: the active outage covering its transformer area, if any, with the
 * timeline entry that tells the customer at once. Only "no power" kinds link; danger keeps its own dispatch.
 */
export async function linkToActiveOutage(
  place: { transformerAreaId: Types.ObjectId | null },
  faultKind: string | null | undefined,
  now = new Date(),
): Promise<OutageLink | null> {
  if (!place.transformerAreaId || !isOutageFaultKind(faultKind)) return null;
  const o = await findActiveOutage(place.transformerAreaId, now);
  if (!o) return null;
  const incidentId = await ensureIncidentOrder(o, now);
  return { outage: o, incidentId, entry: linkEntry(o, now), brief: toBrief(o, now) };
}

/** The outage an incident (or a report merged into one) belongs to: incident orders share the outage's _id. */
export async function incidentBrief(incidentId: Types.ObjectId, now = new Date()): Promise<OutageBrief | null> {
  const o = (await OutageModel.findById(incidentId).lean()) as Outage | null;
  return o ? toBrief(o, now) : null;
}

/** Merges open "no power" reports in the outage's scope under its incident order (the engine's merge step); returns how many. */
export async function mergeOpenReports(o: Outage, now = new Date()): Promise<number> {
  const incidentId = await ensureIncidentOrder(o, now);
  const r = await mergeIntoIncident(
    incidentId,
    { transformerAreaIds: o.coveredAreaIds },
    { note: linkEntry(o, now).note!, now, payload: { outageId: String(o._id) } },
  );
  return r.applied.length;
}

/**
 * After a fault report was stored unlinked: (1) look again — an outage confirmed between our check
 * and our insert would otherwise miss it (its merge may have run before our insert); (2) count it for
 * clustering and propose an outage when a rule fires.
 */
export async function afterFaultReport(
  order: Pick<WorkOrder, '_id' | 'faultKind' | 'transformerAreaId' | 'transformerAreaName' | 'feederId' | 'regionId' | 'status' | 'incidentId'>,
  now = new Date(),
): Promise<{ linked: boolean; proposed: string[] }> {
  if (order.incidentId || !order.transformerAreaId || !order.feederId || !isOutageFaultKind(order.faultKind)) return { linked: false, proposed: [] };
  const o = await findActiveOutage(order.transformerAreaId, now);
  if (o) {
    const incidentId = await ensureIncidentOrder(o, now);
    const r = await mergeIntoIncident(
      incidentId,
      { orderIds: [order._id] },
      { note: linkEntry(o, now).note!, now, payload: { outageId: String(o._id) } },
    );
    return { linked: r.applied.length === 1, proposed: [] };
  }
  return {
    linked: false,
    proposed: await recordForClustering({ ...order, transformerAreaId: order.transformerAreaId, feederId: order.feederId }, now),
  };
}

/** Latest report times kept per transformer area (the area rule needs `areaThreshold` of them; the share form counts up to this many). */
const KEEP_PER_AREA = 50;

const feederCustomerCache = new Map<string, { n: number; at: number }>();
/** Customers (accounts) on a feeder, for the share form of the feeder rule; cached 10 minutes per instance. */
async function feederCustomers(feederId: Types.ObjectId): Promise<number> {
  const key = String(feederId);
  const hit = feederCustomerCache.get(key);
  if (hit && Date.now() - hit.at < 10 * 60_000) return hit.n;
  const n = await AccountModel.countDocuments({ feederId });
  feederCustomerCache.set(key, { n, at: Date.now() });
  return n;
}

/**
 * Clustering state: ONE document per feeder (`feederareas:<id>`) holding the latest report times of each of
 * its transformer areas. A report changes it with one atomic update, and both rules are evaluated on what
 * that same write returned.
 */
export async function recordForClustering(
  order: {
    _id: Types.ObjectId;
    transformerAreaId: Types.ObjectId;
    transformerAreaName?: string | null;
    feederId: Types.ObjectId;
    regionId: Types.ObjectId | null;
  },
  now = new Date(),
): Promise<string[]> {
  const cfg = await getClusterConfig();
  const ta = String(order.transformerAreaId);
  const feeder = String(order.feederId);
  const doc = await ClusterStateModel.findOneAndUpdate(
    { _id: `feederareas:${feeder}` },
    { $push: { [`areas.${ta}`]: { $each: [now], $slice: -Math.max(KEEP_PER_AREA, cfg.areaThreshold) } }, $set: { updatedAt: now } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const recentByArea = Object.fromEntries(
    Object.entries((doc?.areas ?? {}) as Record<string, unknown>).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map((d) => new Date(d as Date))]),
  );
  // The feeder's size matters only once enough reports are in for the share form to be possible at all.
  const inWin = feederAreasInWindow(recentByArea, now, cfg);
  const cheap = feederEvidence(recentByArea, null, now, cfg);
  const customers =
    cheap.by == null && inWin.length >= cfg.feederMinAreas && cheap.reports >= cfg.feederMinAreas * cfg.areaThreshold
      ? await feederCustomers(order.feederId)
      : null;
  const scopes = proposalScopes({ transformerAreaId: ta, feederId: feeder, recentByArea, feederCustomers: customers }, now, cfg);
  const proposed: string[] = [];
  // The feeder outage covers its areas: one proposal for the feeder, not one per area.
  const pick = scopes.find((s) => s.level === 'feeder') ?? scopes[0];
  if (pick) {
    const ev = feederEvidence(recentByArea, customers, now, cfg);
    const areas = pick.level === 'feeder' ? (ev.by === 'areas' ? ev.areasOverThreshold : ev.areas) : [ta];
    const count =
      pick.level === 'feeder'
        ? ev.reports
        : (recentByArea[ta] ?? []).filter((t) => t.getTime() > now.getTime() - cfg.windowMs && t.getTime() <= now.getTime()).length;
    const id = await propose({
      level: pick.level,
      scopeId: pick.id,
      order,
      areas,
      count,
      now,
      cfg,
      by: pick.level === 'feeder' ? ev.by : null,
      customers,
    });
    if (id) proposed.push(id);
  }
  return proposed;
}

/**
 * How unusual the count is for the scope: its "no power" reports over the `baselineDays` before the window
 * (reports merged into a confirmed outage excluded: they were an outage, not the normal rate).
 */
export async function scopeUnusualness(
  level: 'feeder' | 'transformer_area',
  scopeId: Types.ObjectId,
  observed: number,
  now: Date,
  cfg: ClusterConfig,
): Promise<Unusualness> {
  const to = new Date(now.getTime() - cfg.windowMs);
  const from = new Date(to.getTime() - cfg.baselineDays * 86_400_000);
  const baseline = await WorkOrderModel.countDocuments({
    type: 'fault_repair',
    faultKind: { $in: OUTAGE_FAULT_KINDS },
    [level === 'feeder' ? 'feederId' : 'transformerAreaId']: scopeId,
    incidentId: null,
    category: { $ne: INCIDENT_CATEGORY },
    createdAt: { $gte: from, $lt: to },
  });
  return unusualness(observed, baseline, cfg);
}

async function propose(p: {
  level: 'feeder' | 'transformer_area';
  scopeId: string;
  order: {
    _id: Types.ObjectId;
    transformerAreaId: Types.ObjectId;
    transformerAreaName?: string | null;
    feederId: Types.ObjectId;
    regionId: Types.ObjectId | null;
  };
  areas: string[];
  count: number;
  now: Date;
  cfg: ClusterConfig;
  by: 'areas' | 'share' | null;
  customers: number | null;
}): Promise<string | null> {
  const openKey = `${p.level}:${p.scopeId}`;
  const existing = await OutageProposalModel.findOne({ openKey }, { _id: 1 }).lean();
  if (existing) return String(existing._id);
  if (p.level === 'transformer_area' && (await OutageProposalModel.exists({ openKey: `feeder:${p.order.feederId}` }))) return null;
  const scopeId = new Types.ObjectId(p.scopeId);
  if (await OutageProposalModel.exists({ scopeId, status: 'dismissed', suppressUntil: { $gt: p.now } })) return null;
  let scopeName = p.order.transformerAreaName ?? '台区';
  if (p.level === 'feeder') scopeName = (await GridNodeModel.findById(scopeId, { name: 1 }).lean())?.name ?? '线路';
  const unusual = await scopeUnusualness(p.level, scopeId, p.count, p.now, p.cfg);
  const _id = new Types.ObjectId();
  try {
    await OutageProposalModel.create({
      _id,
      openKey,
      level: p.level,
      scopeId,
      scopeName,
      feederId: p.order.feederId,
      regionId: p.order.regionId,
      status: 'open',
      triggerOrderId: p.order._id,
      reportsAtProposal: p.count,
      areasAtProposal: p.areas.map((a) => new Types.ObjectId(a)),
      stats: { ...unusual, firedBy: p.by, feederCustomers: p.customers, rule: clusterRuleText(p.level, p.cfg) },
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) return null;
    throw err;
  }
  if (p.level === 'feeder') {
    await OutageProposalModel.updateMany(
      { level: 'transformer_area', feederId: p.order.feederId, status: 'open' },
      { $set: { status: 'superseded', decidedAt: p.now, decisionNote: '已由线路级研判建议覆盖' }, $unset: { openKey: 1 } },
    );
  }
  await emitEvent(`proposal:${_id}:proposed`, 'outage.proposed', p.order.regionId, {
    proposalId: String(_id),
    level: p.level,
    scopeId: p.scopeId,
    scopeName,
    reports: p.count,
    regionId: p.order.regionId ? String(p.order.regionId) : null,
  });
  return String(_id);
}
