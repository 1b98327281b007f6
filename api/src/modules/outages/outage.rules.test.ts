import { DomainError } from '../../lib/errors';
import { describe, expect, it } from 'vitest';
import {
  areaClusterFires,
  checkEdit,
  checkImportantNotice,
  checkPublication,
  clusterRuleText,
  DEFAULT_CLUSTER,
  expandScope,
  feederAreasInWindow,
  feederClusterFires,
  feederEvidence,
  feederShareNeeded,
  formatProbability,
  importantNoticeShort,
  isOutageFaultKind,
  mergeRecipients,
  noticeRank,
  orderRecipients,
  phaseOf,
  poissonTail,
  proposalScopes,
  scopeCovers,
  unusualness,
  validateClusterConfig,
} from './outage.rules';

const now = new Date('2026-12-01T02:00:00Z');
const min = (m: number) => new Date(now.getTime() + m * 60_000);
const days = (d: number) => new Date(now.getTime() + d * 86_400_000);
const scope = { feederIds: ['F1'], transformerAreaIds: [] as string[] };

describe('scope matching', () => {
  it('covers a transformer area listed directly or through its feeder', () => {
    expect(scopeCovers({ feederIds: [], transformerAreaIds: ['T1'] }, { transformerAreaId: 'T1', feederId: 'F9' })).toBe(true);
    expect(scopeCovers({ feederIds: ['F1'], transformerAreaIds: [] }, { transformerAreaId: 'T7', feederId: 'F1' })).toBe(true);
    expect(scopeCovers({ feederIds: ['F1'], transformerAreaIds: ['T2'] }, { transformerAreaId: 'T3', feederId: 'F2' })).toBe(false);
  });
  it('expands feeders to their areas without duplicates', () => {
    const areas = [
      { id: 'T1', feederId: 'F1' },
      { id: 'T2', feederId: 'F1' },
      { id: 'T3', feederId: 'F2' },
    ];
    expect(expandScope({ feederIds: ['F1'], transformerAreaIds: ['T1', 'T3'] }, areas).sort()).toEqual(['T1', 'T2', 'T3']);
  });
  it('only "no power" fault kinds link and cluster; danger keeps its own dispatch', () => {
    expect(isOutageFaultKind('whole_house_outage')).toBe(true);
    expect(isOutageFaultKind('area_outage')).toBe(true);
    expect(isOutageFaultKind('sparking')).toBe(false);
    expect(isOutageFaultKind('meter_problem')).toBe(false);
    expect(isOutageFaultKind(null)).toBe(false);
  });
});

describe('7-day rule for planned outages', () => {
  it('refuses a planned outage less than 7 days ahead, with a message pointing to temporary maintenance', () => {
    const err = (() => {
      try {
        checkPublication({ kind: 'planned', startAt: days(6.9), etr: days(7), scope }, now);
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect(err!.code).toBe('BAD_REQUEST');
    expect(err!.message).toContain('至少提前7天');
    expect(err!.message).toContain('临时检修');
  });
  it('accepts exactly 7 days ahead, and temporary maintenance at any time from now', () => {
    expect(() => checkPublication({ kind: 'planned', startAt: days(7), etr: days(7.2), scope }, now)).not.toThrow();
    expect(() => checkPublication({ kind: 'temporary', startAt: min(30), etr: min(240), scope }, now)).not.toThrow();
    expect(() => checkPublication({ kind: 'fault', startAt: min(-5), etr: null, scope }, now)).not.toThrow();
  });
  it('needs a scope, an ETR after the start (fault outages may leave it open)', () => {
    expect(() => checkPublication({ kind: 'temporary', startAt: min(1), etr: min(1), scope }, now)).toThrow('须晚于');
    expect(() => checkPublication({ kind: 'temporary', startAt: min(1), etr: null, scope }, now)).toThrow('预计恢复');
    expect(() => checkPublication({ kind: 'fault', startAt: min(1), etr: null, scope: { feederIds: [], transformerAreaIds: [] } }, now)).toThrow(
      '停电范围',
    );
  });
  it('a planned outage cannot be pulled forward inside the 7 days; ETR changes are fine', () => {
    const cur = { kind: 'planned' as const, status: 'published' as const, startAt: days(8), etr: days(8.3) };
    expect(() => checkEdit(cur, { startAt: days(3), etr: days(3.3) }, now)).toThrow('临时检修');
    expect(() => checkEdit(cur, { startAt: days(8), etr: days(8.5) }, now)).not.toThrow();
    expect(() => checkEdit({ ...cur, status: 'restored' }, { startAt: days(8), etr: days(9) }, now)).toThrow('已结束');
  });
  it('phase: upcoming before the start, active after, until restored or cancelled', () => {
    expect(phaseOf({ status: 'published', startAt: min(1) }, now)).toBe('upcoming');
    expect(phaseOf({ status: 'published', startAt: min(0) }, now)).toBe('active');
    expect(phaseOf({ status: 'restored', startAt: min(-10) }, now)).toBe('restored');
  });
});

describe('clustering: transformer-area rule (≥3 reports within 10 minutes, sliding)', () => {
  it('fires on the third report inside the window', () => {
    expect(areaClusterFires([min(-9), min(-4)], now)).toBe(false);
    expect(areaClusterFires([min(-9), min(-4), now], now)).toBe(true);
  });
  it('reports older than the window do not count (10 minutes exactly is outside)', () => {
    expect(areaClusterFires([min(-10), min(-4), now], now)).toBe(false);
    expect(areaClusterFires([min(-11), min(-12), min(-13), now], now)).toBe(false);
  });
  it('the window slides: reports straddling a fixed 10-minute boundary still cluster', () => {
    const t = new Date('2026-12-01T02:10:30Z');
    expect(areaClusterFires([new Date('2026-12-01T02:09:40Z'), new Date('2026-12-01T02:09:55Z'), t], t)).toBe(true);
  });
  it('threshold and window are configurable', () => {
    const cfg = { ...DEFAULT_CLUSTER, areaThreshold: 5, windowMs: 5 * 60_000 };
    expect(areaClusterFires([min(-4), min(-3), min(-2), now], now, cfg)).toBe(false);
    expect(areaClusterFires([min(-4), min(-3), min(-2), min(-1), now], now, cfg)).toBe(true);
    expect(areaClusterFires([min(-6), min(-3), min(-2), min(-1), now], now, cfg)).toBe(false);
    expect(() => validateClusterConfig({ ...DEFAULT_CLUSTER, areaThreshold: 1 })).toThrow(DomainError);
  });
});

describe('clustering: feeder rule (evidence that scales with the feeder)', () => {
  const times = (...m: number[]) => m.map(min);
  it('two unrelated single-house reports from two areas of one feeder are NOT a feeder outage', () => {
    expect(feederClusterFires({ T1: times(-3), T2: [now] }, 400, now)).toBe(false);
    expect(feederClusterFires({ T1: times(-3), T2: [now] }, null, now)).toBe(false);
    // Many healthy feeders, each with one report in two of its areas: none is proposed.
    let proposed = 0;
    for (let f = 0; f < 25; f++) {
      const r = proposalScopes(
        { transformerAreaId: 'T2', feederId: `F${f}`, recentByArea: { T1: times(-(f % 9) - 1), T2: [now] }, feederCustomers: 300 + f * 40 },
        now,
      );
      if (r.some((x) => x.level === 'feeder')) proposed++;
    }
    expect(proposed).toBe(0);
  });
  it('fires when two areas are EACH above their own threshold', () => {
    const ev = feederEvidence({ T1: times(-5, -4, -3), T2: times(-2, -1, 0), T3: times(-1) }, null, now);
    expect(ev.by).toBe('areas');
    expect(ev.areasOverThreshold).toEqual(['T1', 'T2']);
    expect(ev.reports).toBe(7);
    expect(feederClusterFires({ T1: times(-5, -4, -3), T2: times(-2, -1) }, null, now)).toBe(false);
  });
  it("or when reports from several areas reach a share of the feeder's customers (never fewer than areas × threshold)", () => {
    // 300 customers × 2% = 6 reports; 2+2+2 from three areas (none over its own threshold) fires.
    const spread = { T1: times(-5, -4), T2: times(-3, -2), T3: times(-1, 0) };
    expect(feederShareNeeded(300)).toBe(6);
    expect(feederEvidence(spread, 300, now).by).toBe('share');
    // A big feeder needs more: 2,000 customers × 2% = 40.
    expect(feederShareNeeded(2000)).toBe(40);
    expect(feederEvidence(spread, 2000, now).by).toBeNull();
    // A tiny feeder still needs feederMinAreas × areaThreshold reports.
    expect(feederShareNeeded(20)).toBe(6);
    // Unknown size: only the per-area form.
    expect(feederEvidence(spread, null, now).by).toBeNull();
    // All from one area is the area rule's business, not the feeder's.
    expect(feederEvidence({ T1: times(-5, -4, -3, -2, -1, 0), T2: [] }, 100, now).by).toBeNull();
  });
  it('reports outside the window do not count (10 minutes exactly is outside)', () => {
    expect(feederClusterFires({ T1: times(-15, -12, -11), T2: times(-2, -1, 0) }, null, now)).toBe(false);
    expect(feederClusterFires({ T1: times(-10, -4, -3), T2: times(-2, -1, 0) }, null, now)).toBe(false);
    expect(feederAreasInWindow({ T1: times(-15), T2: [now], T3: times(-9) }, now)).toEqual(['T2', 'T3']);
  });
  it('proposes the feeder (widest scope) first, then the area', () => {
    const r = proposalScopes(
      { transformerAreaId: 'T2', feederId: 'F1', recentByArea: { T1: times(-5, -4, -3), T2: times(-2, -1, 0) }, feederCustomers: null },
      now,
    );
    expect(r).toEqual([
      { level: 'feeder', id: 'F1' },
      { level: 'transformer_area', id: 'T2' },
    ]);
    expect(proposalScopes({ transformerAreaId: 'T2', feederId: 'F1', recentByArea: { T2: [now] }, feederCustomers: 100 }, now)).toEqual([]);
    expect(
      proposalScopes({ transformerAreaId: 'T2', feederId: 'F1', recentByArea: { T1: times(-3), T2: times(-1, -1, 0) }, feederCustomers: 100 }, now),
    ).toEqual([{ level: 'transformer_area', id: 'T2' }]);
  });
  it('the feeder minimum and share are configurable, and validated', () => {
    const cfg = { ...DEFAULT_CLUSTER, feederMinAreas: 3 };
    const two = { T1: times(-5, -4, -3), T2: times(-2, -1, 0) };
    expect(feederClusterFires(two, null, now, cfg)).toBe(false);
    expect(feederClusterFires({ ...two, T3: times(-1, -1, 0) }, null, now, cfg)).toBe(true);
    expect(feederShareNeeded(1000, { ...DEFAULT_CLUSTER, feederSharePct: 5 })).toBe(50);
    expect(() => validateClusterConfig({ ...DEFAULT_CLUSTER, feederSharePct: 0 })).toThrow(DomainError);
    expect(() => validateClusterConfig({ ...DEFAULT_CLUSTER, baselineDays: 0 })).toThrow(DomainError);
    expect(clusterRuleText('feeder')).toContain('各达3户');
    expect(clusterRuleText('transformer_area')).toBe('10分钟内同一台区3户及以上报修');
  });
});

describe('how unusual a count is: exact Poisson tail against the normal rate', () => {
  it('matches hand-computed values', () => {
    // λ = 1: P(X ≥ 1) = 1 − e⁻¹; P(X ≥ 3) = 1 − e⁻¹(1 + 1 + 1/2)
    expect(poissonTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(poissonTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * 2.5, 12);
    // λ = 0.01, k = 3: ≈ λ³/6 · e^(−λ)(1 + λ/4 + …)
    const p = poissonTail(3, 0.01);
    expect(p / ((0.01 ** 3 / 6) * Math.exp(-0.01) * (1 + 0.01 / 4 + 0.01 ** 2 / 20))).toBeCloseTo(1, 6);
    expect(poissonTail(0, 5)).toBe(1);
    expect(poissonTail(4, 0)).toBe(0);
  });
  it('stays exact far in the tail (no 1 − CDF rounding to zero)', () => {
    const p = poissonTail(20, 0.001);
    expect(p).toBeGreaterThan(0);
    // ln P = −λ + 20 ln λ − ln 20! + ln(1 + λ/21 + λ²/(21·22) + …)
    const ln = -0.001 + 20 * Math.log(0.001) - Math.log(2432902008176640000) + Math.log(1 + 0.001 / 21 + 0.001 ** 2 / 462);
    expect(Math.log(p)).toBeCloseTo(ln, 9);
  });
  it('is monotone: more reports are less likely; a busier normal rate makes them more likely', () => {
    expect(poissonTail(5, 0.5)).toBeLessThan(poissonTail(4, 0.5));
    expect(poissonTail(4, 2)).toBeGreaterThan(poissonTail(4, 0.5));
  });
  it('gives the proposal its numbers and a sentence for the dispatcher', () => {
    // 28 days × 144 windows of 10 minutes = 4032 windows; 40 reports → λ = 40.5/4032
    const u = unusualness(3, 40);
    expect(u.expected).toBeCloseTo(40.5 / 4032, 9);
    expect(u.pValue).toBeCloseTo(poissonTail(3, 40.5 / 4032), 15);
    expect(u.text).toContain('近28天40起');
    expect(u.text).toContain('本次3起');
    expect(u.text).toContain('概率约1.7×10⁻⁷');
    // No history at all still gives a finite answer (half a report of prior).
    expect(unusualness(3, 0).pValue).toBeGreaterThan(0);
    expect(formatProbability(0.042)).toBe('4.2%');
    expect(formatProbability(0.000031)).toBe('3.1×10⁻⁵');
  });
});

describe('who is told first, and once', () => {
  it('ranks vulnerable/important/sensitive first, then A/B customers, then everyone else', () => {
    expect(noticeRank({ important: true })).toBe(0);
    expect(noticeRank({ sensitive: true, tier: 'C' })).toBe(0);
    expect(noticeRank({ vulnerable: true })).toBe(0);
    expect(noticeRank({ tier: 'A' })).toBe(1);
    expect(noticeRank({ tier: 'C' })).toBe(2);
  });
  it('merges one person with several accounts into one recipient at their best rank', () => {
    const merged = mergeRecipients([
      { key: 'u:1', rank: 2, accountNumbers: ['A'], channels: ['inapp'] },
      { key: 'u:2', rank: 2, accountNumbers: ['B'], channels: ['inapp'] },
      { key: 'u:1', rank: 0, accountNumbers: ['C'], channels: ['sms'] },
      { key: 'u:1', rank: 2, accountNumbers: ['A'], channels: ['inapp'] },
    ]);
    expect(merged).toHaveLength(2);
    const one = merged.find((r) => r.key === 'u:1')!;
    expect(one.rank).toBe(0);
    expect(one.accountNumbers).toEqual(['A', 'C']);
    expect(one.channels.sort()).toEqual(['inapp', 'sms']);
  });
  it('orders recipients by rank, stably', () => {
    const o = orderRecipients([
      { key: 'u:c', rank: 2 },
      { key: 'u:a', rank: 0 },
      { key: 'u:b', rank: 1 },
      { key: 'u:0', rank: 2 },
    ]);
    expect(o.map((r) => r.key)).toEqual(['u:a', 'u:b', 'u:0', 'u:c']);
  });
});

describe('temporary maintenance reaches important customers 24 h ahead (SPEC §4)', () => {
  const now = new Date('2026-12-02T02:00:00Z');
  const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
  it('refuses a temporary maintenance under 24 h ahead over important customers without a phone-contact record', () => {
    expect(() => checkImportantNotice({ kind: 'temporary', startAt: hours(23.9) }, now, { count: 2, contactNote: null })).toThrow('2户重要客户');
    expect(() => checkImportantNotice({ kind: 'temporary', startAt: hours(2) }, now, { count: 1, contactNote: '  ' })).toThrow('电话通知记录');
  });
  it('accepts it with the record, 24 h or more ahead, with no important customer in scope, and for other kinds', () => {
    expect(() =>
      checkImportantNotice({ kind: 'temporary', startAt: hours(2) }, now, { count: 1, contactNote: '已于10:05电话告知星城制造王经理（调度员张三）' }),
    ).not.toThrow();
    expect(() => checkImportantNotice({ kind: 'temporary', startAt: hours(24) }, now, { count: 3, contactNote: null })).not.toThrow();
    expect(() => checkImportantNotice({ kind: 'temporary', startAt: hours(1) }, now, { count: 0, contactNote: null })).not.toThrow();
    expect(() => checkImportantNotice({ kind: 'fault', startAt: hours(0) }, now, { count: 5, contactNote: null })).not.toThrow();
    expect(importantNoticeShort({ kind: 'planned', startAt: hours(1) }, now, 5)).toBe(false);
    expect(importantNoticeShort({ kind: 'temporary', startAt: hours(23) }, now, 1)).toBe(true);
  });
});
