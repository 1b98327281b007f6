/**
 * Quality reports: dashboard (roll-ups only), drill-down (order facts behind a number, with the registry's
 * predicates) and CSV (exactly the drill-down's rows, or the per-agent table). Scope: quality.scope.ts.
 */
import { Types } from 'mongoose';
import { DomainError } from '../../lib/errors';
import {
  CHANNEL_LABELS,
  DRILL_PART_LABELS,
  METRIC_LABELS,
  ON_TIME_KIND_LABELS,
  ORDER_TYPE_LABELS,
  TEAM_PROFESSION_LABELS,
} from '../../shared/labels';
import { UserModel } from '../auth/user.model';
import type { AccessClaims } from '../auth/tokens';
import { GridNodeModel } from '../grid/grid.model';
import { deflectionByCategory } from '../knowledge/knowledge.service';
import { TeamModel } from '../staff/team.model';
import { toCsv } from '../statements/statement.rules';
import { shanghaiDate } from '../workorders/sla.rules';
import { CHANNELS, ORDER_TYPES } from '../workorders/workorder.rules';
import {
  type DayRange,
  type DrillItem,
  formatDelta,
  formatDuration,
  formatValue,
  inRange,
  METRIC_REGISTRY,
  metricDef,
  metricInfos,
} from './metrics.registry';
import { assertFiltersInScope, inScope, passesFilters, reportScopeOf } from './quality.scope';
import type {
  AgentRow,
  DashboardInput,
  DashboardOutput,
  DrillInput,
  DrillOutput,
  DrillRow,
  ExportInput,
  ExportOutput,
  GroupRow,
  MetricKey,
  MetricValue,
  OnTimeKind,
  QualityFilters,
  ReportScope,
  ScopeOutput,
  TrendBucket,
} from './quality.types';
import { ON_TIME_KINDS } from './quality.types';
import { addCounters, addHistograms, type AhtHistograms, type Counters, emptyCounters, histogramMedian, type RollupRow } from './rollup.rules';
import { QualityMetaModel } from './quality.model';
import { customerCounts, factsTouching, loadPeriods, orderIdsOfDays, rollupUpdatedAt } from './rollup.service';

const DAY_MS = 86_400_000;
const MAX_DAYS = 731;

// ---------------------------------------------------------------------------------------------
// Days

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => dayOf(dayMs(d) + n * DAY_MS);
const daysBetween = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;
const cn = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const cnFull = (d: string) => `${d.slice(0, 4)}年${cn(d)}`;
const rangeLabel = (r: DayRange) =>
  r.from === r.to ? cnFull(r.from) : `${cnFull(r.from)}至${r.from.slice(0, 4) === r.to.slice(0, 4) ? cn(r.to) : cnFull(r.to)}`;

function checkRange(r: DayRange) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.from) || !/^\d{4}-\d{2}-\d{2}$/.test(r.to) || Number.isNaN(dayMs(r.from)) || Number.isNaN(dayMs(r.to)))
    throw new DomainError('BAD_REQUEST', '日期格式不正确');
  if (r.from > r.to) throw new DomainError('BAD_REQUEST', '开始日期不能晚于结束日期');
  if (daysBetween(r.from, r.to) > MAX_DAYS) throw new DomainError('BAD_REQUEST', '查询期间不能超过两年');
}

/** The period documents covering [from, to]: whole months as month documents, the rest as days. */
function periodIds(r: DayRange): string[] {
  const ids: string[] = [];
  let d = r.from;
  while (d <= r.to) {
    const monthEnd = dayOf(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0));
    if (d.endsWith('-01') && monthEnd <= r.to) {
      ids.push(`m:${d.slice(0, 7)}`);
      d = addDays(monthEnd, 1);
    } else {
      ids.push(`d:${d}`);
      d = addDays(d, 1);
    }
  }
  return ids;
}

/** Shanghai '2026-11-03 14:05' (— for none). */
export function fmtTime(d: Date | string | null | undefined): string {
  if (!d) return '—';
  return new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------------
// Scope

export async function qualityScope(user: AccessClaims): Promise<ScopeOutput> {
  const scope = await reportScopeOf(user);
  const teamQ = scope.all ? {} : { _id: { $in: [...(scope.teamIds ?? [])].map((t) => new Types.ObjectId(t)) } };
  const [regions, teams] = await Promise.all([
    GridNodeModel.find(
      scope.all ? { kind: 'region' } : { kind: 'region', _id: { $in: [...(scope.regionIds ?? [])].map((r) => new Types.ObjectId(r)) } },
      { name: 1, code: 1 },
    )
      .sort({ code: 1 })
      .lean(),
    TeamModel.find(teamQ, { name: 1, profession: 1 }).sort({ name: 1 }).lean(),
  ]);
  const agents = await UserModel.find(scope.all ? { teamId: { $ne: null } } : { teamId: { $in: teams.map((t) => t._id) } }, {
    displayName: 1,
    teamId: 1,
  })
    .sort({ displayName: 1 })
    .lean();
  return {
    all: scope.all,
    regions: regions.map((r) => ({ id: String(r._id), name: r.name })),
    teams: teams.map((t) => ({ id: String(t._id), name: t.name, professionLabel: TEAM_PROFESSION_LABELS[t.profession] ?? '' })),
    agents: agents.map((a) => ({ id: String(a._id), name: a.displayName, teamId: a.teamId ? String(a.teamId) : null })),
    types: ORDER_TYPES.map((k) => ({ key: k, label: ORDER_TYPE_LABELS[k] })),
    channels: CHANNELS.map((k) => ({ key: k, label: CHANNEL_LABELS[k] })),
  };
}

// ---------------------------------------------------------------------------------------------
// Names

interface Names {
  region: Map<string, string>;
  team: Map<string, string>;
  agent: Map<string, string>;
}

async function namesFor(ids: { regions: Iterable<string | null>; teams: Iterable<string | null>; agents: Iterable<string | null> }): Promise<Names> {
  const oids = (xs: Iterable<string | null>) =>
    [...new Set([...xs].filter((x): x is string => !!x && Types.ObjectId.isValid(x)))].map((x) => new Types.ObjectId(x));
  const [regions, teams, agents] = await Promise.all([
    GridNodeModel.find({ _id: { $in: oids(ids.regions) } }, { name: 1 }).lean(),
    TeamModel.find({ _id: { $in: oids(ids.teams) } }, { name: 1 }).lean(),
    UserModel.find({ _id: { $in: oids(ids.agents) } }, { displayName: 1 }).lean(),
  ]);
  return {
    region: new Map(regions.map((r) => [String(r._id), r.name])),
    team: new Map(teams.map((t) => [String(t._id), t.name])),
    agent: new Map(agents.map((a) => [String(a._id), a.displayName])),
  };
}

// ---------------------------------------------------------------------------------------------
// Dashboard

interface Sliced {
  rows: RollupRow[];
  aht: AhtHistograms;
}

async function readRows(r: DayRange, scope: ReportScope, f: QualityFilters): Promise<Map<string, Sliced>> {
  const ids = periodIds(r);
  const docs = await loadPeriods(ids);
  const out = new Map<string, Sliced>();
  for (const id of ids) {
    const d = docs.get(id);
    out.set(id, { rows: (d?.rows ?? []).filter((row) => inScope(scope, row) && passesFilters(f, row)), aht: d?.aht ?? {} });
  }
  return out;
}

function sum(rows: Iterable<RollupRow>): Counters {
  const c = emptyCounters();
  for (const r of rows) addCounters(c, r);
  return c;
}

/** Customers (accounts) counted for 万户投诉率: the regions of the filter, else of the scope, else all. */
function customersIn(byRegion: Record<string, number>, scope: ReportScope, f: QualityFilters): number {
  const regions = f.regionIds?.length ? f.regionIds : scope.all ? Object.keys(byRegion) : [...(scope.regionIds ?? [])];
  return regions.reduce((s, r) => s + (byRegion[r] ?? 0), 0);
}

/** How long a computed deflection figure is reused: deflectionByCategory reads orders by reporter (a scan on the embedded server). */
const DEFLECTION_CACHE_MS = 15 * 60_000;

async function deflection(r: DayRange, now: Date): Promise<{ num: number; den: number }> {
  const key = `deflection:${r.from}:${r.to}`;
  const hit = (await QualityMetaModel.findById(key).lean()) as { at?: Date; num?: number; den?: number } | null;
  if (hit?.at && now.getTime() - new Date(hit.at).getTime() < DEFLECTION_CACHE_MS && hit.num !== undefined && hit.den !== undefined)
    return { num: hit.num, den: hit.den };
  const rows = await deflectionByCategory({ from: new Date(`${r.from}T00:00:00+08:00`), to: new Date(`${addDays(r.to, 1)}T00:00:00+08:00`), now });
  const num = rows.reduce((s, x) => s + x.deflected, 0);
  const den = num + rows.reduce((s, x) => s + x.filed, 0);
  await QualityMetaModel.updateOne({ _id: key }, { $set: { at: now, num, den } }, { upsert: true }).catch(() => undefined);
  return { num, den };
}

function metricValue(
  key: MetricKey,
  kind: OnTimeKind | null,
  cur: { num: number; den: number },
  prev: { num: number; den: number },
  provisional = false,
): MetricValue {
  const def = metricDef(key);
  const value = def.value(cur.num, cur.den);
  const previous = def.value(prev.num, prev.den);
  const delta = value !== null && previous !== null ? value - previous : null;
  const label = key === 'on_time' && kind && kind !== 'all' ? ON_TIME_KIND_LABELS[kind] : METRIC_LABELS[key];
  return {
    key,
    kind,
    label,
    unit: def.unit,
    value,
    numerator: cur.num,
    denominator: key === 'volume' ? cur.num : cur.den,
    previous,
    delta,
    display: formatValue(value, def.unit),
    previousDisplay: formatValue(previous, def.unit),
    deltaDisplay: formatDelta(delta, def.unit),
    provisional,
    definition: def.definition,
    drillable: def.items !== null,
  };
}

function buckets(r: DayRange, g: 'day' | 'week' | 'month'): TrendBucket[] {
  const out: TrendBucket[] = [];
  let d = r.from;
  while (d <= r.to) {
    let end: string;
    let label: string;
    if (g === 'day') {
      end = d;
      label = cn(d);
    } else if (g === 'week') {
      // Weeks run Monday–Sunday.
      const dow = (new Date(dayMs(d)).getUTCDay() + 6) % 7;
      end = addDays(d, 6 - dow);
      if (end > r.to) end = r.to;
      label = `${cn(d)}–${cn(end)}`;
    } else {
      end = dayOf(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0));
      if (end > r.to) end = r.to;
      label = `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月`;
    }
    out.push({ key: d, label, from: d, to: end });
    d = addDays(end, 1);
  }
  return out;
}

const TREND_METRICS: { key: MetricKey; kind: OnTimeKind | null }[] = [
  { key: 'volume', kind: null },
  { key: 'on_time', kind: 'all' },
  { key: 'aht', kind: null },
  { key: 'fcr', kind: null },
  { key: 'satisfaction', kind: null },
  { key: 'reopen_rate', kind: null },
  { key: 'merge_rate', kind: null },
  { key: 'complaint_rate', kind: null },
];

const disp = (v: number | null, unit: 'ratio' | 'duration' | 'per10k' | 'count') => formatValue(v, unit);
const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

function groupRow(id: string | null, name: string, c: Counters, customers: number | null): GroupRow {
  const onTime = ratio(c.otMet, c.otN);
  const aht = c.ahtN > 0 ? c.ahtSum / c.ahtN : null;
  const fcr = ratio(c.fcrYes + c.fcrProv, c.resolved);
  const sat = ratio(c.good, c.ratings);
  const reopen = ratio(c.reopened, c.resolved);
  const cr = customers ? (c.complaints / customers) * 10_000 : null;
  return {
    id,
    name,
    volume: c.created,
    onTime,
    onTimeDisplay: disp(onTime, 'ratio'),
    ahtMs: aht,
    ahtDisplay: disp(aht, 'duration'),
    fcr,
    fcrDisplay: disp(fcr, 'ratio'),
    satisfaction: sat,
    satisfactionDisplay: disp(sat, 'ratio'),
    complaints: c.complaints,
    complaintRate: cr,
    complaintRateDisplay: disp(cr, 'per10k'),
    reopenRate: reopen,
    reopenRateDisplay: disp(reopen, 'ratio'),
  };
}

/** The dashboard for a scope (server-side: the weekly PDF calls it with a team leader's scope). */
export async function dashboardFor(scope: ReportScope, input: DashboardInput, now = new Date()): Promise<DashboardOutput> {
  const r: DayRange = { from: input.from, to: input.to };
  checkRange(r);
  const f = input.filters ?? {};
  const g = input.granularity ?? (daysBetween(r.from, r.to) <= 45 ? 'day' : daysBetween(r.from, r.to) <= 180 ? 'week' : 'month');
  if (g === 'day' && daysBetween(r.from, r.to) > 93) throw new DomainError('BAD_REQUEST', '按日查看趋势时期间不能超过93天，请改为按周或按月');
  const n = daysBetween(r.from, r.to);
  const p: DayRange = { from: addDays(r.from, -n), to: addDays(r.from, -1) };

  const bs = buckets(r, g);
  // Trend buckets need their own documents unless they are whole months (month docs) — read per bucket.
  const [curDocs, prevDocs, byRegion, updatedAt, defCur, defPrev] = await Promise.all([
    readRows(r, scope, f),
    readRows(p, scope, f),
    customerCounts(),
    rollupUpdatedAt(),
    deflection(r, now),
    deflection(p, now),
  ]);
  const curRows = [...curDocs.values()].flatMap((d) => d.rows);
  const prevRows = [...prevDocs.values()].flatMap((d) => d.rows);
  const cur = sum(curRows);
  const prev = sum(prevRows);
  const customers = customersIn(byRegion, scope, f);

  const provisionalFrom = shanghaiDate(new Date(now.getTime() - 7 * DAY_MS));
  const fcrProvisional = r.to >= provisionalFrom;
  // The later of the two days (strings: 'YYYY-MM-DD' sorts as dates).
  const provStart = [provisionalFrom, r.from].sort()[1];
  const pair = (key: MetricKey, kind: OnTimeKind | null) => {
    if (key === 'deflection_rate') return { c: defCur, p: defPrev };
    const def = METRIC_REGISTRY[key];
    return { c: def.ratio(cur, kind, customers), p: def.ratio(prev, kind, customers) };
  };
  const metrics = (Object.keys(METRIC_REGISTRY) as MetricKey[]).map((k) => {
    const kind = k === 'on_time' ? 'all' : null;
    const { c, p: pv } = pair(k, kind);
    return metricValue(k, kind, c, pv, k === 'fcr' && fcrProvisional && cur.fcrProv > 0);
  });
  const onTimeByKind = ON_TIME_KINDS.filter((k) => k !== 'all')
    .map((k) => {
      const { c, p: pv } = pair('on_time', k);
      return { v: metricValue('on_time', k, c, pv), any: c.den + pv.den > 0 };
    })
    .filter((x) => x.any)
    .map((x) => x.v);

  // Trend: each bucket from the documents of its days (whole months from month documents).
  const bucketDocs = await Promise.all(
    bs.map((b) => (b.from >= r.from && b.to <= r.to ? readRowsCached(curDocs, b, scope, f) : readRows(b, scope, f))),
  );
  const bucketCounters = bucketDocs.map((m) => sum([...m.values()].flatMap((d) => d.rows)));
  const series = TREND_METRICS.map(({ key, kind }) => ({
    key,
    kind,
    label: kind && kind !== 'all' ? ON_TIME_KIND_LABELS[kind] : METRIC_LABELS[key],
    unit: METRIC_REGISTRY[key].unit,
    values: bucketCounters.map((c) => {
      const { num, den } = METRIC_REGISTRY[key].ratio(c, kind, customers);
      return METRIC_REGISTRY[key].value(num, den);
    }),
  }));

  // Volumes.
  const countBy = (keyOf: (row: RollupRow) => string | null) => {
    const m = new Map<string, number>();
    for (const row of curRows) {
      const k = keyOf(row);
      if (k && row.created) m.set(k, (m.get(k) ?? 0) + row.created);
    }
    return m;
  };

  // Tables.
  const agentC = new Map<string, Counters>();
  const agentAht = new Map<string, Map<string, [number, number]>>();
  const teamC = new Map<string, Counters>();
  const regionC = new Map<string, Counters>();
  const agentTeam = new Map<string, string | null>();
  for (const row of curRows) {
    if (row.agentId) {
      addCounters(agentC.get(row.agentId) ?? agentC.set(row.agentId, emptyCounters()).get(row.agentId)!, row);
      if (row.teamId) agentTeam.set(row.agentId, row.teamId);
      else if (!agentTeam.has(row.agentId)) agentTeam.set(row.agentId, null);
      if (row.ahtN) {
        const m = agentAht.get(row.agentId) ?? agentAht.set(row.agentId, new Map()).get(row.agentId)!;
        const cur2 = m.get(row.type) ?? [0, 0];
        m.set(row.type, [cur2[0] + row.ahtN, cur2[1] + row.ahtSum]);
      }
    }
    if (row.teamId) addCounters(teamC.get(row.teamId) ?? teamC.set(row.teamId, emptyCounters()).get(row.teamId)!, row);
    const rk = row.regionId ?? '';
    addCounters(regionC.get(rk) ?? regionC.set(rk, emptyCounters()).get(rk)!, row);
  }
  // Medians per type: company-wide histograms of the period.
  const hist: AhtHistograms = {};
  for (const d of curDocs.values()) addHistograms(hist, d.aht);
  const median = new Map(Object.entries(hist).map(([t, h]) => [t, histogramMedian(h)]));

  const names = await namesFor({ regions: regionC.keys(), teams: [...teamC.keys(), ...agentTeam.values()], agents: agentC.keys() });
  const agents: AgentRow[] = [...agentC.entries()]
    .map(([id, c]) => {
      const byType = agentAht.get(id) ?? new Map();
      let expected = 0;
      let n2 = 0;
      for (const [t, [cnt]] of byType) {
        const m = median.get(t);
        if (m !== null && m !== undefined) {
          expected += m * cnt;
          n2 += cnt;
        }
      }
      const aht = c.ahtN > 0 ? c.ahtSum / c.ahtN : null;
      const med = n2 > 0 ? expected / n2 : null;
      const idx = aht !== null && med ? aht / med : null;
      const teamId = agentTeam.get(id) ?? null;
      const onTime = ratio(c.otMet, c.otN);
      const fcr = ratio(c.fcrYes + c.fcrProv, c.resolved);
      const sat = ratio(c.good, c.ratings);
      const reopen = ratio(c.reopened, c.resolved);
      return {
        agentId: id,
        name: names.agent.get(id) ?? '已停用人员',
        teamId,
        teamName: teamId ? (names.team.get(teamId) ?? '—') : '未分班组',
        handled: c.resolved,
        ahtMs: aht,
        ahtDisplay: disp(aht, 'duration'),
        medianMs: med,
        medianDisplay: disp(med, 'duration'),
        ahtIndex: idx,
        ahtIndexDisplay: idx === null ? '—' : idx.toFixed(2),
        onTime,
        onTimeDisplay: disp(onTime, 'ratio'),
        fcr,
        fcrDisplay: disp(fcr, 'ratio'),
        satisfaction: sat,
        satisfactionDisplay: disp(sat, 'ratio'),
        ratings: c.ratings,
        reopenRate: reopen,
        reopenRateDisplay: disp(reopen, 'ratio'),
      };
    })
    .sort((a, b) => b.handled - a.handled || a.name.localeCompare(b.name, 'zh-CN'));
  const teams = [...teamC.entries()]
    .map(([id, c]) => groupRow(id, names.team.get(id) ?? '—', c, null))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  const regions = [...regionC.entries()]
    .map(([id, c]) => groupRow(id || null, id ? (names.region.get(id) ?? '—') : '未定区域', c, id ? (byRegion[id] ?? null) : null))
    .sort((a, b) => b.volume - a.volume);

  const byType = countBy((row) => row.type);
  const byChannel = countBy((row) => row.channel);
  const byRegionVol = countBy((row) => row.regionId ?? '');
  return {
    period: { from: r.from, to: r.to, label: rangeLabel(r), days: n },
    previous: { from: p.from, to: p.to, label: rangeLabel(p) },
    metrics,
    onTimeByKind,
    trend: { granularity: g, buckets: bs, series },
    volumes: {
      byType: ORDER_TYPES.filter((t) => byType.has(t)).map((t) => ({ key: t, label: ORDER_TYPE_LABELS[t], count: byType.get(t)! })),
      byChannel: CHANNELS.filter((c) => byChannel.has(c)).map((c) => ({ key: c, label: CHANNEL_LABELS[c], count: byChannel.get(c)! })),
      byRegion: [...byRegionVol.entries()]
        .map(([k, count]) => ({ key: k, label: k ? (names.region.get(k) ?? '—') : '未定区域', count }))
        .sort((a, b) => b.count - a.count),
      byDay: bs.map((b, i) => ({ key: b.key, label: b.label, count: bucketCounters[i].created })),
    },
    agents,
    teams,
    regions,
    fcr: {
      provisional: fcrProvisional,
      provisionalFrom: fcrProvisional ? provStart : null,
      note: fcrProvisional ? `${cnFull(provStart)}以后办结的工单不足7天，一次解决率为暂定值` : '',
    },
    updatedAt: updatedAt ? fmtTime(updatedAt).replace(/^(\d{4})-(\d{2})-(\d{2}) /, (_m, y, mo, d) => `${y}年${Number(mo)}月${Number(d)}日 `) : null,
    notes: ['万户投诉率的户数为范围内各供电区域的户号数', '自助分流率为全公司口径，不按区域、班组筛选'],
  };
}

/** A bucket inside the period: reuse the period's documents where the bucket's ids are among them. */
async function readRowsCached(docs: Map<string, Sliced>, b: DayRange, scope: ReportScope, f: QualityFilters) {
  const ids = periodIds(b);
  if (ids.every((id) => docs.has(id))) return new Map(ids.map((id) => [id, docs.get(id)!]));
  return readRows(b, scope, f);
}

export async function dashboard(user: AccessClaims, input: DashboardInput): Promise<DashboardOutput> {
  const scope = await reportScopeOf(user);
  await assertFiltersInScope(scope, input.filters);
  return dashboardFor(scope, input);
}

// ---------------------------------------------------------------------------------------------
// Drill-down and CSV

export const DRILL_COLUMNS = ['工单编号', '类型', '渠道', '区域', '班组', '处理人', '受理时间', '期限', '完成时间', '结果', '是否计入分子'];

async function drillItems(scope: ReportScope, input: Omit<DrillInput, 'page' | 'pageSize'>, now: Date): Promise<DrillItem[]> {
  const r: DayRange = { from: input.from, to: input.to };
  checkRange(r);
  const def = metricDef(input.metric);
  if (!def.items) throw new DomainError('BAD_REQUEST', `${METRIC_LABELS[input.metric]}不能查看明细工单`);
  void now;
  const f = input.filters ?? {};
  // The facts behind the period: by id from the day documents' lists (unique-key reads, no scan of all facts).
  const days: string[] = [];
  for (let d = r.from; d <= r.to; d = addDays(d, 1)) days.push(d);
  const facts = await factsTouching(days, await orderIdsOfDays(days));
  const kind = input.metric === 'on_time' ? (input.kind ?? 'all') : null;
  const items: DrillItem[] = [];
  for (const fact of facts) {
    if (!inScope(scope, fact) || !passesFilters(f, fact)) continue;
    if (!fact.days.some((d) => inRange(d, r))) continue;
    for (const it of def.items(fact, kind, r)) if (input.part === 'denominator' || it.inNumerator) items.push(it);
  }
  return items.sort((a, b) => a.fact.orderNo.localeCompare(b.fact.orderNo) || (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0));
}

async function toRows(items: DrillItem[]): Promise<DrillRow[]> {
  const names = await namesFor({
    regions: items.map((i) => i.fact.regionId),
    teams: items.map((i) => i.fact.teamId),
    agents: items.map((i) => i.fact.agentId),
  });
  return items.map(({ fact, dueAt, doneAt, outcome, inNumerator }) => ({
    orderId: fact.orderId,
    orderNo: fact.orderNo,
    typeLabel: ORDER_TYPE_LABELS[fact.type],
    channelLabel: CHANNEL_LABELS[fact.channel],
    regionName: fact.regionId ? (names.region.get(fact.regionId) ?? '—') : '—',
    teamName: fact.teamId ? (names.team.get(fact.teamId) ?? '—') : '—',
    agentName: fact.agentId ? (names.agent.get(fact.agentId) ?? '—') : '—',
    createdAt: fmtTime(fact.createdAt),
    dueAt: fmtTime(dueAt),
    doneAt: fmtTime(doneAt),
    outcome,
    inNumerator,
  }));
}

export async function drillFor(scope: ReportScope, input: DrillInput, now = new Date()): Promise<DrillOutput> {
  const items = await drillItems(scope, input, now);
  const pageSize = input.pageSize ?? 20;
  const page = Math.max(1, input.page ?? 1);
  const slice = items.slice((page - 1) * pageSize, page * pageSize);
  const kind = input.metric === 'on_time' ? (input.kind ?? 'all') : null;
  return {
    metricLabel: kind && kind !== 'all' ? ON_TIME_KIND_LABELS[kind] : METRIC_LABELS[input.metric],
    partLabel: DRILL_PART_LABELS[input.part],
    total: items.length,
    page,
    pageSize,
    columns: DRILL_COLUMNS,
    rows: await toRows(slice),
  };
}

export async function drill(user: AccessClaims, input: DrillInput): Promise<DrillOutput> {
  const scope = await reportScopeOf(user);
  await assertFiltersInScope(scope, input.filters);
  return drillFor(scope, input);
}

export const drillCsvLine = (r: DrillRow) => [
  r.orderNo,
  r.typeLabel,
  r.channelLabel,
  r.regionName,
  r.teamName,
  r.agentName,
  r.createdAt,
  r.dueAt,
  r.doneAt,
  r.outcome,
  r.inNumerator ? '是' : '否',
];

export const AGENT_COLUMNS = [
  '处理人',
  '班组',
  '办结量',
  '平均处理时长',
  '同类型中位数',
  '时长指数',
  '及时率',
  '一次解决率',
  '满意率',
  '评价数',
  '重复处理率',
];
export const agentCsvLine = (a: AgentRow) => [
  a.name,
  a.teamName,
  a.handled,
  a.ahtDisplay,
  a.medianDisplay,
  a.ahtIndexDisplay,
  a.onTimeDisplay,
  a.fcrDisplay,
  a.satisfactionDisplay,
  a.ratings,
  a.reopenRateDisplay,
];

export async function exportCsvFor(scope: ReportScope, input: ExportInput, now = new Date()): Promise<ExportOutput> {
  if (input.table === 'agents') {
    const d = await dashboardFor(scope, input, now);
    return {
      filename: `坐席指标_${input.from}_${input.to}.csv`,
      csv: toCsv([AGENT_COLUMNS, ...d.agents.map(agentCsvLine)]),
      rows: d.agents.length,
    };
  }
  const rows = await toRows(await drillItems(scope, input, now));
  const kind = input.metric === 'on_time' ? (input.kind ?? 'all') : null;
  const label = kind && kind !== 'all' ? ON_TIME_KIND_LABELS[kind] : METRIC_LABELS[input.metric];
  return {
    filename: `${label}_${DRILL_PART_LABELS[input.part]}明细_${input.from}_${input.to}.csv`,
    csv: toCsv([DRILL_COLUMNS, ...rows.map(drillCsvLine)]),
    rows: rows.length,
  };
}

export async function exportCsv(user: AccessClaims, input: ExportInput): Promise<ExportOutput> {
  const scope = await reportScopeOf(user);
  await assertFiltersInScope(scope, input.filters);
  return exportCsvFor(scope, input);
}

export { formatDuration, metricInfos };
