/**
 * Outage rules: kinds and states, scope matching, the 7-day notice rule for planned outages, fault
 * clustering (transformer-area and feeder rules) and who is told first. Pure — no I/O — so the
 * service, the router and the tests read one set of rules.
 */

export const OUTAGE_KINDS = ['planned', 'temporary', 'fault'] as const;
export type OutageKind = (typeof OUTAGE_KINDS)[number];
export const OUTAGE_KIND_LABELS: Record<OutageKind, string> = { planned: '计划停电', temporary: '临时检修', fault: '故障停电' };

/** Stored status; "upcoming" vs "in progress" is derived from the clock (see phaseOf). */
export const OUTAGE_STATUSES = ['published', 'restored', 'cancelled'] as const;
export type OutageStatus = (typeof OUTAGE_STATUSES)[number];
export type OutagePhase = 'upcoming' | 'active' | 'restored' | 'cancelled';
export const PHASE_LABELS: Record<OutagePhase, string> = { upcoming: '即将停电', active: '停电中', restored: '已恢复送电', cancelled: '已取消' };

/** Fault kinds that mean "no power": only these are linked to an outage, merged and counted for clustering. Danger and meter faults keep their own dispatch. */
export const OUTAGE_FAULT_KINDS = ['whole_house_outage', 'area_outage'] as const;
export const isOutageFaultKind = (k: string | null | undefined) => !!k && (OUTAGE_FAULT_KINDS as readonly string[]).includes(k);

const DAY = 86_400_000;
const MIN = 60_000;

// ---------------------------------------------------------------------------------------------
// Scope

export interface Scope {
  feederIds: readonly string[];
  transformerAreaIds: readonly string[];
}
export interface Place {
  transformerAreaId: string;
  feederId: string;
}

/** A place is in scope when its transformer area is listed or it hangs on a listed feeder. */
export function scopeCovers(scope: Scope, place: Place): boolean {
  return scope.transformerAreaIds.includes(place.transformerAreaId) || scope.feederIds.includes(place.feederId);
}

/** Every transformer area the scope covers, given the grid (area → feeder). Deduplicated, input order kept. */
export function expandScope(scope: Scope, areas: readonly { id: string; feederId: string }[]): string[] {
  const out = new Set<string>(scope.transformerAreaIds);
  for (const a of areas) if (scope.feederIds.includes(a.feederId)) out.add(a.id);
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Publication rules

export class OutageRuleError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}

export interface PublishRulesConfig {
  /** Planned outages must be announced at least this many days ahead (国家规定：计划停电提前7天公告). */
  plannedLeadDays: number;
}
export const DEFAULT_PUBLISH_RULES: PublishRulesConfig = { plannedLeadDays: 7 };

/** Throws the message the planner sees when a window or kind breaks the rules. */
export function checkPublication(
  p: { kind: OutageKind; startAt: Date; etr: Date | null; scope: Scope },
  now: Date,
  cfg: PublishRulesConfig = DEFAULT_PUBLISH_RULES,
): void {
  if (p.scope.feederIds.length === 0 && p.scope.transformerAreaIds.length === 0) throw new OutageRuleError('BAD_REQUEST', '请选择停电范围（线路或台区）');
  if (p.kind !== 'fault' && !p.etr) throw new OutageRuleError('BAD_REQUEST', '请填写预计恢复送电时间');
  if (p.etr && p.etr.getTime() <= p.startAt.getTime()) throw new OutageRuleError('BAD_REQUEST', '预计恢复送电时间须晚于停电开始时间');
  if (p.kind === 'planned') {
    const lead = p.startAt.getTime() - now.getTime();
    if (lead < cfg.plannedLeadDays * DAY) {
      throw new OutageRuleError(
        'BAD_REQUEST',
        `计划停电须至少提前${cfg.plannedLeadDays}天发布（当前距停电开始不足${cfg.plannedLeadDays}天）；如确需近期停电，请选择“临时检修”`,
      );
    }
  }
  if (p.kind === 'temporary' && p.startAt.getTime() < now.getTime() - DAY) throw new OutageRuleError('BAD_REQUEST', '临时检修开始时间不能早于一天前');
}

/** An ETR change on a planned outage may not move the start; the start of a planned outage inside the 7 days is frozen. */
export function checkEdit(
  cur: { kind: OutageKind; status: OutageStatus; startAt: Date; etr: Date | null },
  next: { startAt: Date; etr: Date | null },
  now: Date,
  cfg: PublishRulesConfig = DEFAULT_PUBLISH_RULES,
): void {
  if (cur.status !== 'published') throw new OutageRuleError('CONFLICT', '停电信息已结束，不能修改');
  if (cur.kind !== 'fault' && !next.etr) throw new OutageRuleError('BAD_REQUEST', '请填写预计恢复送电时间');
  if (next.etr && next.etr.getTime() <= next.startAt.getTime()) throw new OutageRuleError('BAD_REQUEST', '预计恢复送电时间须晚于停电开始时间');
  if (cur.kind === 'planned' && next.startAt.getTime() < cur.startAt.getTime() && next.startAt.getTime() - now.getTime() < cfg.plannedLeadDays * DAY) {
    throw new OutageRuleError('BAD_REQUEST', `计划停电提前须至少提前${cfg.plannedLeadDays}天公告；如确需提前，请改为临时检修重新发布`);
  }
}

/** Upcoming until it starts, active until restored or cancelled. */
export function phaseOf(o: { status: OutageStatus; startAt: Date }, now: Date): OutagePhase {
  if (o.status === 'restored') return 'restored';
  if (o.status === 'cancelled') return 'cancelled';
  return o.startAt.getTime() > now.getTime() ? 'upcoming' : 'active';
}

// ---------------------------------------------------------------------------------------------
// Clustering

export interface ClusterConfig {
  /** Reports from one transformer area within the window that suggest an outage there. */
  areaThreshold: number;
  windowMs: number;
  /** Distinct transformer areas of one feeder reporting within the window that suggest a feeder outage. */
  feederMinAreas: number;
}
export const DEFAULT_CLUSTER: ClusterConfig = { areaThreshold: 3, windowMs: 10 * MIN, feederMinAreas: 2 };

/**
 * Transformer-area rule over a sliding window: `recent` holds the latest report times of the area
 * (at least the last `areaThreshold`, any order). True when `areaThreshold` of them fall within the window ending at `now`.
 */
export function areaClusterFires(recent: readonly Date[], now: Date, cfg: ClusterConfig = DEFAULT_CLUSTER): boolean {
  const from = now.getTime() - cfg.windowMs;
  const inWindow = recent.filter((t) => t.getTime() > from && t.getTime() <= now.getTime()).length;
  return inWindow >= cfg.areaThreshold;
}

/** Feeder rule: the transformer areas of one feeder whose latest report falls within the window. */
export function feederAreasInWindow(lastByArea: Readonly<Record<string, Date>>, now: Date, cfg: ClusterConfig = DEFAULT_CLUSTER): string[] {
  const from = now.getTime() - cfg.windowMs;
  return Object.entries(lastByArea)
    .filter(([, t]) => t.getTime() > from && t.getTime() <= now.getTime())
    .map(([id]) => id)
    .sort();
}
export function feederClusterFires(lastByArea: Readonly<Record<string, Date>>, now: Date, cfg: ClusterConfig = DEFAULT_CLUSTER): boolean {
  return feederAreasInWindow(lastByArea, now, cfg).length >= cfg.feederMinAreas;
}

/** What a report proposes, widest scope first: a feeder outage beats one of its transformer areas. */
export function proposalScopes(
  r: { transformerAreaId: string; feederId: string; areaRecent: readonly Date[]; feederLastByArea: Readonly<Record<string, Date>> },
  now: Date,
  cfg: ClusterConfig = DEFAULT_CLUSTER,
): { level: 'feeder' | 'transformer_area'; id: string }[] {
  const out: { level: 'feeder' | 'transformer_area'; id: string }[] = [];
  if (feederClusterFires(r.feederLastByArea, now, cfg)) out.push({ level: 'feeder', id: r.feederId });
  if (areaClusterFires(r.areaRecent, now, cfg)) out.push({ level: 'transformer_area', id: r.transformerAreaId });
  return out;
}

export function validateClusterConfig(c: ClusterConfig): ClusterConfig {
  if (!Number.isInteger(c.areaThreshold) || c.areaThreshold < 2 || c.areaThreshold > 100) throw new OutageRuleError('BAD_REQUEST', '台区报修阈值须为2到100之间的整数');
  if (!Number.isInteger(c.feederMinAreas) || c.feederMinAreas < 2 || c.feederMinAreas > 50) throw new OutageRuleError('BAD_REQUEST', '线路台区数阈值须为2到50之间的整数');
  if (!(c.windowMs >= MIN && c.windowMs <= 120 * MIN)) throw new OutageRuleError('BAD_REQUEST', '聚类时间窗须在1到120分钟之间');
  return c;
}

// ---------------------------------------------------------------------------------------------
// Who is told first (seed 001: important and sensitive customers are contacted first)

export interface RecipientFlags {
  important?: boolean | null;
  sensitive?: boolean | null;
  vulnerable?: boolean | null;
  tier?: string | null;
}

/** 0 = first. Vulnerable (life support), important and sensitive customers, then A/B enterprises, then everyone else. */
export function noticeRank(f: RecipientFlags): number {
  if (f.vulnerable || f.important || f.sensitive) return 0;
  if (f.tier === 'A' || f.tier === 'B') return 1;
  return 2;
}

/** Stable order for fan-out: rank, then the key (deterministic across re-runs). */
export function orderRecipients<T extends { rank: number; key: string }>(rs: readonly T[]): T[] {
  return [...rs].sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Best rank of a person over every account of theirs in scope: one notice, at the earliest rank. */
export function mergeRecipients<T extends { key: string; rank: number; accountNumbers: string[]; channels: string[] }>(rs: readonly T[]): T[] {
  const by = new Map<string, T>();
  for (const r of rs) {
    const cur = by.get(r.key);
    if (!cur) {
      by.set(r.key, { ...r, accountNumbers: [...r.accountNumbers], channels: [...r.channels] });
      continue;
    }
    cur.rank = Math.min(cur.rank, r.rank);
    for (const n of r.accountNumbers) if (!cur.accountNumbers.includes(n)) cur.accountNumbers.push(n);
    for (const c of r.channels) if (!cur.channels.includes(c)) cur.channels.push(c);
  }
  return [...by.values()];
}

// ---------------------------------------------------------------------------------------------
// Notice texts

export type NoticeKind = 'published' | 'etr_changed' | 'restored' | 'cancelled';

const fmt = (d: Date | null) => {
  if (!d) return '待定';
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString(); // Asia/Shanghai
  return `${s.slice(5, 7)}月${s.slice(8, 10)}日${s.slice(11, 16)}`;
};
export const formatShanghai = fmt;

export function noticeText(kind: NoticeKind, o: { kind: OutageKind; areaText: string; startAt: Date; etr: Date | null; reason: string; restoredAt?: Date | null }): { title: string; body: string } {
  const k = OUTAGE_KIND_LABELS[o.kind];
  switch (kind) {
    case 'published':
      return {
        title: `${k}通知`,
        body: `${o.areaText}${o.kind === 'fault' ? '发生故障停电' : `将于${fmt(o.startAt)}停电`}，原因：${o.reason}。预计${fmt(o.etr)}恢复送电${o.kind === 'fault' ? '，抢修人员正在处理，无需重复报修' : '，请提前做好准备'}。`,
      };
    case 'etr_changed':
      return { title: `${k}恢复时间调整`, body: `${o.areaText}${k}预计恢复送电时间调整为${fmt(o.etr)}。给您带来不便，敬请谅解。` };
    case 'restored':
      return { title: '已恢复送电', body: `${o.areaText}已于${fmt(o.restoredAt ?? null)}恢复送电。如您家中仍无电，请再次报修。感谢您的耐心等待。` };
    case 'cancelled':
      return { title: `${k}取消`, body: `${o.areaText}原定${fmt(o.startAt)}的${k}已取消，正常供电。` };
  }
}
