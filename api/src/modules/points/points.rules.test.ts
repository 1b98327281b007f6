import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { fixtureOrder } from './points.fixtures';
import { pointsInputOf } from './points.facts';
import { formatDuration, median, mediansOf, periodKeys, periodLabel, pointsEntries, type RulesAt } from './points.rules';
import { DEFAULT_POINTS, pointsSchema, type PointsRules } from './points.settings';

const agent = new Types.ObjectId().toHexString();
const start = new Date('2026-05-10T02:00:00Z');
const v1: RulesAt = () => ({ version: 1, value: DEFAULT_POINTS });
const team = new Map<string, string | null>([[agent, null]]);
const input = (o: ReturnType<typeof fixtureOrder>, checks = []) =>
  pointsInputOf(o, { now: new Date('2026-06-01T00:00:00Z'), agentTeam: team, checks });
const byRule = (es: ReturnType<typeof pointsEntries>) => Object.fromEntries(es.map((e) => [e.rule, e]));
const medians = { consultation: { medianMs: 9 * 60_000, samples: 20 } };

describe('points rules (pure)', () => {
  it('the defaults are a valid points value', () => {
    expect(pointsSchema.safeParse(DEFAULT_POINTS).success).toBe(true);
    const bad = pointsSchema.safeParse({ ...DEFAULT_POINTS, late: -1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toBe('超时扣分须在0到100分之间');
  });

  it('a handled order earns its type points, with a stable key and a Chinese reason', () => {
    const o = fixtureOrder({ agentId: agent, start, orderNo: 'GD20260510-000123', replyMin: null, resolveMin: 10 });
    const es = pointsEntries(input(o), {}, v1);
    const h = byRule(es).handled;
    expect(h).toMatchObject({ key: `${o._id}:handled:0`, agentId: agent, points: 2, rulesVersion: 1, reason: '处理咨询工单 GD20260510-000123 +2' });
    expect(h.at).toEqual(new Date(start.getTime() + 10 * 60_000));
    // Recomputing gives the same keys (what makes re-accrual add nothing).
    expect(pointsEntries(input(o), {}, v1).map((e) => e.key)).toEqual(es.map((e) => e.key));
  });

  it('AHT below the median earns the bonus; far above it costs the penalty; in between nothing', () => {
    // claim at 1 min, resolve at 7:12 → 6分12秒, median 9分
    const fast = fixtureOrder({ agentId: agent, start, resolveMin: 7.2 });
    expect(byRule(pointsEntries(input(fast), medians, v1)).aht_bonus).toMatchObject({ points: 1, reason: '处理时长 6分12秒，低于同类中位数 9分 +1' });
    const slow = fixtureOrder({ agentId: agent, start, resolveMin: 25 }); // 24分 > 200% of 9分
    expect(byRule(pointsEntries(input(slow), medians, v1)).aht_penalty).toMatchObject({
      points: -1,
      reason: '处理时长 24分，超过同类中位数 9分 的200% −1',
    });
    const mid = fixtureOrder({ agentId: agent, start, resolveMin: 15 }); // 14分: above, not far above
    const r = byRule(pointsEntries(input(mid), medians, v1));
    expect(r.aht_bonus).toBeUndefined();
    expect(r.aht_penalty).toBeUndefined();
    // Too few samples of the type: no AHT entry at all.
    expect(byRule(pointsEntries(input(fast), { consultation: { medianMs: 9 * 60_000, samples: 2 } }, v1)).aht_bonus).toBeUndefined();
    // The AHT is measured from the claim to the first customer reply, minus nothing here.
    expect(input(fixtureOrder({ agentId: agent, start, replyMin: 4, resolveMin: 30 })).ahtMs).toBe(3 * 60_000);
  });

  it('each met deadline earns on-time points, each missed one costs late points', () => {
    const o = fixtureOrder({
      agentId: agent,
      start,
      deadlines: [
        { kind: 'first_reply', met: true },
        { kind: 'answer', met: false },
      ],
    });
    const es = pointsEntries(input(o), {}, v1);
    const on = es.find((e) => e.rule === 'on_time')!;
    const late = es.find((e) => e.rule === 'late')!;
    expect(on).toMatchObject({ key: `${o._id}:on_time:sla0`, points: 1 });
    expect(on.reason).toContain('首次响应时限内完成');
    expect(late).toMatchObject({ key: `${o._id}:late:sla1`, points: -2 });
    expect(late.reason).toMatch(/^超出.+，工单 .+ −2$/);
  });

  it('ratings: 4–5 stars earn, 1–2 stars cost, 3 stars nothing', () => {
    const five = fixtureOrder({ agentId: agent, start, rating: { stars: 5, min: 60 } });
    expect(byRule(pointsEntries(input(five), {}, v1)).satisfied).toMatchObject({ points: 3, reason: `客户评价5星，工单 ${five.orderNo} +3` });
    const three = fixtureOrder({ agentId: agent, start, rating: { stars: 3, min: 60 } });
    const r3 = byRule(pointsEntries(input(three), {}, v1));
    expect(r3.satisfied ?? r3.dissatisfied).toBeUndefined();
  });

  it('a reopen within 7 days of resolution takes the handling points back', () => {
    const o = fixtureOrder({ agentId: agent, start, resolveMin: 10, reopenMin: 60 });
    const r = byRule(pointsEntries(input(o), {}, v1));
    expect(r.handled.points).toBe(2);
    expect(r.reopen).toMatchObject({ points: -2, reason: `7日内重开，收回处理积分，工单 ${o.orderNo} −2` });
    expect(r.dissatisfied.points).toBe(-3);
    // After 8 days: the handling points stay.
    const late = fixtureOrder({ agentId: agent, start, resolveMin: 10, reopenMin: 8 * 24 * 60 });
    expect(byRule(pointsEntries(input(late), {}, v1)).reopen).toBeUndefined();
  });

  it('an entry keeps the rules version in force when it was earned', () => {
    const v2rules: PointsRules = { ...DEFAULT_POINTS, handled: { ...DEFAULT_POINTS.handled, consultation: 5 } };
    const switchAt = new Date(start.getTime() + 30 * 60_000);
    const versions: RulesAt = (at) => (at < switchAt ? { version: 1, value: DEFAULT_POINTS } : { version: 2, value: v2rules });
    const o = fixtureOrder({ agentId: agent, start, resolveMin: 10, rating: { stars: 5, min: 60 } });
    const r = byRule(pointsEntries(input(o), {}, versions));
    expect(r.handled).toMatchObject({ points: 2, rulesVersion: 1 });
    expect(r.satisfied).toMatchObject({ rulesVersion: 2 });
    const later = fixtureOrder({ agentId: agent, start: new Date(start.getTime() + 3_600_000), resolveMin: 10 });
    expect(byRule(pointsEntries(input(later), {}, versions)).handled).toMatchObject({ points: 5, rulesVersion: 2 });
  });

  it('quality-check failures cost points per failed item, for the checked agent', () => {
    const o = fixtureOrder({ agentId: agent, start });
    const checks = [{ id: 'c1', at: new Date('2026-05-11T00:00:00Z'), agentId: agent, failed: ['standard_phrases', 'complete_info'] }];
    const es = pointsEntries(input(o, checks as never), {}, v1).filter((e) => e.rule === 'qc_error');
    expect(es.map((e) => [e.key, e.points])).toEqual([
      [`${o._id}:qc_error:c1-standard_phrases`, -2],
      [`${o._id}:qc_error:c1-complete_info`, -2],
    ]);
    expect(es[0].reason).toBe(`质检差错：规范用语使用不合格，工单 ${o.orderNo} −2`);
  });

  it('medians, durations and Shanghai periods', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(3);
    expect(
      mediansOf([
        { type: 'consultation', ahtMs: 1 },
        { type: 'consultation', ahtMs: 3 },
      ]).consultation,
    ).toEqual({ medianMs: 2, samples: 2 });
    expect(formatDuration(372_000)).toBe('6分12秒');
    expect(formatDuration(540_000)).toBe('9分');
    expect(formatDuration(3_900_000)).toBe('1小时5分');
    // 2026-03-31 17:00 UTC is 2026-04-01 01:00 in Shanghai.
    expect(periodKeys(new Date('2026-03-31T17:00:00Z'))).toEqual({ all: 'all', month: '2026-04', quarter: '2026-Q2' });
    expect(periodLabel('2026-Q2')).toBe('2026年第2季度');
    expect(periodLabel('2026-04')).toBe('2026年4月');
  });
});
