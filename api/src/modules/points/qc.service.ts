/**
 * 质检 (quality checks): a supervisor scores a handled order of their team against the checklist (QC_ITEMS);
 * saved once per order per supervisor (unique index; audited; never edited), and every failed item becomes an
 * error entry in the handling agent's ledger at once (accrueOrders: the same keys the job would compute).
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { DomainError } from '../../lib/errors';
import { ORDER_TYPE_LABELS, QC_ITEM_LABELS } from '../../shared/labels';
import { recordAudit } from '../audit/audit.service';
import type { AccessClaims } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { orderFacts } from '../quality/facts.rules';
import { getOrder } from '../workorders/workorder.service';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import { PointsLedgerModel, QualityCheckModel, type QualityCheck } from './ledger.model';
import { QC_ITEMS, type QcItem } from './points.rules';
import { accrueOrders, agentTeams, assertAgentInScope, pointsScope } from './points.service';

export const HANDLED_STATUSES = ['resolved', 'visited', 'closed'] as const;

const name = async (id: string) => (await UserModel.findById(id, { displayName: 1 }).lean())?.displayName ?? '坐席';

function handlerOf(o: WorkOrder, teams: Map<string, string | null>): string | null {
  return orderFacts(o, { now: new Date(), agentTeam: teams, nextContactAt: null }).agentId;
}

export interface QcView {
  id: string;
  orderId: string;
  orderNo: string;
  orderTypeLabel: string;
  agentName: string;
  supervisorName: string;
  items: { item: string; label: string; passed: boolean }[];
  failed: number;
  comment: string;
  createdAt: string;
}

const qcView = (c: QualityCheck): QcView => ({
  id: String(c._id),
  orderId: String(c.orderId),
  orderNo: c.orderNo,
  orderTypeLabel: ORDER_TYPE_LABELS[c.orderType as keyof typeof ORDER_TYPE_LABELS] ?? '工单',
  agentName: c.agentName,
  supervisorName: c.supervisorName,
  items: c.items.map((i) => ({ item: i.item, label: QC_ITEM_LABELS[i.item as QcItem] ?? i.item, passed: i.passed })),
  failed: c.failed,
  comment: c.comment,
  createdAt: new Date(c.createdAt).toISOString(),
});

/** Recent handled orders of the caller's teams not yet checked by the caller (from the ledger's handled entries). */
export async function qcCandidates(user: AccessClaims, opts: { limit?: number } = {}) {
  const scope = await pointsScope(user);
  const agentIds = scope.teams.flatMap((t) => t.agents.map((a) => new Types.ObjectId(a.id)));
  const names = new Map(scope.teams.flatMap((t) => t.agents.map((a) => [a.id, a.name] as const)));
  const filter: Record<string, unknown> = { rule: 'handled' };
  if (!scope.all) filter.agentId = { $in: agentIds };
  const limit = opts.limit ?? 20;
  const rows = await PointsLedgerModel.find(filter, { orderId: 1, orderNo: 1, orderType: 1, agentId: 1, at: 1 })
    .sort({ at: -1 })
    .limit(limit * 3)
    .lean();
  const done = new Set(
    (
      await QualityCheckModel.find(
        { supervisorId: new Types.ObjectId(user.sub), orderId: { $in: rows.map((r) => r.orderId).filter(Boolean) as Types.ObjectId[] } },
        { orderId: 1 },
      ).lean()
    ).map((c) => String(c.orderId)),
  );
  const missing = rows.filter((r) => !names.has(String(r.agentId))).map((r) => r.agentId);
  if (missing.length)
    for (const u of await UserModel.find({ _id: { $in: missing } }, { displayName: 1 }).lean()) names.set(String(u._id), u.displayName);
  return rows
    .filter((r) => !done.has(String(r.orderId)))
    .slice(0, limit)
    .map((r) => ({
      orderId: String(r.orderId),
      orderNo: r.orderNo ?? '',
      orderTypeLabel: ORDER_TYPE_LABELS[r.orderType as keyof typeof ORDER_TYPE_LABELS] ?? '工单',
      agentName: names.get(String(r.agentId)) ?? '坐席',
      resolvedAt: new Date(r.at).toISOString(),
    }));
}

/** One order to check, by its number: its timeline (the guarded order view), its handler, and the caller's check if any. */
export async function qcOrder(user: AccessClaims, orderNo: string) {
  const o = (await WorkOrderModel.findOne({ orderNo: orderNo.trim().toUpperCase() }).lean()) as WorkOrder | null;
  if (!o) throw new DomainError('NOT_FOUND', `没有找到工单 ${orderNo.trim()}`);
  if (!HANDLED_STATUSES.includes(o.status as (typeof HANDLED_STATUSES)[number])) throw new DomainError('CONFLICT', '只能质检已处理完成的工单');
  const agentId = handlerOf(o, await agentTeams());
  if (!agentId) throw new DomainError('BAD_REQUEST', '该工单没有坐席处理人，无需质检');
  await assertAgentInScope(user, agentId).catch(() => {
    throw new DomainError('FORBIDDEN', '只能质检本班组坐席处理的工单');
  });
  const [order, agentName, mine] = await Promise.all([
    getOrder(user, String(o._id)),
    name(agentId),
    QualityCheckModel.findOne({ orderId: o._id, supervisorId: new Types.ObjectId(user.sub) }).lean(),
  ]);
  return { order, agentName, check: mine ? qcView(mine as QualityCheck) : null };
}

export interface QcSubmit {
  orderId: string;
  items: { item: QcItem; passed: boolean }[];
  comment?: string | null;
}

export async function submitQualityCheck(user: AccessClaims, input: QcSubmit, ip: string | null = null): Promise<QcView> {
  const seen = new Set(input.items.map((i) => i.item));
  if (seen.size !== input.items.length || QC_ITEMS.some((i) => !seen.has(i))) throw new DomainError('BAD_REQUEST', '请对每一项质检内容给出结论');
  const failed = input.items.filter((i) => !i.passed).length;
  const comment = (input.comment ?? '').trim();
  if (failed > 0 && !comment) throw new DomainError('BAD_REQUEST', '有不合格项时请填写质检意见');
  const o = (await WorkOrderModel.findById(input.orderId).lean()) as WorkOrder | null;
  if (!o) throw new DomainError('NOT_FOUND', '工单不存在');
  if (!HANDLED_STATUSES.includes(o.status as (typeof HANDLED_STATUSES)[number])) throw new DomainError('CONFLICT', '只能质检已处理完成的工单');
  const teams = await agentTeams();
  const agentId = handlerOf(o, teams);
  if (!agentId) throw new DomainError('BAD_REQUEST', '该工单没有坐席处理人，无需质检');
  await assertAgentInScope(user, agentId).catch(() => {
    throw new DomainError('FORBIDDEN', '只能质检本班组坐席处理的工单');
  });
  const ordered = QC_ITEMS.map((item) => ({ item, passed: input.items.find((i) => i.item === item)!.passed }));
  const [supervisorName, agentName] = await Promise.all([name(user.sub), name(agentId)]);
  let doc: QualityCheck;
  try {
    const team = teams.get(agentId) ?? null;
    doc = (
      await QualityCheckModel.create({
        orderId: o._id,
        orderNo: o.orderNo,
        orderType: o.type,
        supervisorId: new Types.ObjectId(user.sub),
        supervisorName,
        agentId: new Types.ObjectId(agentId),
        agentName,
        teamId: team ? new Types.ObjectId(team) : null,
        items: ordered,
        failed,
        comment,
        createdAt: new Date(),
      })
    ).toObject() as QualityCheck;
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new DomainError('CONFLICT', '您已质检过该工单');
    throw err;
  }
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'points.quality_check',
    targetType: 'workorder',
    targetId: String(o._id),
    ip,
    detail: { orderNo: o.orderNo, agentId, items: ordered, failed, comment },
  });
  await accrueOrders([o._id], { teams });
  return qcView(doc);
}

/** Checks made by the caller (admin: everyone's), newest first. */
export async function listQualityChecks(user: AccessClaims, opts: { limit?: number } = {}) {
  const filter = user.roles.includes('admin') ? {} : { supervisorId: new Types.ObjectId(user.sub) };
  const rows = await QualityCheckModel.find(filter)
    .sort({ createdAt: -1 })
    .limit(opts.limit ?? 30)
    .lean();
  return rows.map((r) => qcView(r as QualityCheck));
}
