/**
 * Points (积分): accrual from the event log into the append-only ledger, the roll-up into per-agent totals,
 * the AHT medians, the full rebuild for the history seed, and the reads behind 我的积分, the leaderboards and
 * the team ledgers. Quality checks (质检) live in qc.service.ts and add their error entries through accrueOrders.
 *
 * Exactly once without transactions: an entry's key is unique (`<orderId>:<rule>:<cycle>`), so recomputing an
 * order — after a restart, on a second instance, in the rebuild — inserts only what is missing. Totals are applied
 * from the ledger in `seq` order with a per-document `appliedSeq` guard, so applying an entry twice is a no-op.
 * Both cursors (events handled, ledger rolled up) live in points_cursors and only move forward.
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { DomainError } from '../../lib/errors';
import { POINTS_RULE_LABELS, TEAM_PROFESSION_LABELS } from '../../shared/labels';
import type { AccessClaims } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { nextSeq } from '../events/counter.model';
import { readEventsAfter } from '../events/event.service';
import { ensureSettingsFresh, settingInForce } from '../settings/settings.service';
import { TeamModel } from '../staff/team.model';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import {
  type LedgerEntry,
  PointsCursorModel,
  PointsLedgerModel,
  PointsMediansModel,
  PointsTotalsModel,
  QualityCheckModel,
  type QualityCheck,
} from './ledger.model';
import { type CheckFact, pointsInputOf } from './points.facts';
import {
  type Medians,
  mediansOf,
  type PeriodKind,
  periodKeys,
  periodLabel,
  type PointsEntry,
  type PointsInput,
  pointsEntries,
  type RulesAt,
} from './points.rules';

const DAY_MS = 24 * 3600_000;
/** How long a hole in the ledger's seq may stay open before the roll-up steps over it (a duplicate key leaves one for good). */
export const LEDGER_GAP_GRACE_MS = 3_000;
/** The window of handled orders the AHT medians are taken from. */
export const MEDIAN_WINDOW_DAYS = 30;
export const MEDIANS_ID = 'aht';

export const rulesAt: RulesAt = (at) => {
  const v = settingInForce('points', at);
  return { version: v.version, value: v.value };
};

/** Staff user id → team id (the handler's team on each entry). */
export async function agentTeams(): Promise<Map<string, string | null>> {
  const staff = await UserModel.find({ kind: 'staff' }, { teamId: 1 }).lean();
  return new Map(staff.map((u) => [String(u._id), u.teamId ? String(u.teamId) : null]));
}

export async function loadMedians(): Promise<Medians> {
  const d = await PointsMediansModel.findById(MEDIANS_ID).lean();
  return (d?.byType as Medians) ?? {};
}

const ignoreDuplicates = (err: unknown) => {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (isDuplicateKeyError(e) || e.writeErrors?.length) {
    const others = (e.writeErrors ?? []).filter((w) => (w.code ?? w.err?.code) !== 11000);
    if (others.length === 0) return;
  }
  throw err;
};

/** Inserts the entries not yet in the ledger (by key); returns how many this call added. */
export async function insertEntries(entries: PointsEntry[], teams: Map<string, string | null>): Promise<number> {
  if (entries.length === 0) return 0;
  const existing = new Set((await PointsLedgerModel.find({ key: { $in: entries.map((e) => e.key) } }, { key: 1 }).lean()).map((d) => d.key));
  const fresh = [...new Map(entries.filter((e) => !existing.has(e.key)).map((e) => [e.key, e])).values()];
  if (fresh.length === 0) return 0;
  const first = await nextSeq('points_ledger', fresh.length);
  const createdAt = new Date();
  let inserted = fresh.length;
  await PointsLedgerModel.insertMany(
    fresh.map((e, i) => {
      const team = teams.get(e.agentId) ?? null;
      return {
        key: e.key,
        seq: first + i,
        agentId: new Types.ObjectId(e.agentId),
        teamId: team ? new Types.ObjectId(team) : null,
        orderId: new Types.ObjectId(e.orderId),
        orderNo: e.orderNo,
        orderType: e.orderType,
        rule: e.rule,
        points: e.points,
        reason: e.reason,
        rulesVersion: e.rulesVersion,
        at: e.at,
        ahtMs: e.ahtMs,
        createdAt,
      };
    }),
    { ordered: false },
  ).catch((err) => {
    ignoreDuplicates(err);
    inserted -= (err as { writeErrors?: unknown[] }).writeErrors?.length ?? 0;
  });
  return inserted;
}

function checkFacts(checks: Pick<QualityCheck, '_id' | 'orderId' | 'agentId' | 'items' | 'createdAt'>[]): Map<string, CheckFact[]> {
  const out = new Map<string, CheckFact[]>();
  for (const c of checks) {
    const k = String(c.orderId);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push({
      id: String(c._id),
      at: new Date(c.createdAt),
      agentId: String(c.agentId),
      failed: c.items.filter((i) => !i.passed).map((i) => i.item),
    });
  }
  return out;
}

/** Recomputes these orders' entries and inserts the missing ones. */
export async function accrueOrders(
  orderIds: (Types.ObjectId | string)[],
  opts: { now?: Date; medians?: Medians; teams?: Map<string, string | null> } = {},
): Promise<number> {
  if (orderIds.length === 0) return 0;
  const ids = [...new Set(orderIds.map(String))].map((id) => new Types.ObjectId(id));
  const now = opts.now ?? new Date();
  const [orders, checks, medians, teams] = await Promise.all([
    WorkOrderModel.find({ _id: { $in: ids } }).lean() as Promise<WorkOrder[]>,
    QualityCheckModel.find({ orderId: { $in: ids } }, { orderId: 1, agentId: 1, items: 1, createdAt: 1 }).lean(),
    opts.medians ? Promise.resolve(opts.medians) : loadMedians(),
    opts.teams ? Promise.resolve(opts.teams) : agentTeams(),
  ]);
  const byOrder = checkFacts(checks as never);
  const entries = orders.flatMap((o) =>
    pointsEntries(pointsInputOf(o, { now, agentTeam: teams, checks: byOrder.get(String(o._id)) }), medians, rulesAt),
  );
  return insertEntries(entries, teams);
}

async function cursor(id: 'events' | 'rollup'): Promise<number> {
  return (await PointsCursorModel.findById(id).lean())?.seq ?? 0;
}

/** Moves a cursor forward (never back); two instances racing both end at the larger value. */
async function advance(id: 'events' | 'rollup', seq: number): Promise<void> {
  try {
    await PointsCursorModel.updateOne({ _id: id, seq: { $lt: seq } }, { $set: { seq, at: new Date() } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // already at or past seq
  }
}

/** One pass over new events: the orders they name are recomputed. Returns the number of events read. */
export async function accrueFromEvents(opts: { limit?: number; now?: Date } = {}): Promise<{ events: number; inserted: number }> {
  const from = await cursor('events');
  const { events, last } = await readEventsAfter(from, { limit: opts.limit ?? 500, now: opts.now });
  const orderIds = events.filter((e) => e.orderId).map((e) => e.orderId!);
  const inserted = await accrueOrders(orderIds, { now: opts.now });
  if (last > from) await advance('events', last);
  return { events: events.length, inserted };
}

/**
 * Applies ledger entries after the roll-up cursor to points_totals (per agent: all time, month, quarter).
 * A totals document remembers the last seq applied to it, so a second application of the same entries changes
 * nothing; a guard that fails (someone else moved the document) ends the round and the next one re-reads.
 */
export async function rollupRound(opts: { now?: Date; limit?: number } = {}): Promise<number> {
  const now = (opts.now ?? new Date()).getTime();
  const from = await cursor('rollup');
  const docs = await PointsLedgerModel.find({ seq: { $gt: from } }, { seq: 1, agentId: 1, points: 1, at: 1, createdAt: 1 })
    .sort({ seq: 1 })
    .limit(opts.limit ?? 2000)
    .lean();
  let last = from;
  const take: typeof docs = [];
  for (const d of docs) {
    if (d.seq !== last + 1 && now - new Date(d.createdAt).getTime() < LEDGER_GAP_GRACE_MS) break;
    last = d.seq;
    take.push(d);
  }
  if (take.length === 0) return 0;
  const groups = new Map<string, { agentId: Types.ObjectId; period: string; items: { seq: number; points: number }[] }>();
  for (const e of take) {
    const p = periodKeys(new Date(e.at));
    for (const period of [p.all, p.month, p.quarter]) {
      const id = `${e.agentId}|${period}`;
      if (!groups.has(id)) groups.set(id, { agentId: e.agentId, period, items: [] });
      groups.get(id)!.items.push({ seq: e.seq, points: e.points });
    }
  }
  const existing = new Map(
    (await PointsTotalsModel.find({ _id: { $in: [...groups.keys()] } }, { appliedSeq: 1 }).lean()).map((d) => [d._id, d.appliedSeq ?? 0]),
  );
  for (const [id, g] of groups) {
    const applied = existing.get(id);
    const todo = g.items.filter((x) => x.seq > (applied ?? 0));
    if (todo.length === 0) continue;
    const delta = todo.reduce((s, x) => s + x.points, 0);
    const maxSeq = todo[todo.length - 1].seq;
    if (applied === undefined) {
      try {
        await PointsTotalsModel.create({ _id: id, agentId: g.agentId, period: g.period, points: delta, entries: todo.length, appliedSeq: maxSeq });
      } catch (err) {
        if (isDuplicateKeyError(err)) return 0;
        throw err;
      }
    } else {
      const r = await PointsTotalsModel.updateOne(
        { _id: id, appliedSeq: applied },
        { $inc: { points: delta, entries: todo.length }, $set: { appliedSeq: maxSeq } },
      );
      if (r.matchedCount === 0) return 0;
    }
  }
  await advance('rollup', last);
  return take.length;
}

/** AHT medians per type over the handled entries of the last 30 days (one small document). */
export async function refreshMedians(now = new Date()): Promise<Medians> {
  const since = new Date(now.getTime() - MEDIAN_WINDOW_DAYS * DAY_MS);
  const rows = await PointsLedgerModel.find({ rule: 'handled', at: { $gte: since }, ahtMs: { $ne: null } }, { orderType: 1, ahtMs: 1 }).lean();
  const medians = mediansOf(rows.map((r) => ({ type: r.orderType as never, ahtMs: r.ahtMs as number })));
  await saveMedians(medians, now);
  return medians;
}

async function saveMedians(medians: Medians, now: Date) {
  const samples = Object.fromEntries(Object.entries(medians).map(([k, v]) => [k, v?.samples ?? 0]));
  await PointsMediansModel.updateOne({ _id: MEDIANS_ID }, { $set: { byType: medians, samples, computedAt: now } }, { upsert: true }).catch((err) => {
    if (!isDuplicateKeyError(err)) throw err;
  });
}

/** One round of the accrual job: events → entries, entries → totals, medians when stale. */
export async function accrualRound(
  go: () => boolean = () => true,
  opts: { mediansEveryMs?: number } = {},
): Promise<{ inserted: number; rolled: number }> {
  await ensureSettingsFresh();
  let inserted = 0;
  let rolled = 0;
  for (let i = 0; i < 20 && go(); i++) {
    const r = await accrueFromEvents();
    inserted += r.inserted;
    if (r.events < 500) break;
  }
  for (let i = 0; i < 20 && go(); i++) {
    const n = await rollupRound();
    rolled += n;
    if (n < 2000) break;
  }
  if (go()) {
    const m = await PointsMediansModel.findById(MEDIANS_ID, { computedAt: 1 }).lean();
    if (!m || Date.now() - new Date(m.computedAt).getTime() > (opts.mediansEveryMs ?? 10 * 60_000)) await refreshMedians();
  }
  return { inserted, rolled };
}

/**
 * Full recompute for the history seed: every order's entries from the orders themselves (medians taken from the
 * same orders first), inserted when missing, then the roll-up to the end. Idempotent: a second run adds nothing.
 */
export async function rebuildPoints(
  opts: { now?: Date; batch?: number; log?: (msg: string) => void } = {},
): Promise<{ inserted: number; orders: number }> {
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? 2000;
  await ensureSettingsFresh();
  const teams = await agentTeams();
  const byOrder = checkFacts((await QualityCheckModel.find({}, { orderId: 1, agentId: 1, items: 1, createdAt: 1 }).lean()) as never);
  const inputs: PointsInput[] = [];
  let lastId: Types.ObjectId | null = null;
  let orders = 0;
  for (;;) {
    const page = (await WorkOrderModel.find(lastId ? { _id: { $gt: lastId } } : {})
      .sort({ _id: 1 })
      .limit(batch)
      .lean()) as WorkOrder[];
    if (page.length === 0) break;
    lastId = page[page.length - 1]._id;
    orders += page.length;
    for (const o of page) {
      const input = pointsInputOf(o, { now, agentTeam: teams, checks: byOrder.get(String(o._id)) });
      if (input.agentId || input.checks.length) inputs.push(input);
    }
  }
  const since = now.getTime() - MEDIAN_WINDOW_DAYS * DAY_MS;
  let recent = inputs.filter((i) => i.ahtMs !== null && i.resolvedAt && i.resolvedAt.getTime() >= since);
  if (recent.length === 0) recent = inputs.filter((i) => i.ahtMs !== null && i.resolvedAt); // a history that ended long ago
  const medians = mediansOf(recent.map((i) => ({ type: i.type, ahtMs: i.ahtMs as number })));
  await saveMedians(medians, now);
  let inserted = 0;
  for (let i = 0; i < inputs.length; i += batch) {
    const entries = inputs.slice(i, i + batch).flatMap((x) => pointsEntries(x, medians, rulesAt));
    inserted += await insertEntries(entries, teams);
  }
  opts.log?.(`积分重算：${orders}张工单，新增${inserted}条积分`);
  // Roll up everything (holes of duplicate keys are stepped over at once: the rebuild runs alone).
  for (;;) {
    const n = await rollupRound({ now: new Date(Date.now() + LEDGER_GAP_GRACE_MS), limit: 5000 });
    if (n === 0) break;
  }
  return { inserted, orders };
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface LedgerEntryView {
  key: string;
  at: string;
  orderNo: string | null;
  rule: string;
  ruleLabel: string;
  points: number;
  reason: string;
  rulesVersion: number;
}

const entryView = (e: LedgerEntry): LedgerEntryView => ({
  key: e.key,
  at: new Date(e.at).toISOString(),
  orderNo: e.orderNo,
  rule: e.rule,
  ruleLabel: POINTS_RULE_LABELS[e.rule as keyof typeof POINTS_RULE_LABELS] ?? '积分',
  points: e.points,
  reason: e.reason,
  rulesVersion: e.rulesVersion,
});

export interface PointsSummary {
  total: number;
  month: number;
  quarter: number;
  monthLabel: string;
  quarterLabel: string;
}

export async function summaryOf(agentId: string, now = new Date()): Promise<PointsSummary> {
  const p = periodKeys(now);
  const docs = await PointsTotalsModel.find(
    { _id: { $in: [p.all, p.month, p.quarter].map((k) => `${agentId}|${k}`) } },
    { period: 1, points: 1 },
  ).lean();
  const of = (k: string) => docs.find((d) => d.period === k)?.points ?? 0;
  return { total: of(p.all), month: of(p.month), quarter: of(p.quarter), monthLabel: periodLabel(p.month), quarterLabel: periodLabel(p.quarter) };
}

export async function ledgerOf(agentId: string, opts: { limit?: number; before?: number | null } = {}) {
  const filter: Record<string, unknown> = { agentId: new Types.ObjectId(agentId) };
  if (opts.before) filter.seq = { $lt: opts.before };
  const limit = opts.limit ?? 50;
  const rows = (await PointsLedgerModel.find(filter)
    .sort({ at: -1, seq: -1 })
    .limit(limit + 1)
    .lean()) as LedgerEntry[];
  return { entries: rows.slice(0, limit).map(entryView), more: rows.length > limit };
}

/** The agent's name and team (for the page header). */
async function agentCard(agentId: string) {
  const u = await UserModel.findById(agentId, { displayName: 1, teamId: 1 }).lean();
  const team = u?.teamId ? await TeamModel.findById(u.teamId, { name: 1 }).lean() : null;
  return { agentId, name: u?.displayName ?? '坐席', teamName: team?.name ?? null };
}

/** 我的积分: the caller's own totals and entries, newest first. */
export async function myPoints(user: AccessClaims, opts: { limit?: number } = {}) {
  const [card, summary, ledger] = await Promise.all([agentCard(user.sub), summaryOf(user.sub), ledgerOf(user.sub, opts)]);
  return { ...card, summary, ...ledger };
}

/** The teams (and their agents) whose ledgers the caller may read: a supervisor's teams; admin all. */
export async function pointsScope(user: Pick<AccessClaims, 'sub' | 'roles'>) {
  const all = user.roles.includes('admin');
  if (!all && !user.roles.includes('supervisor')) throw new DomainError('FORBIDDEN', '仅班组长和管理人员可查看班组积分');
  const teams = await TeamModel.find(all ? {} : { leaderId: new Types.ObjectId(user.sub) }, { name: 1, profession: 1 })
    .sort({ name: 1 })
    .lean();
  const teamIds = teams.map((t) => t._id);
  const members = await UserModel.find({ kind: 'staff', teamId: { $in: teamIds } }, { displayName: 1, teamId: 1, username: 1 })
    .sort({ username: 1 })
    .lean();
  return {
    all,
    teams: teams.map((t) => ({
      id: String(t._id),
      name: t.name,
      professionLabel: TEAM_PROFESSION_LABELS[t.profession as keyof typeof TEAM_PROFESSION_LABELS] ?? '',
      agents: members.filter((m) => String(m.teamId) === String(t._id)).map((m) => ({ id: String(m._id), name: m.displayName })),
    })),
  };
}

/** Whether `agentId` is in the caller's teams (admin: anyone on staff). */
export async function assertAgentInScope(user: Pick<AccessClaims, 'sub' | 'roles'>, agentId: string): Promise<void> {
  const scope = await pointsScope(user);
  if (scope.all) return;
  if (!scope.teams.some((t) => t.agents.some((a) => a.id === agentId))) throw new DomainError('FORBIDDEN', '只能查看本班组坐席的积分');
}

/** A team member's ledger (supervisor: their teams; admin: all). */
export async function agentPoints(user: AccessClaims, agentId: string, opts: { limit?: number } = {}) {
  await assertAgentInScope(user, agentId);
  const [card, summary, ledger] = await Promise.all([agentCard(agentId), summaryOf(agentId), ledgerOf(agentId, opts)]);
  return { ...card, summary, ...ledger };
}

/** The current period key of a kind ('2026-05', '2026-Q2', 'all'). */
export function currentPeriod(kind: PeriodKind, now = new Date()): string {
  return periodKeys(now)[kind];
}

/**
 * Leaderboards over the roll-up: every desk agent of every team ranked together (跨专业大排名, ties share a rank),
 * and per-team totals; the caller's own row is marked. Agents with no points yet are listed with 0.
 */
export async function leaderboard(user: Pick<AccessClaims, 'sub'>, input: { period: PeriodKind; key?: string | null }) {
  const key = input.key ?? currentPeriod(input.period);
  const [totals, teams, agents] = await Promise.all([
    PointsTotalsModel.find({ period: key }, { agentId: 1, points: 1, entries: 1 }).lean(),
    TeamModel.find({}, { name: 1, profession: 1 }).lean(),
    UserModel.find({ kind: 'staff', roles: { $in: ['agent', 'expert'] } }, { displayName: 1, teamId: 1, disabled: 1 }).lean(),
  ]);
  const teamOf = new Map(teams.map((t) => [String(t._id), t]));
  const pts = new Map(totals.map((t) => [String(t.agentId), t]));
  const people = new Map(agents.filter((a) => !a.disabled).map((a) => [String(a._id), a]));
  for (const t of totals)
    if (!people.has(String(t.agentId))) people.set(String(t.agentId), { _id: t.agentId, displayName: '', teamId: null } as never);
  const missing = [...people.values()].filter((p) => !p.displayName).map((p) => p._id);
  if (missing.length)
    for (const u of await UserModel.find({ _id: { $in: missing } }, { displayName: 1, teamId: 1 }).lean()) people.set(String(u._id), u as never);
  const rows = [...people.values()]
    .map((p) => {
      const id = String(p._id);
      const team = p.teamId ? teamOf.get(String(p.teamId)) : undefined;
      return {
        agentId: id,
        name: p.displayName || '坐席',
        teamId: team ? String(team._id) : null,
        teamName: team?.name ?? '未分班组',
        professionLabel: team ? (TEAM_PROFESSION_LABELS[team.profession as keyof typeof TEAM_PROFESSION_LABELS] ?? '') : '',
        points: pts.get(id)?.points ?? 0,
        entries: pts.get(id)?.entries ?? 0,
        isMe: id === user.sub,
        rank: 0,
      };
    })
    .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name, 'zh-CN'));
  rows.forEach((r, i) => {
    r.rank = i > 0 && rows[i - 1].points === r.points ? rows[i - 1].rank : i + 1;
  });
  const byTeam = new Map<string, { teamId: string; name: string; professionLabel: string; points: number; members: number; mine: boolean }>();
  for (const r of rows) {
    if (!r.teamId) continue;
    if (!byTeam.has(r.teamId))
      byTeam.set(r.teamId, { teamId: r.teamId, name: r.teamName, professionLabel: r.professionLabel, points: 0, members: 0, mine: false });
    const t = byTeam.get(r.teamId)!;
    t.points += r.points;
    t.members += 1;
    if (r.isMe) t.mine = true;
  }
  const teamRows = [...byTeam.values()]
    .map((t) => ({ ...t, average: t.members ? Math.round((t.points / t.members) * 10) / 10 : 0, rank: 0 }))
    .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name, 'zh-CN'));
  teamRows.forEach((r, i) => {
    r.rank = i > 0 && teamRows[i - 1].points === r.points ? teamRows[i - 1].rank : i + 1;
  });
  return { period: input.period, key, label: periodLabel(key), agents: rows, teams: teamRows };
}
