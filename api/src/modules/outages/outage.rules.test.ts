import { describe, expect, it } from 'vitest';
import {
  areaClusterFires,
  checkEdit,
  checkPublication,
  DEFAULT_CLUSTER,
  expandScope,
  feederAreasInWindow,
  feederClusterFires,
  isOutageFaultKind,
  mergeRecipients,
  noticeRank,
  orderRecipients,
  OutageRuleError,
  phaseOf,
  proposalScopes,
  scopeCovers,
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
        return e as OutageRuleError;
      }
    })();
    expect(err).toBeInstanceOf(OutageRuleError);
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
    expect(() => checkPublication({ kind: 'fault', startAt: min(1), etr: null, scope: { feederIds: [], transformerAreaIds: [] } }, now)).toThrow('停电范围');
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
    expect(() => validateClusterConfig({ ...DEFAULT_CLUSTER, areaThreshold: 1 })).toThrow(OutageRuleError);
  });
});

describe('clustering: feeder rule (≥2 transformer areas of one feeder within the window)', () => {
  it('one area reporting many times is not a feeder cluster; two areas are', () => {
    expect(feederClusterFires({ T1: now }, now)).toBe(false);
    expect(feederClusterFires({ T1: min(-3), T2: now }, now)).toBe(true);
  });
  it('an area whose last report is outside the window does not count', () => {
    expect(feederClusterFires({ T1: min(-15), T2: now }, now)).toBe(false);
    expect(feederAreasInWindow({ T1: min(-15), T2: now, T3: min(-9) }, now)).toEqual(['T2', 'T3']);
  });
  it('proposes the feeder (widest scope) first, then the area', () => {
    const r = proposalScopes({ transformerAreaId: 'T2', feederId: 'F1', areaRecent: [min(-2), min(-1), now], feederLastByArea: { T1: min(-5), T2: now } }, now);
    expect(r).toEqual([
      { level: 'feeder', id: 'F1' },
      { level: 'transformer_area', id: 'T2' },
    ]);
    expect(proposalScopes({ transformerAreaId: 'T2', feederId: 'F1', areaRecent: [now], feederLastByArea: { T2: now } }, now)).toEqual([]);
    expect(proposalScopes({ transformerAreaId: 'T2', feederId: 'F1', areaRecent: [min(-1), min(-1), now], feederLastByArea: { T2: now } }, now)).toEqual([
      { level: 'transformer_area', id: 'T2' },
    ]);
  });
  it('the feeder minimum is configurable', () => {
    const cfg = { ...DEFAULT_CLUSTER, feederMinAreas: 3 };
    expect(feederClusterFires({ T1: min(-1), T2: now }, now, cfg)).toBe(false);
    expect(feederClusterFires({ T1: min(-1), T2: now, T3: now }, now, cfg)).toBe(true);
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
