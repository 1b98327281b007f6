import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { maskAddress } from '../../lib/mask';
import { accountAccessFilter, loadAccessibleAccount } from '../accounts/account.access';
import { consumeLimit } from '../limits/rate-limit.service';
import { loadActor, loadVisibleOrder } from '../workorders/workorder.access';
import { AccountModel, CustomerModel, type Account } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import type { AccessClaims } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { nextSeq } from '../events/counter.model';
import { GridNodeModel } from '../grid/grid.model';
import { fanOut, type NoticeChannel, type Recipient } from '../notify/fanout';
import { resumeCustomerNotices } from '../notify/customer-notice';
import type { SmsProvider } from '../notify/sms-provider';
import { WorkOrderModel } from '../workorders/workorder.model';
import { shanghaiDate } from '../workorders/sla.rules';
import { noteIncidentReports, resolveIncident } from '../workorders/workorder.system';
import { emitEvent, ensureIncidentOrder, getClusterConfig, INCIDENT_CATEGORY, mergeOpenReports, toBrief, type OutageBrief } from './outage.intake';
import { OutageModel, OutageProposalModel, OutageSubscriptionModel, type Outage } from './outage.model';
import {
  checkEdit,
  checkImportantNotice,
  checkPublication,
  clusterRuleText,
  formatShanghai,
  noticeRank,
  noticeText,
  OUTAGE_FAULT_KINDS,
  phaseOf,
  type NoticeKind,
  type OutageKind,
  type Scope,
} from './outage.rules';
import { DomainError } from '../../lib/errors';

const notFound = () => new DomainError('NOT_FOUND', '停电信息不存在');
const conflict = (message = '停电信息已变化，请刷新后重试') => new DomainError('CONFLICT', message);
const badRequest = (message: string) => new DomainError('BAD_REQUEST', message);
const oid = (s: string) => new Types.ObjectId(s);
const DAY = 86_400_000;

async function actorName(user: AccessClaims): Promise<string> {
  return (await UserModel.findById(user.sub, { displayName: 1 }).lean())?.displayName ?? '系统';
}

// ---------------------------------------------------------------------------------------------
// Views

export interface OutageView extends OutageBrief {
  version: number;
  scope: { feederIds: string[]; transformerAreaIds: string[] };
  areaNames: string[];
  regionIds: string[];
  incidentOrderId: string | null;
  /** Customer-visible: every ETR this outage has had, oldest first. */
  etrHistory: { at: string; etr: string | null }[];
  updatedAt: string;
}
export interface OutageStaffView extends OutageView {
  history: { at: string; actorName: string | null; action: string; changes: Record<string, { from: unknown; to: unknown }>; note: string | null }[];
  mergedReports: number;
  notices: { key: string; kind: string; at: string; finishedAt: string | null; recipients: number | null; pending: boolean }[];
}

function etrHistory(o: Outage): { at: string; etr: string | null }[] {
  const out: { at: string; etr: string | null }[] = [];
  for (const h of o.history ?? []) {
    if (h.action === 'publish') out.push({ at: h.at.toISOString(), etr: (h.changes?.etr?.to as string | null) ?? null });
    else if (h.changes?.etr) out.push({ at: h.at.toISOString(), etr: (h.changes.etr.to as string | null) ?? null });
  }
  return out;
}

export function toView(o: Outage, now = new Date()): OutageView {
  return {
    ...toBrief(o, now),
    version: o.version,
    scope: { feederIds: o.scope.feederIds.map(String), transformerAreaIds: o.scope.transformerAreaIds.map(String) },
    areaNames: o.areaNames ?? [],
    regionIds: o.regionIds.map(String),
    incidentOrderId: o.incidentOrderId ? String(o.incidentOrderId) : null,
    etrHistory: etrHistory(o),
    updatedAt: o.updatedAt.toISOString(),
  };
}

async function toStaffView(o: Outage, now = new Date()): Promise<OutageStaffView> {
  const merged = await WorkOrderModel.countDocuments({ incidentId: o._id });
  return {
    ...toView(o, now),
    history: (o.history ?? []).map((h) => ({
      at: h.at.toISOString(),
      actorName: h.actorName,
      action: h.action,
      changes: h.changes ?? {},
      note: h.note,
    })),
    mergedReports: merged,
    notices: [
      ...(o.noticesSent ?? []).map((n) => ({
        key: n.key,
        kind: n.kind,
        at: n.at.toISOString(),
        finishedAt: n.finishedAt ? n.finishedAt.toISOString() : null,
        recipients: n.recipients ?? null,
        pending: false,
      })),
      ...(o.pendingNotices ?? []).map((n) => ({
        key: n.key,
        kind: n.kind,
        at: n.at.toISOString(),
        finishedAt: null,
        recipients: null,
        pending: true,
      })),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Scope resolution against the grid

async function resolveScope(scope: { feederIds: string[]; transformerAreaIds: string[] }) {
  const feederIds = [...new Set(scope.feederIds)].map(oid);
  const areaIds = [...new Set(scope.transformerAreaIds)].map(oid);
  const [feeders, listedAreas] = await Promise.all([
    feederIds.length ? GridNodeModel.find({ _id: { $in: feederIds }, kind: 'feeder' }, { name: 1, regionId: 1 }).lean() : [],
    areaIds.length ? GridNodeModel.find({ _id: { $in: areaIds }, kind: 'transformer_area' }, { name: 1, regionId: 1, feederId: 1 }).lean() : [],
  ]);
  if (feeders.length !== feederIds.length) throw badRequest('所选线路不存在');
  if (listedAreas.length !== areaIds.length) throw badRequest('所选台区不存在');
  const feederAreas = feederIds.length
    ? await GridNodeModel.find({ kind: 'transformer_area', feederId: { $in: feederIds } }, { _id: 1, regionId: 1 }).lean()
    : [];
  const covered = [...new Map([...listedAreas, ...feederAreas].map((a) => [String(a._id), a._id])).values()];
  const regionIds = [...new Map([...feeders, ...listedAreas].map((g) => [String(g.regionId), g.regionId!])).values()];
  const extraAreas = listedAreas.filter((a) => !feederIds.some((f) => a.feederId && f.equals(a.feederId)));
  const names = [...feeders.map((f) => f.name), ...extraAreas.map((a) => a.name)];
  const areaText = [
    feeders.length ? `${feeders.map((f) => f.name).join('、')}（${feederAreas.length}个台区）` : '',
    extraAreas.length
      ? extraAreas
          .slice(0, 5)
          .map((a) => a.name)
          .join('、') + (extraAreas.length > 5 ? `等${extraAreas.length}个台区` : '')
      : '',
  ]
    .filter(Boolean)
    .join('、');
  return { feederIds, areaIds, covered, regionIds, areaText, names };
}

// ---------------------------------------------------------------------------------------------
// Publication and edits

export interface PublishInput {
  kind: OutageKind;
  scope: { feederIds: string[]; transformerAreaIds: string[] };
  startAt: Date;
  etr: Date | null;
  reason: string;
  /** Temporary maintenance within 24 h over important customers: how they were reached by phone (SPEC §4). */
  importantContactNote?: string | null;
}

/** Important customers (flagged 重要客户, or tier A enterprises) with an account in these transformer areas. */
async function importantCustomersIn(areaIds: Types.ObjectId[]): Promise<Types.ObjectId[]> {
  if (areaIds.length === 0) return [];
  const important = await CustomerModel.find({ $or: [{ 'flags.important': true }, { kind: 'enterprise', tier: 'A' }] }, { _id: 1 }).lean();
  if (important.length === 0) return [];
  const inScope = await AccountModel.distinct('customerId', {
    customerId: { $in: important.map((c) => c._id) },
    transformerAreaId: { $in: areaIds },
  });
  return inScope as Types.ObjectId[];
}

async function insertOutage(
  user: AccessClaims | null,
  input: PublishInput,
  opts: { _id?: Types.ObjectId; proposalId?: Types.ObjectId | null; now: Date },
): Promise<Outage> {
  const s = await resolveScope(input.scope);
  const _id = opts._id ?? new Types.ObjectId();
  const existing = (await OutageModel.findById(_id).lean()) as Outage | null;
  if (existing) return existing;
  const day = shanghaiDate(opts.now).replace(/-/g, '');
  const outageNo = `TD${day}-${String(await nextSeq(`outage:${day}`)).padStart(4, '0')}`;
  const name = user ? await actorName(user) : '系统';
  try {
    await OutageModel.create({
      _id,
      outageNo,
      kind: input.kind,
      status: 'published',
      version: 0,
      scope: { feederIds: s.feederIds, transformerAreaIds: s.areaIds },
      coveredAreaIds: s.covered,
      regionIds: s.regionIds,
      areaText: s.areaText,
      areaNames: s.names,
      reason: input.reason,
      startAt: input.startAt,
      etr: input.etr,
      proposalId: opts.proposalId ?? null,
      createdBy: user?.sub ?? null,
      history: [
        {
          at: opts.now,
          actorId: user?.sub ?? null,
          actorName: name,
          action: 'publish',
          changes: { startAt: { from: null, to: input.startAt.toISOString() }, etr: { from: null, to: input.etr?.toISOString() ?? null } },
          note: input.importantContactNote?.trim() ? `重要客户电话通知：${input.importantContactNote.trim()}` : null,
        },
      ],
      pendingNotices: [{ key: `${_id}:published`, kind: 'published', at: opts.now }],
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  return (await OutageModel.findById(_id).lean()) as unknown as Outage;
}

/** Publishes an outage; an outage already in progress takes over the open reports in its scope at once. */
export async function publishOutage(user: AccessClaims, input: PublishInput, sms: SmsProvider, ip: string | null = null) {
  const now = new Date();
  checkPublication({ kind: input.kind, startAt: input.startAt, etr: input.etr, scope: input.scope }, now);
  if (input.kind === 'temporary') {
    const important = await importantCustomersIn((await resolveScope(input.scope)).covered);
    checkImportantNotice(input, now, { count: important.length, contactNote: input.importantContactNote });
  }
  const o = await insertOutage(user, input, { now });
  const merged = phaseOf(o, now) === 'active' ? await mergeOpenReports(o, now) : 0;
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'outage.publish',
    targetType: 'outage',
    targetId: String(o._id),
    ip,
    detail: { outageNo: o.outageNo, kind: o.kind, merged, importantContactNote: input.importantContactNote?.trim() || null },
  });
  await emitEvent(`outage:${o._id}:published`, 'outage.published', o.regionIds[0] ?? null, {
    outageId: String(o._id),
    outageNo: o.outageNo,
    kind: o.kind,
    merged,
  });
  await processNotices(o._id, sms);
  return { outage: await staffOutage(String(o._id)), merged };
}

export interface EditInput {
  outageId: string;
  version?: number;
  startAt?: Date;
  etr?: Date | null;
  reason?: string;
  note?: string | null;
}

/** One guarded update on the version the planner saw; every change goes to the history, ETR changes notify. */
export async function editOutage(user: AccessClaims, input: EditInput, sms: SmsProvider, ip: string | null = null) {
  const o = await loadOutage(input.outageId);
  if (input.version !== undefined && input.version !== o.version) throw conflict();
  const now = new Date();
  const next = { startAt: input.startAt ?? o.startAt, etr: input.etr === undefined ? o.etr : input.etr };
  checkEdit(o, next, now);
  // Moving a temporary maintenance earlier into the last 24 h over important customers needs the phone-contact record too (the edit's note).
  if (o.kind === 'temporary' && next.startAt.getTime() < o.startAt.getTime()) {
    checkImportantNotice({ kind: o.kind, startAt: next.startAt }, now, {
      count: (await importantCustomersIn(o.coveredAreaIds)).length,
      contactNote: input.note,
    });
  }
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set: Record<string, unknown> = { updatedAt: now };
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  if (input.startAt && input.startAt.getTime() !== o.startAt.getTime()) {
    changes.startAt = { from: iso(o.startAt), to: iso(input.startAt) };
    set.startAt = input.startAt;
  }
  if (input.etr !== undefined && iso(input.etr) !== iso(o.etr)) {
    changes.etr = { from: iso(o.etr), to: iso(input.etr) };
    set.etr = input.etr;
  }
  if (input.reason && input.reason !== o.reason) {
    changes.reason = { from: o.reason, to: input.reason };
    set.reason = input.reason;
  }
  if (Object.keys(changes).length === 0) throw badRequest('没有需要保存的修改');
  const version = o.version + 1;
  const push: Record<string, unknown> = {
    history: { at: now, actorId: user.sub, actorName: await actorName(user), action: 'edit', changes, note: input.note ?? null },
  };
  if (changes.etr || changes.startAt) push.pendingNotices = { key: `${o._id}:etr:${version}`, kind: 'etr_changed', at: now };
  const updated = await OutageModel.findOneAndUpdate(
    { _id: o._id, version: o.version, status: 'published' },
    { $set: set, $inc: { version: 1 }, $push: push },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw conflict();
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'outage.edit',
    targetType: 'outage',
    targetId: String(o._id),
    ip,
    detail: { outageNo: o.outageNo, changes },
  });
  if (changes.etr) {
    // Customers following a merged report see the new ETR on their order too.
    await noteIncidentReports(o._id, `预计恢复送电时间调整为${formatShanghai(input.etr ?? null)}`, `etr:${version}`, now);
  }
  await emitEvent(`outage:${o._id}:edit:${version}`, 'outage.updated', o.regionIds[0] ?? null, {
    outageId: String(o._id),
    outageNo: o.outageNo,
    changed: Object.keys(changes),
  });
  await processNotices(o._id, sms);
  return staffOutage(String(o._id));
}

/**
 * Power is back: the outage is marked restored (guarded on its status), then — each step idempotent, so
 * calling again after a crash finishes the job — every merged report and the incident order are
 * resolved and each affected person is told once.
 */
export async function restoreOutage(
  user: AccessClaims,
  input: { outageId: string; version?: number; restoredAt?: Date; note?: string | null },
  sms: SmsProvider,
  ip: string | null = null,
) {
  let o = await loadOutage(input.outageId);
  const now = new Date();
  if (o.status === 'cancelled') throw conflict('停电信息已取消');
  if (o.status === 'published') {
    if (input.version !== undefined && input.version !== o.version) throw conflict();
    const restoredAt = input.restoredAt ?? now;
    if (restoredAt.getTime() > now.getTime() + 60_000) throw badRequest('恢复送电时间不能晚于当前时间');
    const updated = await OutageModel.findOneAndUpdate(
      { _id: o._id, status: 'published', version: o.version },
      {
        $set: { status: 'restored', restoredAt, updatedAt: now },
        $inc: { version: 1 },
        $push: {
          history: {
            at: now,
            actorId: user.sub,
            actorName: await actorName(user),
            action: 'restore',
            changes: { status: { from: 'published', to: 'restored' }, restoredAt: { from: null, to: restoredAt.toISOString() } },
            note: input.note ?? null,
          },
          pendingNotices: { key: `${o._id}:restored`, kind: 'restored', at: now },
        },
      },
      { returnDocument: 'after' },
    ).lean();
    if (!updated) throw conflict();
    o = updated as unknown as Outage;
  }
  const resolvedCount = await resolveMerged(o, now, input.note ?? null);
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'outage.restore',
    targetType: 'outage',
    targetId: String(o._id),
    ip,
    detail: { outageNo: o.outageNo, resolved: resolvedCount },
  });
  await emitEvent(
    `outage:${o._id}:restored`,
    'outage.restored',
    o.regionIds[0] ?? null,
    { outageId: String(o._id), outageNo: o.outageNo, resolved: resolvedCount },
    o.incidentOrderId,
  );
  await processNotices(o._id, sms);
  return { outage: await staffOutage(String(o._id)), resolved: resolvedCount };
}

/** Every open report of the outage and its incident order resolved by the engine's restoration step. */
async function resolveMerged(o: Outage, now: Date, note: string | null): Promise<number> {
  const resolution = `停电已于${formatShanghai(o.restoredAt ?? now)}恢复送电（${o.outageNo}）${note ? `：${note}` : ''}`;
  return (await resolveIncident(o._id, resolution, now)).resolved;
}

export async function cancelOutage(
  user: AccessClaims,
  input: { outageId: string; version?: number; reason: string },
  sms: SmsProvider,
  ip: string | null = null,
) {
  const o = await loadOutage(input.outageId);
  if (o.status !== 'published') throw conflict('停电信息已结束，不能取消');
  if (phaseOf(o, new Date()) !== 'upcoming') throw conflict('停电已开始，请在恢复送电后办结');
  if (input.version !== undefined && input.version !== o.version) throw conflict();
  const now = new Date();
  const updated = await OutageModel.findOneAndUpdate(
    { _id: o._id, status: 'published', version: o.version },
    {
      $set: { status: 'cancelled', cancelledAt: now, updatedAt: now },
      $inc: { version: 1 },
      $push: {
        history: {
          at: now,
          actorId: user.sub,
          actorName: await actorName(user),
          action: 'cancel',
          changes: { status: { from: 'published', to: 'cancelled' } },
          note: input.reason,
        },
        pendingNotices: { key: `${o._id}:cancelled`, kind: 'cancelled', at: now },
      },
    },
  ).lean();
  if (!updated) throw conflict();
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'outage.cancel',
    targetType: 'outage',
    targetId: String(o._id),
    ip,
    detail: { outageNo: o.outageNo, reason: input.reason },
  });
  await emitEvent(`outage:${o._id}:cancelled`, 'outage.cancelled', o.regionIds[0] ?? null, { outageId: String(o._id), outageNo: o.outageNo });
  await processNotices(o._id, sms);
  return staffOutage(String(o._id));
}

// ---------------------------------------------------------------------------------------------
// Proposals (clustering) for dispatchers

export interface ProposalView {
  id: string;
  level: 'feeder' | 'transformer_area';
  levelLabel: string;
  scopeId: string;
  scopeName: string;
  feederId: string;
  regionId: string | null;
  status: string;
  createdAt: string;
  outageId: string | null;
  /** Live evidence: open unmerged "no power" reports in the scope. */
  evidence: {
    reports: number;
    areas: { transformerAreaId: string; name: string | null; reports: number; firstAt: string; lastAt: string }[];
    firstAt: string | null;
    lastAt: string | null;
    rule: string;
  };
  /** When the rule fired: the count against the scope's normal rate (exact Poisson tail), e.g. for the dispatcher's judgement. */
  unusual: {
    observed: number;
    expected: number;
    pValue: number;
    baselineReports: number;
    baselineDays: number;
    text: string;
    firedBy: 'areas' | 'share' | null;
  } | null;
}

async function evidenceOf(p: { level: string; scopeId: Types.ObjectId }): Promise<ProposalView['evidence']> {
  const cfg = await getClusterConfig();
  const match: Record<string, unknown> = {
    type: 'fault_repair',
    incidentId: null,
    status: { $in: ['reported', 'dispatched'] },
    faultKind: { $in: OUTAGE_FAULT_KINDS },
  };
  if (p.level === 'feeder') match.feederId = p.scopeId;
  else match.transformerAreaId = p.scopeId;
  const rows = await WorkOrderModel.aggregate<{ _id: Types.ObjectId; n: number; first: Date; last: Date; name: string | null }>([
    { $match: match },
    {
      $group: {
        _id: '$transformerAreaId',
        n: { $sum: 1 },
        first: { $min: '$createdAt' },
        last: { $max: '$createdAt' },
        name: { $first: '$transformerAreaName' },
      },
    },
  ]);
  rows.sort((a, b) => b.n - a.n);
  return {
    reports: rows.reduce((s, r) => s + r.n, 0),
    areas: rows.map((r) => ({
      transformerAreaId: String(r._id),
      name: r.name,
      reports: r.n,
      firstAt: new Date(r.first).toISOString(),
      lastAt: new Date(r.last).toISOString(),
    })),
    firstAt: rows.length ? new Date(Math.min(...rows.map((r) => new Date(r.first).getTime()))).toISOString() : null,
    lastAt: rows.length ? new Date(Math.max(...rows.map((r) => new Date(r.last).getTime()))).toISOString() : null,
    rule: clusterRuleText(p.level as 'feeder' | 'transformer_area', cfg),
  };
}

type ProposalDoc = {
  _id: Types.ObjectId;
  level: 'feeder' | 'transformer_area';
  scopeId: Types.ObjectId;
  scopeName: string;
  feederId: Types.ObjectId;
  regionId: Types.ObjectId | null;
  status: string;
  createdAt: Date;
  outageId: Types.ObjectId | null;
  stats?: ProposalView['unusual'];
};

async function proposalView(p: ProposalDoc): Promise<ProposalView> {
  return {
    id: String(p._id),
    level: p.level,
    levelLabel: p.level === 'feeder' ? '线路故障' : '台区故障',
    scopeId: String(p.scopeId),
    scopeName: p.scopeName,
    feederId: String(p.feederId),
    regionId: p.regionId ? String(p.regionId) : null,
    status: p.status,
    createdAt: new Date(p.createdAt).toISOString(),
    outageId: p.outageId ? String(p.outageId) : null,
    evidence: await evidenceOf(p),
    unusual: p.stats
      ? {
          observed: p.stats.observed,
          expected: p.stats.expected,
          pValue: p.stats.pValue,
          baselineReports: p.stats.baselineReports,
          baselineDays: p.stats.baselineDays,
          text: p.stats.text,
          firedBy: p.stats.firedBy ?? null,
        }
      : null,
  };
}

export async function listProposals(opts: { status?: string; regionId?: string; limit?: number }) {
  const q: Record<string, unknown> = { status: opts.status ?? 'open' };
  if (opts.regionId) q.regionId = oid(opts.regionId);
  const docs = (await OutageProposalModel.find(q)
    .sort({ createdAt: -1 })
    .limit(opts.limit ?? 50)
    .lean()) as unknown as ProposalDoc[];
  return Promise.all(docs.map(proposalView));
}

/**
 * Confirms a proposal as a fault outage. Multi-step and idempotent: the outage id is fixed on the
 * proposal first (guarded), so a retry after a crash publishes the same outage, merges again (a no-op
 * for what is already merged) and finishes the notices.
 */
export async function confirmProposal(
  user: AccessClaims,
  input: { proposalId: string; etr?: Date | null; reason?: string | null },
  sms: SmsProvider,
  ip: string | null = null,
) {
  const now = new Date();
  let p = (await OutageProposalModel.findById(input.proposalId).lean()) as unknown as (ProposalDoc & { status: string }) | null;
  if (!p) throw new DomainError('NOT_FOUND', '研判建议不存在');
  if (p.status === 'dismissed' || p.status === 'superseded') throw conflict('该研判建议已处理');
  if (input.etr && input.etr.getTime() <= now.getTime()) throw badRequest('预计恢复送电时间须晚于当前时间');
  if (!p.outageId) {
    const fixed = await OutageProposalModel.findOneAndUpdate(
      { _id: p._id, status: 'open', outageId: null },
      { $set: { outageId: new Types.ObjectId() } },
      { returnDocument: 'after' },
    ).lean();
    p = ((fixed ?? (await OutageProposalModel.findById(p._id).lean())) as unknown as ProposalDoc) ?? p;
    if (!p.outageId) throw conflict('该研判建议已处理');
  }
  const ev = await evidenceOf(p);
  const scope: Scope =
    p.level === 'feeder' ? { feederIds: [String(p.scopeId)], transformerAreaIds: [] } : { feederIds: [], transformerAreaIds: [String(p.scopeId)] };
  const startAt = ev.firstAt ? new Date(ev.firstAt) : new Date(p.createdAt);
  const o = await insertOutage(
    user,
    {
      kind: 'fault',
      scope: { feederIds: [...scope.feederIds], transformerAreaIds: [...scope.transformerAreaIds] },
      startAt: startAt.getTime() > now.getTime() ? now : startAt,
      etr: input.etr ?? null,
      reason: input.reason?.trim() || (p.level === 'feeder' ? '线路故障' : '台区设备故障'),
    },
    { _id: p.outageId, proposalId: p._id, now },
  );
  const merged = o.status === 'published' ? await mergeOpenReports(o, now) : 0;
  if (p.status === 'open') {
    await OutageProposalModel.updateOne(
      { _id: p._id, status: 'open' },
      { $set: { status: 'confirmed', decidedAt: now, decidedBy: user.sub }, $unset: { openKey: 1 } },
    );
    if (p.level === 'feeder') {
      await OutageProposalModel.updateMany(
        { level: 'transformer_area', feederId: p.feederId, status: 'open' },
        { $set: { status: 'superseded', decidedAt: now, decisionNote: '已并入线路故障停电' }, $unset: { openKey: 1 } },
      );
    }
    await recordAudit({
      actorId: user.sub,
      actorRoles: user.roles,
      action: 'outage.confirmProposal',
      targetType: 'outage',
      targetId: String(o._id),
      ip,
      detail: { proposalId: String(p._id), merged },
    });
  }
  await emitEvent(
    `outage:${o._id}:published`,
    'outage.published',
    o.regionIds[0] ?? null,
    { outageId: String(o._id), outageNo: o.outageNo, kind: 'fault', merged, proposalId: String(p._id), incidentOrderId: String(o._id) },
    o._id,
  );
  await processNotices(o._id, sms);
  return { outage: await staffOutage(String(o._id)), merged, incidentOrderId: String(o._id) };
}

export async function dismissProposal(user: AccessClaims, input: { proposalId: string; reason: string }, ip: string | null = null) {
  const cfg = await getClusterConfig();
  const now = new Date();
  const r = await OutageProposalModel.findOneAndUpdate(
    { _id: oid(input.proposalId), status: 'open' },
    {
      $set: {
        status: 'dismissed',
        decidedAt: now,
        decidedBy: user.sub,
        decisionNote: input.reason,
        suppressUntil: new Date(now.getTime() + cfg.windowMs),
      },
      $unset: { openKey: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!r) throw conflict('该研判建议已处理');
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'outage.dismissProposal',
    targetType: 'outage_proposal',
    targetId: input.proposalId,
    ip,
    detail: { reason: input.reason },
  });
  return { ok: true as const };
}

// ---------------------------------------------------------------------------------------------
// Reads

async function loadOutage(id: string): Promise<Outage> {
  if (!Types.ObjectId.isValid(id)) throw notFound();
  const o = (await OutageModel.findById(id).lean()) as Outage | null;
  if (!o) throw notFound();
  return o;
}

export async function staffOutage(id: string) {
  return toStaffView(await loadOutage(id));
}
export async function publicOutage(id: string) {
  return toView(await loadOutage(id));
}

export interface AreaFilter {
  regionId?: string;
  feederId?: string;
  transformerAreaId?: string;
}
function areaQuery(f: AreaFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.regionId) q.regionIds = oid(f.regionId);
  if (f.transformerAreaId) q.coveredAreaIds = oid(f.transformerAreaId);
  if (f.feederId) q['scope.feederIds'] = oid(f.feederId);
  return q;
}

/**
 * Public list: outages in progress and every announced one still to come (planned outages are announced at
 * least 7 days ahead, so a 7-day window would hide them), soonest first; `days` narrows it to a horizon.
 */
export async function publicList(f: AreaFilter & { days?: number; limit?: number; offset?: number }) {
  const now = new Date();
  const q: Record<string, unknown> = {
    ...areaQuery(f),
    status: 'published',
    ...(f.days ? { startAt: { $lte: new Date(now.getTime() + f.days * DAY) } } : {}),
  };
  const [docs, total] = await Promise.all([
    OutageModel.find(q, { history: 0, pendingNotices: 0, noticesSent: 0 })
      .sort({ startAt: 1 })
      .skip(f.offset ?? 0)
      .limit(f.limit ?? 50)
      .lean(),
    OutageModel.countDocuments(q),
  ]);
  return { items: (docs as unknown as Outage[]).map((o) => ({ ...toBrief(o, now), areaNames: o.areaNames ?? [] })), total };
}

/** Staff list: every status, newest first. */
export async function staffList(f: AreaFilter & { statuses?: string[]; kinds?: OutageKind[]; limit?: number; offset?: number }) {
  const q: Record<string, unknown> = areaQuery(f);
  if (f.statuses?.length) q.status = { $in: f.statuses };
  if (f.kinds?.length) q.kind = { $in: f.kinds };
  const [docs, total] = await Promise.all([
    OutageModel.find(q, { pendingNotices: 0, noticesSent: 0 })
      .sort({ startAt: -1 })
      .skip(f.offset ?? 0)
      .limit(f.limit ?? 50)
      .lean(),
    OutageModel.countDocuments(q),
  ]);
  const now = new Date();
  return { items: (docs as unknown as Outage[]).map((o) => toView(o, now)), total };
}

/** Every outage of the area in progress or still to come, however far ahead it was announced. */
async function outagesForArea(areaId: Types.ObjectId, now: Date): Promise<OutageBrief[]> {
  const docs = (await OutageModel.find({ coveredAreaIds: areaId, status: 'published' }, { history: 0, pendingNotices: 0, noticesSent: 0 })
    .sort({ startAt: 1 })
    .limit(20)
    .lean()) as unknown as Outage[];
  return docs.map((o) => toBrief(o, now));
}

/** "Is there an outage where I live?" for each of the caller's accounts (bound, or their enterprise's). */
export async function outagesForMyAccounts(user: AccessClaims) {
  const filter = await accountAccessFilter(user, 'view');
  const accounts = filter ? ((await AccountModel.find(filter).sort({ number: 1 }).limit(500).lean()) as Account[]) : [];
  const subs = await OutageSubscriptionModel.find({ userId: oid(user.sub) }, { accountId: 1, channels: 1 }).lean();
  const subBy = new Map(subs.map((s) => [String(s.accountId), s.channels as NoticeChannel[]]));
  const now = new Date();
  const byArea = new Map<string, OutageBrief[]>();
  for (const a of accounts) {
    const k = String(a.transformerAreaId);
    if (!byArea.has(k)) byArea.set(k, await outagesForArea(a.transformerAreaId, now));
  }
  return accounts.map((a) => ({
    accountId: String(a._id),
    number: a.number,
    addressMasked: maskAddress(a.address),
    transformerAreaName: a.transformerAreaName,
    subscribed: subBy.has(String(a._id)),
    channels: subBy.get(String(a._id)) ?? [],
    outages: byArea.get(String(a.transformerAreaId)) ?? [],
  }));
}

/** By account number (anyone, e.g. for parents' home): only the area name and the outages, nothing personal. Counted against guessing. */
export async function outagesByAccountNumber(caller: { userId: string | null; ip: string }, number: string) {
  await consumeLimit('numberLookup', { user: caller.userId, ip: caller.ip });
  const a = await AccountModel.findOne({ number }, { transformerAreaId: 1, transformerAreaName: 1 }).lean();
  if (!a) throw new DomainError('NOT_FOUND', '未找到该户号，请核对后重试');
  return { number, transformerAreaName: a.transformerAreaName, outages: await outagesForArea(a.transformerAreaId, new Date()) };
}

/** Regions → feeders → transformer areas, for the public list's area filter. */
export async function areaTree(regionId?: string) {
  if (!regionId) {
    const regions = await GridNodeModel.find({ kind: 'region' }, { name: 1 }).sort({ code: 1 }).lean();
    return regions.map((r) => ({ id: String(r._id), name: r.name, kind: 'region' as const }));
  }
  const nodes = await GridNodeModel.find(
    { regionId: oid(regionId), kind: { $in: ['feeder', 'transformer_area'] } },
    { name: 1, kind: 1, feederId: 1, parentId: 1 },
  )
    .sort({ code: 1 })
    .lean();
  return nodes.map((n) => ({
    id: String(n._id),
    name: n.name,
    kind: n.kind as 'feeder' | 'transformer_area',
    feederId: n.kind === 'transformer_area' ? String(n.feederId) : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

export async function subscribe(user: AccessClaims, accountId: string, channels: NoticeChannel[]) {
  const { account } = await loadAccessibleAccount(user, accountId, 'view');
  const ch = [...new Set<NoticeChannel>(['inapp', ...channels])];
  await OutageSubscriptionModel.updateOne(
    { userId: oid(user.sub), accountId: account._id },
    { $set: { channels: ch, transformerAreaId: account.transformerAreaId } },
    { upsert: true },
  );
  return { accountId, subscribed: true, channels: ch };
}

export async function unsubscribe(user: AccessClaims, accountId: string) {
  if (!Types.ObjectId.isValid(accountId)) throw new DomainError('NOT_FOUND', '户号不存在或无权访问');
  await OutageSubscriptionModel.deleteOne({ userId: oid(user.sub), accountId: oid(accountId) });
  return { accountId, subscribed: false, channels: [] as NoticeChannel[] };
}

export async function mySubscriptions(user: AccessClaims) {
  const subs = await OutageSubscriptionModel.find({ userId: oid(user.sub) }).lean();
  const accounts = await AccountModel.find({ _id: { $in: subs.map((s) => s.accountId) } }, { number: 1, transformerAreaName: 1 }).lean();
  const by = new Map(accounts.map((a) => [String(a._id), a]));
  return subs.map((s) => ({
    accountId: String(s.accountId),
    number: by.get(String(s.accountId))?.number ?? null,
    transformerAreaName: by.get(String(s.accountId))?.transformerAreaName ?? null,
    channels: s.channels as NoticeChannel[],
  }));
}

// ---------------------------------------------------------------------------------------------
// Notices: who is told, and the fan-out

/**
 * Everyone a notice of this outage reaches: subscribers of accounts in scope and the reporters of
 * reports merged into it (reporters are told whether or not they subscribed). One entry per
 * (person, account); the fan-out merges them to one notice per person at their highest rank.
 */
export async function recipientsFor(o: Outage): Promise<Recipient[]> {
  const [subs, reports] = await Promise.all([
    OutageSubscriptionModel.find({ transformerAreaId: { $in: o.coveredAreaIds } }, { userId: 1, accountId: 1, channels: 1 }).lean(),
    WorkOrderModel.find({ incidentId: o._id }, { reporterUserId: 1, contactPhone: 1, customerId: 1, accountNumber: 1, accountId: 1 }).lean(),
  ]);
  const accountIds = [...new Set(subs.map((s) => String(s.accountId)))].map(oid);
  const accounts = accountIds.length ? await AccountModel.find({ _id: { $in: accountIds } }, { number: 1, customerId: 1 }).lean() : [];
  const accBy = new Map(accounts.map((a) => [String(a._id), a]));
  const customerIds = [
    ...new Set([...accounts.map((a) => String(a.customerId)), ...reports.filter((r) => r.customerId).map((r) => String(r.customerId))]),
  ].map(oid);
  const customers = customerIds.length ? await CustomerModel.find({ _id: { $in: customerIds } }, { flags: 1, tier: 1 }).lean() : [];
  const rankBy = new Map(customers.map((c) => [String(c._id), noticeRank({ ...(c.flags ?? {}), tier: c.tier })]));
  const userIds = [
    ...new Set([...subs.map((s) => String(s.userId)), ...reports.filter((r) => r.reporterUserId).map((r) => String(r.reporterUserId))]),
  ].map(oid);
  const users = userIds.length ? await UserModel.find({ _id: { $in: userIds } }, { openid: 1, phone: 1, disabled: 1 }).lean() : [];
  const userBy = new Map(users.filter((u) => !u.disabled).map((u) => [String(u._id), u]));
  // Important customers in scope (重要客户, tier A enterprises) are told first (SPEC §4, seed 001).
  const important = await CustomerModel.find({ _id: { $in: await importantCustomersIn(o.coveredAreaIds) } }, { phone: 1 }).lean();
  for (const c of important) rankBy.set(String(c._id), 0);
  const out: Recipient[] = [];
  for (const s of subs) {
    const u = userBy.get(String(s.userId));
    const a = accBy.get(String(s.accountId));
    if (!u || !a) continue;
    out.push({
      key: `u:${u._id}`,
      userId: u._id,
      phone: u.phone ?? null,
      openid: u.openid ?? null,
      rank: rankBy.get(String(a.customerId)) ?? 2,
      accountNumbers: [a.number],
      channels: s.channels as NoticeChannel[],
    });
  }
  // ... and reached by the phone on file whether or not anyone of theirs subscribed.
  const importantNumbers = important.length
    ? await AccountModel.find(
        { customerId: { $in: important.map((c) => c._id) }, transformerAreaId: { $in: o.coveredAreaIds } },
        { number: 1, customerId: 1 },
      )
        .limit(5000)
        .lean()
    : [];
  const known = new Set(users.map((u) => u.phone).filter(Boolean));
  for (const c of important) {
    if (!c.phone || known.has(c.phone)) continue;
    known.add(c.phone);
    const nums = importantNumbers.filter((a) => a.customerId.equals(c._id)).map((a) => a.number);
    out.push({ key: `p:${c.phone}`, userId: null, phone: c.phone, openid: null, rank: 0, accountNumbers: nums.slice(0, 20), channels: ['sms'] });
  }
  for (const r of reports) {
    const rank = r.customerId ? (rankBy.get(String(r.customerId)) ?? 2) : 2;
    const nums = r.accountNumber ? [r.accountNumber] : [];
    const u = r.reporterUserId ? userBy.get(String(r.reporterUserId)) : null;
    if (u)
      out.push({
        key: `u:${u._id}`,
        userId: u._id,
        phone: u.phone ?? null,
        openid: u.openid ?? null,
        rank,
        accountNumbers: nums,
        channels: ['inapp', 'wechat'],
      });
    else if (!r.reporterUserId && r.contactPhone)
      out.push({ key: `p:${r.contactPhone}`, userId: null, phone: r.contactPhone, openid: null, rank, accountNumbers: nums, channels: ['sms'] });
  }
  return out;
}

/** Fans out every pending notice of the outage, in order; what a crash leaves pending is picked up by the next call. */
export async function processNotices(outageId: Types.ObjectId, sms: SmsProvider): Promise<number> {
  let done = 0;
  for (;;) {
    const o = (await OutageModel.findById(outageId).lean()) as Outage | null;
    const n = o?.pendingNotices?.[0];
    if (!o || !n) return done;
    const text = noticeText(n.kind as NoticeKind, o);
    const r = await fanOut(
      {
        key: n.key,
        kind: `outage.${n.kind}`,
        title: text.title,
        body: text.body,
        outageId: o._id,
        page: `pages/outage/detail?id=${o._id}`,
        wechatData: {
          thing1: { value: o.areaText.slice(0, 20) },
          time2: { value: formatShanghai(o.startAt) },
          time3: { value: formatShanghai(n.kind === 'restored' ? o.restoredAt : o.etr) },
          thing4: { value: text.title.slice(0, 20) },
        },
      },
      await recipientsFor(o),
      { sms },
    );
    if (r.skipped) return done; // another instance holds this notice
    await OutageModel.updateOne(
      { _id: o._id },
      {
        $pull: { pendingNotices: { key: n.key } },
        $push: { noticesSent: { key: n.key, kind: n.kind, at: n.at, finishedAt: new Date(), recipients: r.recipients } },
      },
    );
    done++;
  }
}

/** Picks up notices whose writer died before fanning them out (called by dispatchers' polling reads). */
export async function resumeStaleNotices(sms: SmsProvider, staleMs = 30_000): Promise<number> {
  const stale = await OutageModel.find({ 'pendingNotices.0.at': { $lte: new Date(Date.now() - staleMs) } }, { _id: 1 })
    .limit(5)
    .lean();
  let n = 0;
  for (const o of stale) n += await processNotices(o._id, sms);
  // The other customer notices (orders, payments, balance) wait in their own outbox: same rhythm, same rule.
  n += await resumeCustomerNotices(staleMs);
  return n;
}

/** The outage behind an incident order (the incident order shares its id), for the order screen of someone who may see the order. */
export async function outageForIncident(user: AccessClaims, orderId: string) {
  const order = await loadVisibleOrder(await loadActor(user), orderId);
  const id = order.incidentId ?? (order.category === INCIDENT_CATEGORY ? order._id : null);
  if (!id) return null;
  const o = (await OutageModel.findById(id).lean()) as Outage | null;
  return o ? toStaffView(o) : null;
}

export { ensureIncidentOrder };
