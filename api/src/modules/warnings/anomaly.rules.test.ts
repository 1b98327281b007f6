import { describe, expect, it } from 'vitest';
import { BASELINE_DAYS, ewma, judgeArea, POISSON_ALPHA, poissonCdf, poissonLimit, poissonQuantile, shanghaiDays } from './anomaly.rules';

/** A deterministic generator (mulberry32) and Poisson draws by inversion (Knuth for small means). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function poissonDraw(mean: number, u: () => number): number {
  // Inversion on the exact CDF: fine for the means used here.
  const x = u();
  let k = 0;
  while (poissonCdf(k, mean) < x) k++;
  return k;
}

describe('exact Poisson quantiles', () => {
  it('matches published CDF values', () => {
    // Poisson(2): P(X≤0)=e^-2, P(X≤3)=19e^-2/3, P(X≤7)≈0.998903
    expect(poissonCdf(0, 2)).toBeCloseTo(Math.exp(-2), 12);
    expect(poissonCdf(3, 2)).toBeCloseTo((19 / 3) * Math.exp(-2), 12);
    expect(poissonCdf(7, 2)).toBeCloseTo(0.998903, 6);
    expect(poissonCdf(15, 10)).toBeCloseTo(0.95126, 6);
  });

  it('finds the smallest k whose CDF reaches p', () => {
    expect(poissonQuantile(0.99, 2)).toBe(6); // CDF(5)=0.9834, CDF(6)=0.9955
    expect(poissonQuantile(0.999, 2)).toBe(8); // CDF(7)=0.99890 < 0.999 ≤ CDF(8)
    expect(poissonQuantile(0.95, 10)).toBe(15); // CDF(14)=0.9165, CDF(15)=0.9513
    expect(poissonQuantile(0.5, 1)).toBe(1);
    // Large means: no underflow (e^-800 is 0 in doubles), the quantile sits near mean + 3.09·√mean.
    const q = poissonQuantile(0.999, 800);
    expect(q).toBeGreaterThan(880);
    expect(q).toBeLessThan(895);
    expect(poissonCdf(q, 800)).toBeGreaterThanOrEqual(0.999);
    expect(poissonCdf(q - 1, 800)).toBeLessThan(0.999);
  });

  it('gives a quiet area a usual level above zero', () => {
    // Mean floored at 0.1 a day: 0, 1 or 2 reports stay quiet, 3 fire.
    expect(poissonLimit(0)).toBe(2);
  });
});

describe('an area above its usual level', () => {
  it('fires on a planted jump and names the evidence', () => {
    const u = rng(7);
    const history = Array.from({ length: BASELINE_DAYS }, () => poissonDraw(1.5, u));
    const v = judgeArea([...history, 12]);
    expect(v.fired).toBe(true);
    expect(v.method).toBe('poisson');
    expect(v.count).toBe(12);
    expect(v.baselineMean).toBeCloseTo(history.reduce((a, b) => a + b, 0) / BASELINE_DAYS, 10);
    expect(v.poissonLimit).toBeLessThan(12);
    expect(v.recent).toHaveLength(14);
    expect(v.recent.at(-1)).toBe(12);
  });

  it('fires on a planted jump in a busy region (EWMA of a sustained rise too)', () => {
    const u = rng(11);
    const history = Array.from({ length: BASELINE_DAYS }, () => poissonDraw(30, u));
    expect(judgeArea([...history, 70]).fired).toBe(true);
    // Five days at +40%: no single day past the Poisson limit, but the EWMA crosses.
    const rise = [42, 41, 43, 42, 44];
    const v = judgeArea([...history, ...rise]);
    expect(v.ewma).not.toBeNull();
    expect(v.fired).toBe(true);
  });

  it('stays quiet on normal variation: false alarms at the stated rate or below', () => {
    // 600 areas × 1 day, and one area over 600 days: Poisson limit at α = 0.001 (+ EWMA for busy areas).
    for (const mean of [0.3, 2, 8, 30]) {
      const u = rng(Math.round(mean * 1000));
      const days = BASELINE_DAYS + 600;
      const series = Array.from({ length: days }, () => poissonDraw(mean, u));
      let alarms = 0;
      let judged = 0;
      for (let t = BASELINE_DAYS; t < days; t++) {
        const v = judgeArea(series.slice(0, t + 1));
        judged++;
        if (v.fired) alarms++;
      }
      // Two Poisson windows (1 and 3 days), each ≤ α by construction: ≤ 2α; with EWMA (busy areas) we state ≤ 1% a day.
      const stated = mean >= 5 ? 0.01 : 2 * POISSON_ALPHA;
      // Allow the sampling error of 600 days (a few alarms at most).
      expect(alarms / judged).toBeLessThanOrEqual(stated + 3 / judged);
    }
  });

  it('fires on a three-day rise in a quiet area that no single day shows (the history seed’s plant)', () => {
    const u = rng(3);
    const history = Array.from({ length: BASELINE_DAYS }, () => poissonDraw(0.5, u));
    const mean = history.reduce((a, b) => a + b, 0) / BASELINE_DAYS;
    // ~4× the usual level for three days: 3 a day, each below the one-day limit.
    const v = judgeArea([...history, 3, 3, 3]);
    expect(3).toBeLessThanOrEqual(poissonLimit(mean));
    expect(v).toMatchObject({ fired: true, method: 'poisson', windowDays: 3, count: 9 });
    expect(v.poissonLimit).toBe(poissonQuantile(1 - POISSON_ALPHA, 3 * Math.max(mean, 0.1)));
  });

  it('EWMA starts at the mean and its limit widens toward the asymptote', () => {
    const flat = ewma([10, 10, 10], 10);
    expect(flat.value).toBeCloseTo(10, 10);
    expect(flat.fired).toBe(false);
    const one = ewma([10], 10);
    expect(one.limit).toBeLessThan(flat.limit);
  });

  it('lists Shanghai days oldest first', () => {
    // 2026-12-01 20:00 UTC is already 2 December in Shanghai.
    expect(shanghaiDays(new Date('2026-12-01T20:00:00Z'), 3)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
  });
});
