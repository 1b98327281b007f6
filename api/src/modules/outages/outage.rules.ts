/**
 * Outage rules: kinds and states, scope matching, the 7-day notice rule for planned outages, fault
 * clustering (transformer-area and feeder rules) and who is told first. Pure — no I/O — so the
 * service, the router and the tests read one set of rules.
 */
import { DomainError } from '../../lib/errors';
import { OUTAGE_KIND_LABELS as OUTAGE_KIND_NAMES, OUTAGE_PHASE_LABELS } from '../../shared/labels';

export const OUTAGE_KINDS = ['planned', 'temporary', 'fault'] as const;
export type OutageKind = (typeof OUTAGE_KINDS)[number];
export const OUTAGE_KIND_LABELS: Record<OutageKind, string> = OUTAGE_KIND_NAMES;

/** Stored status; "upcoming" vs "in progress" is derived from the clock (see phaseOf). */
export const OUTAGE_STATUSES = ['published', 'restored', 'cancelled'] as const;
export type OutageStatus = (typeof OUTAGE_STATUSES)[number];
export type OutagePhase = 'upcoming' | 'active' | 'restored' | 'cancelled';
export const PHASE_LABELS: Record<OutagePhase, string> = OUTAGE_PHASE_LABELS;

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
  if (p.scope.feederIds.length === 0 && p.scope.transformerAreaIds.length === 0) throw new DomainError('BAD_REQUEST', '请选择停电范围（线路或台区）');
  if (p.kind !== 'fault' && !p.etr) throw new DomainError('BAD_REQUEST', '请填写预计恢复送电时间');
  if (p.etr && p.etr.getTime() <= p.startAt.getTime()) throw new DomainError('BAD_REQUEST', '预计恢复送电时间须晚于停电开始时间');
  if (p.kind === 'planned') {
    const lead = p.startAt.getTime() - now.getTime();
    if (lead < cfg.plannedLeadDays * DAY) {
      throw new DomainError(
        'BAD_REQUEST',
        `计划停电须至少提前${cfg.plannedLeadDays}天发布（当前距停电开始不足${cfg.plannedLeadDays}天）；如确需近期停电，请选择“临时检修”`,
      );
    }
  }
  if (p.kind === 'temporary' && p.startAt.getTime() < now.getTime() - DAY) throw new DomainError('BAD_REQUEST', '临时检修开始时间不能早于一天前');
}

/** Temporary maintenance reaches important customers at least this long ahead (SPEC §4: 临时检修提前24小时通知重要客户). */
export const IMPORTANT_NOTICE_HOURS = 24;

/** Whether publishing now leaves important customers in scope less than the 24 hours SPEC §4 promises them. */
export function importantNoticeShort(p: { kind: OutageKind; startAt: Date }, now: Date, importantInScope: number): boolean {
  return p.kind === 'temporary' && importantInScope > 0 && p.startAt.getTime() - now.getTime() < IMPORTANT_NOTICE_HOURS * 3_600_000;
}

/**
 * Temporary maintenance starting within 24 hours over important customers (重要客户, and tier A enterprises) is
 * refused unless the dispatcher records that those customers were reached by phone beforehand (who, when, by
 * whom): the written notice then goes out at once, important customers first. Repairs that cannot wait stay
 * possible; a silent short notice to a hospital or a factory line does not.
 */
export function checkImportantNotice(
  p: { kind: OutageKind; startAt: Date },
  now: Date,
  important: { count: number; contactNote: string | null | undefined },
): void {
  if (!importantNoticeShort(p, now, important.count)) return;
  if ((important.contactNote ?? '').trim().length >= 4) return;
  throw new DomainError(
    'BAD_REQUEST',
    `停电范围内有${important.count}户重要客户，临时检修须至少提前${IMPORTANT_NOTICE_HOURS}小时通知重要客户。距开始不足${IMPORTANT_NOTICE_HOURS}小时：请先电话通知重要客户，并填写电话通知记录（通知了谁、何时、由谁通知）后再发布`,
  );
}

/** An ETR change on a planned outage may not move the start; the start of a planned outage inside the 7 days is frozen. */
export function checkEdit(
  cur: { kind: OutageKind; status: OutageStatus; startAt: Date; etr: Date | null },
  next: { startAt: Date; etr: Date | null },
  now: Date,
  cfg: PublishRulesConfig = DEFAULT_PUBLISH_RULES,
): void {
  if (cur.status !== 'published') throw new DomainError('CONFLICT', '停电信息已结束，不能修改');
  if (cur.kind !== 'fault' && !next.etr) throw new DomainError('BAD_REQUEST', '请填写预计恢复送电时间');
  if (next.etr && next.etr.getTime() <= next.startAt.getTime()) throw new DomainError('BAD_REQUEST', '预计恢复送电时间须晚于停电开始时间');
  if (
    cur.kind === 'planned' &&
    next.startAt.getTime() < cur.startAt.getTime() &&
    next.startAt.getTime() - now.getTime() < cfg.plannedLeadDays * DAY
  ) {
    throw new DomainError('BAD_REQUEST', `计划停电提前须至少提前${cfg.plannedLeadDays}天公告；如确需提前，请改为临时检修重新发布`);
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
  /**
   * Feeder rule, first form: at least this many transformer areas of one feeder, EACH at or above its own
   * `areaThreshold` within the window. Two unrelated single-house reports in two areas are not a feeder outage.
   */
  feederMinAreas: number;
  /**
   * Feeder rule, second form: reports within the window from at least `feederMinAreas` areas that add up to
   * this share (per cent) of the feeder's customers — and never fewer than feederMinAreas × areaThreshold.
   */
  feederSharePct: number;
  /** History (days before the window) that gives each scope its normal report rate. */
  baselineDays: number;
}
export const DEFAULT_CLUSTER: ClusterConfig = { areaThreshold: 3, windowMs: 10 * MIN, feederMinAreas: 2, feederSharePct: 2, baselineDays: 28 };

const inWindow = (times: readonly Date[], now: Date, cfg: ClusterConfig) => {
  const from = now.getTime() - cfg.windowMs;
  return times.filter((t) => t.getTime() > from && t.getTime() <= now.getTime()).length;
};

/**
 * Transformer-area rule over a sliding window: `recent` holds the latest report times of the area
 * (at least the last `areaThreshold`, any order). True when `areaThreshold` of them fall within the window ending at `now`.
 */
export function areaClusterFires(recent: readonly Date[], now: Date, cfg: ClusterConfig = DEFAULT_CLUSTER): boolean {
  return inWindow(recent, now, cfg) >= cfg.areaThreshold;
}

/** The transformer areas of one feeder with at least one report within the window (sorted ids). */
export function feederAreasInWindow(
  recentByArea: Readonly<Record<string, readonly Date[]>>,
  now: Date,
  cfg: ClusterConfig = DEFAULT_CLUSTER,
): string[] {
  return Object.entries(recentByArea)
    .filter(([, ts]) => inWindow(ts, now, cfg) > 0)
    .map(([id]) => id)
    .sort();
}

export interface FeederEvidence {
  /** Reports within the window over the whole feeder (each area counted up to what its list keeps). */
  reports: number;
  /** Areas with at least one report within the window. */
  areas: string[];
  /** Areas at or above their own threshold within the window. */
  areasOverThreshold: string[];
  /** Reports needed for the share form (null: the feeder's customer count is unknown). */
  shareNeeded: number | null;
  /** Which form fired, if any. */
  by: 'areas' | 'share' | null;
}

/** Reports the share form needs for a feeder of `customers` customers. */
export function feederShareNeeded(customers: number, cfg: ClusterConfig = DEFAULT_CLUSTER): number {
  return Math.max(cfg.feederMinAreas * cfg.areaThreshold, Math.ceil((customers * cfg.feederSharePct) / 100));
}

/**
 * Feeder rule: evidence that scales with the feeder. Fires when `feederMinAreas` areas are each above their
 * own threshold, or when reports from at least `feederMinAreas` areas reach `feederSharePct` % of the feeder's customers.
 */
export function feederEvidence(
  recentByArea: Readonly<Record<string, readonly Date[]>>,
  customers: number | null,
  now: Date,
  cfg: ClusterConfig = DEFAULT_CLUSTER,
): FeederEvidence {
  const counts = Object.entries(recentByArea).map(([id, ts]) => [id, inWindow(ts, now, cfg)] as const);
  const areas = counts
    .filter(([, n]) => n > 0)
    .map(([id]) => id)
    .sort();
  const areasOverThreshold = counts
    .filter(([, n]) => n >= cfg.areaThreshold)
    .map(([id]) => id)
    .sort();
  const reports = counts.reduce((s, [, n]) => s + n, 0);
  const shareNeeded = customers != null && customers > 0 ? feederShareNeeded(customers, cfg) : null;
  const by =
    areasOverThreshold.length >= cfg.feederMinAreas
      ? 'areas'
      : shareNeeded != null && areas.length >= cfg.feederMinAreas && reports >= shareNeeded
        ? 'share'
        : null;
  return { reports, areas, areasOverThreshold, shareNeeded, by };
}
export function feederClusterFires(
  recentByArea: Readonly<Record<string, readonly Date[]>>,
  customers: number | null,
  now: Date,
  cfg: ClusterConfig = DEFAULT_CLUSTER,
): boolean {
  return feederEvidence(recentByArea, customers, now, cfg).by != null;
}

/** What a report proposes, widest scope first: a feeder outage beats one of its transformer areas. */
export function proposalScopes(
  r: { transformerAreaId: string; feederId: string; recentByArea: Readonly<Record<string, readonly Date[]>>; feederCustomers: number | null },
  now: Date,
  cfg: ClusterConfig = DEFAULT_CLUSTER,
): { level: 'feeder' | 'transformer_area'; id: string }[] {
  const out: { level: 'feeder' | 'transformer_area'; id: string }[] = [];
  if (feederClusterFires(r.recentByArea, r.feederCustomers, now, cfg)) out.push({ level: 'feeder', id: r.feederId });
  if (areaClusterFires(r.recentByArea[r.transformerAreaId] ?? [], now, cfg)) out.push({ level: 'transformer_area', id: r.transformerAreaId });
  return out;
}

/** The rule a proposal of this level answers to, as dispatchers read it. */
export function clusterRuleText(level: 'feeder' | 'transformer_area', cfg: ClusterConfig = DEFAULT_CLUSTER): string {
  const win = Math.round(cfg.windowMs / MIN);
  return level === 'feeder'
    ? `${win}分钟内同一线路${cfg.feederMinAreas}个及以上台区各达${cfg.areaThreshold}户报修，或多个台区报修合计达线路用户的${cfg.feederSharePct}%`
    : `${win}分钟内同一台区${cfg.areaThreshold}户及以上报修`;
}

// ---------------------------------------------------------------------------------------------
// How unusual a count is: exact Poisson tail against the scope's normal report rate

const LN_FACT_CACHE: number[] = [0];
function lnFactorial(n: number): number {
  for (let i = LN_FACT_CACHE.length; i <= n; i++) LN_FACT_CACHE[i] = LN_FACT_CACHE[i - 1] + Math.log(i);
  return LN_FACT_CACHE[n];
}

/**
 * P(X ≥ k) for X ~ Poisson(λ), exact (summed term by term in log space, so 1e-30 stays 1e-30 instead of
 * rounding to 0 through 1 − CDF).
 */
export function poissonTail(k: number, lambda: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a whole number ≥ 0');
  if (!(lambda >= 0)) throw new RangeError('lambda must be ≥ 0');
  if (k === 0) return 1;
  if (lambda === 0) return 0;
  const lnTerm = (i: number) => -lambda + i * Math.log(lambda) - lnFactorial(i);
  if (k > lambda) {
    // Upper tail directly: terms fall from i = k on.
    let sum = 0;
    for (let i = k; i < k + 10_000; i++) {
      const t = Math.exp(lnTerm(i));
      sum += t;
      if (t < sum * 1e-17) break;
    }
    return Math.min(1, sum);
  }
  // 1 − P(X ≤ k−1): the lower tail is the small part here.
  let lower = 0;
  for (let i = 0; i < k; i++) lower += Math.exp(lnTerm(i));
  return Math.max(0, Math.min(1, 1 - lower));
}

export interface Unusualness {
  /** Reports in the window that raised the proposal. */
  observed: number;
  /** Reports a window of this length normally sees in this scope (λ). */
  expected: number;
  /** P(at least `observed` in one window | normal rate): the smaller, the less likely chance. */
  pValue: number;
  /** History the normal rate comes from. */
  baselineReports: number;
  baselineDays: number;
  /** e.g. 平时每10分钟约0.004起（近28天9起），本次5起；偶然出现的概率约3.1×10⁻¹² */
  text: string;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};
/** 0.000031 → "3.1×10⁻⁵"; 0.042 → "4.2%". */
export function formatProbability(p: number): string {
  if (p >= 0.01) return `${(p * 100).toFixed(p >= 0.1 ? 0 : 1)}%`;
  if (p <= 0) return '低于10⁻³⁰⁰';
  const exp = Math.floor(Math.log10(p));
  const mant = p / 10 ** exp;
  const m = mant.toFixed(1);
  return `${m === '10.0' ? '1.0' : m}×10${String(m === '10.0' ? exp + 1 : exp).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

/**
 * How unusual `observed` reports in one window are, given `baselineReports` over the `baselineDays` before it.
 * The rate gets half a report of prior (Jeffreys), so a scope with no history is not infinitely surprising.
 */
export function unusualness(observed: number, baselineReports: number, cfg: ClusterConfig = DEFAULT_CLUSTER): Unusualness {
  const baselineMs = cfg.baselineDays * DAY;
  const expected = ((baselineReports + 0.5) / baselineMs) * cfg.windowMs;
  const pValue = poissonTail(observed, expected);
  const win = Math.round(cfg.windowMs / MIN);
  const exp = expected >= 0.1 ? expected.toFixed(1) : expected >= 0.001 ? expected.toFixed(3) : expected.toExponential(1);
  return {
    observed,
    expected,
    pValue,
    baselineReports,
    baselineDays: cfg.baselineDays,
    text: `平时每${win}分钟约${exp}起（近${cfg.baselineDays}天${baselineReports}起），本次${observed}起；偶然出现的概率约${formatProbability(pValue)}`,
  };
}

export function validateClusterConfig(c: ClusterConfig): ClusterConfig {
  if (!Number.isInteger(c.areaThreshold) || c.areaThreshold < 2 || c.areaThreshold > 100)
    throw new DomainError('BAD_REQUEST', '台区报修阈值须为2到100之间的整数');
  if (!Number.isInteger(c.feederMinAreas) || c.feederMinAreas < 2 || c.feederMinAreas > 50)
    throw new DomainError('BAD_REQUEST', '线路台区数阈值须为2到50之间的整数');
  if (!(c.windowMs >= MIN && c.windowMs <= 120 * MIN)) throw new DomainError('BAD_REQUEST', '聚类时间窗须在1到120分钟之间');
  if (!(c.feederSharePct > 0 && c.feederSharePct <= 100)) throw new DomainError('BAD_REQUEST', '线路报修占比须在0到100%之间');
  if (!Number.isInteger(c.baselineDays) || c.baselineDays < 1 || c.baselineDays > 365)
    throw new DomainError('BAD_REQUEST', '常态报修率统计天数须为1到365之间的整数');
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

export function noticeText(
  kind: NoticeKind,
  o: { kind: OutageKind; areaText: string; startAt: Date; etr: Date | null; reason: string; restoredAt?: Date | null },
): { title: string; body: string } {
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
